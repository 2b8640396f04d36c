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

import itertools
import re
from collections.abc import Callable
from typing import NamedTuple

from horchposten.errors import QueryError
from horchposten.query.ast import And, Field, Near, Node, Not, Phrase, Range, Title, Word
from horchposten.text import normalise, plain_words
from horchposten.texts import Text


class _Dialect(NamedTuple):
    phrase: Callable[[list[str]], str]  # consecutive words, at least one
    prefix: Callable[[str], str]  # words starting with these letters
    and_: str
    or_: str


def _fts5_phrase(words: list[str]) -> str:
    # An FTS5 string is a phrase of the tokens inside it; '"' is escaped as '""'.
    return '"' + " ".join(words).replace('"', '""') + '"'


def _tsquery_phrase(words: list[str]) -> str:
    quoted = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words]
    return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"


_FTS5 = _Dialect(_fts5_phrase, lambda word: _fts5_phrase([word]) + " *", " AND ", " OR ")
_TSQUERY = _Dialect(_tsquery_phrase, lambda word: _tsquery_phrase([word]) + ":*", " & ", " | ")
_UMLAUT_SPELLING = re.compile(r"[aou]e")
_MAX_SPELLINGS = 16
_TO_PLAIN = str.maketrans({"#": "", "@": "", "_": " "})


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
        hint = Text("Type at least one word; punctuation and links are ignored.")
        message = Text("The search %(words)s has no word to look for.", words=repr(words))
        raise QueryError(message, words, 0, hint)
    return found


def _prefilter(node: Node, dialect: _Dialect) -> str | None:
    if isinstance(node, Word):
        return _word(node, dialect)
    if isinstance(node, Phrase):
        return _phrase(node, dialect)
    if isinstance(node, Near):
        return _all([_prefilter(operand, dialect) for operand in node.operands], dialect)
    if isinstance(node, Title):
        return _prefilter(node.child, dialect)  # the index holds the title's words too
    if isinstance(node, Field | Range | Not):
        return None
    parts = [_prefilter(child, dialect) for child in node.children]
    if isinstance(node, And):
        return _all(parts, dialect)
    return _any(parts, dialect)


def _word(word: Word, dialect: _Dialect) -> str | None:
    """Posts with ``word`` in any form it matches: loose, transliterated, any case."""
    if word.kind == "symbol":
        return None  # symbols are not indexed
    loose = word.text if word.mode == "loose" else normalise(word.text)
    if not word.wildcard:
        return _plain(plain_words(loose), dialect)
    root = re.split(r"[*?]", loose, maxsplit=1)[0]
    words = root.translate(_TO_PLAIN).split(" ")
    whole, prefix = [w for w in words[:-1] if w], words[-1]
    parts = [_plain([w], dialect) for w in whole]
    if prefix:
        variants = _spellings(prefix)
        parts.append(
            _join([dialect.prefix(v) for v in variants], dialect.or_) if variants else None
        )
    return _all(parts, dialect)


def _phrase(phrase: Phrase, dialect: _Dialect) -> str | None:
    words: list[str] = []
    for word in phrase.words:
        if word.wildcard or word.kind == "symbol":
            # The index cannot say where a wildcard or symbol stands: all words, anywhere.
            return _all([_word(word, dialect) for word in phrase.words], dialect)
        words += plain_words(word.text if word.mode == "loose" else normalise(word.text))
    return _plain(words, dialect)


def _plain(words: list[str], dialect: _Dialect) -> str | None:
    """Consecutive words, each in every spelling a transliteration may stand for."""
    if not words:
        return None  # a token like "#_" has no index word
    spellings = [_spellings(word) for word in words]
    if any(not found for found in spellings):
        return (
            _all([_plain([word], dialect) for word in words], dialect) if len(words) > 1 else None
        )
    total = 1
    for found in spellings:
        total *= len(found)
    if total > _MAX_SPELLINGS:
        return _all([_plain([word], dialect) for word in words], dialect)
    phrases = [dialect.phrase(list(chosen)) for chosen in itertools.product(*spellings)]
    return _join(phrases, dialect.or_)


def _spellings(word: str) -> list[str]:
    """The index words a loose query word can match: ``mueller`` is ``mueller`` or ``muller``.

    The index holds loose forms, where ``ü`` is ``u``; a query word spelled with
    ``ue`` also matches ``ü`` through its transliteration. Empty when there are
    too many combinations to list.
    """
    places = [match.start() for match in _UMLAUT_SPELLING.finditer(word)]
    if 2 ** len(places) > _MAX_SPELLINGS:
        return []
    found = []
    for chosen in itertools.product((False, True), repeat=len(places)):
        spelled = list(word)
        for place, shorten in zip(places, chosen, strict=True):
            if shorten:
                spelled[place + 1] = ""
        found.append("".join(spelled))
    return found


def _all(parts: list[str | None], dialect: _Dialect) -> str | None:
    kept = [part for part in parts if part is not None]
    return _join(kept, dialect.and_) if kept else None


def _any(parts: list[str | None], dialect: _Dialect) -> str | None:
    if not parts or any(part is None for part in parts):
        return None
    return _join([part for part in parts if part is not None], dialect.or_)


def _join(parts: list[str], operator: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + operator.join(parts) + ")"
