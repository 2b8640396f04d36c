"""The audit log for admins: read it page by page, export it as CSV or JSON, and set
how long it is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.privacy.audit import MAX_ENTRIES, as_csv, entries
from horchposten.store.workspace_settings import (
    MAX_RETENTION_DAYS,
    audit_retention,
    set_audit_retention,
)
from horchposten.web.deps import CONN, require
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)
ADMIN = Depends(require("admin"))


class AuditPage(BaseModel):
    entries: list[dict[str, Any]] = Field(
        description="Newest first: id, at, actor, action, target and details (no post text)."
    )
    next_before: int | None = Field(
        description="Pass as `before` for the older entries; null on the last page."
    )
    retention_days: int = Field(description="Entries older than this are deleted.")


class Retention(BaseModel):
    days: int = Field(
        ge=1, le=MAX_RETENTION_DAYS, description="Days an entry is kept.", examples=[365]
    )


@router.get(
    "/audit",
    summary="Read or export the audit log",
    response_model=AuditPage,
    responses={200: {"content": {"text/csv": {}}, "description": "The entries."}},
)
def audit(
    since: Annotated[datetime | None, Query(description="Entries at or after this time.")] = None,
    until: Annotated[datetime | None, Query(description="Entries before this time.")] = None,
    action: Annotated[str | None, Query(examples=["export"])] = None,
    actor: Annotated[str | None, Query(examples=["user ada"])] = None,
    before: Annotated[int | None, Query(description="An entry id: older entries only.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ENTRIES)] = 100,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv.")] = "json",
    _: object = ADMIN,
    conn: Connection = CONN,
) -> Any:
    """Who viewed which topic's posts, exported, changed a setting or signed in, newest
    first. Admins only; reading it is itself recorded."""
    found = entries(
        conn, since=since, until=until, action=action, actor=actor, before=before, limit=limit
    )
    if format == "csv":
        return Response(
            as_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )
    return AuditPage(
        entries=[entry.as_dict() for entry in found],
        next_before=found[-1].id if len(found) == limit else None,
        retention_days=audit_retention(conn),
    )


@router.put("/audit/retention", summary="Set how long the audit log is kept")
def retention(
    body: Annotated[Retention, Body(examples=[{"days": 365}])],
    _: object = ADMIN,
    conn: Connection = CONN,
) -> Retention:
    """Entries older than this many days are deleted by the scheduled clean-up. Admins only."""
    set_audit_retention(conn, body.days)
    return body
