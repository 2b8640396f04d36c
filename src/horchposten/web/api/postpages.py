"""Pages of posts for ``GET /posts``, newest first, each page an index range (no OFFSET).

A topic's posts are read along the ``post_topics`` key (topic, post) backwards and a
sentiment is checked per post on the ``enrichments`` key, so a page costs about its
own rows however many posts the topic has. With a query in the topic language, the
full-text index narrows the rows in SQL and the topic matcher decides on each, exactly
as for topics; such a page reads at most ``SCAN`` rows, so a rare match among many
candidates costs a bounded time per request: it may hold fewer posts than asked for
and still carry a cursor to read on from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Select, exists, select

from horchposten.analytics.drilldown import PostFilter, filtered
from horchposten.labels import NO_SENTIMENT, SENTIMENTS
from horchposten.models import Post
from horchposten.query import sql as query_sql
from horchposten.query.match import CompiledQuery
from horchposten.store import fulltext
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.rows import stored_post
from horchposten.store.schema import enrichments, post_topics, posts

CHUNK = 500
SCAN = 5_000


def _sentiment(label: str) -> Any:
    stored = enrichments.c.data["label"].as_string()
    mine = exists().where(
        enrichments.c.post_id == posts.c.id, enrichments.c.enricher == "sentiment"
    )
    if label == NO_SENTIMENT:
        return ~mine.where(stored.in_(SENTIMENTS))
    return mine.where(stored == label)


def narrowed(conn: Connection, where: PostFilter) -> tuple[Select[Any], Any]:
    """The posts of the filter, and the id column to order and page them by."""
    rest = replace(where, topic_id=None, sentiment=None)
    if where.topic_id is None:
        query, key = select(posts), posts.c.id
    else:
        query = select(posts).join(post_topics, post_topics.c.post_id == posts.c.id)
        query, key = query.where(post_topics.c.topic_id == where.topic_id), post_topics.c.post_id
    query = filtered(conn, query, rest)
    if where.sentiment is not None:
        query = query.where(_sentiment(where.sentiment))
    return query, key


def posts_page(
    conn: Connection, where: PostFilter, *, limit: int, before_id: int | None = None
) -> tuple[list[tuple[int, Post]], int | None]:
    """(id, post) pairs below ``before_id`` and the cursor of the next page (or None)."""
    query, key = narrowed(conn, where)
    query = query.order_by(key.desc()).limit(limit + 1)
    if before_id is not None:
        query = query.where(key < before_id)
    rows = conn.execute(query).all()
    page = [(int(row.id), stored_post(row._mapping)) for row in rows[:limit]]
    return page, page[-1][0] if len(rows) > limit else None


def matching_page(
    conn: Connection,
    where: PostFilter,
    query: CompiledQuery,
    *,
    limit: int,
    before_id: int | None = None,
) -> tuple[list[tuple[int, Post]], int | None]:
    """Matches below ``before_id`` and the cursor to read on from (None at the end)."""
    sqlite = conn.dialect.name == "sqlite"
    expression = query_sql.fts5_match(query.node) if sqlite else query_sql.tsquery(query.node)
    base, key = narrowed(conn, where)
    base = base.order_by(key.desc()).limit(CHUNK)
    if expression is not None:
        base = base.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    found: list[tuple[int, Post]] = []
    last, scanned = before_id, 0
    while scanned < SCAN:
        chunk = base if last is None else base.where(key < last)
        rows = conn.execute(chunk).all()
        extra = stored_enrichments(conn, [row.id for row in rows])
        for row in rows:
            last, scanned = int(row.id), scanned + 1
            post = stored_post(row._mapping)
            if query.matches(post, extra.get(row.id, {})):
                found.append((last, post))
                if len(found) == limit:
                    return found, last
        if len(rows) < CHUNK:
            return found, None
    return found, last
