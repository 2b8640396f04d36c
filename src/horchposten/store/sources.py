"""Configured sources: settings, saved cursor and health."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, delete, select, update

from horchposten.errors import AlreadyExists, NotFound
from horchposten.store.schema import sources

# A source that fails this many passes in a row is shown as unhealthy.
UNHEALTHY_AFTER = 3


class SourceRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    kind: str
    settings: dict[str, Any]
    cursor: dict[str, Any]
    enabled: bool
    healthy: bool
    last_error: str | None
    consecutive_failures: int
    last_fetch_at: datetime | None
    last_success_at: datetime | None
    created_at: datetime


def add_source(conn: Connection, name: str, kind: str, settings: dict[str, Any]) -> SourceRecord:
    if conn.execute(select(sources.c.name).where(sources.c.name == name)).first():
        raise AlreadyExists(
            f"A source named '{name}' already exists. Pick another name or remove it first "
            f"with 'horchposten source remove {name}'."
        )
    values = {
        "name": name,
        "kind": kind,
        "settings": settings,
        "cursor": {},
        "enabled": True,
        "healthy": True,
        "last_error": None,
        "consecutive_failures": 0,
        "last_fetch_at": None,
        "last_success_at": None,
        "created_at": datetime.now(UTC),
    }
    conn.execute(sources.insert().values(values))
    return SourceRecord.model_validate(values)


def list_sources(conn: Connection) -> list[SourceRecord]:
    rows = conn.execute(select(sources).order_by(sources.c.name))
    return [SourceRecord.model_validate(row) for row in rows]


def get_source(conn: Connection, name: str) -> SourceRecord:
    row = conn.execute(select(sources).where(sources.c.name == name)).first()
    if row is None:
        known = ", ".join(s.name for s in list_sources(conn)) or "none yet"
        raise NotFound(f"There is no source named '{name}'. Known sources: {known}.")
    return SourceRecord.model_validate(row)


def remove_source(conn: Connection, name: str) -> None:
    get_source(conn, name)
    conn.execute(delete(sources).where(sources.c.name == name))


def set_enabled(conn: Connection, name: str, enabled: bool) -> None:
    get_source(conn, name)
    conn.execute(update(sources).where(sources.c.name == name).values(enabled=enabled))


def save_cursor(conn: Connection, name: str, cursor: dict[str, Any]) -> None:
    """Called in the same transaction that stores the batch the cursor follows."""
    conn.execute(update(sources).where(sources.c.name == name).values(cursor=cursor))


def record_success(conn: Connection, name: str, problems: list[str]) -> None:
    now = datetime.now(UTC)
    conn.execute(
        update(sources)
        .where(sources.c.name == name)
        .values(
            healthy=True,
            consecutive_failures=0,
            last_error="; ".join(problems) or None,
            last_fetch_at=now,
            last_success_at=now,
        )
    )


def record_failure(conn: Connection, name: str, error: str) -> None:
    record = get_source(conn, name)
    failures = record.consecutive_failures + 1
    conn.execute(
        update(sources)
        .where(sources.c.name == name)
        .values(
            healthy=failures < UNHEALTHY_AFTER,
            consecutive_failures=failures,
            last_error=error,
            last_fetch_at=datetime.now(UTC),
        )
    )


def set_settings(conn: Connection, name: str, settings: dict[str, Any]) -> None:
    """Replace a source's settings (an encrypted credential entered or re-encrypted)."""
    get_source(conn, name)
    conn.execute(update(sources).where(sources.c.name == name).values(settings=settings))
