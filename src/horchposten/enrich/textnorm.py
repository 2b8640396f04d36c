"""Text normalisation for the built-in text models: one form for training and inference.

Lower case; links and user mentions become placeholders (their exact form says
nothing about sentiment and would only spread the weights); letters repeated
three or more times are cut to two ("sooo" and "soooooo" read alike); emojis
and emoticons stay. The words a negator reaches are marked (``analyse``), so the
featuriser can count them against their usual polarity.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

URL_TOKEN = "xurlx"
USER_TOKEN = "xuserx"

_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"(?:https?://|www\.)\S*|\bhttp\b")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(\D)\1{2,}")
_APOSTROPHE = re.compile("[\u2019`\u00b4]")  # right single quote, grave, acute
# A word (with inner apostrophes) or any single other visible character: emoji,
# emoticon parts and punctuation are tokens too.
_TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s]")

NEGATORS = frozenset(
    {
        # English
        "not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "cannot",
        "without", "dont", "cant", "wont", "isnt", "arent", "wasnt", "didnt", "doesnt",
        "havent", "hasnt", "shouldnt", "wouldnt", "couldnt", "aint",
        # German (with common spoken forms)
        "nicht", "nich", "net", "ned", "kein", "keine", "keinen", "keinem", "keiner",
        "keines", "nie", "niemals", "nichts", "nix", "ohne", "weder",
    }
)  # fmt: skip
# A negation reaches this many words, or up to the next punctuation mark.
NEGATION_SCOPE = 3


def normalise(text: str) -> str:
    """The lower-cased text with placeholders for links and mentions, repeats cut."""
    # Some corpora (and exports) carry JSON escapes such as "\u2019" literally.
    # Each substitution only where its pattern can match: a substring test is far cheaper.
    if "\\u" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(text)
    if "http" in text or "www." in text:
        text = _URL.sub(f" {URL_TOKEN} ", text)
    if "@" in text:
        text = _MENTION.sub(f" {USER_TOKEN} ", text)
    text = _APOSTROPHE.sub("'", text.lower())
    return _REPEAT.sub(r"\1\1", text)


def is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


@dataclass(frozen=True)
class Analysed:
    """A normalised text cut into tokens, with the words a negation reaches."""

    tokens: list[str]
    # True for a negator and the words it reaches.
    negated: list[bool]
    # The text less its negated words: their character n-grams would say the
    # opposite of what the text means ("nicht schlecht" is not "schlecht").
    plain: str


def analyse(normalised: str) -> Analysed:
    """Tokens of a normalised text; a negator reaches the next words up to punctuation.

    The negator itself is left out of ``plain`` and marked negated too: it
    leans negative in every corpus, which would make "nicht schlecht" negative
    whatever its scope says; what it does is carried by the words it negates
    (and by word bigrams such as "not bad").
    """
    found = _TOKEN.findall(normalised)
    if "n't" not in normalised and NEGATORS.isdisjoint(found):  # most texts negate nothing
        return Analysed(found, [False] * len(found), normalised)
    tokens: list[str] = []
    negated: list[bool] = []
    kept: list[str] = []
    scope = 0
    end = 0
    for match in _TOKEN.finditer(normalised):
        token = match.group()
        marked = False
        if not token[0].isalnum() and token[0] != "_":
            scope = 0
        elif is_negator(token):
            scope = NEGATION_SCOPE
            marked = True
        elif scope:
            scope -= 1
            marked = True
        if marked:
            kept.append(normalised[end : match.start()])
            end = match.end()
        tokens.append(token)
        negated.append(marked)
    kept.append(normalised[end:])
    return Analysed(tokens, negated, "".join(kept))
