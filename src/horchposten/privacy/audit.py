"""The audit log: who viewed which topic's posts, exported what, changed which setting,
and signed in or out.

Everything is written through ``record``; the web app's reads and changes reach it
through one middleware (``web/audit_trail.py``), the CLI's exports and the sign-in
forms call it directly. Details carry names and parameters only: never post text,
passwords or other secrets. ``prune_audit`` drops entries older than the workspace's
audit retention (``audit_retention_days``, 365 days unless an admin sets another).
"""

from __future__ import annotations

import csv
import getpass
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select

from horchposten.store.database import Database
from horchposten.store.schema import audit_log
from horchposten.store.workspace_settings import audit_retention

ACTOR_LENGTH = 200
TARGET_LENGTH = 300
VALUE_LENGTH = 200
# The longest page an admin reads or exports at once; older entries come with ``before``.
MAX_ENTRIES = 10_000
CSV_COLUMNS = ("id", "at", "actor", "action", "target", "details")


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "details": self.details,
        }


def _short(value: object, length: int) -> str:
    return str(value)[:length]


def record(
    conn: Connection,
    actor: str,
    action: str,
    target: str = "",
    details: Mapping[str, object] | None = None,
    *,
    now: datetime,
) -> None:
    """Add one entry; long values are cut so a crafted request cannot bloat the log."""
    kept = {_short(k, 64): _short(v, VALUE_LENGTH) for k, v in (details or {}).items()}
    conn.execute(
        audit_log.insert().values(
            at=now,
            actor=_short(actor, ACTOR_LENGTH),
            action=_short(action, 32),
            target=_short(target, TARGET_LENGTH),
            details=kept,
        )
    )


def cli_actor() -> str:
    """Who runs a command: the operating system's user name (their uid where none is known)."""
    try:
        return f"cli {getpass.getuser()}"
    except (OSError, KeyError):
        return f"cli uid {os.getuid()}"


def entries(
    conn: Connection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    action: str | None = None,
    actor: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> list[Entry]:
    """Entries newest first; ``before`` (an entry id) pages on to older ones."""
    table = audit_log
    query = select(table).order_by(table.c.id.desc()).limit(min(limit, MAX_ENTRIES))
    if since is not None:
        query = query.where(table.c.at >= since)
    if until is not None:
        query = query.where(table.c.at < until)
    if action:
        query = query.where(table.c.action == action)
    if actor:
        query = query.where(table.c.actor == actor)
    if before is not None:
        query = query.where(table.c.id < before)
    return [
        Entry(row.id, row.at, row.actor, row.action, row.target, dict(row.details))
        for row in conn.execute(query)
    ]


def as_csv(found: Iterable[Entry]) -> str:
    """The entries as CSV, details as one JSON-like ``key=value; …`` column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in found:
        details = "; ".join(f"{k}={v}" for k, v in sorted(entry.details.items()))
        writer.writerow(
            [entry.id, entry.at.isoformat(), entry.actor, entry.action, entry.target, details]
        )
    return out.getvalue()


def prune_audit(database: Database, now: datetime) -> int:
    """Delete the entries older than the workspace's audit retention; how many went.

    For the scheduler; safe to run at any time and from several workers at once.
    """
    with database.begin() as conn:
        cutoff = now - timedelta(days=audit_retention(conn))
        return conn.execute(delete(audit_log).where(audit_log.c.at < cutoff)).rowcount
