"""Sentiment: negative, neutral or positive, from the post's language's model."""

from __future__ import annotations

from horchposten.enrich.base import Fields
from horchposten.enrich.classifier import ClassifierEnricher, label_scores, top_label
from horchposten.enrich.routing import Scored


class SentimentEnricher(ClassifierEnricher):
    """``{"label", "score", "scores", "model", "lang"}`` per post."""

    name = "sentiment"

    def fields(self, scored: Scored) -> Fields:
        scores = label_scores(scored)
        label = top_label(scored)
        return {
            "label": label,
            "score": scores[label],
            "scores": scores,
            "model": scored.model.name,
            "lang": scored.language,
        }
