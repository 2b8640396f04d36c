"""Server-local ids of stored posts: kept per scope, resolved to keys, gone with their post."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from horchposten.models import Post
from horchposten.store import local_ids
from horchposten.store.database import Database
from horchposten.store.deletion import delete_posts
from horchposten.store.posts import Prepared, store_batch
from horchposten.store.schema import local_ids as local_ids_table
from horchposten.store.schema import posts

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
HERE, THERE = "mastodon:https://here.example", "mastodon:https://there.example"


def _store(database: Database, uri: str) -> None:
    post = Post(id=uri, source="mastodon", text="Nordlicht", created_at=NOW)
    with database.begin() as conn:
        store_batch(conn, [Prepared.of(post, [])], NOW)


def _post_id(database: Database, key: str) -> int:
    with database.begin() as conn:
        return int(conn.execute(select(posts.c.id).where(posts.c.key == key)).scalar_one())


def test_local_ids_resolve_per_scope_and_go_with_their_post(database: Database) -> None:
    _store(database, "https://here.example/s/1")
    with database.begin() as conn:
        # The same status under two instances' ids; an id whose post is not stored is not kept.
        local_ids.remember(conn, HERE, {"11": "mastodon:https://here.example/s/1"})
        local_ids.remember(conn, THERE, {"99": "mastodon:https://here.example/s/1"})
        local_ids.remember(conn, HERE, {"12": "mastodon:https://here.example/s/2"})
        assert local_ids.resolve(conn, HERE, ["11", "12", "99"]) == [
            "mastodon:https://here.example/s/1"
        ]
        assert local_ids.resolve(conn, THERE, ["99"]) == ["mastodon:https://here.example/s/1"]
        assert delete_posts(conn, local_ids.resolve(conn, THERE, ["99"])) == 1
        assert conn.execute(select(func.count()).select_from(local_ids_table)).scalar_one() == 0


def test_a_post_deleted_and_stored_again_is_found_by_its_new_row(database: Database) -> None:
    key = "mastodon:https://here.example/s/1"
    _store(database, "https://here.example/s/1")
    with database.begin() as conn:
        local_ids.remember(conn, HERE, {"11": key})
        local_ids.remember(conn, HERE, {"11": key})  # seen again: still one row
        assert delete_posts(conn, [key]) == 1
        assert local_ids.resolve(conn, HERE, ["11"]) == []
    _store(database, "https://here.example/s/1")
    with database.begin() as conn:
        local_ids.remember(conn, HERE, {"11": key})
        rows = conn.execute(select(local_ids_table.c.post_id)).scalars().all()
        assert rows == [_post_id(database, key)]
        assert local_ids.resolve(conn, HERE, ["11"]) == [key]
