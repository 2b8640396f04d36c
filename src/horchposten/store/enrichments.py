"""Reading stored enrichment results back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from horchposten.store.dialect import bulk_insert, chunks
from horchposten.store.schema import enrichments, posts

# The enrichments that query fields read (sentiment:, emotion:, toxicity:, disclosure:).
QUERIED = ("sentiment", "emotion", "toxicity", "disclosure")


def stored_enrichments(
    conn: Connection, post_ids: Sequence[int], names: Sequence[str] = QUERIED
) -> dict[int, dict[str, dict[str, Any]]]:
    """Each post's stored fields of the enrichments ``names``, by enrichment name."""
    found: dict[int, dict[str, dict[str, Any]]] = {}
    for part in chunks(post_ids):
        query = select(enrichments.c.post_id, enrichments.c.enricher, enrichments.c.data).where(
            enrichments.c.enricher.in_(names), enrichments.c.post_id.in_(part)
        )
        for post_id, name, data in conn.execute(query):
            if isinstance(data, dict):
                found.setdefault(int(post_id), {})[name] = data
    return found


def outdated_post_ids(
    conn: Connection, versions: Mapping[str, str], since: datetime | None = None
) -> list[int]:
    """Posts (created at or after ``since``) lacking one of the enrichments at these versions."""
    found: set[int] = set()
    for name, version in versions.items():
        current = (
            select(enrichments.c.post_id)
            .where(enrichments.c.enricher == name, enrichments.c.version == version)
            .scalar_subquery()
        )
        query = select(posts.c.id).where(posts.c.id.not_in(current))
        if since is not None:
            query = query.where(posts.c.created_at >= since)
        found.update(conn.execute(query).scalars())
    return sorted(found)


def write_enrichments(
    conn: Connection, results: Sequence[tuple[int, str, str, dict[str, Any]]]
) -> None:
    """Store (post id, enricher, version, fields), replacing what the post had from it."""
    rows = [
        {"post_id": post_id, "enricher": name, "version": version, "data": data}
        for post_id, name, version, data in results
    ]
    bulk_insert(conn, enrichments, rows, keys=("post_id", "enricher"), update=("version", "data"))


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
