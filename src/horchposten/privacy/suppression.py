"""The suppression list: erased authors whose later posts the store stage drops.

Handles are kept only as HMAC-SHA256 digests under a random key of the workspace
(created by the first erasure), so the list names no one and a digest cannot be
checked against a list of handles without the key. ``drop_suppressed`` is called
by ``store/posts.py`` for every batch; with an empty list it costs one lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select, update

from horchposten.privacy.person import normalised
from horchposten.store.dialect import chunks
from horchposten.store.schema import suppressed_authors, workspace_settings

if TYPE_CHECKING:  # store/posts.py imports this module; the arrow back is for types only
    from horchposten.store.posts import Prepared

KEY_SETTING = "privacy_key"
EVERY_SOURCE = ""

log = logging.getLogger(__name__)


def workspace_key(conn: Connection) -> bytes | None:
    """The workspace's digest key; None before the first erasure."""
    found = conn.execute(
        select(workspace_settings.c.value).where(workspace_settings.c.key == KEY_SETTING)
    ).scalar()
    return bytes.fromhex(found) if found is not None else None


def ensure_workspace_key(conn: Connection) -> bytes:
    """The workspace's digest key, made on first use."""
    found = workspace_key(conn)
    if found is not None:
        return found
    made = secrets.token_hex(32)
    values = {"key": KEY_SETTING, "value": made, "updated_at": datetime.now(UTC)}
    conn.execute(workspace_settings.insert().values(values))
    return bytes.fromhex(made)


def handle_digest(key: bytes, handle: str) -> str:
    return hmac.new(key, normalised(handle).encode(), hashlib.sha256).hexdigest()


def suppress(
    conn: Connection, digest: str, source: str | None, receipt_id: int, now: datetime
) -> None:
    """Drop this author's later posts (on ``source``, or on every source with None)."""
    scope = source or EVERY_SOURCE
    table = suppressed_authors
    found = conn.execute(
        select(table.c.digest).where(table.c.digest == digest, table.c.source == scope)
    ).first()
    if found is None:
        conn.execute(
            table.insert().values(
                digest=digest, source=scope, receipt_id=receipt_id, created_at=now, dropped=0
            )
        )
    else:
        where = (table.c.digest == digest) & (table.c.source == scope)
        conn.execute(update(table).where(where).values(receipt_id=receipt_id))


def drop_suppressed(
    conn: Connection, batch: Sequence[Prepared], now: datetime
) -> tuple[Sequence[Prepared], int]:
    """The batch without posts of suppressed authors, and how many were dropped."""
    if conn.execute(select(suppressed_authors.c.digest).limit(1)).first() is None:
        return batch, 0
    key = workspace_key(conn)
    if key is None:  # entries without the key that made them can match nothing
        return batch, 0
    digests = {
        item.row.author_handle: handle_digest(key, item.row.author_handle)
        for item in batch
        if item.row.author_handle
    }
    scopes = _scopes(conn, sorted(set(digests.values())))
    if not scopes:
        return batch, 0
    kept: list[Prepared] = []
    dropped: Counter[tuple[str, str]] = Counter()
    for item in batch:
        digest = digests.get(item.row.author_handle or "")
        listed = scopes.get(digest or "", set())
        scope = next((s for s in (EVERY_SOURCE, item.row.source) if s in listed), None)
        if scope is None:
            kept.append(item)
        else:
            dropped[(digest or "", scope)] += 1
    _count_drops(conn, dropped, now)
    total = sum(dropped.values())
    if total:
        log.info("Dropped %d posts of erased authors (suppression list).", total)
    return kept, total


def _scopes(conn: Connection, digests: Sequence[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    table = suppressed_authors
    for part in chunks(digests):
        query = select(table.c.digest, table.c.source).where(table.c.digest.in_(part))
        for digest, source in conn.execute(query):
            found.setdefault(digest, set()).add(source)
    return found


def _count_drops(conn: Connection, dropped: Counter[tuple[str, str]], now: datetime) -> None:
    table = suppressed_authors
    for (digest, scope), count in dropped.items():
        where = (table.c.digest == digest) & (table.c.source == scope)
        conn.execute(
            update(table).where(where).values(dropped=table.c.dropped + count, last_dropped_at=now)
        )


@dataclass(frozen=True)
class Suppressed:
    digest: str
    source: str | None
    receipt_id: int | None
    created_at: datetime
    dropped: int
    last_dropped_at: datetime | None


def list_suppressed(conn: Connection) -> list[Suppressed]:
    rows = conn.execute(select(suppressed_authors).order_by(suppressed_authors.c.created_at))
    return [
        Suppressed(
            r.digest, r.source or None, r.receipt_id, r.created_at, r.dropped, r.last_dropped_at
        )
        for r in rows
    ]
