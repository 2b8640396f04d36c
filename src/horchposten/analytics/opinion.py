"""A small German and English opinion lexicon for aspect-level polarity.

Entries are word beginnings (lower case, umlauts as written), so "verspät" covers
"verspätet", "Verspätung" and "Verspätungen"; a negation up to three words before
an opinion word turns it around ("nicht gut").
"""

from __future__ import annotations

import re

from horchposten.labels import Sentiment

Polarity = Sentiment

POSITIVE = (
    "gut",
    "super",
    "toll",
    "klasse",
    "prima",
    "perfekt",
    "schnell",
    "pünktlich",
    "günstig",
    "preiswert",
    "zufrieden",
    "freundlich",
    "hilfsbereit",
    "danke",
    "lieb",
    "empfehl",
    "großartig",
    "angenehm",
    "bequem",
    "einfach",
    "zuverlässig",
    "sauber",
    "schön",
    "top",
    "hochwertig",
    "good",
    "great",
    "excellent",
    "love",
    "amazing",
    "awesome",
    "fast",
    "cheap",
    "friendly",
    "helpful",
    "reliable",
    "easy",
    "perfect",
    "happy",
    "recommend",
    "best",
    "nice",
    "clean",
)
NEGATIVE = (
    "schlecht",
    "teuer",
    "langsam",
    "verspät",
    "ausgefall",
    "ausfall",
    "kaputt",
    "defekt",
    "ärger",
    "nerv",
    "mies",
    "katastroph",
    "chaos",
    "unfreundlich",
    "stör",
    "problem",
    "fehl",
    "überfüll",
    "voll",
    "dreck",
    "schmutz",
    "stinkt",
    "kalt",
    "heiß",
    "laut",
    "warten",
    "wartezeit",
    "streik",
    "gesperrt",
    "unpünktlich",
    "leider",
    "enttäusch",
    "beschwer",
    "unverschämt",
    "frech",
    "hass",
    "scheiß",
    "mist",
    "zu spät",
    "verpass",
    "bad",
    "terrible",
    "awful",
    "slow",
    "expensive",
    "broken",
    "late",
    "delay",
    "worst",
    "rude",
    "disappoint",
    "hate",
    "problem",
    "fail",
    "issue",
    "annoy",
    "poor",
    "useless",
)
NEGATIONS = frozenset({"nicht", "kein", "keine", "keinen", "nie", "not", "no", "never", "n't"})
WORD = re.compile(r"[^\W\d_]+(?:'t)?")


def _starts(word: str, stems: tuple[str, ...]) -> bool:
    return word.startswith(stems)


def polarity(text: str) -> Polarity:
    """The polarity of a short passage: more positive or more negative words, else neutral."""
    words = [w.lower() for w in WORD.findall(text)]
    score = 0
    for i, word in enumerate(words):
        sign = 1 if _starts(word, POSITIVE) else -1 if _starts(word, NEGATIVE) else 0
        if sign and NEGATIONS & set(words[max(0, i - 3) : i]):
            sign = -sign
        score += sign
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def has_opinion(text: str) -> bool:
    return any(_starts(w.lower(), POSITIVE + NEGATIVE) for w in WORD.findall(text))
