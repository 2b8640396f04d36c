"""The labels the built-in classifiers give: one definition that enrichment, storage,
queries and analytics all import, so a label cannot exist in one place and not another."""

from __future__ import annotations

from typing import Literal, get_args

Sentiment = Literal["negative", "neutral", "positive"]
SENTIMENTS: tuple[Sentiment, ...] = get_args(Sentiment)
EMOTIONS = ("anger", "joy", "optimism", "sadness")
TOXICITY = ("toxic", "not_toxic")
# Each classifying enrichment's labels, as a user's own Hugging Face model must name them.
CLASSIFIER_LABELS = {"sentiment": SENTIMENTS, "emotion": EMOTIONS, "toxicity": TOXICITY}
# The rollups' sentiment of a post without a sentiment result.
NO_SENTIMENT = "none"
