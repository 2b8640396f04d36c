"""Reading stored enrichment results back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from horchposten.store.posts import chunks
from horchposten.store.schema import enrichments


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
