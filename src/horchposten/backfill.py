"""Retroactive matching: apply a new topic to the posts already stored.

The full-text index narrows the candidates; the same matcher as the live
stream decides, so a topic added later finds exactly what it would have found live.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from horchposten.models import Topic
from horchposten.query import sql as query_sql
from horchposten.query.match import TopicMatcher
from horchposten.query.parse import parse
from horchposten.store import fulltext
from horchposten.store.dialect import bulk_insert
from horchposten.store.posts import chunks
from horchposten.store.rollups import RollupDelta
from horchposten.store.rows import stored_post
from horchposten.store.schema import post_topics, posts


def candidate_ids(conn: Connection, topic: Topic) -> list[int]:
    """Ids of stored posts that may match: a superset of the real matches."""
    node = parse(topic.query)
    sqlite = conn.dialect.name == "sqlite"
    expression = query_sql.fts5_match(node) if sqlite else query_sql.tsquery(node)
    query = select(posts.c.id).order_by(posts.c.id)
    if expression is not None:
        query = query.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    if topic.langs:
        query = query.where(posts.c.lang.in_(topic.langs))
    if topic.sources:
        query = query.where(posts.c.source.in_(topic.sources))
    return list(conn.execute(query).scalars())


def backfill_topic(
    conn: Connection,
    topic: Topic,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Match the stored posts against a saved topic; returns how many matched."""
    if topic.id is None:
        raise ValueError("backfill needs a saved topic with an id")
    matcher = TopicMatcher([topic])
    ids = candidate_ids(conn, topic)
    now = datetime.now(UTC)
    matched = 0
    done = 0
    for part in chunks(ids, 1000):
        rows = conn.execute(select(posts).where(posts.c.id.in_(part))).all()
        found = matcher.match_batch([stored_post(row._mapping) for row in rows])
        deltas = RollupDelta()
        links = []
        for row, topic_ids in zip(rows, found, strict=True):
            if topic_ids:
                deltas.add(row, topic_ids)
                links.append({"topic_id": topic.id, "post_id": row.id, "matched_at": now})
        bulk_insert(conn, post_topics, links, keys=("topic_id", "post_id"))
        deltas.write(conn)
        matched += len(links)
        done += len(part)
        if on_progress is not None:
            on_progress(done, len(ids))
    return matched
