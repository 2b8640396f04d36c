"""Idempotent batch writes of posts with their topic matches, index documents and rollups.

Everything for one batch happens in the caller's transaction: the posts, the
full-text documents, the topic matches and the rollup deltas either all land
or none do. A post whose content hash is unchanged is a duplicate and costs
one lookup; an edited post is updated in place and its rollups corrected.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, select, update

from horchposten.models import Post
from horchposten.store import fulltext
from horchposten.store.dialect import bulk_insert
from horchposten.store.rollups import RollupDelta
from horchposten.store.schema import authors, enrichments, post_topics, posts
from horchposten.text import search_document

CHUNK = 500
# Columns a rollup correction needs from the stored version of an edited post.
_ROLLUP_COLUMNS = (
    "created_at",
    "source",
    "lang",
    "author_followers",
    "likes",
    "reposts",
    "replies",
)


@dataclass
class Prepared:
    """One post ready to store: its matches and enrichments."""

    post: Post
    topic_ids: list[int] = field(default_factory=list)
    enrichments: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    # The full-text document, when the matcher's tokens already gave it.
    document: str | None = None


@dataclass
class StoreResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    matched: int = 0

    def __iadd__(self, other: StoreResult) -> StoreResult:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.matched += other.matched
        return self


def content_hash(post: Post) -> str:
    return hashlib.blake2b(post.model_dump_json().encode(), digest_size=16).hexdigest()


def post_row(post: Post, digest: str, now: datetime) -> dict[str, Any]:
    raw = zlib.compress(json.dumps(post.raw).encode()) if post.raw is not None else None
    return {
        "key": post.key,
        "source": post.source,
        "native_id": post.id,
        "title": post.title,
        "text": post.text,
        "created_at": post.created_at,
        "url": post.url,
        "lang": post.lang,
        "author_handle": post.author.handle,
        "author_name": post.author.name,
        "author_followers": post.author.followers,
        "author_url": post.author.url,
        "parent_key": post.parent_key,
        "root_key": post.root_key,
        "likes": post.metrics.likes,
        "reposts": post.metrics.reposts,
        "replies": post.metrics.replies,
        "views": post.metrics.views,
        "content_hash": digest,
        "raw": raw,
        "first_seen_at": now,
        "updated_at": now,
    }


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(conn: Connection, keys: Sequence[str]) -> dict[str, Row[Any]]:
    columns = [
        posts.c.id,
        posts.c.key,
        posts.c.content_hash,
        *(posts.c[c] for c in _ROLLUP_COLUMNS),
    ]
    found: dict[str, Row[Any]] = {}
    for part in chunks(keys):
        for row in conn.execute(select(*columns).where(posts.c.key.in_(part))):
            found[row.key] = row
    return found


def _old_matches(conn: Connection, post_ids: Sequence[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for part in chunks(post_ids):
        query = select(post_topics.c.post_id, post_topics.c.topic_id).where(
            post_topics.c.post_id.in_(part)
        )
        for post_id, topic_id in conn.execute(query):
            found.setdefault(post_id, set()).add(topic_id)
    return found


def store_batch(conn: Connection, batch: Sequence[Prepared], now: datetime) -> StoreResult:
    """Upsert a batch (already de-duplicated by key) inside the caller's transaction."""
    result = StoreResult()
    existing = _existing(conn, [item.post.key for item in batch])
    fresh: list[tuple[Prepared, dict[str, Any]]] = []
    edited: list[tuple[Prepared, dict[str, Any], Row[Any]]] = []
    for item in batch:
        digest = content_hash(item.post)
        old = existing.get(item.post.key)
        if old is not None and old.content_hash == digest:
            result.unchanged += 1
            continue
        row = post_row(item.post, digest, now)
        if old is None:
            fresh.append((item, row))
        else:
            edited.append((item, row, old))
    deltas = RollupDelta()
    ids = _insert_new(conn, fresh)
    written = [(item, row, post_id) for (item, row), post_id in zip(fresh, ids, strict=True)]
    result.matched += _match_new(conn, written, deltas, now)
    result.matched += _update_edited(conn, edited, deltas, now)
    fulltext.write(conn, [(post_id, _document(item)) for item, _, post_id in written])
    fulltext.write(conn, [(old.id, _document(item)) for item, _, old in edited], replace=True)
    written += [(item, row, old.id) for item, row, old in edited]
    _write_enrichments(conn, [(item, post_id) for item, _, post_id in written])
    _upsert_authors(conn, [item.post for item, _, _ in written], now)
    deltas.write(conn)
    result.new, result.updated = len(fresh), len(edited)
    return result


def _document(item: Prepared) -> str:
    if item.document is not None:
        return item.document
    return search_document(item.post.title, item.post.text)


def _insert_new(conn: Connection, fresh: Sequence[tuple[Prepared, dict[str, Any]]]) -> list[int]:
    """Insert new posts; their ids are read back by key (cheaper than RETURNING per row)."""
    if not fresh:
        return []
    bulk_insert(conn, posts, [row for _, row in fresh])
    ids: dict[str, int] = {}
    keys = [row["key"] for _, row in fresh]
    for part in chunks(keys):
        query = select(posts.c.key, posts.c.id).where(posts.c.key.in_(part))
        ids.update((key, post_id) for key, post_id in conn.execute(query))
    return [ids[key] for key in keys]


def _match_new(
    conn: Connection,
    written: Sequence[tuple[Prepared, dict[str, Any], int]],
    deltas: RollupDelta,
    now: datetime,
) -> int:
    links: list[dict[str, Any]] = []
    for item, row, post_id in written:
        deltas.add(row, item.topic_ids)
        links.extend({"topic_id": t, "post_id": post_id, "matched_at": now} for t in item.topic_ids)
    bulk_insert(conn, post_topics, links)
    return len(links)


def _update_edited(
    conn: Connection,
    edited: Sequence[tuple[Prepared, dict[str, Any], Row[Any]]],
    deltas: RollupDelta,
    now: datetime,
) -> int:
    """Update edited posts in place and move their rollup contributions."""
    if not edited:
        return 0
    old_matches = _old_matches(conn, [old.id for _, _, old in edited])
    changes = []
    added_links: list[dict[str, Any]] = []
    removed_links: list[dict[str, Any]] = []
    for item, row, old in edited:
        before = old_matches.get(old.id, set())
        after = set(item.topic_ids)
        deltas.add(old._mapping, before, sign=-1)
        deltas.add(row, after)
        added_links += [
            {"topic_id": t, "post_id": old.id, "matched_at": now} for t in after - before
        ]
        removed_links += [{"t": t, "p": old.id} for t in before - after]
        change = {k: v for k, v in row.items() if k not in ("key", "first_seen_at")}
        changes.append({"b_id": old.id, **change})
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
    rows = [
        {"post_id": post_id, "enricher": name, "version": version, "data": data}
        for item, post_id in written
        for name, (version, data) in item.enrichments.items()
    ]
    bulk_insert(conn, enrichments, rows, keys=("post_id", "enricher"), update=("version", "data"))


def _upsert_authors(conn: Connection, written: Sequence[Post], now: datetime) -> None:
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for post in written:
        if post.author.handle:
            latest[(post.source, post.author.handle)] = {
                "source": post.source,
                "handle": post.author.handle,
                "name": post.author.name,
                "followers": post.author.followers,
                "url": post.author.url,
                "first_seen_at": now,
                "last_seen_at": now,
            }
    bulk_insert(
        conn,
        authors,
        list(latest.values()),
        keys=("source", "handle"),
        update=("name", "followers", "url", "last_seen_at"),
    )


def stored_post(row: Mapping[Any, Any]) -> Post:
    """Rebuild the interchange Post from a ``posts`` row."""
    return Post.model_validate(
        {
            "id": row["native_id"],
            "source": row["source"],
            "text": row["text"],
            "title": row["title"],
            "created_at": row["created_at"],
            "url": row["url"],
            "lang": row["lang"],
            "author": {
                "handle": row["author_handle"],
                "name": row["author_name"],
                "followers": row["author_followers"],
                "url": row["author_url"],
            },
            "parent_id": _native(row["parent_key"], row["source"]),
            "root_id": _native(row["root_key"], row["source"]),
            "metrics": {
                "likes": row["likes"],
                "reposts": row["reposts"],
                "replies": row["replies"],
                "views": row["views"],
            },
        }
    )


def _native(key: str | None, source: str) -> str | None:
    return key[len(source) + 1 :] if key else None
