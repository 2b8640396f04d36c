"""Pages of posts for ``GET /posts``, newest first, each page an index range (no OFFSET).

Newest means written, not stored: posts are read along the ``(created_at, key)`` index
backwards (migration 0012), and the cursor is the position of the last post handed
out, so a post stored between two pages can neither repeat nor shift one. A topic
and a sentiment are checked per post on the ``post_topics`` and ``enrichments`` keys,
so a page costs about its own rows while the topic holds a fair share of the posts.
With a query in the topic language, the full-text index narrows the rows in SQL and
the topic matcher decides on each, exactly as for topics; such a page reads at most
``SCAN`` rows, so a rare match among many candidates costs a bounded time per request:
it may hold fewer posts than asked for and still carry a cursor to read on from.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, exists, func, literal, select, tuple_

from horchposten.analytics.drilldown import PostFilter, filtered
from horchposten.errors import InputError
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
NEWEST_FIRST = (posts.c.created_at.desc(), posts.c.key.desc())


@dataclass(frozen=True)
class Position:
    """Where a page ended: the last post's creation time and key (ties go by key)."""

    created_at: datetime
    key: str

    @classmethod
    def of(cls, row: Row[Any]) -> Position:
        return cls(row.created_at, row.key)

    def token(self) -> str:
        text = json.dumps([self.created_at.isoformat(), self.key])
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Position:
        unknown = InputError(
            f"The cursor '{token}' is not one this API gave out; start without one."
        )
        try:
            padded = token + "=" * (-len(token) % 4)
            when, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
            moment = datetime.fromisoformat(when)
        except (binascii.Error, ValueError, TypeError) as error:  # incl. bad UTF-8 and JSON
            raise unknown from error
        if moment.tzinfo is None or not isinstance(key, str):
            raise unknown
        return cls(moment, key)

    def after(self) -> Any:
        """The clause for posts after this position in newest-first order."""
        position = tuple_(
            literal(self.created_at, posts.c.created_at.type), literal(self.key, posts.c.key.type)
        )
        return tuple_(posts.c.created_at, posts.c.key) < position


def _sentiment(label: str) -> Any:
    # A scalar subquery, checked per post as the date index is read: PostgreSQL would
    # turn an EXISTS into a join over every labelled post of the topic, then sort.
    stored = (
        select(enrichments.c.data["label"].as_string())
        .where(enrichments.c.post_id == posts.c.id, enrichments.c.enricher == "sentiment")
        .scalar_subquery()
    )
    if label == NO_SENTIMENT:
        return func.coalesce(stored, NO_SENTIMENT).not_in(SENTIMENTS)
    return stored == label


def narrowed(conn: Connection, where: PostFilter) -> Select[Any]:
    """The posts of the filter, newest first."""
    query = filtered(conn, select(posts), replace(where, topic_id=None, sentiment=None))
    if where.topic_id is not None:
        # Probed per post read in date order, so the date index drives the page.
        query = query.where(
            exists().where(
                post_topics.c.topic_id == where.topic_id, post_topics.c.post_id == posts.c.id
            )
        )
    if where.sentiment is not None:
        query = query.where(_sentiment(where.sentiment))
    return query.order_by(*NEWEST_FIRST)


def posts_page(
    conn: Connection, where: PostFilter, *, limit: int, after: Position | None = None
) -> tuple[list[tuple[int, Post]], Position | None]:
    """(id, post) pairs after ``after`` and the cursor of the next page (or None)."""
    query = narrowed(conn, where).limit(limit + 1)
    if after is not None:
        query = query.where(after.after())
    rows = conn.execute(query).all()
    page = [(int(row.id), stored_post(row._mapping)) for row in rows[:limit]]
    return page, Position.of(rows[limit - 1]) if len(rows) > limit else None


def matching_page(
    conn: Connection,
    where: PostFilter,
    query: CompiledQuery,
    *,
    limit: int,
    after: Position | None = None,
) -> tuple[list[tuple[int, Post]], Position | None]:
    """Matches after ``after`` and the cursor to read on from (None at the end)."""
    sqlite = conn.dialect.name == "sqlite"
    expression = query_sql.fts5_match(query.node) if sqlite else query_sql.tsquery(query.node)
    base = narrowed(conn, where).limit(CHUNK)
    if expression is not None:
        base = base.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    found: list[tuple[int, Post]] = []
    last, scanned = after, 0
    while scanned < SCAN:
        chunk = base if last is None else base.where(last.after())
        rows = conn.execute(chunk).all()
        extra = stored_enrichments(conn, [row.id for row in rows])
        for row in rows:
            last, scanned = Position.of(row), scanned + 1
            post = stored_post(row._mapping)
            if query.matches(post, extra.get(row.id, {})):
                found.append((int(row.id), post))
                if len(found) == limit:
                    return found, last
        if len(rows) < CHUNK:
            return found, None
    return found, last
