"""Reading posts back: full-text search with filters, and streaming a topic's posts.

``where`` takes a query in the topic language (docs/query-language.md): its
full-text prefilter narrows the rows in SQL, the matcher decides on each post
with its stored enrichments, exactly as for topics.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Row, Select, select

from horchposten.models import Post
from horchposten.query import sql as query_sql
from horchposten.query.match import CompiledQuery
from horchposten.store import fulltext
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.rows import stored_post
from horchposten.store.schema import post_topics, posts

CHUNK = 500


def _filtered(
    conn: Connection,
    query: Select[tuple[object, ...]],
    topic_id: int | None,
    since: datetime | None,
    lang: str | None,
    where: CompiledQuery | None,
) -> Select[tuple[object, ...]]:
    if topic_id is not None:
        matched = select(post_topics.c.post_id).where(post_topics.c.topic_id == topic_id)
        query = query.where(posts.c.id.in_(matched.scalar_subquery()))
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    if lang is not None:
        query = query.where(posts.c.lang == lang)
    if where is not None:
        sqlite = conn.dialect.name == "sqlite"
        expression = query_sql.fts5_match(where.node) if sqlite else query_sql.tsquery(where.node)
        if expression is not None:
            query = query.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    return query


def search_posts(
    conn: Connection,
    words: str,
    *,
    topic_id: int | None = None,
    since: datetime | None = None,
    lang: str | None = None,
    where: CompiledQuery | None = None,
    limit: int = 20,
) -> list[Post]:
    """Posts containing all the words (normalised like the matcher), newest first (ties by key)."""
    query = select(posts)
    if words.strip():
        if conn.dialect.name == "sqlite":
            expression = query_sql.search_words_fts5(words)
        else:
            expression = query_sql.search_words_tsquery(words)
        query = query.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    query = _filtered(conn, query, topic_id, since, lang, where)
    query = query.order_by(posts.c.created_at.desc(), posts.c.key.desc())
    if where is None:
        return [stored_post(row._mapping) for row in conn.execute(query.limit(limit))]
    return list(islice(_matching(conn, _streamed(conn, query), where), limit))


def iter_posts(
    conn: Connection,
    *,
    topic_id: int | None = None,
    since: datetime | None = None,
    lang: str | None = None,
    where: CompiledQuery | None = None,
) -> Iterator[Post]:
    """Stream posts oldest first without holding them all in memory."""
    query = _filtered(conn, select(posts), topic_id, since, lang, where)
    rows = _streamed(conn, query.order_by(posts.c.created_at, posts.c.id))
    if where is None:
        for row in rows:
            yield stored_post(row._mapping)
    else:
        yield from _matching(conn, rows, where)


def _streamed(conn: Connection, query: Select[tuple[object, ...]]) -> Iterator[Row[Any]]:
    # yield_per on the statement, not the connection: later statements stay buffered.
    yield from conn.execute(query.execution_options(yield_per=CHUNK))


def _matching(conn: Connection, rows: Iterable[Row[Any]], where: CompiledQuery) -> Iterator[Post]:
    """The posts of ``rows`` that ``where`` matches, read with their stored enrichments."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        extra = stored_enrichments(conn, [row.id for row in chunk])
        for row in chunk:
            post = stored_post(row._mapping)
            if where.matches(post, extra.get(row.id, {})):
                yield post
