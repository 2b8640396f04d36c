"""The enrichments behind a listed post's badges (mentions explorer, threads).

The API's annotations carry the sentiment only; the badges also show emotion, toxicity
and ad disclosure, read with the library function the annotations are read with.
"""

from __future__ import annotations

from typing import Any

from horchposten.store.enrichments import QUERIED, stored_enrichments
from horchposten.web.deps import Context


def with_enrichments(ctx: Context, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry with ``enrichments``: its stored results by enrichment name."""
    with ctx.database.begin() as conn:
        found = stored_enrichments(conn, [entry["post_id"] for entry in entries], QUERIED)
    return [{**entry, "enrichments": found.get(entry["post_id"], {})} for entry in entries]
