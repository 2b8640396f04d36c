"""The wire format of pipeline messages: every field survives, foreign data is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import msgpack
import pytest

from horchposten.enrich.base import EnrichSettings
from horchposten.models import Post, Topic
from horchposten.pipeline.messages import (
    Batch,
    Failed,
    PreparedBatch,
    Stored,
    WireError,
    decode,
    encode,
)
from horchposten.plugins import plugins
from horchposten.prepare import Preparer
from horchposten.sources.base import LocalIds
from horchposten.store.posts import StoreResult

RAW = {
    "uri": "https://mastodon.social/users/a/statuses/1",
    "content": "<p>Nordlicht &amp; Kaffee</p>",
    "account": {"acct": "a", "followers_count": 12},
    "nested": [1, 2.5, None, {"deep": True}],
}


def _post(native_id: str = "1", **extra: object) -> Post:
    post = Post.model_validate(
        {
            "id": native_id,
            "source": "mastodon",
            "text": "Nordlicht und Kaffee, ein schöner Morgen",
            "created_at": "2026-11-20T09:30:00Z",
            "author": {"handle": "a", "followers": 12},
            "metrics": {"likes": 3},
            **extra,
        }
    )
    post.raw = RAW
    return post


def test_a_batch_with_raw_payload_deletions_local_ids_and_cursor_round_trips() -> None:
    batch = Batch(
        [
            _post("1"),
            _post("2", title="Ein Titel", lang="de", parent_id="1", engagement_type="reply"),
        ],
        source_name="social",
        cursor={"min_id": "109", "seen": ["a", "b"], "at": 1.5},
        size_hint=2,
        topics_revision=7,
        only_matching=True,
        deleted=["mastodon:0"],
        local=LocalIds("mastodon:https://mastodon.social", {"42": "mastodon:1"}, ["41"]),
    )
    again = decode(encode(batch))
    assert again == batch
    assert isinstance(again, Batch)
    assert [post.raw for post in again.posts] == [RAW, RAW]
    # A missing count stays missing: None, not 0.
    assert again.posts[0].metrics.views is None


def test_a_prepared_batch_round_trips_with_rows_matches_and_enrichments() -> None:
    posts = [_post("1"), _post("2", text="Tee statt Kaffee")]
    preparer = Preparer(
        [Topic(id=3, name="Kaffee", query="kaffee")], plugins().enrichers(EnrichSettings())
    )
    items = preparer.prepare(posts)
    prepared = PreparedBatch(Batch([], source_name="social", cursor={"page": 2}), items)
    again = decode(encode(prepared))
    assert again == prepared
    assert isinstance(again, PreparedBatch)
    assert again.items[0].row.raw == items[0].row.raw  # the compressed payload, as bytes
    assert again.items[0].row.created_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert again.items[0].sentiment() == items[0].sentiment()


def test_stored_and_failed_round_trip() -> None:
    stored = Stored(
        "social",
        4,
        StoreResult(new=2, updated=1, unchanged=1, matched=3, deleted=1),
        [(3, datetime(2026, 11, 20, 9, tzinfo=UTC))],
        ["mastodon:1", "mastodon:2"],
        ["mastodon:3"],
        {"mastodon:1": {"sentiment": "positive"}},
    )
    assert decode(encode(stored)) == stored
    assert decode(encode(Failed("the disk is full", storage=True))) == Failed(
        "the disk is full", storage=True
    )


def test_another_version_or_foreign_bytes_are_refused_clearly() -> None:
    data = msgpack.unpackb(encode(Failed("x")))
    newer = msgpack.packb({**data, "version": 2})
    with pytest.raises(WireError, match="has version 2; this release reads version 1"):
        decode(newer)
    with pytest.raises(WireError, match="has version None"):
        decode(msgpack.packb([1, 2, 3]))
    with pytest.raises(WireError, match="could not be read"):
        decode(b"\xc1")
