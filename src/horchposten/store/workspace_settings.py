"""Workspace settings changed in the web UI; each overrides the config file's value.

Keys: ``timezone`` (IANA name), ``retention_days`` (int, or None to keep posts
for ever), ``audit_retention_days`` (how long the audit log keeps its entries),
``pseudonymise_authors`` (store author handles only as pseudonyms) and
``pseudonym_key`` (the random key of those pseudonyms, made on first need).
Reading goes through ``effective`` so callers need not know which value came from where.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, select, update

from horchposten.errors import InputError
from horchposten.store.schema import workspace_settings

MAX_RETENTION_DAYS = 36_500
DEFAULT_AUDIT_RETENTION_DAYS = 365


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


def audit_retention(conn: Connection) -> int:
    """Days the audit log keeps an entry: as set by an admin, else a year."""
    days = stored(conn).get("audit_retention_days")
    return days if isinstance(days, int) else DEFAULT_AUDIT_RETENTION_DAYS


def set_audit_retention(conn: Connection, days: int) -> None:
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise InputError(
            f"The audit log's retention must be between 1 and {MAX_RETENTION_DAYS} days."
        )
    _save(conn, "audit_retention_days", days)


def pseudonym_key(conn: Connection) -> bytes:
    """The workspace's key for author pseudonyms; made the first time it is needed."""
    saved = stored(conn).get("pseudonym_key")
    if isinstance(saved, str):
        return bytes.fromhex(saved)
    key = secrets.token_bytes(32)
    _save(conn, "pseudonym_key", key.hex())
    return key


def pseudonymise_authors(conn: Connection) -> bool:
    """Whether posts are stored with their author as a pseudonym (off unless switched on)."""
    return stored(conn).get("pseudonymise_authors") is True


def set_pseudonymise_authors(conn: Connection, on: bool) -> None:
    _save(conn, "pseudonymise_authors", on)
