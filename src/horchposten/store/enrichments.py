"""Reading stored enrichment results back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import Connection, select

from horchposten.store.posts import chunks
from horchposten.store.schema import enrichments, posts


def sentiment_labels(conn: Connection, post_ids: Sequence[int]) -> dict[int, str]:
    """The ``label`` the ``sentiment`` enricher stored, for each of the posts that have one."""
    found: dict[int, str] = {}
    for part in chunks(post_ids):
        query = select(enrichments.c.post_id, enrichments.c.data).where(
            enrichments.c.enricher == "sentiment", enrichments.c.post_id.in_(part)
        )
        for post_id, data in conn.execute(query):
            label = data.get("label") if isinstance(data, dict) else None
            if isinstance(label, str):
                found[int(post_id)] = label
    return found


def recent_duplicate_bands(
    conn: Connection, since: datetime, *, version: str | None = None
) -> Iterator[tuple[str, str | None, list[int]]]:
    """Key, cluster and band keys the ``duplicates`` enricher stored, newest post first.

    Posts first seen at ``since`` or later, in the order they were stored (newest
    first), so a reader can stop once it has enough; with ``version``, only results
    of that enricher version (band keys of another model never match). Posts too
    short to fingerprint have no band keys and are left out.
    """
    query = (
        select(posts.c.key, enrichments.c.data)
        .join(posts, posts.c.id == enrichments.c.post_id)
        .where(enrichments.c.enricher == "duplicates", posts.c.first_seen_at >= since)
        .order_by(posts.c.id.desc())
        .execution_options(yield_per=1000)  # streamed: a reader may stop early
    )
    if version is not None:
        query = query.where(enrichments.c.version == version)
    with conn.execute(query) as rows:  # closed also when the reader stops early
        for key, data in rows:
            bands = data.get("bands") if isinstance(data, dict) else None
            if not bands:
                continue
            cluster = data.get("cluster") if isinstance(data.get("cluster"), str) else None
            yield key, cluster, [int(band) for band in bands]
