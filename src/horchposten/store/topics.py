"""Saved topics: create, list, fetch, edit, remove; each change bumps the "topics" revision."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from horchposten.errors import AlreadyExists, NotFound
from horchposten.models import EntityTerm, Topic
from horchposten.store import revisions
from horchposten.store.schema import post_topics, topics

REVISION = "topics"


def _topic(row: object) -> Topic:
    return Topic.model_validate(row, from_attributes=True)


def _refuse_taken(conn: Connection, name: str) -> None:
    if conn.execute(select(topics.c.id).where(topics.c.name == name)).first():
        raise AlreadyExists(
            f"A topic named '{name}' already exists. Choose another name, "
            f"or remove it first with 'horchposten topic remove \"{name}\"'."
        )


def add_topic(conn: Connection, topic: Topic) -> Topic:
    now = datetime.now(UTC)
    values = topic.model_dump(exclude={"id"}) | {"created_at": now, "updated_at": now}
    _refuse_taken(conn, topic.name)
    try:
        topic_id = conn.execute(topics.insert().values(values).returning(topics.c.id)).scalar_one()
    except IntegrityError as exc:
        raise AlreadyExists(f"A topic named '{topic.name}' already exists.") from exc
    revisions.bump(conn, REVISION)
    return topic.model_copy(update={"id": topic_id, "created_at": now, "updated_at": now})


def update_topic(
    conn: Connection,
    name: str,
    *,
    query: str | None = None,
    langs: list[str] | None = None,
    sources: list[str] | None = None,
    new_name: str | None = None,
    entities: list[EntityTerm] | None = None,
    own_accounts: list[str] | None = None,
) -> Topic:
    """Change the given fields of a topic; its matches stay until it is backfilled again.

    ``entities`` and ``own_accounts`` replace the whole list (``[]`` empties it).
    Raises pydantic's ``ValidationError`` for an invalid field, like ``Topic(...)``.
    """
    topic = get_topic(conn, name)
    changes = {
        "name": new_name,
        "query": query,
        "langs": langs,
        "sources": sources,
        "entities": entities,
        "own_accounts": own_accounts,
    }
    values = {key: value for key, value in changes.items() if value is not None}
    edited = Topic.model_validate(topic.model_dump() | values | {"updated_at": datetime.now(UTC)})
    if edited.name != topic.name:
        _refuse_taken(conn, edited.name)
    stored = edited.model_dump(exclude={"id", "created_at"})
    try:
        conn.execute(update(topics).where(topics.c.id == topic.id).values(stored))
    except IntegrityError as exc:
        raise AlreadyExists(f"A topic named '{edited.name}' already exists.") from exc
    revisions.bump(conn, REVISION)
    return edited


def list_topics(conn: Connection) -> list[Topic]:
    return [_topic(row) for row in conn.execute(select(topics).order_by(topics.c.name))]


def topic_ids(conn: Connection) -> set[int]:
    return {int(topic_id) for topic_id in conn.execute(select(topics.c.id)).scalars()}


def get_topic(conn: Connection, name: str) -> Topic:
    row = conn.execute(select(topics).where(topics.c.name == name)).first()
    if row is None:
        known = ", ".join(t.name for t in list_topics(conn)) or "none yet"
        raise NotFound(f"There is no topic named '{name}'. Known topics: {known}.")
    return _topic(row)


def topic_at(conn: Connection, reference: str) -> Topic:
    """The topic a URL path names: by its id, or by its name where that is not an id.

    Paths carry ids since names are free text ('/', '..'); a name still finds its
    topic for older clients, unless it is made only of digits and such an id exists.
    """
    if reference.isascii() and reference.isdecimal() and len(reference) <= 18:
        row = conn.execute(select(topics).where(topics.c.id == int(reference))).first()
        if row is not None:
            return _topic(row)
    return get_topic(conn, reference)


def remove_topic(conn: Connection, name: str) -> Topic:
    """Delete the topic with its matches and rollups (the posts stay)."""
    topic = get_topic(conn, name)
    # SQLite cascades only with foreign keys on; delete explicitly so both dialects agree.
    conn.execute(delete(post_topics).where(post_topics.c.topic_id == topic.id))
    conn.execute(delete(topics).where(topics.c.id == topic.id))
    revisions.bump(conn, REVISION)
    return topic


def topics_revision(conn: Connection) -> int:
    """A number that grows with every added, edited or removed topic; 0 before the first."""
    return revisions.current(conn, REVISION)


def match_counts(conn: Connection) -> dict[int, int]:
    """Matched posts per topic id."""
    query = select(post_topics.c.topic_id, func.count()).group_by(post_topics.c.topic_id)
    return {int(topic_id): int(count) for topic_id, count in conn.execute(query)}
