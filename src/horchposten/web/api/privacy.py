"""Privacy for admins: erasure of one person with receipts, the access report, retention.

The routers only map requests to the library (``horchposten.privacy``); see docs/privacy.md.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from horchposten.errors import InputError
from horchposten.privacy.access import access_report, write_bundle
from horchposten.privacy.erasure import Receipt, erase_author, list_receipts
from horchposten.privacy.person import MAX_HANDLE, MAX_SOURCE, Subject
from horchposten.privacy.retention import (
    RetentionReport,
    apply_retention,
    plan_retention,
    retention_days,
)
from horchposten.privacy.suppression import list_suppressed
from horchposten.store.tokens import TokenInfo
from horchposten.web.deps import CONN, CTX, Context, require
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/privacy", tags=["privacy"], responses=ERROR_RESPONSES)
ADMIN = Depends(require("admin"))


class ErasureIn(BaseModel):
    author: str = Field(min_length=1, max_length=MAX_HANDLE, examples=["anna@mastodon.social"])
    source: str | None = Field(
        default=None, min_length=1, max_length=MAX_SOURCE, examples=["mastodon"]
    )


class ReceiptOut(BaseModel):
    id: int = Field(examples=[1])
    erased_at: datetime
    actor: str = Field(examples=["user admin"])
    handle_digest: str = Field(description="HMAC-SHA256 of the handle under the workspace key")
    source: str | None = Field(examples=[None], description="None: every source")
    posts: int = Field(examples=[12])
    by_source: dict[str, int] = Field(examples=[{"mastodon": 12}])
    by_topic: dict[str, int] = Field(examples=[{"Nordlicht": 9}])
    author_profiles: int = Field(examples=[1])
    author_rollups: int = Field(examples=[0])
    later_posts_dropped: int = Field(examples=[0])

    @classmethod
    def of(cls, receipt: Receipt, dropped: int = 0) -> ReceiptOut:
        return cls(**vars(receipt), later_posts_dropped=dropped)


class RetentionOut(BaseModel):
    days: int | None = Field(examples=[365], description="None: posts are kept for ever")
    cutoff: datetime | None = None
    applied: bool = Field(examples=[False])
    posts: int = Field(examples=[1200])
    by_source: dict[str, int] = Field(examples=[{"mastodon": 1200}])
    by_topic: dict[str, int] = Field(examples=[{"Nordlicht": 800}])

    @classmethod
    def of(cls, report: RetentionReport | None) -> RetentionOut:
        if report is None:
            return cls(days=None, applied=False, posts=0, by_source={}, by_topic={})
        return cls(
            days=report.days,
            cutoff=report.cutoff,
            applied=report.applied,
            posts=report.posts,
            by_source=dict(report.by_source),
            by_topic=dict(report.by_topic),
        )


@router.post("/erasures", summary="Erase one author", status_code=201)
def erase(
    body: Annotated[ErasureIn, Body(examples=[{"author": "anna@mastodon.social"}])],
    ctx: Context = CTX,
    token: TokenInfo = ADMIN,
) -> ReceiptOut:
    """Delete every post of the author (on one source, or every source), with their matches,
    enrichments and rollup contributions; record a receipt without the handle; drop the
    author's later posts."""
    subject = Subject.of(body.author, body.source)
    return ReceiptOut.of(erase_author(ctx.database, subject, f"api {token.name}", _now()))


@router.get("/erasures", summary="List erasure receipts")
def receipts(conn: Connection = CONN, _: object = ADMIN) -> list[ReceiptOut]:
    """Every erasure, newest first, with how many later posts the suppression list dropped."""
    dropped: Counter[int] = Counter()
    for entry in list_suppressed(conn):
        if entry.receipt_id is not None:
            dropped[entry.receipt_id] += entry.dropped
    return [ReceiptOut.of(receipt, dropped[receipt.id]) for receipt in list_receipts(conn)]


class AccessIn(ErasureIn):
    format: Literal["json", "zip"] = Field(default="json", examples=["zip"])


@router.post(
    "/access",
    summary="Access report of one author",
    responses={
        200: {
            "content": {"application/json": {}, "application/zip": {}},
            "description": "Everything stored about the author.",
        }
    },
)
def access(
    body: Annotated[AccessIn, Body(examples=[{"author": "anna@mastodon.social", "format": "zip"}])],
    conn: Connection = CONN,
    _: object = ADMIN,
) -> Response:
    """Everything stored about the author (GDPR Art. 15): posts with raw payloads,
    enrichments and topic names, author profiles and author rollups. A POST, so the
    handle never stands in a URL that access logs keep."""
    report = access_report(conn, Subject.of(body.author, body.source), _now())
    if body.format == "json":
        return JSONResponse(report)
    out = io.BytesIO()
    write_bundle(report, out)
    return Response(
        out.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="access-report.zip"'},
    )


@router.get("/retention", summary="What retention would delete now")
def retention_plan(conn: Connection = CONN, _: object = ADMIN) -> RetentionOut:
    """The posts older than the workspace's retention, per source and topic; nothing is
    deleted."""
    days = retention_days(conn)
    return RetentionOut.of(None if days is None else plan_retention(conn, days, _now()))


@router.post("/retention", summary="Apply retention now")
def retention_apply(ctx: Context = CTX, _: object = ADMIN) -> RetentionOut:
    """Delete the posts older than the workspace's retention now, in chunks; rollups stay."""
    with ctx.database.begin() as conn:
        days = retention_days(conn)
    if days is None:
        raise InputError(
            "This workspace keeps posts for ever; set its retention under Settings first."
        )
    return RetentionOut.of(apply_retention(ctx.database, days, _now()))


def _now() -> datetime:
    return datetime.now(UTC)
