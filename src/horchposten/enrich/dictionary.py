"""Topic dictionaries of brands, products and people, compiled for finding them in tokens.

Names and aliases are cut into tokens by the tokeniser the topic matcher uses,
and a post's word matches an alias's word when they share a key: the loose
form (case and accents ignored) or the German transliteration, exactly as a
plain query word matches. Each alias word becomes the set of keys a post's
token may have. One set intersection tells whether a post has a word that
starts a name; only such words are looked up with the word after them. The
rules (docs/enrichment.md):

* the words of a name stand apart only by spaces and hyphens, and by what
  stands between them in the name as written ("V. Warnery"); never by a line
  break, a link or other punctuation ("Nordlicht. Kaffee" is no "Nordlicht Kaffee");
* every alias takes the genitive ``-s`` on its last word ("Niveas",
  "Vincent Warnerys"), unless that word ends in s, x or z;
* a product's last word of four letters or more also takes ``-s``, ``-n``,
  ``-en``, ``-e`` and ``-er`` ("Polarbohnen");
* a brand or product of several words also matches them written as one word
  ("Niveacreme"); a hyphen already splits tokens ("Nivea-Creme");
* a brand word of five letters or more matches as the first or last part of a
  longer word (closed compounds, "Niveaprodukte"), where the rest has three
  letters or more; only where the caller asks for it (German text).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain, product
from operator import attrgetter
from typing import NamedTuple

from horchposten.models import EntityKind, EntityTerm
from horchposten.text import Token, token_spans, tokenize

GENITIVE = "s"
PLURALS = ("s", "n", "en", "e", "er")
MIN_PLURAL = 4  # letters a product's last word needs to take plural endings
MIN_COMPOUND = 5  # letters a brand needs to be found inside a longer word
MIN_REST = 3  # letters the rest of such a word needs ("Niveau" is no compound of Nivea)


class Alias:
    """One way to write one entity: the keys each of its words may have in a post."""

    __slots__ = ("gaps", "kind", "length", "name", "topics", "words")

    def __init__(
        self,
        kind: EntityKind,
        name: str,
        words: tuple[frozenset[str], ...],
        gaps: tuple[str, ...],
        length: int,
    ) -> None:
        self.kind = kind
        self.name = name
        self.words = words
        self.gaps = gaps  # what stands between the words besides spaces and hyphens
        self.length = length  # letters as written, to rank overlapping aliases
        self.topics: frozenset[int] = frozenset()  # the topics whose dictionaries have it

    @property
    def key(self) -> tuple[EntityKind, str, tuple[frozenset[str], ...], tuple[str, ...]]:
        return (self.kind, self.name, self.words, self.gaps)


class Found(NamedTuple):
    """An entity found at tokens ``first`` up to (not including) ``last``."""

    kind: EntityKind
    name: str
    first: int
    last: int
    topics: frozenset[int]


# A candidate: its rank among overlapping ones (more tokens, then whole words
# before compounds, then the longer alias), the alias, where it stands.
Candidate = tuple[tuple[int, bool, int], Alias, int, int]
_KEYS = attrgetter("keys")
_SPACES_AND_HYPHENS = re.compile(r"[^\S\r\n]|[-\u2010\u2011]")


class Words(NamedTuple):
    """A text's tokens, where each starts and ends, and the text itself."""

    text: str
    tokens: Sequence[Token]
    starts: Sequence[int]
    ends: Sequence[int]


class Dictionary:
    """The entities of all topics, indexed by the keys of their first one or two words."""

    def __init__(self, entries: Iterable[tuple[int, EntityTerm]]) -> None:
        aliases: dict[tuple[object, ...], Alias] = {}
        topics: dict[Alias, set[int]] = defaultdict(set)
        parts: dict[str, set[Alias]] = defaultdict(set)  # brand keys -> their aliases
        for topic_id, term in entries:
            for written in (term.name, *term.aliases):
                tokens, starts, ends = token_spans(written)
                gaps = tuple(
                    _gap(written[end:start])
                    for end, start in zip(ends[:-1], starts[1:], strict=True)
                )
                found = [aliases.setdefault(a.key, a) for a in _aliases(term, tokens, gaps)]
                for alias in found:
                    topics[alias].add(topic_id)
                for key in _compound_keys(term, tokens):
                    parts[key].add(found[0])
        self._single: dict[str, list[Alias]] = defaultdict(list)
        # Aliases of several words by their first two: a common first name
        # followed by another word costs a lookup, not a check of every person.
        self._pairs: dict[tuple[str, str], list[Alias]] = defaultdict(list)
        for alias, ids in topics.items():
            alias.topics = frozenset(ids)
            for key in alias.words[0]:
                if len(alias.words) == 1:
                    self._single[key].append(alias)
                for following in alias.words[1] if len(alias.words) > 1 else ():
                    self._pairs[(key, following)].append(alias)
        self._starts = frozenset(self._single).union(first for first, _ in self._pairs)
        self._parts = {key: list(found) for key, found in parts.items()}
        # Cheap guards: a word is checked for compounds only when its first or
        # last five letters are those of a brand.
        self._head_guard = {key[:MIN_COMPOUND] for key in parts}
        self._tail_guard = {key[-MIN_COMPOUND:] for key in parts}
        self._lengths = sorted({len(key) for key in parts})

    def __bool__(self) -> bool:
        return bool(self._starts)

    def find(self, words: Words, *, compounds: bool) -> list[Found]:
        """The entities in ``words``; where aliases of one kind overlap, the longest wins."""
        tokens = words.tokens
        # Most posts name no entity: set operations in C tell before any loop.
        present = set(chain.from_iterable(map(_KEYS, tokens)))
        hits = self._starts & present
        parts = self._compounds(present) if compounds and self._parts else {}
        if not hits and not parts:
            return []
        candidates: list[Candidate] = []
        for index, token in enumerate(tokens):
            if not hits.isdisjoint(token.keys):
                candidates += self._starting(words, index)
            if parts and not parts.keys().isdisjoint(token.keys):
                for key in token.keys:
                    for alias in parts.get(key, ()):
                        candidates.append(((1, False, alias.length), alias, index, index + 1))
        return _longest(candidates)

    def _starting(self, words: Words, index: int) -> list[Candidate]:
        """The aliases written from ``words.tokens[index]`` on."""
        found: list[Candidate] = []
        tokens = words.tokens
        keys = tokens[index].keys
        for key in keys:
            found += [((1, True, a.length), a, index, index + 1) for a in self._single.get(key, ())]
        following = tokens[index + 1].keys if index + 1 < len(tokens) else ()
        for pair in product(keys, following):
            for alias in self._pairs.get(pair, ()):
                size = len(alias.words)
                if (size == 2 or _follows(alias, tokens, index)) and _apart(alias, words, index):
                    found.append(((size, True, alias.length), alias, index, index + size))
        return found

    def _compounds(self, keys: Iterable[str]) -> dict[str, list[Alias]]:
        """The brands that words or hashtag bodies among ``keys`` start or end with."""
        found: dict[str, list[Alias]] = {}
        heads, tails, shortest = self._head_guard, self._tail_guard, MIN_COMPOUND + MIN_REST
        for key in keys:
            if len(key) < shortest or key[0] in "#@":
                continue
            head, tail = key[:MIN_COMPOUND] in heads, key[-MIN_COMPOUND:] in tails
            if not (head or tail):
                continue
            for length in self._lengths:
                if len(key) - length < MIN_REST:
                    break
                if head and key[:length] in self._parts:
                    found.setdefault(key, []).extend(self._parts[key[:length]])
                if tail and key[-length:] in self._parts:
                    found.setdefault(key, []).extend(self._parts[key[-length:]])
        return found


def _longest(candidates: list[Candidate]) -> list[Found]:
    """The best of overlapping candidates of one kind; one entry per entity and place."""
    # Best first; position and name only make the order deterministic.
    candidates.sort(key=lambda c: (-c[0][0], not c[0][1], -c[0][2], c[2], c[1].name))
    taken: dict[tuple[EntityKind, int, int], tuple[int, bool, int]] = {}
    found: dict[tuple[EntityKind, str, int, int], frozenset[int]] = {}
    for rank, alias, first, last in candidates:
        span = (alias.kind, first, last)
        # The same span found by another entry of equal rank stays: both are meant.
        if taken.get(span, rank) != rank or any(
            kind == alias.kind and start < last and first < end and (start, end) != (first, last)
            for kind, start, end in taken
        ):
            continue
        taken[span] = rank
        place = (alias.kind, alias.name, first, last)
        found[place] = found.get(place, frozenset()) | alias.topics
    ordered = sorted(found.items(), key=lambda item: (item[0][2], item[0][3], item[0][1]))
    return [Found(*place, topics) for place, topics in ordered]


def _follows(alias: Alias, tokens: Sequence[Token], start: int) -> bool:
    """Whether the alias's words after the first two stand at ``start + 2`` and on."""
    words = alias.words
    if start + len(words) > len(tokens):
        return False
    for offset in range(2, len(words)):
        if words[offset].isdisjoint(tokens[start + offset].keys):
            return False
    return True


def _apart(alias: Alias, words: Words, start: int) -> bool:
    """Whether the post separates the alias's words the way the alias may be written."""
    text, starts, ends = words.text, words.starts, words.ends
    for offset, allowed in enumerate(alias.gaps, start=start):
        gap = text[ends[offset] : starts[offset + 1]]
        if "\n" in gap or "\r" in gap or _gap(gap) not in ("", allowed):
            return False
    return True


def _gap(between: str) -> str:
    """What stands between two words besides spaces and hyphens."""
    return _SPACES_AND_HYPHENS.sub("", between)


def _aliases(term: EntityTerm, tokens: list[Token], gaps: tuple[str, ...]) -> list[Alias]:
    """What one name or alias of ``term`` (as tokens) stands for: its words, and joined up."""
    length = sum(len(token.loose) for token in tokens)
    words = _inflected(term.kind, tokens[-1], [_keys(token) for token in tokens])
    found = [Alias(term.kind, term.name, tuple(words), gaps, length)]
    plain = all(token.kind == "word" for token in tokens)
    if term.kind != "person" and len(tokens) > 1 and plain:
        joined = tokenize("".join(token.cased for token in tokens))
        forms = _inflected(term.kind, joined[0], [_keys(joined[0])])
        found.append(Alias(term.kind, term.name, tuple(forms), (), length))
    return found


def _keys(token: Token) -> frozenset[str]:
    # A hashtag's bare body is a key of the post's token, not of the alias's:
    # the alias "#nivea" matches only the hashtag, the alias "nivea" both.
    return frozenset(key for key in (token.loose, token.translit) if key)


def _inflected(kind: EntityKind, last: Token, words: list[frozenset[str]]) -> list[frozenset[str]]:
    """``words`` with the endings the last word may take."""
    if last.kind != "word":
        return words
    endings = [GENITIVE] if len(last.loose) >= 2 and last.loose[-1] not in "sxz" else []
    if kind == "product" and len(last.loose) >= MIN_PLURAL and last.loose.isalpha():
        endings += PLURALS
    forms = words[-1] | {key + ending for key in words[-1] for ending in endings}
    return [*words[:-1], forms]


def _compound_keys(term: EntityTerm, tokens: list[Token]) -> list[str]:
    """The keys of a one-word brand name that can be part of a longer word."""
    if term.kind != "brand" or len(tokens) != 1 or tokens[0].kind != "word":
        return []
    return [key for key in _keys(tokens[0]) if len(key) >= MIN_COMPOUND]
