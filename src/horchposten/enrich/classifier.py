"""What the sentiment, emotion and toxicity enrichers share: models per language."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from horchposten.enrich.base import Earlier, Fields
from horchposten.enrich.builtin import FALLBACK, builtin_models
from horchposten.enrich.routing import Scored, score_posts
from horchposten.enrich.textmodels import TextClassifier
from horchposten.models import Post


class ClassifierEnricher(ABC):
    """Runs one model per language over a batch; subclasses shape the fields.

    ``models`` (language code -> classifier) replaces the built-in models of
    ``tier``, e.g. with a user's own Hugging Face models; a language without a
    model of its own is read by the fallback language's model, or by the first
    model given when the fallback has none.
    """

    name = ""
    requires: tuple[str, ...] = ()

    def __init__(
        self, tier: str = "fast", models: Mapping[str, TextClassifier] | None = None
    ) -> None:
        self.models = dict(models) if models else builtin_models(self.name, tier)
        fallback = FALLBACK[self.name]
        self.fallback = fallback if fallback in self.models else next(iter(self.models))
        self.version = enricher_version(self.name, "custom" if models else tier, self.models)

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        scored = score_posts(batch, earlier, self.models, self.fallback)
        return [self.fields(item) for item in scored]

    @abstractmethod
    def fields(self, scored: Scored) -> Fields:
        """This enricher's fields for one scored post."""


def enricher_version(name: str, source: str, models: Mapping[str, TextClassifier]) -> str:
    """Name, tier and a digest of every model's version: any model change re-enriches.

    A digest, not the versions themselves: a stored version has at most 32
    characters, and a user's model folder name can be long.
    """
    releases = "+".join(sorted({model.version for model in models.values()}))
    return f"{name}-{source}-{hashlib.sha256(releases.encode()).hexdigest()[:8]}"


def label_scores(scored: Scored) -> dict[str, float]:
    """Each label's probability, rounded: more digits would only store noise."""
    labels, probabilities = scored.model.labels, scored.probabilities
    return {label: round(p, 4) for label, p in zip(labels, probabilities, strict=True)}


def top_label(scored: Scored) -> str:
    """The most probable label; the first of equals, as ``argmax`` picks."""
    row = scored.probabilities
    return scored.model.labels[max(range(len(row)), key=row.__getitem__)]
