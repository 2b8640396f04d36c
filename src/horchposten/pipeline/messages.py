"""What flows between the stages, and its wire format.

    Batch ─prepare─▶ PreparedBatch ─store─▶ Stored

Each message is plain data, so it can cross a process or a network: ``encode``
writes it as MessagePack with a ``version`` and a ``type``, ``decode`` reads it
back and refuses a version it does not know (never pickle: a message must not
run code where it is read, and a worker of another release must fail clearly).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgpack

from horchposten.errors import HorchpostenError
from horchposten.models import Post
from horchposten.sources.base import LocalIds
from horchposten.store.posts import Prepared, StoreResult
from horchposten.store.rows import PostRow

VERSION = 1


@dataclass
class Batch:
    """Posts on their way through the pipeline, with the cursor that follows them."""

    posts: list[Post]
    source_name: str | None = None
    cursor: dict[str, Any] | None = None
    size_hint: int = 0  # units of progress this batch stands for (bytes, items)
    topics_revision: int | None = None  # the topics it was matched against; None: unknown
    only_matching: bool = False  # store only posts some topic matches (a firehose)
    # Keys of posts the platform deleted, removed after ``posts`` in the same transaction.
    deleted: list[str] = field(default_factory=list)
    # Server-local ids of the posts and deletions (Mastodon), resolved in the store.
    local: LocalIds | None = None


@dataclass
class PreparedBatch:
    """A batch after ``prepare``: its rows to store, and everything else the store needs."""

    batch: Batch  # its metadata; the posts themselves travel as ``items``
    items: list[Prepared]


@dataclass
class Stored:
    """What one committed batch changed: the event alerts and progress reports consume."""

    source_name: str | None
    size_hint: int
    result: StoreResult
    # (topic id, UTC hour) rollup buckets the batch changed, new posts, edits and deletions.
    buckets: list[tuple[int, datetime]] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    # Per new or edited post key: enricher name → its label (sentiment, emotion, toxicity).
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Failed:
    """A stage in another process could not go on; the text says why and what to do."""

    message: str
    storage: bool = False  # the database could not be reached (a StorageError), not the input


Message = Batch | PreparedBatch | Stored | Failed


class WireError(HorchpostenError):
    """A message that is not ours or comes from an unknown version."""


def encode(message: Message) -> bytes:
    data: dict[str, Any] = {"version": VERSION}
    if isinstance(message, Batch):
        data |= {"type": "batch", **_batch(message, with_posts=True)}
    elif isinstance(message, PreparedBatch):
        data |= {
            "type": "prepared",
            **_batch(message.batch, with_posts=False),
            "items": [_prepared(item) for item in message.items],
        }
    elif isinstance(message, Stored):
        data |= {"type": "stored", **_stored(message)}
    else:
        data |= {"type": "failed", "message": message.message, "storage": message.storage}
    packed: bytes = msgpack.packb(data, datetime=True)
    return packed


def decode(data: bytes) -> Message:
    try:
        found = msgpack.unpackb(data, timestamp=3, strict_map_key=False)
    except (ValueError, msgpack.UnpackException) as exc:
        raise WireError(f"A pipeline message could not be read ({exc}).") from None
    version = found.get("version") if isinstance(found, dict) else None
    if version != VERSION:
        raise WireError(
            f"A pipeline message has version {version!r}; this release reads version "
            f"{VERSION}. Run the same Horchposten release in every process of a workspace."
        )
    kind = found["type"]
    if kind == "batch":
        return _read_batch(found, [_read_post(p) for p in found["posts"]])
    if kind == "prepared":
        return PreparedBatch(_read_batch(found, []), [_read_prepared(i) for i in found["items"]])
    if kind == "stored":
        return _read_stored(found)
    return Failed(found["message"], found["storage"])


def _batch(batch: Batch, *, with_posts: bool) -> dict[str, Any]:
    local = batch.local
    return {
        "posts": [_post(post) for post in batch.posts] if with_posts else [],
        "source_name": batch.source_name,
        "cursor": batch.cursor,
        "size_hint": batch.size_hint,
        "topics_revision": batch.topics_revision,
        "only_matching": batch.only_matching,
        "deleted": batch.deleted,
        "local": None if local is None else [local.scope, local.seen, local.deleted],
    }


def _read_batch(data: Mapping[str, Any], posts: list[Post]) -> Batch:
    local = data["local"]
    return Batch(
        posts,
        source_name=data["source_name"],
        cursor=data["cursor"],
        size_hint=data["size_hint"],
        topics_revision=data["topics_revision"],
        only_matching=data["only_matching"],
        deleted=list(data["deleted"]),
        local=None if local is None else LocalIds(local[0], dict(local[1]), list(local[2])),
    )


def _post(post: Post) -> dict[str, Any]:
    # ``raw`` is left out of a Post's dump (it is no interchange field): carry it beside.
    return {"post": post.model_dump(mode="json", exclude_none=True), "raw": post.raw}


def _read_post(data: Mapping[str, Any]) -> Post:
    post = Post.model_validate(data["post"])
    post.raw = data["raw"]
    return post


def _prepared(item: Prepared) -> list[Any]:
    enrichments = {name: [version, found] for name, (version, found) in item.enrichments.items()}
    return [list(item.row), item.topic_ids, enrichments, item.document]


def _read_prepared(data: list[Any]) -> Prepared:
    row, topic_ids, enrichments, document = data
    found = {name: (version, fields) for name, (version, fields) in enrichments.items()}
    return Prepared(PostRow(*row), list(topic_ids), found, document)


_COUNTS = ("new", "updated", "unchanged", "matched", "deleted")


def _stored(message: Stored) -> dict[str, Any]:
    return {
        "source_name": message.source_name,
        "size_hint": message.size_hint,
        "result": [getattr(message.result, name) for name in _COUNTS],
        "buckets": [[topic_id, hour] for topic_id, hour in message.buckets],
        "new": message.new,
        "edited": message.edited,
        "labels": message.labels,
    }


def _read_stored(data: Mapping[str, Any]) -> Stored:
    return Stored(
        data["source_name"],
        data["size_hint"],
        StoreResult(**dict(zip(_COUNTS, data["result"], strict=True))),
        [(topic_id, hour) for topic_id, hour in data["buckets"]],
        list(data["new"]),
        list(data["edited"]),
        data["labels"],
    )
