"""The posts behind any number of a chart: same topic, period, source, language and sentiment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select

from horchposten.analytics.period import Period
from horchposten.labels import NO_SENTIMENT, SENTIMENTS
from horchposten.models import Post
from horchposten.query import sql as query_sql
from horchposten.store import fulltext
from horchposten.store.rollups import UNKNOWN_LANG
from horchposten.store.rows import stored_post
from horchposten.store.schema import enrichments, post_topics, posts


@dataclass(frozen=True)
class PostFilter:
    topic_id: int | None = None
    period: Period | None = None
    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    sentiment: str | None = None  # negative, neutral, positive or none
    author: str | None = None  # "source:handle" or a bare handle
    post_ids: Sequence[int] | None = None
    words: str = ""  # full-text search: posts containing all these words


def _sentiment_clause(sentiment: str) -> Any:
    label = enrichments.c.data["label"].as_string()
    labelled = select(enrichments.c.post_id).where(enrichments.c.enricher == "sentiment")
    if sentiment == NO_SENTIMENT:
        known = labelled.where(label.in_(SENTIMENTS))
        return posts.c.id.not_in(known.scalar_subquery())
    return posts.c.id.in_(labelled.where(label == sentiment).scalar_subquery())


def filtered(conn: Connection, query: Select[Any], where: PostFilter) -> Select[Any]:
    """Narrow a query over ``posts`` to the filter."""
    if where.topic_id is not None:
        matched = select(post_topics.c.post_id).where(post_topics.c.topic_id == where.topic_id)
        query = query.where(posts.c.id.in_(matched.scalar_subquery()))
    if where.period is not None:
        query = query.where(
            posts.c.created_at >= where.period.start, posts.c.created_at < where.period.end
        )
    if where.sources:
        query = query.where(posts.c.source.in_(where.sources))
    if where.langs:
        langs = list(where.langs)
        clause: Any = posts.c.lang.in_(langs)
        if UNKNOWN_LANG in langs:  # rollups file posts without a language under "und"
            clause = clause | posts.c.lang.is_(None)
        query = query.where(clause)
    if where.sentiment is not None:
        query = query.where(_sentiment_clause(where.sentiment))
    if where.author is not None:
        source, _, handle = where.author.rpartition(":")
        query = query.where(posts.c.author_handle == handle)
        if source:
            query = query.where(posts.c.source == source)
    if where.words.strip():
        sqlite = conn.dialect.name == "sqlite"
        search = query_sql.search_words_fts5 if sqlite else query_sql.search_words_tsquery
        query = query.where(fulltext.matching_post_ids(conn.dialect.name, search(where.words)))
    if where.post_ids is not None:
        query = query.where(posts.c.id.in_(list(where.post_ids)))
    return query


def posts_page(
    conn: Connection, where: PostFilter, *, limit: int, before_id: int | None = None
) -> tuple[list[tuple[int, Post]], int | None]:
    """Newest first by id; returns (id, post) pairs and the cursor of the next page (or None)."""
    query = filtered(conn, select(posts), where).order_by(posts.c.id.desc()).limit(limit + 1)
    if before_id is not None:
        query = query.where(posts.c.id < before_id)
    rows = conn.execute(query).all()
    page = [(int(row.id), stored_post(row._mapping)) for row in rows[:limit]]
    following = page[-1][0] if len(rows) > limit else None
    return page, following
