"""The workspace overview and the topic dashboard: page frames whose charts the browser
fills from /api/v1 (static/pages/overview.js, dashboard.js)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from horchposten.web.ui.pages.apicall import call
from horchposten.web.ui.pages.periods import chosen
from horchposten.web.ui.pages.render import render

router = APIRouter()
MAX_RIVALS = 9  # a pie with more slices is unreadable


async def topics(request: Request) -> list[dict[str, Any]]:
    answer = await call(request, "GET", "/topics")
    return list(answer.body) if answer.ok else []


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def overview(request: Request) -> HTMLResponse:
    return render(request, "pages/overview.html", {})


@router.get("/topics/{topic_id:int}", response_class=HTMLResponse, include_in_schema=False)
async def dashboard(
    request: Request,
    topic_id: int,
    range: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    vs: Annotated[list[str] | None, Query()] = None,
    vs_set: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    every = await topics(request)
    topic = next((t for t in every if t["id"] == topic_id), None)
    if topic is None:
        return render(request, "pages/missing.html", {"topic_id": topic_id}, status=404)
    others = [t for t in every if t["id"] != topic_id]
    # Without a choice the topic is compared with all the others (up to MAX_RIVALS).
    names = [t["name"] for t in others]
    rivals = [n for n in (vs or []) if n in names] if vs_set else names
    return render(
        request,
        "pages/dashboard.html",
        {
            "topic": topic,
            "others": others,
            "rivals": rivals[:MAX_RIVALS],
            # the period picker keeps the comparison
            "keep": [("vs_set", "1"), *(("vs", name) for name in rivals[:MAX_RIVALS])],
            "period": chosen(range, since, until),
        },
    )
