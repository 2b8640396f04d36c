"""Voice of the customer: aspects of the product, their sentiment, and quotes that show it.

An aspect is a name and cue words (word beginnings or endings, so German compounds
such as "Lieferzeit" or "Kundenservice" count). Each clause that names an aspect
gets a polarity: from its own opinion words where the lexicon (``opinion.py``)
finds them decisive ("Preis top, aber Versand langsam" praises the price and
criticises delivery), else from the built-in sentiment model reading the clause
(when it holds opinion words the lexicon cannot weigh) or the whole post (when it
holds none: "Die Lieferung kam gestern. Super!" praises delivery).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from horchposten.analytics.aspect_polarity import SentimentJudge
from horchposten.analytics.opinion import Polarity, has_opinion, polarity
from horchposten.analytics.themes import Doc, candidates

SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
# Clauses: "Preis top, aber Versand langsam" holds two opinions. A clause without an
# opinion word of its own ("Die Lieferung, die gestern kam, war schlecht") takes the sentence's.
CLAUSE_BREAK = re.compile(r",|\b(?:but|aber|doch|jedoch|however|while)\b", re.I)
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Aspect:
    name: str
    cues: tuple[str, ...]  # lower-case word beginnings; "-x" marks a word ending such as "-service"

    def named_in(self, words: Iterable[str]) -> bool:
        for word in words:
            for cue in self.cues:
                if word.endswith(cue[1:]) if cue.startswith("-") else word.startswith(cue):
                    return True
        return False


DEFAULT_ASPECTS = (
    Aspect(
        "price",
        (
            "preis",
            "kosten",
            "teuer",
            "günstig",
            "billig",
            "price",
            "cost",
            "-preis",
            "expensive",
            "cheap",
            "euro",
        ),
    ),
    Aspect(
        "quality",
        ("qualität", "verarbeitung", "hochwertig", "quality", "-qualität", "build", "material"),
    ),
    Aspect(
        "delivery",
        (
            "liefer",
            "versand",
            "paket",
            "zustell",
            "delivery",
            "shipping",
            "shipped",
            "parcel",
            "-lieferung",
            "-versand",
        ),
    ),
    Aspect(
        "customer service",
        (
            "kundenservice",
            "kundendienst",
            "service",
            "hotline",
            "support",
            "-service",
            "-support",
            "mitarbeiter",
            "staff",
        ),
    ),
    Aspect(
        "usability",
        (
            "bedien",
            "benutz",
            "app",
            "handhab",
            "usab",
            "interface",
            "-app",
            "intuitiv",
            "setup",
            "einricht",
        ),
    ),
)


@dataclass(frozen=True)
class Mention:
    aspect: str
    polarity: Polarity
    quote: str
    post_id: int
    engagement: int = 0


@dataclass
class AspectSummary:
    name: str
    counts: dict[str, int] = field(
        default_factory=lambda: {"positive": 0, "neutral": 0, "negative": 0}
    )
    quotes: list[Mention] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return sum(self.counts.values())

    @property
    def net(self) -> float | None:
        pos, neg = self.counts["positive"], self.counts["negative"]
        return None if pos + neg == 0 else round((pos - neg) / (pos + neg), 4)


@dataclass
class VoiceOfCustomer:
    aspects: list[AspectSummary]
    praised: list[str]  # aspect names, most positive mentions first
    criticised: list[str]
    surfaced: list[str]  # frequent terms in opinionated sentences that no aspect names


# (text, language or None) -> polarity per text, in one batch: a SentimentJudge
Judge = Callable[[Sequence[tuple[str, str | None]]], list[Polarity]]
# where a mention stands: the aspects it names, its sentence, and its polarity or the
# index of the text the model judges for it
Spot = tuple[list[Aspect], str, Polarity | int]


def mentions(docs: Sequence[Doc], aspects: Sequence[Aspect], judge: Judge) -> list[list[Mention]]:
    """Per post, one mention per aspect and sentence that names it, with its polarity."""
    texts: list[tuple[str, str | None]] = []  # what the model reads, all posts in one batch
    spots = [_spots(doc, aspects, texts) for doc in docs]
    moods = judge(texts) if texts else []
    return [
        [
            Mention(
                aspect.name,
                moods[mood] if isinstance(mood, int) else mood,
                sentence,
                doc.post_id,
                doc.engagement,
            )
            for named, sentence, mood in own
            for aspect in named
        ]
        for doc, own in zip(docs, spots, strict=True)
    ]


def _spots(doc: Doc, aspects: Sequence[Aspect], texts: list[tuple[str, str | None]]) -> list[Spot]:
    """The post's aspect clauses; texts the model must read for them go onto ``texts``."""
    found: list[Spot] = []
    whole: int | None = None  # the post's own text is read once, when a clause needs it
    for match in SENTENCE.finditer(doc.text):
        sentence = match.group().strip()
        seen: set[str] = set()
        for clause in CLAUSE_BREAK.split(sentence):
            words = [w.lower() for w in WORD.findall(clause)]
            named = [a for a in aspects if a.name not in seen and a.named_in(words)]
            if not named:
                continue
            seen.update(a.name for a in named)
            lexicon = polarity(clause) if has_opinion(clause) else None
            if lexicon in ("negative", "positive"):
                found.append((named, sentence, lexicon))
            elif lexicon == "neutral":  # opinion words that cancel out: the model weighs them
                texts.append((clause, doc.lang))
                found.append((named, sentence, len(texts) - 1))
            else:
                if whole is None:
                    texts.append((doc.text, doc.lang))
                    whole = len(texts) - 1
                found.append((named, sentence, whole))
    return found


def mentions_in(doc: Doc, aspects: Sequence[Aspect], judge: Judge | None = None) -> list[Mention]:
    """The mentions in one post (see ``mentions``)."""
    return mentions([doc], aspects, judge or SentimentJudge())[0]


def voice_of_customer(
    docs: Sequence[Doc],
    aspects: Sequence[Aspect] = DEFAULT_ASPECTS,
    *,
    quotes: int = 3,
    surfaced: int = 10,
    judge: Judge | None = None,
) -> VoiceOfCustomer:
    summaries = {aspect.name: AspectSummary(aspect.name) for aspect in aspects}
    for found in mentions(docs, aspects, judge or SentimentJudge()):
        for mention in found:
            summaries[mention.aspect].counts[mention.polarity] += 1
            summaries[mention.aspect].quotes.append(mention)
    for summary in summaries.values():
        # Strongest opinions first: those engaged with most, positive and negative alike.
        summary.quotes.sort(key=lambda m: (m.polarity == "neutral", -m.engagement, m.post_id))
        summary.quotes = summary.quotes[:quotes]
    used = [s for s in summaries.values() if s.mentions]
    praised = sorted(
        (s for s in used if s.counts["positive"]), key=lambda s: (-s.counts["positive"], s.name)
    )
    criticised = sorted(
        (s for s in used if s.counts["negative"]), key=lambda s: (-s.counts["negative"], s.name)
    )
    return VoiceOfCustomer(
        sorted(summaries.values(), key=lambda s: (-s.mentions, s.name)),
        [s.name for s in praised],
        [s.name for s in criticised],
        _surfaced(docs, aspects, surfaced),
    )


def _surfaced(docs: Sequence[Doc], aspects: Sequence[Aspect], limit: int) -> list[str]:
    """Words people give opinions about that no configured aspect covers."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for match in SENTENCE.finditer(doc.text):
            sentence = match.group()
            if not has_opinion(sentence):
                continue
            for term in candidates(sentence):
                word = " ".join(term)
                if (
                    len(term) == 1
                    and not has_opinion(word)
                    and not any(aspect.named_in([word]) for aspect in aspects)
                ):
                    counts[word] += 1
    return [word for word, n in counts.most_common(limit) if n >= 2]
