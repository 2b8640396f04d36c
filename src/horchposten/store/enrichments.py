"""Reading stored enrichment results back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from horchposten.store.posts import chunks
from horchposten.store.schema import enrichments

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
