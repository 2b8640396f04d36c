"""The syntax tree of a topic query.

Every node remembers where it starts in the query text, so later stages (and
the full language) can point at the part of the query they complain about.
Term and phrase words are already normalised by ``horchposten.text``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One token: a word, ``#hashtag`` or ``@mention``."""

    text: str
    offset: int


@dataclass(frozen=True, slots=True)
class Phrase:
    """Two or more tokens that must follow each other."""

    words: tuple[str, ...]
    offset: int


@dataclass(frozen=True, slots=True)
class Not:
    """An exclusion; it only appears among the children of an ``And``."""

    child: Node
    offset: int


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


Node = Term | Phrase | Not | And | Or
