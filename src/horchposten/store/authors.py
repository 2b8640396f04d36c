"""The authors table: one profile per (source, handle), written only when it changes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from horchposten.store.dialect import bulk_insert
from horchposten.store.rows import PostRow
from horchposten.store.schema import authors


class KnownAuthors:
    """Author profiles already stored, so an unchanged author is not written again.

    Updated only after a batch commits; bounded, forgetting the oldest entries.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self._profiles: dict[tuple[str, str], tuple[Any, ...]] = {}

    def changed(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [row for row in rows if self._profiles.get(_author_key(row)) != _profile(row)]

    def remember(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self._profiles[_author_key(row)] = _profile(row)
        while len(self._profiles) > self.limit:
            del self._profiles[next(iter(self._profiles))]


def _author_key(row: Mapping[str, Any]) -> tuple[str, str]:
    return row["source"], row["handle"]


def _profile(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return row["name"], row["followers"], row["url"]


def upsert_authors(
    conn: Connection, written: Sequence[PostRow], now: datetime, known: KnownAuthors | None
) -> list[dict[str, Any]]:
    """Insert new authors and update changed profiles; returns the rows written."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in written:
        if row.author_handle:
            latest[(row.source, row.author_handle)] = {
                "source": row.source,
                "handle": row.author_handle,
                "name": row.author_name,
                "followers": row.author_followers,
                "url": row.author_url,
                "first_seen_at": now,
                "updated_at": now,
            }
    rows = list(latest.values())
    if known is not None:
        rows = known.changed(rows)
    bulk_insert(
        conn,
        authors,
        rows,
        keys=("source", "handle"),
        update=("name", "followers", "url", "updated_at"),
    )
    return rows
