"""Finding query words, phrases and proximity groups among a text's tokens.

Finders are built once per query. Each first narrows the tokens it has to test
through the view's loose keys (a set lookup, or a prefix scan of the distinct
keys for wildcards) and tests only those, so a post's length costs little.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from horchposten.query.ast import Near, Node, Or, Phrase, Word
from horchposten.query.subject import PREFIX, View
from horchposten.text import Token, normalise

# Past this many combinations a proximity search over three or more operands
# picks, per operand, the occurrence nearest the first operand's instead of
# trying every combination.
_MAX_COMBINATIONS = 20_000

Span = tuple[int, int]  # first and last token index of an occurrence


class WordFinder:
    """Finds one query word."""

    def __init__(self, word: Word) -> None:
        self.word = word
        loose = word.text if word.mode == "loose" else normalise(word.text)
        self.loose = loose  # the loose key of every token that can match
        self.plain = word.mode == "loose" and not word.wildcard  # the key alone decides
        self.root = re.split(r"[*?]", loose, maxsplit=1)[0] if word.wildcard else loose
        self.test = token_test(word)
        self._pattern = wildcard(loose) if word.wildcard and word.mode == "loose" else None

    def possible(self, view: View) -> bool:
        """A cheap test that fails for most views the word is not in."""
        if not self.word.wildcard:
            return self.loose in view.present
        return len(self.root) < PREFIX or self.root[:PREFIX] in view.prefixes

    def found(self, view: View) -> bool:
        if self.plain:
            return self.loose in view.present
        if self._pattern is not None:
            pattern = self._pattern
            return any(pattern.fullmatch(key) for key in view.keys_starting(self.root))
        return bool(self.positions(view))

    def positions(self, view: View) -> list[int]:
        if self.plain:
            return view.positions(self.loose)
        if not self.word.wildcard:
            keys = [self.loose] if self.loose in view.present else []
        else:
            keys = view.keys_starting(self.root)
        tokens, test = view.tokens, self.test
        return sorted({i for key in keys for i in view.positions(key) if test(tokens[i])})


class PhraseFinder:
    """Finds words that follow each other."""

    def __init__(self, phrase: Phrase) -> None:
        self.finders = [WordFinder(word) for word in phrase.words]
        # Start from a word found by its key alone where there is one: a dict lookup.
        plain = [i for i, finder in enumerate(self.finders) if finder.plain]
        self.lead = plain[0] if plain else 0
        # Every word without wildcards needs its loose key in the view.
        self.required = [f.loose for f in self.finders if not f.word.wildcard]

    def possible(self, view: View) -> bool:
        return all(finder.possible(view) for finder in self.finders)

    def found(self, view: View) -> bool:
        return self.possible(view) and bool(self.starts(view))

    def starts(self, view: View) -> list[int]:
        tokens, lead, finders = view.tokens, self.lead, self.finders
        last_start = len(tokens) - len(finders)
        return [
            start
            for start in (p - lead for p in finders[lead].positions(view))
            if 0 <= start <= last_start
            and all(finder.test(tokens[start + i]) for i, finder in enumerate(finders) if i != lead)
        ]


class NearFinder:
    """Finds operands close together (see ``ast.Near``)."""

    def __init__(self, near: Near) -> None:
        self.near = near
        self.operands = [_alternatives(operand) for operand in near.operands]
        # Keys that operands without alternatives need: checked before anything else.
        self.required = [
            key
            for alternatives in self.operands
            if len(alternatives) == 1
            for key in _required(alternatives[0])
        ]

    def found(self, view: View) -> bool:
        if not all(any(f.possible(view) for f in alts) for alts in self.operands):
            return False
        spans = [_spans(view, alternatives) for alternatives in self.operands]
        if not all(spans):
            return False
        distance = self.near.distance
        if len(spans) == 2:
            return _pair_near(spans[0], spans[1], distance, self.near.ordered)
        combinations = 1
        for found in spans:
            combinations *= len(found)
        if combinations <= _MAX_COMBINATIONS:
            return any(_window_ok(chosen, distance) for chosen in itertools.product(*spans))
        return any(
            _window_ok([min(found, key=lambda s: abs(s[0] - lead[0])) for found in spans], distance)
            for lead in spans[0]
        )


Finder = WordFinder | PhraseFinder


def _alternatives(node: Node) -> list[Finder]:
    children = node.children if isinstance(node, Or) else (node,)
    return [
        PhraseFinder(child) if isinstance(child, Phrase) else WordFinder(child)  # type: ignore[arg-type]
        for child in children
    ]


def _required(finder: Finder) -> list[str]:
    if isinstance(finder, PhraseFinder):
        return finder.required
    return [] if finder.word.wildcard else [finder.loose]


def _spans(view: View, alternatives: list[Finder]) -> list[Span]:
    spans: set[Span] = set()
    for finder in alternatives:
        if isinstance(finder, WordFinder):
            spans.update((i, i) for i in finder.positions(view))
        else:
            length = len(finder.finders) - 1
            spans.update((start, start + length) for start in finder.starts(view))
    return sorted(spans)


def _pair_near(first: list[Span], second: list[Span], distance: int, ordered: bool) -> bool:
    for a_start, a_end in first:
        for b_start, b_end in second:
            if a_end < b_start:
                gap = b_start - a_end - 1
            elif not ordered and b_end < a_start:
                gap = a_start - b_end - 1
            else:
                continue
            if gap <= distance:
                return True
    return False


def _window_ok(chosen: list[Span] | tuple[Span, ...], distance: int) -> bool:
    """Distinct, non-overlapping occurrences with at most ``distance`` other words among them."""
    ordered = sorted(chosen)
    if any(prev[1] >= nxt[0] for prev, nxt in itertools.pairwise(ordered)):
        return False
    covered = sum(end - start + 1 for start, end in ordered)
    return ordered[-1][1] - ordered[0][0] + 1 - covered <= distance


TokenTest = Callable[[Token], bool]


def token_test(word: Word) -> TokenTest:
    """Whether a post's token is an occurrence of ``word``."""
    if word.mode == "loose":
        if not word.wildcard:
            text = word.text
            return lambda token: text in token.keys
        pattern = wildcard(word.text)
        return lambda token: any(pattern.fullmatch(key) for key in token.keys)
    form = "lower" if word.mode == "accented" else "cased"
    compare: Callable[[str], object]
    compare = wildcard(word.text).fullmatch if word.wildcard else word.text.__eq__
    if word.kind != "word":
        return lambda token: token.kind == word.kind and bool(compare(getattr(token, form)))
    # A plain word also matches the body of a hashtag.
    return lambda token: (
        (token.kind == "word" and bool(compare(getattr(token, form))))
        or (token.kind == "hashtag" and bool(compare(getattr(token, form)[1:])))
    )


def wildcard(text: str) -> re.Pattern[str]:
    """``*`` is any run of word characters, ``?`` exactly one character."""
    return re.compile(
        "".join(r"\w*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    )
