"""Erasure of one person (GDPR Art. 17): every post of an author and what derives from it.

The posts go through ``store/deletion.py`` ``delete_posts``, which subtracts their
rollup contributions, so the rollups still equal a recount; the author's profiles
and per-author rollup rows left by posts retention already removed go too. A
receipt records what was removed, when and by whom, naming the person only by the
keyed digest of the handle, and the suppression list drops their later posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, select
from sqlalchemy.sql import ColumnElement

from horchposten.privacy.person import Subject, of_handles, stored_handles
from horchposten.privacy.suppression import ensure_workspace_key, handle_digest, suppress
from horchposten.store.database import Database
from horchposten.store.deletion import delete_posts
from horchposten.store.dialect import chunks
from horchposten.store.rollups import topic_matches
from horchposten.store.schema import authors, erasure_receipts, posts, rollups_authors, topics


@dataclass(frozen=True)
class Receipt:
    """What one erasure removed; holds no personal data of the person erased."""

    id: int
    erased_at: datetime
    actor: str
    handle_digest: str
    source: str | None
    posts: int
    by_source: dict[str, int]
    by_topic: dict[str, int]
    author_profiles: int
    author_rollups: int


def erase_author(database: Database, subject: Subject, actor: str, now: datetime) -> Receipt:
    """Erase everything stored of ``subject``, record the receipt, suppress their later posts.

    One transaction: a failure leaves everything as it was. ``actor`` says who asked
    ("user anna", "cli alice").
    """
    with database.begin() as conn:
        key = ensure_workspace_key(conn)
        pairs = stored_handles(conn, subject)
        keys, by_source, by_topic = _posts_of(conn, pairs)
        removed = delete_posts(conn, keys)
        profiles = _delete_rows(conn, authors, authors.c.source, authors.c.handle, pairs)
        leftovers = rollups_authors.c.source, rollups_authors.c.handle
        author_rollups = _delete_rows(conn, rollups_authors, *leftovers, pairs)
        details = {
            "by_source": dict(by_source),
            "by_topic": dict(by_topic),
            "author_profiles": profiles,
            "author_rollups": author_rollups,
        }
        values: dict[str, Any] = {
            "erased_at": now,
            "actor": actor[:200],
            "handle_digest": handle_digest(key, subject.handle),
            "source": subject.source,
            "posts": removed,
            "removed": details,
        }
        receipt_id = conn.execute(
            erasure_receipts.insert().values(values).returning(erasure_receipts.c.id)
        ).scalar_one()
        suppress(conn, values["handle_digest"], subject.source, receipt_id, now)
    return _receipt({"id": receipt_id, **values})


def _posts_of(
    conn: Connection, pairs: list[tuple[str, str]]
) -> tuple[list[str], Counter[str], Counter[str]]:
    keys: list[str] = []
    by_source: Counter[str] = Counter()
    by_topic: Counter[str] = Counter()
    names = {row[0]: row[1] for row in conn.execute(select(topics.c.id, topics.c.name))}
    for part in chunks(pairs):
        query = select(posts.c.id, posts.c.key, posts.c.source).where(
            of_handles(posts.c.source, posts.c.author_handle, part)
        )
        rows = conn.execute(query).all()
        keys += [row.key for row in rows]
        by_source.update(row.source for row in rows)
        for topic_ids in topic_matches(conn, [row.id for row in rows]).values():
            by_topic.update(names[topic_id] for topic_id in topic_ids)
    return keys, by_source, by_topic


def _delete_rows(
    conn: Connection,
    table: Table,
    source: ColumnElement[str],
    handle: ColumnElement[str],
    pairs: Sequence[tuple[str, str]],
) -> int:
    deleted = 0
    for part in chunks(pairs):
        deleted += conn.execute(delete(table).where(of_handles(source, handle, part))).rowcount
    return deleted


def _receipt(row: Any) -> Receipt:
    removed = row["removed"]
    return Receipt(
        id=row["id"],
        erased_at=row["erased_at"],
        actor=row["actor"],
        handle_digest=row["handle_digest"],
        source=row["source"],
        posts=row["posts"],
        by_source=removed["by_source"],
        by_topic=removed["by_topic"],
        author_profiles=removed["author_profiles"],
        author_rollups=removed["author_rollups"],
    )


def list_receipts(conn: Connection) -> list[Receipt]:
    """Every erasure, newest first."""
    query = select(erasure_receipts).order_by(erasure_receipts.c.id.desc())
    return [_receipt(row._mapping) for row in conn.execute(query)]
