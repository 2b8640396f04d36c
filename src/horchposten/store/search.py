"""Reading posts back: full-text search with filters, and streaming a topic's posts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Connection, Select, select

from horchposten.models import Post
from horchposten.query import sql as query_sql
from horchposten.store import fulltext
from horchposten.store.rows import stored_post
from horchposten.store.schema import post_topics, posts


def _filtered(
    query: Select[tuple[object, ...]],
    topic_id: int | None,
    since: datetime | None,
    lang: str | None,
) -> Select[tuple[object, ...]]:
    if topic_id is not None:
        matched = select(post_topics.c.post_id).where(post_topics.c.topic_id == topic_id)
        query = query.where(posts.c.id.in_(matched.scalar_subquery()))
    if since is not None:
        query = query.where(posts.c.created_at >= since)
    if lang is not None:
        query = query.where(posts.c.lang == lang)
    return query


def search_posts(
    conn: Connection,
    words: str,
    *,
    topic_id: int | None = None,
    since: datetime | None = None,
    lang: str | None = None,
    limit: int = 20,
) -> list[Post]:
    """Posts containing all the words (normalised like the matcher), newest first."""
    query = select(posts)
    if words.strip():
        if conn.dialect.name == "sqlite":
            expression = query_sql.search_words_fts5(words)
        else:
            expression = query_sql.search_words_tsquery(words)
        query = query.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    query = _filtered(query, topic_id, since, lang)
    query = query.order_by(posts.c.created_at.desc(), posts.c.id.desc()).limit(limit)
    return [stored_post(row._mapping) for row in conn.execute(query)]


def iter_posts(
    conn: Connection,
    *,
    topic_id: int | None = None,
    since: datetime | None = None,
    lang: str | None = None,
) -> Iterator[Post]:
    """Stream posts oldest first without holding them all in memory."""
    query = _filtered(select(posts), topic_id, since, lang).order_by(posts.c.created_at, posts.c.id)
    for row in conn.execution_options(yield_per=1000).execute(query):
        yield stored_post(row._mapping)
