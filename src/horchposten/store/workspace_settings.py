"""Workspace settings changed in the web UI; each overrides the config file's value.

Keys: ``timezone`` (IANA name) and ``retention_days`` (int, or None to keep posts
for ever). Reading goes through ``effective`` so callers need not know which
value came from where.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, select, update

from horchposten.errors import InputError
from horchposten.store.schema import workspace_settings

MAX_RETENTION_DAYS = 36_500


@dataclass(frozen=True)
class WorkspaceValues:
    timezone: str
    retention_days: int | None


def stored(conn: Connection) -> dict[str, Any]:
    rows = conn.execute(select(workspace_settings.c.key, workspace_settings.c.value))
    return {row.key: row.value for row in rows}


def effective(conn: Connection, configured_timezone: str) -> WorkspaceValues:
    """What is in force: a value saved in the UI, else the config file's (``[workspace]``)."""
    saved = stored(conn)
    return WorkspaceValues(
        timezone=saved.get("timezone") or configured_timezone,
        retention_days=saved.get("retention_days"),
    )


def _save(conn: Connection, key: str, value: Any) -> None:
    now = datetime.now(UTC)
    table = workspace_settings
    found = conn.execute(select(table.c.key).where(table.c.key == key)).first()
    if found is None:
        conn.execute(table.insert().values(key=key, value=value, updated_at=now))
    else:
        conn.execute(update(table).where(table.c.key == key).values(value=value, updated_at=now))


def set_timezone(conn: Connection, name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"'{name}' is not a time zone; use an IANA name such as 'Europe/Berlin'."
        ) from None
    _save(conn, "timezone", name)


def set_retention(conn: Connection, days: int | None) -> None:
    if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
        raise InputError(
            f"Retention must be between 1 and {MAX_RETENTION_DAYS} days, or empty to keep all."
        )
    _save(conn, "retention_days", days)
