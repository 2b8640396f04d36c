"""Cut a topic query into lexemes, after blanking out its ``<<<comments>>>``.

Comments become spaces of the same length (line breaks kept), so every offset
still points into the query as the user wrote it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from horchposten.errors import QueryError
from horchposten.texts import Text

OPERATORS = ("AND", "OR", "NOT")

_COMMENT = re.compile(r"<<<.*?(?:>>>|\Z)", re.DOTALL)
_SPACE = re.compile(r"\s+")
# A field needs its value right after the colon: "Achtung: …" and links are words.
_FIELD = re.compile(r"[^\W\d_][\w.]*:(?=[^\s)/]|/(?!/))")
_NEAR = re.compile(r"NEAR(?:/\S*)?(?=[\s()\"]|\Z)")
_TILDE = re.compile(r"~[^\s()]*")
_PHRASE = re.compile(r'"[^"]*"?')
_CASED = re.compile(r"\{[^}]*\}?")
_RANGE = re.compile(r"\[[^\]]*\]?")
_WORD = re.compile(r'[^\s()"{}~]+')
_SURROGATE = re.compile("[\ud800-\udfff]")


class Lexeme(NamedTuple):
    # "(", ")", "AND", "OR", "NOT", "NEAR", "~", "phrase", "cased", "field", "range", "word"
    kind: str
    text: str
    offset: int

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


def refuse_surrogates(query: str) -> None:
    """Raise ``QueryError`` at the first lone surrogate: a half of a UTF-16 pair, no character.

    JSON escapes (``"\\ud800"``) and undecodable command-line bytes bring them in;
    they cannot be stored, compared or printed. The error's copy of the query shows
    them as U+FFFD, so that it can be printed; offsets stay the same.
    """
    found = _SURROGATE.search(query)
    if found is not None:
        raise QueryError(
            Text(
                "The query contains U+%(code)s, half of a UTF-16 surrogate pair,"
                " which is not a character.",
                code=f"{ord(found.group()):04X}",
            ),
            _SURROGATE.sub("\ufffd", query),
            found.start(),
            Text("Remove it, or send the query as valid UTF-8."),
        )


def blank_comments(query: str) -> str:
    """``query`` with each comment replaced by spaces; an unclosed one is an error."""

    def blank(match: re.Match[str]) -> str:
        if not match.group().endswith(">>>") or len(match.group()) < 6:
            raise QueryError(
                Text("This comment is never closed."),
                query,
                match.start(),
                Text("Close it with '>>>'."),
            )
        return re.sub(r"[^\n]", " ", match.group())

    return _COMMENT.sub(blank, query) if "<<<" in query else query


def lex(text: str) -> list[Lexeme]:
    """The lexemes of a comment-free query."""
    lexemes: list[Lexeme] = []
    pos = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space is not None:
            pos = space.end()
            continue
        lexeme = _one(text, pos, lexemes[-1] if lexemes else None)
        lexemes.append(lexeme)
        pos = lexeme.end
    return lexemes


def _one(text: str, pos: int, previous: Lexeme | None) -> Lexeme:
    char = text[pos]
    if char in "()":
        return Lexeme(char, char, pos)
    after_field = previous is not None and previous.kind == "field" and previous.end == pos
    for kind, pattern in _PATTERNS:
        if kind == "range" and not after_field and " TO " not in text[pos : text.find("]", pos)]:
            continue
        found = pattern.match(text, pos)
        if found is None:
            continue
        if kind == "word" and found.group() in OPERATORS:
            kind = found.group()
        return Lexeme(kind, found.group(), pos)
    # Only a lone brace or bracket closing nothing is left.
    return Lexeme("word", char, pos)


_PATTERNS = (
    ("phrase", _PHRASE),
    ("cased", _CASED),
    ("range", _RANGE),
    ("~", _TILDE),
    ("NEAR", _NEAR),
    ("field", _FIELD),
    ("word", _WORD),
)
