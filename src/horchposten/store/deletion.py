"""Deleting stored posts by key, with everything that hangs on them.

A post's topic matches, enrichment results, full-text document and server-local
ids (``local_ids.py``) go with it, and its contributions are subtracted from
the rollups in the same transaction, so the rollups still equal a recount of
the posts that remain. Retention (``purge_posts``) removes the same rows but keeps
the rollups: aggregates outlive the posts they count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, select

from horchposten.store import fulltext
from horchposten.store.dialect import chunks
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.rollups import RollupDelta, sentiment_label, topic_matches
from horchposten.store.schema import enrichments, local_ids, post_topics, posts

# The posts columns the rollups are computed from.
_CONTRIBUTING = (
    "id",
    "created_at",
    "source",
    "lang",
    "author_handle",
    "author_followers",
    "likes",
    "reposts",
    "replies",
    "views",
)


def delete_posts(
    conn: Connection, keys: Sequence[str], touched: set[tuple[int, datetime]] | None = None
) -> int:
    """Delete the posts with these keys ("{source}:{native_id}") in the caller's transaction.

    Returns how many posts were deleted; keys that are not stored are skipped. The
    (topic, hour) rollup buckets the deletions change are added to ``touched``.
    """
    deltas = RollupDelta(touched)
    deleted = 0
    for part in chunks(sorted(set(keys))):
        query = select(*(posts.c[name] for name in _CONTRIBUTING)).where(posts.c.key.in_(part))
        rows = conn.execute(query).all()
        if not rows:
            continue
        ids = [row.id for row in rows]
        matches = topic_matches(conn, ids)
        moods = stored_enrichments(conn, ids, ("sentiment",))
        for row in rows:
            mood = sentiment_label(moods.get(row.id, {}).get("sentiment"))
            deltas.add(row, matches.get(row.id, set()), sign=-1, sentiment=mood)
        _remove(conn, ids)
        deleted += len(ids)
    deltas.write(conn)
    return deleted


def purge_posts(conn: Connection, ids: Sequence[int]) -> int:
    """Delete the posts with these ids and what derives from them, leaving the rollups as they are.

    For retention: the charts of past periods keep their counts after the posts are gone.
    """
    for part in chunks(ids):
        _remove(conn, part)
    return len(ids)


def _remove(conn: Connection, ids: Sequence[int]) -> None:
    # SQLite cascades only with foreign keys on, and never into FTS5: delete explicitly.
    conn.execute(delete(post_topics).where(post_topics.c.post_id.in_(ids)))
    conn.execute(delete(enrichments).where(enrichments.c.post_id.in_(ids)))
    conn.execute(delete(local_ids).where(local_ids.c.post_id.in_(ids)))
    fulltext.remove(conn, ids)
    conn.execute(delete(posts).where(posts.c.id.in_(ids)))
