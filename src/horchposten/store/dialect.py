"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
    *,
    add: bool = False,
) -> None:
    """Insert rows; on a key conflict overwrite (or, with ``add``, add to) the named columns."""
    if not rows:
        return
    module: Any = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = module.insert(table)
    if add:
        values = {name: table.c[name] + statement.excluded[name] for name in update}
    else:
        values = {name: statement.excluded[name] for name in update}
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values), rows)


def insert_ignore(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> None:
    """Insert rows, skipping those whose key already exists."""
    if not rows:
        return
    module: Any = sqlite if conn.dialect.name == "sqlite" else postgresql
    conn.execute(module.insert(table).on_conflict_do_nothing(index_elements=list(keys)), rows)
