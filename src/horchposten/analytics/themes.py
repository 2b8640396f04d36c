"""Themes: readable terms and phrases, labelled clusters, and rising terms with a burst score.

Words are kept as written (the most common spelling wins), so German compounds such
as "Kundenservice" stay whole and readable rather than stemmed or split; runs of
two or three content words that recur ("customer service", "Deutsche Bahn") become
phrases, and a word that mostly occurs inside a kept phrase gives way to it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Connection

from horchposten.analytics.period import Period
from horchposten.analytics.sample import THEMES_SIZE, SampleInfo, spread
from horchposten.analytics.stopwords import STOPWORDS
from horchposten.store.schema import posts
from horchposten.text import without_links

BREAKS = re.compile(r"([.!?,;:()\"\n]+)")
WORD = re.compile(r"[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*")
MIN_LENGTH = 3
# A word that stands inside a kept phrase at least this often is shown as the phrase.
ABSORBED = 0.8


@dataclass(frozen=True)
class Doc:
    post_id: int
    text: str
    engagement: int = 0
    lang: str | None = None

    # Each analysis below reads a post's words; split once per post (per answer).
    @cached_property
    def runs(self) -> list[list[str]]:
        return _runs(self.text)

    @cached_property
    def terms(self) -> set[tuple[str, ...]]:
        return _terms(self.runs)


@dataclass
class Term:
    label: str
    posts: int


@dataclass
class Theme:
    label: str
    size: int
    examples: list[Doc] = field(default_factory=list)


@dataclass
class RisingTerm:
    label: str
    posts: int
    previous: int
    burst: float


def _runs(text: str) -> list[list[str]]:
    """Runs of content words, broken by function words and punctuation."""
    runs: list[list[str]] = [[]]
    for piece in BREAKS.split(without_links(text)):
        if BREAKS.fullmatch(piece):
            runs.append([])
            continue
        for word in WORD.findall(piece):
            if word.lower() in STOPWORDS or len(word) < MIN_LENGTH:
                runs.append([])
            else:
                runs[-1].append(word)
    return [run for run in runs if run]


def candidates(text: str) -> set[tuple[str, ...]]:
    """Every word and every 2- and 3-word phrase of the text, lower-cased."""
    return _terms(_runs(text))


def _terms(runs: list[list[str]]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for run in runs:
        lowered = [word.lower() for word in run]
        for size in (1, 2, 3):
            found.update(tuple(lowered[i : i + size]) for i in range(len(lowered) - size + 1))
    return found


def _spellings(docs: Iterable[Doc]) -> dict[str, str]:
    """The most common way each word is written."""
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for run in doc.runs:
            for word in run:
                written[word.lower()][word] += 1
    return {key: forms.most_common(1)[0][0] for key, forms in written.items()}


def term_counts(docs: Sequence[Doc], min_posts: int = 2) -> Counter[tuple[str, ...]]:
    """Posts per term, with phrases that recur and words they do not absorb."""
    counts: Counter[tuple[str, ...]] = Counter()
    for doc in docs:
        counts.update(doc.terms)
    kept = Counter({t: n for t, n in counts.items() if n >= min_posts})
    for phrase in [t for t in kept if len(t) > 1]:
        for word in phrase:
            single = (word,)
            if single in kept and kept[phrase] >= ABSORBED * counts[single]:
                del kept[single]
    for phrase in [t for t in kept if len(t) == 3]:  # a 3-word phrase absorbs its pairs too
        for pair in (phrase[:2], phrase[1:]):
            if pair in kept and kept[phrase] >= ABSORBED * counts[pair]:
                del kept[pair]
    return kept


def label(term: tuple[str, ...], spellings: dict[str, str]) -> str:
    return " ".join(spellings.get(word, word) for word in term)


def top_terms(docs: Sequence[Doc], limit: int = 20) -> list[Term]:
    counts = term_counts(docs)
    spellings = _spellings(docs)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    return [Term(label(term, spellings), n) for term, n in ranked[:limit]]


def clusters(docs: Sequence[Doc], limit: int = 10, examples: int = 3) -> list[Theme]:
    """Each post joins the theme of its most specific frequent term (rarer terms first)."""
    counts = term_counts(docs)
    spellings = _spellings(docs)
    leading = sorted(counts, key=lambda t: (-counts[t], -len(t), t))[: limit * 3]
    members: dict[tuple[str, ...], list[Doc]] = defaultdict(list)
    for doc in docs:
        own = doc.terms
        mine = [t for t in leading if t in own]
        if mine:
            # Longest phrase, then most frequent: "customer service" over "service".
            members[min(mine, key=lambda t: (-len(t), -counts[t], t))].append(doc)
    ranked = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    return [
        Theme(
            label(term, spellings),
            len(group),
            sorted(group, key=lambda d: (-d.engagement, d.post_id))[:examples],
        )
        for term, group in ranked
    ]


def burst(current: int, total: int, previous: int, previous_total: int) -> float:
    """log2 of the term's smoothed share of posts now against before (add-one smoothing)."""
    now = (current + 1) / (total + 2)
    before = (previous + 1) / (previous_total + 2)
    return round(math.log2(now / before), 4)


def rising_terms(
    docs: Sequence[Doc], previous: Sequence[Doc], limit: int = 20, min_posts: int = 3
) -> list[RisingTerm]:
    """Terms whose share of posts grew most against the previous period."""
    now = term_counts(docs, min_posts)
    before: Counter[tuple[str, ...]] = Counter()
    for doc in previous:
        before.update(doc.terms & now.keys())
    spellings = _spellings(docs)
    found = [
        RisingTerm(
            label(term, spellings),
            n,
            before[term],
            burst(n, len(docs), before[term], len(previous)),
        )
        for term, n in now.items()
    ]
    rising = [term for term in found if term.burst > 0]
    return sorted(rising, key=lambda t: (-t.burst, -t.posts, t.label))[:limit]


def documents(
    conn: Connection, topic_id: int, period: Period, size: int = THEMES_SIZE
) -> tuple[list[Doc], SampleInfo]:
    """The topic's posts in the period as texts: about ``size`` of them, spread over the
    period (``sample.py``), and what share of the period they are."""
    columns = [posts.c.id, posts.c.title, posts.c.text, posts.c.likes, posts.c.reposts,
               posts.c.replies, posts.c.lang]  # fmt: skip
    rows, info = spread(conn, columns, topic_id, period, size)
    docs = [
        Doc(
            int(row.id),
            " . ".join(part for part in (row.title, row.text) if part),
            (row.likes or 0) + (row.reposts or 0) + (row.replies or 0),
            row.lang,
        )
        for row in rows
    ]
    return docs, info
