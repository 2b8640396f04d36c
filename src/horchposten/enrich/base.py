"""The enricher seam.

An enricher has a ``name`` (the key its fields are stored and read under), a
``version`` naming its model and model version, and the names of the enrichers
it ``requires``. ``enrich(batch, earlier)`` returns one dict of its own fields
per post, deterministically; ``earlier[i]`` holds, by enricher name, the fields
already computed for post ``i`` by the enrichers that ran before (the required
ones always did). Results are stored with the version, so a model upgrade can
re-enrich old posts (``horchposten reenrich``).

An enricher that reads the workspace's topics (entities from the topics'
dictionaries) also implements ``TopicAware``; the pipeline hands it the topics
at start and after every change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from horchposten.models import Post, Topic

Fields = dict[str, Any]
Earlier = Mapping[str, Fields]


class Enricher(Protocol):
    name: str
    version: str
    requires: tuple[str, ...]

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        """Return this enricher's fields for each post, in order."""
        ...


@runtime_checkable
class TopicAware(Protocol):
    def set_topics(self, topics: Sequence[Topic]) -> None:
        """Use these topics from the next batch on."""
        ...


class EnrichSettings(BaseModel):
    """The ``[enrich]`` section: model tier, near-duplicate memory, a user's own models."""

    model_config = ConfigDict(extra="forbid")

    # "fast" (hashed n-gram models, stream speed) or "accurate" (sentence-encoder
    # heads; needs the optional encoder package).
    tier: Literal["fast", "accurate"] = "fast"
    # Posts the near-duplicate index remembers (about 1.6 KB each); older ones are forgotten.
    duplicates_capacity: int = Field(default=500_000, ge=1)
    # A local Hugging Face model directory replaces the built-in model of that
    # enrichment for every language; empty keeps the built-in one.
    sentiment_model: str = ""
    emotion_model: str = ""
    toxicity_model: str = ""
