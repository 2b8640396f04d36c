"""Registers sentiment, emotion and toxicity: the built-in models of the configured
tier, or the user's own Hugging Face model where ``enrich.{task}_model`` names a folder.

A user's model reads every language (it replaces the built-in models of that
task outright); the other tasks keep the built-in models.
"""

from __future__ import annotations

from horchposten.enrich.base import Enricher, EnrichSettings
from horchposten.enrich.classifier import ClassifierEnricher
from horchposten.enrich.emotion import EmotionEnricher
from horchposten.enrich.huggingface import HuggingFaceClassifier
from horchposten.enrich.sentiment import SentimentEnricher
from horchposten.enrich.toxicity import ToxicityEnricher
from horchposten.hookspecs import hookimpl
from horchposten.labels import CLASSIFIER_LABELS

ENRICHERS: tuple[type[ClassifierEnricher], ...] = (
    SentimentEnricher,
    EmotionEnricher,
    ToxicityEnricher,
)


@hookimpl
def register_enrichers(settings: EnrichSettings) -> list[Enricher]:
    folders = {
        "sentiment": settings.sentiment_model,
        "emotion": settings.emotion_model,
        "toxicity": settings.toxicity_model,
    }
    enrichers: list[Enricher] = []
    for enricher in ENRICHERS:
        folder = folders[enricher.name]
        if folder:
            setting = f"enrich.{enricher.name}_model"
            own = HuggingFaceClassifier(folder, CLASSIFIER_LABELS[enricher.name], setting)
            enrichers.append(enricher(models={"mul": own}))
        else:
            enrichers.append(enricher(tier=settings.tier))
    return enrichers
