"""``/sources``: each source's health, last fetch, cursor and last problem; pause, resume, test.

Pausing clears the source's ``enabled`` flag, which ``run`` and ``run --follow``
read at the start of every pass, so a paused source is not fetched again.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from horchposten.errors import HorchpostenError
from horchposten.sources.probe import ProbeResult, reach_source
from horchposten.store.sources import SourceRecord, get_source, list_sources, set_enabled
from horchposten.web.deps import CTX, Context
from horchposten.web.ui.auth import ANALYST, VIEWER, Page
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/sources")
def sources_page(page: Page = VIEWER, ctx: Context = CTX) -> Response:
    with ctx.database.begin() as conn:
        records = list_sources(conn)
    return render(page, "sources/page.html", sources=records)


def _row(
    page: Page,
    record: SourceRecord,
    tested: ProbeResult | None = None,
    test_error: str | None = None,
) -> Response:
    if page.request.headers.get("HX-Request") != "true":
        return RedirectResponse("/sources", status_code=303)  # without JavaScript: reload
    return render(page, "sources/row.html", source=record, tested=tested, test_error=test_error)


def _switch(page: Page, ctx: Context, name: str, enabled: bool) -> Response:
    with ctx.database.begin() as conn:
        set_enabled(conn, name, enabled)
        record = get_source(conn, name)
    return _row(page, record)


@router.post("/sources/{name}/pause")
def pause(name: str, page: Page = ANALYST, ctx: Context = CTX) -> Response:
    return _switch(page, ctx, name, enabled=False)


@router.post("/sources/{name}/resume")
def resume(name: str, page: Page = ANALYST, ctx: Context = CTX) -> Response:
    return _switch(page, ctx, name, enabled=True)


@router.post("/sources/{name}/test")
async def test(name: str, page: Page = ANALYST, ctx: Context = CTX) -> Response:
    """Reach the source once, as ``horchposten source test``; nothing is stored."""
    with ctx.database.begin() as conn:
        record = get_source(conn, name)
    try:
        result = await reach_source(record, ctx.settings)
    except HorchpostenError as exc:
        return _row(page, record, test_error=str(exc))
    return _row(page, record, tested=result)
