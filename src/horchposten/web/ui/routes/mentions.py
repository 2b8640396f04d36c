"""The mentions explorer: search and filters, pages of posts that load as the reader
scrolls (cursor pages, never OFFSET), and a post's thread."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response

from horchposten.web.deps import CTX, Context
from horchposten.web.ui.auth import VIEWER, Page
from horchposten.web.ui.routes.apicall import call, timed
from horchposten.web.ui.routes.dashboards import topics
from horchposten.web.ui.routes.enrichments import with_enrichments
from horchposten.web.ui.routes.periods import moment
from horchposten.web.ui.routes.querytext import explained
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50
FILTERS = ("q", "query", "topic", "since", "until", "source", "lang", "sentiment", "author")


def _filters(page: Page) -> dict[str, str]:
    """The explorer's filters as given (empty ones dropped), for forms and links."""
    given = page.request.query_params
    return {k: v for k in FILTERS if (v := given.get(k, "").strip())}


def _api_params(filters: dict[str, str], page: Page) -> dict[str, Any]:
    params: dict[str, Any] = dict(filters)
    params["since"] = moment(filters.get("since"), page.zone)
    params["until"] = moment(filters.get("until"), page.zone, end=True)
    return {k: v for k, v in params.items() if v}


async def _page(
    page: Page, ctx: Context, filters: dict[str, str], cursor: str | None
) -> dict[str, Any]:
    params = _api_params(filters, page) | {"limit": PAGE}
    if cursor:
        params["cursor"] = cursor
    answer = await call(page.request, "GET", "/posts", params=params)
    if not answer.ok:
        return {"entries": [], "error": explained(page, answer), "more": None}
    body = answer.body
    entries = [
        timed({**note, "post": post})
        for note, post in zip(body["annotations"], body["posts"], strict=True)
    ]
    more = None
    if body["next_cursor"]:
        more = "/mentions/rows?" + urlencode({**filters, "cursor": body["next_cursor"]})
    return {"entries": with_enrichments(ctx, entries), "error": None, "more": more}


@router.get("/mentions")
async def explorer(page: Page = VIEWER, ctx: Context = CTX) -> Response:
    filters = _filters(page)
    found = await _page(page, ctx, filters, None)
    return render(page, "pages/mentions.html", filters=filters, topics=await topics(page), **found)


@router.get("/mentions/rows")
async def rows(
    cursor: Annotated[str | None, Query()] = None, page: Page = VIEWER, ctx: Context = CTX
) -> Response:
    """The next page of the explorer's list, for htmx to append as the reader scrolls."""
    found = await _page(page, ctx, _filters(page), cursor)
    return render(page, "pages/_mention_rows.html", **found)


@router.get("/mentions/{post_id:int}")
async def thread(post_id: int, page: Page = VIEWER, ctx: Context = CTX) -> Response:
    """A post with the posts it answers and its replies; a fragment for htmx."""
    answer = await call(page.request, "GET", f"/posts/{post_id}/thread")
    fragment = page.request.headers.get("HX-Request") == "true"
    return render(
        page,
        "pages/_thread.html" if fragment else "pages/thread.html",
        status_code=200 if answer.ok else answer.status,
        thread=_timed_thread(ctx, answer.body) if answer.ok else None,
        error=answer.message,
    )


def _timed_thread(ctx: Context, thread: dict[str, Any]) -> dict[str, Any]:
    post, *others = with_enrichments(
        ctx, [timed(e) for e in [thread["post"], *thread["ancestors"], *thread["replies"]]]
    )
    ancestors = len(thread["ancestors"])
    return {"post": post, "ancestors": others[:ancestors], "replies": others[ancestors:]}
