"""Saved topics: create, list, fetch, remove."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import IntegrityError

from horchposten.errors import AlreadyExists, NotFound
from horchposten.models import Topic
from horchposten.store.schema import post_topics, topics


def _topic(row: object) -> Topic:
    return Topic.model_validate(row, from_attributes=True)


def add_topic(conn: Connection, topic: Topic) -> Topic:
    now = datetime.now(UTC)
    values = topic.model_dump(exclude={"id"}) | {"created_at": now, "updated_at": now}
    if conn.execute(select(topics.c.id).where(topics.c.name == topic.name)).first():
        raise AlreadyExists(
            f"A topic named '{topic.name}' already exists. Choose another name, "
            f"or remove it first with 'horchposten topic remove \"{topic.name}\"'."
        )
    try:
        topic_id = conn.execute(topics.insert().values(values).returning(topics.c.id)).scalar_one()
    except IntegrityError as exc:
        raise AlreadyExists(f"A topic named '{topic.name}' already exists.") from exc
    return topic.model_copy(update={"id": topic_id, "created_at": now, "updated_at": now})


def list_topics(conn: Connection) -> list[Topic]:
    return [_topic(row) for row in conn.execute(select(topics).order_by(topics.c.name))]


def get_topic(conn: Connection, name: str) -> Topic:
    row = conn.execute(select(topics).where(topics.c.name == name)).first()
    if row is None:
        known = ", ".join(t.name for t in list_topics(conn)) or "none yet"
        raise NotFound(f"There is no topic named '{name}'. Known topics: {known}.")
    return _topic(row)


def remove_topic(conn: Connection, name: str) -> Topic:
    """Delete the topic with its matches and rollups (the posts stay)."""
    topic = get_topic(conn, name)
    # SQLite cascades only with foreign keys on; delete explicitly so both dialects agree.
    conn.execute(delete(post_topics).where(post_topics.c.topic_id == topic.id))
    conn.execute(delete(topics).where(topics.c.id == topic.id))
    return topic


def match_counts(conn: Connection) -> dict[int, int]:
    """Matched posts per topic id."""
    query = select(post_topics.c.topic_id, func.count()).group_by(post_topics.c.topic_id)
    return {int(topic_id): int(count) for topic_id, count in conn.execute(query)}
