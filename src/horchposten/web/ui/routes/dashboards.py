"""The workspace overview and the topic dashboard: page frames whose charts the browser
fills from /api/v1 (static/js/pages/overview.js, dashboard.js)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from horchposten.web.ui.auth import VIEWER, Page
from horchposten.web.ui.routes.apicall import call
from horchposten.web.ui.routes.periods import chosen
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)
MAX_RIVALS = 9  # a pie with more slices is unreadable


async def topics(page: Page) -> list[dict[str, Any]]:
    answer = await call(page.request, "GET", "/topics")
    return list(answer.body) if answer.ok else []


def missing(page: Page, topic_id: int) -> Response:
    return render(page, "pages/missing.html", status_code=404, topic_id=topic_id)


@router.get("/")
async def overview(page: Page = VIEWER) -> Response:
    return render(page, "pages/overview.html")


@router.get("/topics/{topic_id:int}")
async def dashboard(
    topic_id: int,
    range: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query()] = None,
    until: Annotated[str | None, Query()] = None,
    vs: Annotated[list[str] | None, Query()] = None,
    vs_set: Annotated[str | None, Query()] = None,
    page: Page = VIEWER,
) -> Response:
    every = await topics(page)
    topic = next((t for t in every if t["id"] == topic_id), None)
    if topic is None:
        return missing(page, topic_id)
    others = [t for t in every if t["id"] != topic_id]
    # Without a choice the topic is compared with all the others (up to MAX_RIVALS).
    names = [t["name"] for t in others]
    rivals = ([n for n in (vs or []) if n in names] if vs_set else names)[:MAX_RIVALS]
    return render(
        page,
        "pages/dashboard.html",
        topic=topic,
        others=others,
        rivals=rivals,
        period=chosen(range, since, until, page.zone, datetime.now(UTC)),
        # the period picker keeps the comparison
        keep=[("vs_set", "1"), *(("vs", name) for name in rivals)],
    )
