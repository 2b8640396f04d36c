"""Reading stored enrichment results back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
