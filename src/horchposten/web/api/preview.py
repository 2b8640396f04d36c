"""Trying a topic query on the stored posts before saving it: matches, daily rate, newest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field
from sqlalchemy import Connection, func, select

from horchposten.backfill import preview_topic
from horchposten.errors import QueryError
from horchposten.models import Topic
from horchposten.query.check import check
from horchposten.store.schema import posts
from horchposten.web.api.stored import Entry, entries
from horchposten.web.api.topics import Lang, QueryProblem, SourceName
from horchposten.web.deps import CONN, READ
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["topics"], responses=ERROR_RESPONSES)

EXAMPLE = {"query": "nordlicht AND (akku OR battery)", "langs": ["de"], "days": 30, "limit": 5}


class PreviewIn(BaseModel):
    query: str = Field(max_length=10_000, examples=["nordlicht AND (akku OR battery)"])
    langs: list[Lang] = Field(default_factory=list, examples=[["de"]])
    sources: list[SourceName] = Field(default_factory=list, examples=[[]])
    days: int = Field(
        default=30, ge=1, le=366, description="Read the stored posts of these last days."
    )
    limit: int = Field(default=10, ge=0, le=50, description="How many newest matches to show.")


class PreviewOut(BaseModel):
    valid: bool = Field(examples=[True])
    canonical: str | None = Field(default=None, examples=["nordlicht AND (akku OR battery)"])
    warnings: list[str] = Field(default_factory=list)
    warning_details: list[QueryProblem] = Field(
        default_factory=list, description="Each warning with its position and suggested fix."
    )
    error: QueryProblem | None = Field(default=None, description="Where the query goes wrong.")
    matches: int = Field(default=0, description="Stored posts it matches in the window.")
    days: float = Field(default=0.0, description="Days the window covers (from the oldest post).")
    per_day: float = Field(default=0.0, description="Estimated daily volume.", examples=[12.5])
    newest: list[Entry] = Field(default_factory=list)


@router.post("/query/preview", summary="Preview a query")
def query_preview(
    body: Annotated[PreviewIn, Body(examples=[EXAMPLE])],
    _: object = READ,
    conn: Connection = CONN,
) -> PreviewOut:
    """What a topic with this query would match among the stored posts of the last `days`
    days, its estimated daily volume and newest matches; nothing is saved. A query that
    does not parse answers `valid: false` with its line, column and a hint."""
    try:
        checked = check(body.query)
    except QueryError as exc:
        return PreviewOut(valid=False, error=QueryProblem.of(exc))
    topic = Topic(name="preview", query=body.query, langs=body.langs, sources=body.sources)
    # From the oldest stored post when that is younger: a store holding three days
    # must not spread three days of matches over a month.
    oldest = conn.execute(select(func.min(posts.c.created_at))).scalar()
    since = datetime.now(UTC) - timedelta(days=body.days)
    if oldest is not None and oldest > since:
        since = oldest
    found = preview_topic(conn, topic, since=since, limit=body.limit)
    keys = [p.key for p in found.newest]
    query = select(posts.c.key, posts.c.id).where(posts.c.key.in_(keys))
    ids = {str(key): int(post_id) for key, post_id in conn.execute(query)}
    return PreviewOut(
        valid=True,
        canonical=checked.canonical,
        warnings=[w.message for w in checked.warnings],
        warning_details=[QueryProblem.of(w) for w in checked.warnings],
        matches=found.matches,
        days=round(found.days, 3),
        per_day=round(found.per_day, 2),
        newest=entries(conn, [(ids[post.key], post) for post in found.newest]),
    )
