"""The built-in models per task, tier and language, loaded once per process."""

from __future__ import annotations

from functools import cache

from horchposten.enrich.encoder import EncoderHeadModel, sentence_encoder
from horchposten.enrich.textmodels import LinearTextModel, TextClassifier
from horchposten.errors import ConfigError

# Task -> language -> model file name (without extension) in enrich/models/.
FAST = {
    "sentiment": {"de": "sentiment-de-fast", "en": "sentiment-en-fast"},
    "emotion": {"de": "emotion-de-fast", "en": "emotion-en-fast"},
    "toxicity": {"de": "toxicity-de-fast", "en": "toxicity-en-fast"},
}
# One multilingual head per task reads every language ("mul": ISO 639 for many).
ACCURATE = {task: {"mul": f"{task}-mul-accurate"} for task in FAST}
# Languages without a fast model of their own are read by this one's model.
FALLBACK = {"sentiment": "en", "emotion": "en", "toxicity": "en"}
TIERS = ("fast", "accurate")


@cache
def fast_model(name: str) -> LinearTextModel:
    return LinearTextModel.load(name)


@cache
def accurate_model(name: str) -> EncoderHeadModel:
    return EncoderHeadModel.load(name)


def builtin_models(task: str, tier: str) -> dict[str, TextClassifier]:
    """Language code -> the built-in model of ``task`` in ``tier``."""
    if tier == "fast":
        return {language: fast_model(name) for language, name in FAST[task].items()}
    if tier == "accurate":
        sentence_encoder()  # without the optional encoder, switch off here, loudly
        return {language: accurate_model(name) for language, name in ACCURATE[task].items()}
    raise ConfigError("enrich.tier", tier, f"it must be one of {', '.join(TIERS)}")
