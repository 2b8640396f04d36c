"""A page of posts that a query in the topic language matches, newest first.

The full-text index narrows the rows in SQL and the topic matcher decides on each,
exactly as for topics. A page reads at most ``SCAN`` rows, so a rare match among
many candidates costs a bounded time per request: such a page may hold fewer posts
than asked for and still carry a cursor to read on from.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from horchposten.analytics.drilldown import PostFilter, filtered
from horchposten.models import Post
from horchposten.query import sql as query_sql
from horchposten.query.match import CompiledQuery
from horchposten.store import fulltext
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.rows import stored_post
from horchposten.store.schema import posts

CHUNK = 500
SCAN = 5_000


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
    base = filtered(conn, select(posts), where).order_by(posts.c.id.desc()).limit(CHUNK)
    if expression is not None:
        base = base.where(fulltext.matching_post_ids(conn.dialect.name, expression))
    found: list[tuple[int, Post]] = []
    last, scanned = before_id, 0
    while scanned < SCAN:
        chunk = base if last is None else base.where(posts.c.id < last)
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
