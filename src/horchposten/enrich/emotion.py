"""Emotion: anger, joy, optimism or sadness (TweetEval's four)."""

from __future__ import annotations

from horchposten.enrich.base import Fields
from horchposten.enrich.classifier import ClassifierEnricher, label_scores, top_label
from horchposten.enrich.routing import Scored


class EmotionEnricher(ClassifierEnricher):
    """``{"label", "scores", "model"}`` per post."""

    name = "emotion"

    def fields(self, scored: Scored) -> Fields:
        return {
            "label": top_label(scored),
            "scores": label_scores(scored),
            "model": scored.model.name,
        }
