"""The polarity of an aspect's clause or post, from the built-in sentiment models.

The fast-tier models (``enrich/models``, one per language) read each text; a
language without a model of its own is read by the fallback language's model,
and a text of unknown language by the model its letters and function words
suggest, as the sentiment enrichment does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from horchposten.enrich.builtin import FALLBACK, builtin_models
from horchposten.enrich.routing import guess_language
from horchposten.enrich.textmodels import TextClassifier
from horchposten.labels import SENTIMENTS, Sentiment


class SentimentJudge:
    """Turns (text, language or None) pairs into negative, neutral or positive, in batches.

    A text is negative or positive only when the model gives that label at least
    ``confidence``; a less certain opinion counts as neutral.
    """

    def __init__(
        self, models: Mapping[str, TextClassifier] | None = None, confidence: float = 0.0
    ) -> None:
        self.confidence = confidence
        self.models = dict(models) if models else builtin_models("sentiment", "fast")
        fallback = FALLBACK["sentiment"]
        self.fallback = fallback if fallback in self.models else next(iter(self.models))

    def __call__(self, texts: Sequence[tuple[str, str | None]]) -> list[Sentiment]:
        by_model: dict[str, list[int]] = defaultdict(list)
        for index, (text, lang) in enumerate(texts):
            code = lang or guess_language(text)
            by_model[code if code in self.models else self.fallback].append(index)
        found: list[Sentiment] = ["neutral"] * len(texts)
        for code, indexes in by_model.items():
            model = self.models[code]
            scores = model.scores([texts[i][0] for i in indexes])
            for index, row in zip(indexes, scores, strict=True):
                best = int(row.argmax())
                if row[best] >= self.confidence:
                    found[index] = _label(model.labels[best])
        return found


def _label(name: str) -> Sentiment:
    for label in SENTIMENTS:
        if label == name:
            return label
    raise ValueError(f"The sentiment model gave the label '{name}', not one of {SENTIMENTS}.")
