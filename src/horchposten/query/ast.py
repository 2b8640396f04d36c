"""The syntax tree of a topic query.

Every node remembers where it starts in the query text, so later stages can
point at the part of the query they complain about. Offsets are left out of
comparisons: two trees are equal when they mean the same, wherever they were
written, which is what the canonical form promises.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    """One token to look for (see ``horchposten.text`` for the token forms).

    ``mode`` says which form of a post's token is compared: ``loose`` (case,
    accents and German transliteration ignored), ``accented`` (lower case, accents
    as written) or ``cased`` (exactly as written, from ``{braces}``). ``text`` is
    the query word in that form; with ``wildcard`` it holds ``*`` and ``?``.
    """

    text: str
    kind: str  # "word", "hashtag", "mention" or "symbol"
    mode: str = "loose"
    wildcard: bool = False
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Phrase:
    """Two or more words that must follow each other."""

    words: tuple[Word, ...]
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Near:
    """Operands close together: at most ``distance`` other words between them.

    With two operands and ``ordered``, the first must come before the second.
    With more (``"a b c"~5``), all must fit in one window with at most
    ``distance`` other words. Operands are words, phrases or an ``Or`` of them.
    """

    operands: tuple[Node, ...]
    distance: int
    ordered: bool = False
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Field:
    """``name:value`` on one of the post's fields (see ``query.fields``)."""

    name: str
    value: str
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Range:
    """``name:[low TO high]`` on a number; ``None`` is an open end, both ends count."""

    name: str
    low: float | None
    high: float | None
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Title:
    """``title:…``: the inner query is matched against the post's title alone."""

    child: Node
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    """An exclusion; it only appears among the children of an ``And``."""

    child: Node
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class And:
    """All children match; at least one child is not a ``Not``."""

    children: tuple[Node, ...]

    @property
    def offset(self) -> int:
        return self.children[0].offset


@dataclass(frozen=True, slots=True)
class Or:
    """At least one child matches; no child is a ``Not``."""

    children: tuple[Node, ...]

    @property
    def offset(self) -> int:
        return self.children[0].offset


Node = Word | Phrase | Near | Field | Range | Title | Not | And | Or
