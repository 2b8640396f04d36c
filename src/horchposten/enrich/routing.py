"""Which language's model reads a post, and scoring a batch language by language.

A post's language comes from the language enrichment when it ran, else from
the platform's ``post.lang``, else from a cheap guess: umlauts, ß or more
common German than English function words make it German, anything else is
read as English. A language without a model of its own goes to the fallback
model (documented per task in docs/models.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from horchposten.enrich.base import Earlier
from horchposten.enrich.textmodels import TextClassifier
from horchposten.models import Post

_WORD = re.compile(r"[a-zäöüß]+")
_GERMAN_LETTERS = re.compile(r"[äöüß]")
_GERMAN = (
    "der die das und ist nicht ich du wir ihr sie es ein eine einen mit auf für von zu "
    "den dem des sich auch noch nur schon aber wie was wenn dann oder doch mal hat haben "
    "bin sind war heute jetzt immer mehr sehr gut kein keine nach bei über"
)
_ENGLISH = (
    "the and is are was were not you we they it a an with on for of to in this that "
    "have has just but what when then or so my your at be do don't i'm it's very good "
    "no all out up about"
)
GERMAN_WORDS = frozenset(_GERMAN.split())
ENGLISH_WORDS = frozenset(_ENGLISH.split())


def guess_language(text: str) -> str:
    """'de' or 'en' from letters and function words; for posts nobody labelled."""
    lowered = text.lower()
    if _GERMAN_LETTERS.search(lowered):
        return "de"
    words = _WORD.findall(lowered)
    german = sum(word in GERMAN_WORDS for word in words)
    english = sum(word in ENGLISH_WORDS for word in words)
    return "de" if german > english else "en"


def post_language(post: Post, earlier: Earlier) -> str:
    """The post's language code, from the best source that has one."""
    detected = earlier.get("language") or {}
    code = detected.get("code")
    if isinstance(code, str) and code and code != "und":
        return code
    if post.lang and post.lang != "und":
        return post.lang
    return guess_language(post.content)


@dataclass(frozen=True)
class Scored:
    """One post's probabilities and the language whose model produced them."""

    language: str
    model: TextClassifier
    # The model's float32 probabilities as Python floats (exactly): a row of
    # numpy scalars would cost a conversion at every read.
    probabilities: list[float]


def score_posts(
    batch: Sequence[Post],
    earlier: Sequence[Earlier],
    models: Mapping[str, TextClassifier],
    fallback: str,
) -> list[Scored]:
    """Score every post with its language's model, one call per language."""
    groups: dict[str, list[int]] = {}
    for index, (post, before) in enumerate(zip(batch, earlier, strict=True)):
        language = post_language(post, before)
        groups.setdefault(language if language in models else fallback, []).append(index)
    scored: list[Scored | None] = [None] * len(batch)
    for language, indices in groups.items():
        model = models[language]
        rows: list[list[float]] = model.scores([batch[i].content for i in indices]).tolist()
        for index, row in zip(indices, rows, strict=True):
            scored[index] = Scored(language, model, row)
    return [item for item in scored if item is not None]
