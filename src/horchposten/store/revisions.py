"""Change counters: a writer bumps one in its transaction, a long-running reader polls it."""

from __future__ import annotations

from sqlalchemy import Connection, select

from horchposten.store.dialect import bulk_insert
from horchposten.store.schema import revisions


def bump(conn: Connection, name: str) -> None:
    """Count one change of ``name``; concurrent bumps queue on the row, none is lost."""
    row = {"name": name, "value": 1}
    bulk_insert(conn, revisions, [row], keys=("name",), update=("value",), add=True)


def current(conn: Connection, name: str) -> int:
    """How often ``name`` changed so far; 0 before its first change."""
    value = conn.execute(select(revisions.c.value).where(revisions.c.name == name)).scalar()
    return int(value or 0)
