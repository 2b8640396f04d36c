"""Sentiment, emotion and toxicity from a user's own Hugging Face models.

Each of ``enrich.sentiment_model``, ``enrich.emotion_model`` and
``enrich.toxicity_model`` that names a local model folder adds an enricher of
that name, whose fields are the label with the highest probability, that
probability (for toxicity: the probability of ``toxic``) and all scores.
"""

from __future__ import annotations

from collections.abc import Sequence

from horchposten.enrich.base import Earlier, Enricher, EnrichSettings, Fields
from horchposten.enrich.huggingface import HuggingFaceClassifier
from horchposten.hookspecs import hookimpl
from horchposten.models import Post

LABELS = {
    "sentiment": ("negative", "neutral", "positive"),
    "emotion": ("anger", "joy", "optimism", "sadness"),
    "toxicity": ("toxic", "not_toxic"),
}


class ClassifierEnricher:
    """One enrichment computed by a text classifier over each post's title and text."""

    requires: tuple[str, ...] = ()

    def __init__(self, name: str, classifier: HuggingFaceClassifier) -> None:
        self.name = name
        self.version = classifier.version
        self._classifier = classifier

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        labels = self._classifier.labels
        results = []
        for row in self._classifier.scores([post.content for post in batch]):
            best = int(row.argmax())
            scores = {label: round(float(p), 4) for label, p in zip(labels, row, strict=True)}
            score = scores["toxic"] if self.name == "toxicity" else scores[labels[best]]
            results.append(
                {
                    "label": labels[best],
                    "score": score,
                    "scores": scores,
                    "model": self._classifier.name,
                }
            )
        return results


def _setting(name: str) -> str:
    return f"enrich.{name}_model"


@hookimpl
def register_enrichers(settings: EnrichSettings) -> list[Enricher]:
    folders = {
        "sentiment": settings.sentiment_model,
        "emotion": settings.emotion_model,
        "toxicity": settings.toxicity_model,
    }
    return [
        ClassifierEnricher(
            name, HuggingFaceClassifier(folder, LABELS[name], f"enrich.{name}_model")
        )
        for name, folder in folders.items()
        if folder
    ]
