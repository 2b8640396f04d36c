"""Toxicity: insults, abuse and profanity against everything else."""

from __future__ import annotations

from horchposten.enrich.base import Fields
from horchposten.enrich.classifier import ClassifierEnricher, label_scores
from horchposten.enrich.routing import Scored

TOXIC = "toxic"


class ToxicityEnricher(ClassifierEnricher):
    """``{"label": "toxic" | "not_toxic", "score": p(toxic), "model"}`` per post."""

    name = "toxicity"

    def fields(self, scored: Scored) -> Fields:
        p_toxic = label_scores(scored)[TOXIC]
        return {
            "label": TOXIC if p_toxic >= 0.5 else "not_toxic",
            "score": p_toxic,
            "model": scored.model.name,
        }
