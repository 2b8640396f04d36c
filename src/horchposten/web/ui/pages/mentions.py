"""The mentions explorer: search and filters, pages of posts that load as the reader
scrolls (cursor pages, never OFFSET), and a post's thread."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from horchposten.web.deps import Context, context
from horchposten.web.ui.pages.apicall import call
from horchposten.web.ui.pages.dashboards import topics
from horchposten.web.ui.pages.periods import moment
from horchposten.web.ui.pages.render import render

router = APIRouter()
PAGE = 50
FILTERS = ("q", "query", "topic", "since", "until", "source", "lang", "sentiment", "author")


def _filters(request: Request) -> dict[str, str]:
    """The explorer's filters as given (empty ones dropped), for forms and links."""
    return {k: v for k in FILTERS if (v := request.query_params.get(k, "").strip())}


def _api_params(filters: dict[str, str], ctx: Context) -> dict[str, Any]:
    params: dict[str, Any] = dict(filters)
    params["since"] = moment(filters.get("since"), ctx.zone)
    params["until"] = moment(filters.get("until"), ctx.zone, end=True)
    return {k: v for k, v in params.items() if v}


async def _page(request: Request, filters: dict[str, str], cursor: str | None) -> dict[str, Any]:
    params = _api_params(filters, context(request)) | {"limit": PAGE}
    if cursor:
        params["cursor"] = cursor
    answer = await call(request, "GET", "/posts", params=params)
    if not answer.ok:
        return {"entries": [], "error": answer.message, "more": None}
    body = answer.body
    entries = [
        {**note, "post": post}
        for note, post in zip(body["annotations"], body["posts"], strict=True)
    ]
    more = None
    if body["next_cursor"]:
        more = "/mentions/rows?" + urlencode({**filters, "cursor": body["next_cursor"]})
    return {"entries": entries, "error": None, "more": more}


@router.get("/mentions", response_class=HTMLResponse, include_in_schema=False)
async def explorer(request: Request) -> HTMLResponse:
    filters = _filters(request)
    page = await _page(request, filters, None)
    return render(
        request,
        "pages/mentions.html",
        {"filters": filters, "topics": await topics(request), **page},
    )


@router.get("/mentions/rows", response_class=HTMLResponse, include_in_schema=False)
async def rows(request: Request, cursor: Annotated[str | None, Query()] = None) -> HTMLResponse:
    """The next page of the explorer's list, for htmx to append as the reader scrolls."""
    page = await _page(request, _filters(request), cursor)
    return render(request, "pages/_mention_rows.html", page)


@router.get("/mentions/{post_id:int}", response_class=HTMLResponse, include_in_schema=False)
async def thread(request: Request, post_id: int) -> HTMLResponse:
    """A post with the posts it answers and its replies; a fragment for htmx."""
    answer = await call(request, "GET", f"/posts/{post_id}/thread")
    fragment = request.headers.get("HX-Request") == "true"
    name = "pages/_thread.html" if fragment else "pages/thread.html"
    found = answer.body if answer.ok else None
    return render(
        request,
        name,
        {"thread": found, "error": answer.message},
        status=200 if answer.ok else answer.status,
    )
