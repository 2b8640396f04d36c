"""Posts: full-text search or a query in the topic language, with filters, newest first,
paged by an opaque cursor; one post's thread."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.analytics.drilldown import PostFilter
from horchposten.analytics.period import Period
from horchposten.query.match import compile_query
from horchposten.store.topics import get_topic
from horchposten.web.api.postpages import SCAN, Position, matching_page, posts_page
from horchposten.web.api.stored import POST_EXAMPLE, Annotation, annotate
from horchposten.web.deps import CONN, READ
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["posts"], responses=ERROR_RESPONSES)

MAX_PAGE = 200
# Open ends of a period given on one side only.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


class PostsPage(BaseModel):
    posts: list[dict[str, Any]] = Field(
        description="Posts in the interchange format (docs/interchange.md), newest first.",
        examples=[[POST_EXAMPLE]],
    )
    annotations: list[Annotation] = Field(
        description="One per post, in the same order: storage id, sentiment and topics."
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page.",
        examples=["WyIyMDI2LTExLTI0VDA5OjMwOjAwKzAwOjAwIiwgIm1hc3RvZG9uOjEwOSJd"],
    )


@router.get("/posts", summary="Search posts")
def posts_search(
    _: object = READ,
    conn: Connection = CONN,
    q: Annotated[str, Query(description="Words every post must contain.", examples=["akku"])] = "",
    query: Annotated[
        str,
        Query(
            description="A query in the topic language (docs/query-language.md); a bad one "
            "is a 422 with its line and column. A page then reads at most "
            f"{SCAN:,} candidate posts and may hold fewer than `limit`: follow `next_cursor`.",
            examples=['akku AND NOT "nordlicht kaffee"'],
        ),
    ] = "",
    topic: Annotated[str | None, Query(examples=["Nordlicht"])] = None,
    since: Annotated[datetime | None, Query(examples=["2026-11-01T00:00:00Z"])] = None,
    until: Annotated[datetime | None, Query(examples=["2026-12-01T00:00:00Z"])] = None,
    source: Annotated[list[str] | None, Query(examples=[["mastodon"]])] = None,
    lang: Annotated[list[str] | None, Query(examples=[["de"]])] = None,
    sentiment: Annotated[
        Literal["negative", "neutral", "positive", "none"] | None, Query(examples=["negative"])
    ] = None,
    author: Annotated[
        str | None, Query(description="'source:handle' or a handle.", examples=["mastodon:anna"])
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, examples=[50])] = 50,
    cursor: Annotated[str | None, Query(description="From the previous page.")] = None,
) -> PostsPage:
    """Posts matching every given filter; the same filters drill down from any chart."""
    period = None
    if since is not None or until is not None:
        period = Period(since or EARLIEST, until or LATEST)
    where = PostFilter(
        topic_id=get_topic(conn, topic).id if topic is not None else None,
        period=period,
        sources=tuple(source or ()),
        langs=tuple(lang or ()),
        sentiment=sentiment,
        author=author,
        words=q,
    )
    after = None if cursor is None else Position.parse(cursor)
    if query.strip():
        page, following = matching_page(conn, where, compile_query(query), limit=limit, after=after)
    else:
        page, following = posts_page(conn, where, limit=limit, after=after)
    return PostsPage(
        posts=[post.to_interchange() for _, post in page],
        annotations=annotate(conn, [post_id for post_id, _ in page]),
        next_cursor=None if following is None else following.token(),
    )
