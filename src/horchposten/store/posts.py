"""Idempotent batch writes of posts with their topic matches, index documents and rollups.

Everything for one batch happens in the caller's transaction: the posts, the
full-text documents, the topic matches and the rollup deltas either all land
or none do. A post whose content columns equal the stored ones is a duplicate
and costs one lookup; an edited post is updated in place and its rollups corrected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, select, update

from horchposten.models import Post
from horchposten.store import fulltext
from horchposten.store.authors import KnownAuthors, upsert_authors
from horchposten.store.dialect import bulk_insert, chunks, insert_values
from horchposten.store.enrichments import stored_enrichments, write_enrichments
from horchposten.store.rollups import RollupDelta, sentiment_label, topic_matches
from horchposten.store.rows import CONTENT_COLUMNS, PostRow, post_row
from horchposten.store.schema import post_topics, posts
from horchposten.text import search_document


@dataclass
class Prepared:
    """One post ready to store: its row, matches, enrichments and index document.

    Plain data only, so a batch crosses a process boundary cheaply.
    """

    row: PostRow
    topic_ids: list[int]
    enrichments: dict[str, tuple[str, dict[str, Any]]]
    document: str

    def sentiment(self) -> str | None:
        """The rollup sentiment this batch brings, or None when it has no sentiment result."""
        found = self.enrichments.get("sentiment")
        return sentiment_label(found[1]) if found else None

    @classmethod
    def of(
        cls,
        post: Post,
        topic_ids: Sequence[int] = (),
        enrichments: dict[str, tuple[str, dict[str, Any]]] | None = None,
    ) -> Prepared:
        document = search_document(post.title, post.text)
        return cls(post_row(post), list(topic_ids), enrichments or {}, document)


@dataclass
class StoreResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    matched: int = 0
    deleted: int = 0  # posts removed because their platform deleted them
    suppressed: int = 0  # posts of erased authors dropped (privacy/suppression.py)
    # Author rows written by this batch, for KnownAuthors after the commit.
    authors: list[dict[str, Any]] = field(default_factory=list, repr=False)
    # Keys of this batch's new and edited posts (not summed: a batch's own).
    new_keys: list[str] = field(default_factory=list, repr=False)
    edited_keys: list[str] = field(default_factory=list, repr=False)

    def __iadd__(self, other: StoreResult) -> StoreResult:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.matched += other.matched
        self.deleted += other.deleted
        self.suppressed += other.suppressed
        return self


def _existing(conn: Connection, keys: Sequence[str]) -> dict[str, Row[Any]]:
    columns = [posts.c.id, posts.c.key, *(posts.c[c] for c in CONTENT_COLUMNS)]
    found: dict[str, Row[Any]] = {}
    for part in chunks(keys):
        for row in conn.execute(select(*columns).where(posts.c.key.in_(part))).all():
            found[row.key] = row
    return found


def _unchanged(row: PostRow, old: Row[Any]) -> bool:
    return all(getattr(row, c) == getattr(old, c) for c in CONTENT_COLUMNS)


def store_batch(
    conn: Connection,
    batch: Sequence[Prepared],
    now: datetime,
    known: KnownAuthors | None = None,
    touched: set[tuple[int, datetime]] | None = None,
) -> StoreResult:
    """Upsert a batch (already de-duplicated by key) inside the caller's transaction.

    The (topic, hour) rollup buckets it changes are added to ``touched``.
    """
    result = StoreResult()
    existing = _existing(conn, [item.row.key for item in batch])
    fresh: list[tuple[Prepared, PostRow]] = []
    edited: list[tuple[Prepared, PostRow, Row[Any]]] = []
    for item in batch:
        row = item.row
        old = existing.get(row.key)
        if old is None:
            fresh.append((item, row))
        elif _unchanged(row, old):
            result.unchanged += 1
        else:
            edited.append((item, row, old))
    deltas = RollupDelta(touched)
    ids = _insert_new(conn, [row for _, row in fresh], now)
    written = [(item, row, post_id) for (item, row), post_id in zip(fresh, ids, strict=True)]
    result.matched += _match_new(conn, written, deltas, now)
    result.matched += _update_edited(conn, edited, deltas, now)
    fulltext.write(conn, [(post_id, item.document) for item, _, post_id in written])
    fulltext.write(conn, [(old.id, item.document) for item, _, old in edited], replace=True)
    written += [(item, row, old.id) for item, row, old in edited]
    _write_enrichments(conn, [(item, post_id) for item, _, post_id in written])
    result.authors = upsert_authors(conn, [row for _, row, _ in written], now, known)
    deltas.write(conn)
    result.new, result.updated = len(fresh), len(edited)
    result.new_keys = [row.key for _, row in fresh]
    result.edited_keys = [row.key for _, row, _ in edited]
    return result


def _insert_new(conn: Connection, rows: Sequence[PostRow], now: datetime) -> list[int]:
    """Insert new posts; their ids are read back by key (cheaper than RETURNING per row)."""
    if not rows:
        return []
    columns = (*PostRow._fields, "first_seen_at", "updated_at")
    insert_values(conn, posts, columns, [(*row, now, now) for row in rows])
    ids: dict[str, int] = {}
    keys = [row.key for row in rows]
    for part in chunks(keys):
        query = select(posts.c.key, posts.c.id).where(posts.c.key.in_(part))
        ids.update((key, post_id) for key, post_id in conn.execute(query).all())
    return [ids[key] for key in keys]


def _match_new(
    conn: Connection,
    written: Sequence[tuple[Prepared, PostRow, int]],
    deltas: RollupDelta,
    now: datetime,
) -> int:
    links: list[tuple[int, int, datetime]] = []
    for item, row, post_id in written:
        if item.topic_ids:
            deltas.add(row, item.topic_ids, sentiment=item.sentiment() or sentiment_label(None))
            links.extend((topic_id, post_id, now) for topic_id in item.topic_ids)
    insert_values(conn, post_topics, ("topic_id", "post_id", "matched_at"), links)
    return len(links)


def _update_edited(
    conn: Connection,
    edited: Sequence[tuple[Prepared, PostRow, Row[Any]]],
    deltas: RollupDelta,
    now: datetime,
) -> int:
    """Update edited posts in place and move their rollup contributions."""
    if not edited:
        return 0
    old_matches = topic_matches(conn, [old.id for _, _, old in edited])
    stored = stored_enrichments(conn, [old.id for _, _, old in edited], ("sentiment",))
    changes = []
    added_links: list[dict[str, Any]] = []
    removed_links: list[dict[str, Any]] = []
    for item, row, old in edited:
        before = old_matches.get(old.id, set())
        after = set(item.topic_ids)
        # An edit without a new sentiment result keeps the stored one.
        was = sentiment_label(stored.get(old.id, {}).get("sentiment"))
        deltas.add(old, before, sign=-1, sentiment=was)
        deltas.add(row, after, sentiment=item.sentiment() or was)
        added_links += [
            {"topic_id": t, "post_id": old.id, "matched_at": now} for t in after - before
        ]
        removed_links += [{"t": t, "p": old.id} for t in before - after]
        change = {k: v for k, v in row._asdict().items() if k != "key"}
        changes.append({"b_id": old.id, **change, "updated_at": now})
    values: dict[str, Any] = {name: bindparam(name) for name in changes[0] if name != "b_id"}
    conn.execute(update(posts).where(posts.c.id == bindparam("b_id")).values(values), changes)
    if removed_links:
        conn.execute(
            delete(post_topics).where(
                post_topics.c.topic_id == bindparam("t"), post_topics.c.post_id == bindparam("p")
            ),
            removed_links,
        )
    bulk_insert(conn, post_topics, added_links, keys=("topic_id", "post_id"))
    return len(added_links)


def _write_enrichments(conn: Connection, written: Sequence[tuple[Prepared, int]]) -> None:
    write_enrichments(
        conn,
        [
            (post_id, name, version, data)
            for item, post_id in written
            for name, (version, data) in item.enrichments.items()
        ],
    )
