"""Bulk writes as driver-level ``executemany``, spelled for SQLite and PostgreSQL.

The batch writes of the pipeline are its hot path: going through SQLAlchemy's
per-parameter processing costs more than the database itself. Both dialects
share the ``INSERT … ON CONFLICT (…) DO UPDATE SET … = excluded.…`` syntax;
only placeholders and the datetime representation differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Connection, Table

from horchposten.store.schema import UTCDateTime

CHUNK = 500  # values per IN (...) or VALUES list


def _sqlite_datetime(value: datetime) -> str:
    # The exact text SQLAlchemy's SQLite DateTime writes and reads back (UTC).
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _converters(conn: Connection, table: Table, columns: Sequence[str]) -> list[tuple[int, Any]]:
    """(position, function) for the columns whose Python values the driver cannot take."""
    sqlite = conn.dialect.name == "sqlite"
    found: list[tuple[int, Any]] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            found.append((index, json.dumps if sqlite else Jsonb))
        elif sqlite and isinstance(column_type, UTCDateTime):
            found.append((index, _sqlite_datetime))
    return found


def insert_sql(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    *,
    keys: Sequence[str] = (),
    update: Sequence[str] = (),
    add: bool = False,
) -> str:
    """``INSERT`` with the dialect's placeholders; with ``keys``, what to do on conflict."""
    placeholder = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([placeholder] * len(columns))})"
    )
    if keys and update:
        if add:
            sets = [f"{c} = {table.name}.{c} + excluded.{c}" for c in update]
        else:
            sets = [f"{c} = excluded.{c}" for c in update]
        sql += f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(sets)}"
    elif keys:
        sql += f" ON CONFLICT ({', '.join(keys)}) DO NOTHING"
    return sql


def bulk_insert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str] = (),
    update: Sequence[str] = (),
    add: bool = False,
) -> None:
    """Insert rows (dicts with the same keys); on a key conflict skip, overwrite or add."""
    if rows:
        columns = list(rows[0])
        values = [[row[c] for c in columns] for row in rows]
        insert_values(conn, table, columns, values, keys=keys, update=update, add=add)


def insert_values(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    keys: Sequence[str] = (),
    update: Sequence[str] = (),
    add: bool = False,
) -> None:
    """``bulk_insert`` for rows that already are sequences in ``columns`` order."""
    if not rows:
        return
    converters = _converters(conn, table, columns)
    params = [list(row) for row in rows] if converters else rows
    for index, convert in converters:
        if convert is _sqlite_datetime:
            # A batch repeats times (its 'now', hour buckets): convert each one once.
            converted: dict[Any, Any] = {None: None}
            for values in params:
                value = values[index]
                if value not in converted:
                    converted[value] = convert(value)
                values[index] = converted[value]  # type: ignore[index]
        else:
            for values in params:
                if values[index] is not None:
                    values[index] = convert(values[index])  # type: ignore[index]
    sql = insert_sql(conn, table, columns, keys=keys, update=update, add=add)
    conn.exec_driver_sql(sql, [tuple(values) for values in params])


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size``: few enough values for one statement on every dialect."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
