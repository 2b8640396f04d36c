"""``/privacy`` for admins: erase one author, download an access report, apply retention.

The page calls the library functions the API calls (``horchposten.privacy``);
changes redirect back with a notice so reloading does not repeat them. Handles
travel in form bodies only, never in URLs that access logs keep.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response

from horchposten.errors import InputError
from horchposten.privacy.access import access_report, write_bundle
from horchposten.privacy.erasure import erase_author, list_receipts
from horchposten.privacy.person import Subject
from horchposten.privacy.retention import apply_retention, plan_retention, retention_days
from horchposten.privacy.suppression import list_suppressed
from horchposten.web.deps import CTX, Context
from horchposten.web.ui.auth import ADMIN, Page
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)


def _notices(page: Page) -> dict[str, str]:
    return {
        "erased": page.gettext("The author was erased; the receipt is listed below."),
        "retention": page.gettext("Retention was applied; old posts are deleted."),
    }


def _page(page: Page, ctx: Context, status: int = 200, **values: Any) -> Response:
    now = datetime.now(UTC)
    with ctx.database.begin() as conn:
        days = retention_days(conn)
        plan = plan_retention(conn, days, now) if days is not None else None
        dropped: Counter[int] = Counter()
        for entry in list_suppressed(conn):
            if entry.receipt_id is not None:
                dropped[entry.receipt_id] += entry.dropped
        receipts = list_receipts(conn)
    return render(
        page,
        "privacy/page.html",
        status_code=status,
        plan=plan,
        receipts=receipts,
        dropped=dropped,
        **values,
    )


def _subject(page: Page, author: str, source: str) -> Subject | str:
    """The subject asked about, or the page's message why it cannot be."""
    try:
        return Subject.of(author, source.strip() or None)
    except InputError:
        return page.gettext(
            "Give the author's handle as stored (1 to 255 characters) and, if you like, "
            "a source name."
        )


@router.get("/privacy")
def privacy_page(page: Page = ADMIN, ctx: Context = CTX, notice: str | None = None) -> Response:
    return _page(page, ctx, notice=_notices(page).get(notice or ""))


@router.post("/privacy/erase")
def erase(
    author: Annotated[str, Form()],
    source: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    subject = _subject(page, author, source)
    if isinstance(subject, str):
        return _page(page, ctx, 422, error=subject, error_at="erase")
    if confirm != "yes":
        message = page.gettext("Tick the box to confirm; an erasure cannot be undone.")
        return _page(page, ctx, 422, error=message, error_at="erase", entered=subject)
    erase_author(ctx.database, subject, f"user {page.me.name}", datetime.now(UTC))
    return RedirectResponse("/privacy?notice=erased#receipts", status_code=303)


@router.post("/privacy/access")
def access(
    author: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    subject = _subject(page, author, source)
    if isinstance(subject, str):
        return _page(page, ctx, 422, error=subject, error_at="access")
    with ctx.database.begin() as conn:
        report = access_report(conn, subject, datetime.now(UTC))
    out = io.BytesIO()
    write_bundle(report, out)
    return Response(
        out.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="access-report.zip"'},
    )


@router.post("/privacy/retention")
def retention(page: Page = ADMIN, ctx: Context = CTX) -> Response:
    with ctx.database.begin() as conn:
        days = retention_days(conn)
    if days is None:
        message = page.gettext("This workspace keeps posts for ever; set a retention first.")
        return _page(page, ctx, 422, error=message, error_at="retention")
    apply_retention(ctx.database, days, datetime.now(UTC))
    return RedirectResponse("/privacy?notice=retention#retention", status_code=303)
