"""``/audit``: the audit log for admins, filtered by action or actor, paged to older
entries, with CSV and JSON downloads (from ``/api/v1/audit``) and its retention."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import RedirectResponse, Response

from horchposten.privacy.audit import MAX_ENTRIES, entries
from horchposten.store.workspace_settings import (
    MAX_RETENTION_DAYS,
    audit_retention,
    set_audit_retention,
)
from horchposten.web.deps import CTX, Context
from horchposten.web.ui.auth import ADMIN, Page
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 100


def _actions(page: Page) -> dict[str, str]:
    """What each recorded action is called on the page."""
    return {
        "view-posts": page.gettext("Viewed posts"),
        "view-post": page.gettext("Read a post"),
        "view-author": page.gettext("Viewed an author"),
        "view-dashboard": page.gettext("Opened a dashboard"),
        "export": page.gettext("Exported posts"),
        "view-audit": page.gettext("Read the audit log"),
        "change-topic": page.gettext("Changed a topic"),
        "change-settings": page.gettext("Changed settings"),
        "change-source": page.gettext("Changed a source"),
        "rotate-secrets": page.gettext("Rotated the credentials' key"),
        "sign-in": page.gettext("Signed in"),
        "sign-in-failed": page.gettext("Sign-in failed"),
        "sign-out": page.gettext("Signed out"),
    }


def _page(
    page: Page,
    ctx: Context,
    action: str | None,
    actor: str | None,
    before: int | None,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    filters = {k: v for k, v in {"action": action, "actor": actor}.items() if v}
    with ctx.database.begin() as conn:
        found = entries(conn, action=action, actor=actor, before=before, limit=PAGE)
        days = audit_retention(conn)
    older = None
    if len(found) == PAGE:
        older = "/audit?" + urlencode({**filters, "before": found[-1].id})
    download = urlencode({**filters, "limit": MAX_ENTRIES})
    return render(
        page,
        "audit/page.html",
        status_code=status,
        entries=found,
        actions=_actions(page),
        filters=filters,
        older=older,
        csv_url=f"/api/v1/audit?{download}&format=csv",
        json_url=f"/api/v1/audit?{download}&format=json",
        retention_days=days,
        max_days=MAX_RETENTION_DAYS,
        error=error,
        notice=notice,
    )


@router.get("/audit")
def audit_page(
    action: Annotated[str | None, Query()] = None,
    actor: Annotated[str | None, Query()] = None,
    before: Annotated[int | None, Query()] = None,
    notice: Annotated[str | None, Query()] = None,
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    saved = page.gettext("The audit log's retention is saved.") if notice == "retention" else None
    return _page(page, ctx, action or None, actor or None, before, notice=saved)


@router.post("/audit/retention")
def save_retention(
    days: Annotated[str, Form()], page: Page = ADMIN, ctx: Context = CTX
) -> Response:
    given = days.strip()
    if not given.isdigit() or not 1 <= int(given) <= MAX_RETENTION_DAYS:
        message = page.gettext(
            "Give the audit log's retention as 1 to %(most)d days.", most=MAX_RETENTION_DAYS
        )
        return _page(page, ctx, None, None, None, status=422, error=message)
    with ctx.database.begin() as conn:
        set_audit_retention(conn, int(given))
    return RedirectResponse("/audit?notice=retention", status_code=303)
