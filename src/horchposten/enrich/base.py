"""The enricher seam.

An enricher has a ``name``, a ``version`` and the names of the enrichers it
``requires``; ``enrich(batch)`` returns one dict of its own fields per post,
deterministically. Results are stored with the version, so a model upgrade can
re-enrich old posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from horchposten.models import Post


class Enricher(Protocol):
    name: str
    version: str
    requires: tuple[str, ...]

    def enrich(self, batch: Sequence[Post]) -> list[dict[str, Any]]:
        """Return this enricher's fields for each post, in order."""
        ...
