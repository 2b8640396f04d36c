"""Parse a topic query of the subset language into an ``ast`` tree.

The subset (docs/query-language.md): words, ``#hashtags``, ``@mentions``,
``"exact phrases"``, ``AND``, ``OR``, ``NOT`` and parentheses. Syntax of the full
language is refused by name, so a query accepted today keeps its meaning when
the full language arrives.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from horchposten.errors import QueryError
from horchposten.query.ast import And, Node, Not, Or, Phrase, Term
from horchposten.text import tokens

OPERATORS = ("AND", "OR", "NOT")

_LEXEME = re.compile(r'\s+|[()]|"[^"]*"?|[^\s()"]+')
# Inside a word; the leftmost hit wins, so the error points at the first one.
_FULL_SYNTAX = re.compile(r"(?P<comment><<<)|(?P<case>[{}])|(?P<tilde>~)|(?P<wildcard>[*?])")
_NEAR = re.compile(r"NEAR(?:/\w*)?")
# A field needs a value right after the colon: "Achtung:" and links are words.
_FIELD = re.compile(r"[^\W\d_][\w.-]*:(?=[^\s)/]|/(?!/))")
_WILDCARD = re.compile(r"[*?]")
_NOT_YET = "is part of the full query language, which is not supported yet."
_CONSTRUCTS = {
    "comment": ("A '<<<comment>>>'", "Remove the comment."),
    "case": ("Case-sensitive matching with '{…}'", "Matching ignores case; remove the braces."),
    "tilde": ("The '~' proximity operator", "Use AND, or an exact phrase in quotes."),
    "near": ("The 'NEAR/n' proximity operator", "Use AND, or an exact phrase in quotes."),
    "field": ("A 'field:value' search", "Search for the words, like 'nivea' for 'title:nivea'."),
}
_WILDCARD_HINTS = {
    "*": "Write the whole word, or list its forms with OR, like '(creme OR cremes)'.",
    "?": "Write the whole word; a '?' meant as punctuation can go, as matching ignores it.",
}


class _Lexeme(NamedTuple):
    kind: str  # "(", ")", "AND", "OR", "NOT", "word" or "phrase"
    text: str
    offset: int


def parse(query: str) -> Node:
    """The syntax tree of ``query``; raises ``QueryError`` pointing at the problem."""
    return _Parser(query).parse()


def _lex(query: str) -> list[_Lexeme]:
    lexemes = []
    for match in _LEXEME.finditer(query):
        text = match.group()
        if text.isspace():
            continue
        if text in ("(", ")") or text in OPERATORS:
            kind = text
        else:
            kind = "phrase" if text.startswith('"') else "word"
        lexemes.append(_Lexeme(kind, text, match.start()))
    return lexemes


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.lexemes = _lex(query)
        self.pos = 0
        self.end = 0  # where the last taken lexeme ends

    def parse(self) -> Node:
        node = self.sequence(None)
        stray = self.peek()
        if stray is not None:
            raise self.missing_before_close(None, stray)
        return node

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def take(self) -> _Lexeme:
        lexeme = self.lexemes[self.pos]
        self.pos += 1
        self.end = lexeme.offset + len(lexeme.text)
        return lexeme

    def here(self) -> int:
        lexeme = self.peek()
        return len(self.query) if lexeme is None else lexeme.offset

    def error(self, message: str, offset: int, hint: str = "") -> QueryError:
        return QueryError(message, self.query, offset, hint)

    def sequence(self, opening: _Lexeme | None) -> Node:
        """Operands joined by one kind of operator, up to ')' or the end."""
        start = self.here()
        children = [self.operand(opening)]
        last = (start, self.end)
        kind = None
        while (lexeme := self.peek()) is not None and lexeme.kind != ")":
            operator = self.take() if lexeme.kind in ("AND", "OR") else None
            this_kind = "OR" if operator is not None and operator.kind == "OR" else "AND"
            operand_start = self.here()
            child = self.operand(operator)
            if kind is not None and this_kind != kind:
                at = operand_start if operator is None else operator.offset
                raise self.mixed(at, start, last, children[-1], implicit=operator is None)
            kind = this_kind
            children.append(child)
            last = (operand_start, self.end)
        if opening is not None:
            if self.peek() is None:
                raise self.missing_at_end(opening)
            self.take()
        return self.combine(kind, children, opening)

    def operand(self, after: _Lexeme | None) -> Node:
        """A term, phrase or group, possibly excluded by a leading NOT."""
        lexeme = self.peek()
        negation = self.take() if lexeme is not None and lexeme.kind == "NOT" else None
        if negation is not None:
            after, lexeme = negation, self.peek()
        if lexeme is None or lexeme.kind in (")", "AND", "OR", "NOT"):
            raise self.missing(after, lexeme)
        node = self.primary()
        return node if negation is None else Not(node, negation.offset)

    def primary(self) -> Node:
        lexeme = self.take()
        if lexeme.kind == "(":
            return self.sequence(lexeme)
        if lexeme.kind == "phrase":
            return self.phrase(lexeme)
        self.reject_full_language(lexeme)
        return self.term(lexeme.text, lexeme)

    def phrase(self, lexeme: _Lexeme) -> Node:
        text = lexeme.text
        if len(text) < 2 or not text.endswith('"'):
            raise self.error("This quote is never closed.", lexeme.offset, "Add a '\"'.")
        wildcard = _WILDCARD.search(text)
        if wildcard is not None:
            name, hint = f"The '{wildcard.group()}' wildcard", _WILDCARD_HINTS[wildcard.group()]
            raise self.error(f"{name} {_NOT_YET}", lexeme.offset + wildcard.start(), hint)
        return self.term(text[1:-1], lexeme)

    def term(self, body: str, lexeme: _Lexeme) -> Term | Phrase:
        words = tokens(body)
        if not words:
            message = f"'{lexeme.text}' has no word to look for; punctuation and links are ignored."
            raise self.error(message, lexeme.offset, "Remove it, or write the words you mean.")
        if len(words) == 1:
            return Term(words[0], lexeme.offset)
        return Phrase(tuple(words), lexeme.offset)

    def reject_full_language(self, lexeme: _Lexeme) -> None:
        if _FIELD.match(self.query, lexeme.offset):
            name, hint = _CONSTRUCTS["field"]
            raise self.error(f"{name} {_NOT_YET}", lexeme.offset, hint)
        if _NEAR.fullmatch(lexeme.text):
            name, hint = _CONSTRUCTS["near"]
            raise self.error(f"{name} {_NOT_YET}", lexeme.offset, hint)
        found = _FULL_SYNTAX.search(lexeme.text)
        if found is None:
            return
        construct = found.lastgroup or ""
        if construct == "wildcard":
            name, hint = f"The '{found.group()}' wildcard", _WILDCARD_HINTS[found.group()]
        else:
            name, hint = _CONSTRUCTS[construct]
        raise self.error(f"{name} {_NOT_YET}", lexeme.offset + found.start(), hint)

    def missing(self, after: _Lexeme | None, found: _Lexeme | None) -> QueryError:
        """The error for a missing term; ``after`` is what precedes the gap."""
        if found is None:
            return self.missing_at_end(after)
        if found.kind == ")":
            return self.missing_before_close(after, found)
        if after is None or after.kind == "(":
            message = f"'{found.text}' needs a term before it."
            return self.error(message, found.offset, "Add a term before it or remove it.")
        message = f"'{found.text}' cannot follow '{after.text}'; a term must come between."
        return self.error(message, found.offset, "Add a term or remove one of them.")

    def missing_at_end(self, after: _Lexeme | None) -> QueryError:
        if after is None:
            return self.error("The query is empty.", 0, "Write what to look for, like 'nivea'.")
        if after.kind == "(":
            return self.error("This '(' is never closed.", after.offset, "Add a ')'.")
        message = f"'{after.text}' at the end needs a term after it."
        return self.error(message, after.offset, "Add a term or remove it.")

    def missing_before_close(self, after: _Lexeme | None, close: _Lexeme) -> QueryError:
        if after is None:
            return self.error("This ')' has no matching '('.", close.offset, "Remove it.")
        if after.kind == "(":
            return self.error("The parentheses are empty.", after.offset, "Put terms inside.")
        message = f"'{after.text}' needs a term after it, before the ')'."
        return self.error(message, after.offset, "Add a term or remove it.")

    def mixed(
        self, at: int, start: int, last: tuple[int, int], last_child: Node, *, implicit: bool
    ) -> QueryError:
        """AND and OR at one level: show both ways to add parentheses."""
        left, tail = self.query[start : last[1]], self.query[last[1] : self.end]
        options = [f"'({left}){tail}'"]
        if not isinstance(last_child, Not):
            before, final = self.query[start : last[0]], self.query[last[0] : last[1]]
            options.append(f"'{before}({final}{tail})'")
        side_by_side = " (terms side by side mean AND)" if implicit else ""
        message = f"AND and OR are mixed without parentheses{side_by_side}."
        hint = f"Add parentheses to say which you mean: {' or '.join(options)}."
        return self.error(message, at, " ".join(hint.split()))

    def combine(self, kind: str | None, children: list[Node], opening: _Lexeme | None) -> Node:
        excluded = [child for child in children if isinstance(child, Not)]
        if kind == "OR" and excluded:
            message = "NOT cannot be one of the alternatives of OR."
            hint = "Exclude after the alternatives instead, like '(nivea OR creme) NOT sonne'."
            raise self.error(message, excluded[0].offset, hint)
        if len(excluded) == len(children):
            what = "The query" if opening is None else "This group"
            offset = children[0].offset if opening is None else opening.offset
            message = f"{what} only excludes words, which would match almost every post."
            raise self.error(message, offset, "Add a term to look for, like 'nivea NOT sonne'.")
        if len(children) == 1:
            return children[0]
        return Or(tuple(children)) if kind == "OR" else And(tuple(children))
