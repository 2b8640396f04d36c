"""Full-text prefilters for searching stored posts with a topic query.

The index holds ``text.search_document``: plain words without ``#``/``@`` signs.
A prefilter finds every post the matcher would accept, and maybe more; the
matcher then decides. So exclusions are dropped (the index cannot tell
``#nivea`` from ``nivea``, and excluding would lose posts), and a part that the
index cannot express makes its whole OR unfilterable. ``None`` means no
prefilter exists: scan every post.

User text ends up only inside quoted strings, with quotes and backslashes
doubled, so it cannot change the syntax of the expression around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from horchposten.errors import QueryError
from horchposten.query.ast import And, Node, Not, Phrase, Term
from horchposten.text import plain_words


class _Dialect(NamedTuple):
    phrase: Callable[[list[str]], str]  # consecutive words, at least one
    and_: str
    or_: str


def _fts5_phrase(words: list[str]) -> str:
    # An FTS5 string is a phrase of the tokens inside it; '"' is escaped as '""'.
    return '"' + " ".join(words).replace('"', '""') + '"'


def _tsquery_phrase(words: list[str]) -> str:
    quoted = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words]
    return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"


_FTS5 = _Dialect(_fts5_phrase, " AND ", " OR ")
_TSQUERY = _Dialect(_tsquery_phrase, " & ", " | ")


def fts5_match(node: Node) -> str | None:
    """An SQLite FTS5 ``MATCH`` string that finds a superset of the matches."""
    return _prefilter(node, _FTS5)


def tsquery(node: Node) -> str | None:
    """A PostgreSQL ``to_tsquery('simple', …)`` string finding a superset of the matches."""
    return _prefilter(node, _TSQUERY)


def search_words_fts5(words: str) -> str:
    """An FTS5 ``MATCH`` string for posts containing all the words in ``words``."""
    return _FTS5.and_.join(_fts5_phrase([word]) for word in _search_words(words))


def search_words_tsquery(words: str) -> str:
    """A ``to_tsquery('simple', …)`` string for posts containing all the words."""
    return _TSQUERY.and_.join(_tsquery_phrase([word]) for word in _search_words(words))


def _search_words(words: str) -> list[str]:
    found = list(dict.fromkeys(plain_words(words)))
    if not found:
        hint = "Type at least one word; punctuation and links are ignored."
        raise QueryError(f"The search {words!r} has no word to look for.", words, 0, hint)
    return found


def _prefilter(node: Node, dialect: _Dialect) -> str | None:
    if isinstance(node, Term | Phrase):
        return _words(node, dialect)
    if isinstance(node, Not):
        return None
    parts = [_prefilter(child, dialect) for child in node.children]
    if isinstance(node, And):
        kept = [part for part in parts if part is not None]
        return _join(kept, dialect.and_) if kept else None
    if None in parts:
        return None
    return _join([part for part in parts if part is not None], dialect.or_)


def _words(node: Term | Phrase, dialect: _Dialect) -> str | None:
    texts = (node.text,) if isinstance(node, Term) else node.words
    words = [word for text in texts for word in plain_words(text)]
    # A token like "#_" has no plain word; the index cannot look for it.
    return dialect.phrase(words) if words else None


def _join(parts: list[str], operator: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + operator.join(parts) + ")"
