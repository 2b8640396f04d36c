"""Retroactive matching: apply a new or edited topic to the posts already stored.

The full-text index narrows the candidates; the same matcher as the live
stream decides, so a topic added later finds exactly what it would have found
live. ``preview_topic`` runs the same search without writing anything.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select

from horchposten.models import Post, Topic
from horchposten.query import sql as query_sql
from horchposten.query.match import TopicMatcher
from horchposten.query.parse import parse
from horchposten.store import fulltext
from horchposten.store.dialect import bulk_insert, chunks
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.rollups import RollupDelta, sentiment_label
from horchposten.store.rows import stored_post
from horchposten.store.schema import (
    enrichments,
    post_topics,
    posts,
    rollups_authors,
    rollups_hourly,
    rollups_marginal,
)

OnProgress = Callable[[int, int], None]

# A preview window shorter than this would turn a handful of posts into a wild daily rate.
MIN_WINDOW = timedelta(hours=1)


def candidate_ids(conn: Connection, topic: Topic, since: datetime | None = None) -> list[int]:
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
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    return list(conn.execute(query).scalars())


def _matching_rows(
    conn: Connection, topic: Topic, since: datetime | None, on_progress: OnProgress | None
) -> Iterator[list[tuple[Row[Any], str]]]:
    """The stored posts the topic matches, as ``posts`` rows with their rollup sentiment,
    one chunk of candidates at a time."""
    # The matcher reports topic ids; an unsaved topic (a preview) gets a stand-in.
    matcher = TopicMatcher([topic if topic.id is not None else topic.model_copy(update={"id": 0})])
    ids = candidate_ids(conn, topic, since)
    done = 0
    for part in chunks(ids, 1000):
        rows = conn.execute(select(posts).where(posts.c.id.in_(part))).all()
        extra = stored_enrichments(conn, [row.id for row in rows])
        found = matcher.match_batch(
            [stored_post(row._mapping) for row in rows], [extra.get(row.id, {}) for row in rows]
        )
        yield [
            (row, sentiment_label(extra.get(row.id, {}).get("sentiment")))
            for row, topic_ids in zip(rows, found, strict=True)
            if topic_ids
        ]
        done += len(part)
        if on_progress is not None:
            on_progress(done, len(ids))


def _unmatch(conn: Connection, topic_id: int, since: datetime | None = None) -> None:
    """Remove a topic's matches of posts created at or after ``since`` (all without it).

    Their rollup contributions are subtracted (rows left empty are dropped), so the
    rollups still equal a recount.
    """
    if since is None:
        conn.execute(delete(post_topics).where(post_topics.c.topic_id == topic_id))
        for table in (rollups_hourly, rollups_marginal, rollups_authors):
            conn.execute(delete(table).where(table.c.topic_id == topic_id))
        return
    linked = (
        select(posts.c.id)
        .join(post_topics, post_topics.c.post_id == posts.c.id)
        .where(post_topics.c.topic_id == topic_id, posts.c.created_at >= since)
    )
    contributing = linked.add_columns(
        *(posts.c[name] for name in ("created_at", "source", "lang", "author_handle")),
        posts.c.author_followers,
        *(posts.c[name] for name in ("likes", "reposts", "replies", "views")),
    )
    contributing = contributing.add_columns(enrichments.c.data).outerjoin(
        enrichments, (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment")
    )
    deltas = RollupDelta()
    # Per statement: options set on the connection would stay for its later writes.
    for row in conn.execute(contributing, execution_options={"yield_per": 1000}):
        fields = row.data if isinstance(row.data, dict) else None
        deltas.add(row, [topic_id], sign=-1, sentiment=sentiment_label(fields))
    deltas.write(conn)
    conn.execute(
        delete(post_topics).where(
            post_topics.c.topic_id == topic_id, post_topics.c.post_id.in_(linked.scalar_subquery())
        )
    )


def backfill_topic(
    conn: Connection,
    topic: Topic,
    on_progress: OnProgress | None = None,
    *,
    since: datetime | None = None,
) -> int:
    """Match the stored posts (created at or after ``since``) against a saved topic again.

    The topic's earlier matches in that span go first, so an edited topic ends up
    with exactly what its current query finds. Returns how many posts matched.
    """
    if topic.id is None:
        raise ValueError("backfill needs a saved topic with an id")
    _unmatch(conn, topic.id, since)
    now = datetime.now(UTC)
    matched = 0
    for rows in _matching_rows(conn, topic, since, on_progress):
        deltas = RollupDelta()
        for row, sentiment in rows:
            deltas.add(row, [topic.id], sentiment=sentiment)
        links = [{"topic_id": topic.id, "post_id": row.id, "matched_at": now} for row, _ in rows]
        bulk_insert(conn, post_topics, links, keys=("topic_id", "post_id"))
        deltas.write(conn)
        matched += len(links)
    return matched


@dataclass(frozen=True)
class Preview:
    """What a topic would match among the stored posts."""

    matches: int
    start: datetime | None  # the window: ``since``, or the oldest stored post; None if none
    end: datetime
    newest: list[Post]

    @property
    def days(self) -> float:
        """Days the window covers, at least an hour's worth."""
        if self.start is None:
            return 0.0
        return max(self.end - self.start, MIN_WINDOW) / timedelta(days=1)

    @property
    def per_day(self) -> float:
        return self.matches / self.days if self.days else 0.0


def preview_topic(
    conn: Connection, topic: Topic, *, since: datetime | None = None, limit: int = 10
) -> Preview:
    """Count and show what the topic matches among stored posts; writes nothing."""
    end = datetime.now(UTC)
    start = since or conn.execute(select(func.min(posts.c.created_at))).scalar()
    count = 0
    newest: list[Row[Any]] = []
    for found in _matching_rows(conn, topic, since, None):
        rows = [row for row, _ in found]
        count += len(rows)
        newest = heapq.nlargest(limit, [*newest, *rows], key=lambda row: (row.created_at, row.id))
    return Preview(count, start, end, [stored_post(row._mapping) for row in newest])
