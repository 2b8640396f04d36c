"""Server-local item ids of stored posts, so a deletion naming only such an id finds its post.

Mastodon keys a post by the status ``uri`` (the same everywhere), but a
streamed ``delete`` carries only the id the streaming instance gave the status.
The ids seen with stored posts are kept per scope (the instance) in
``local_ids``; a row goes with its post (``deletion.py``), so the table holds
no more than one row per stored post and server it was seen on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, select

from horchposten.store.dialect import bulk_insert, chunks
from horchposten.store.schema import local_ids, posts

_LONGEST = 64  # local_ids.local_id; a longer id is no Mastodon id and is not kept


def remember(conn: Connection, scope: str, seen: Mapping[str, str]) -> None:
    """Keep ``seen`` (local id → post key) for the posts among them that are stored."""
    by_key: dict[str, list[str]] = {}
    for local, key in seen.items():
        if len(local) <= _LONGEST:
            by_key.setdefault(key, []).append(local)
    rows = []
    for part in chunks(sorted(by_key)):
        for post_id, key in conn.execute(
            select(posts.c.id, posts.c.key).where(posts.c.key.in_(part))
        ):
            rows += [
                {"scope": scope, "local_id": local, "post_id": post_id} for local in by_key[key]
            ]
    # A post deleted and stored again under the same local id has a new post id.
    bulk_insert(conn, local_ids, rows, keys=("scope", "local_id"), update=("post_id",))


def resolve(conn: Connection, scope: str, locals_: Sequence[str]) -> list[str]:
    """The keys of the stored posts seen under these local ids; unknown ids are skipped."""
    wanted = sorted({local for local in locals_ if len(local) <= _LONGEST})
    keys: list[str] = []
    for part in chunks(wanted):
        query = (
            select(posts.c.key)
            .join(local_ids, local_ids.c.post_id == posts.c.id)
            .where(local_ids.c.scope == scope, local_ids.c.local_id.in_(part))
        )
        keys += conn.execute(query).scalars()
    return keys
