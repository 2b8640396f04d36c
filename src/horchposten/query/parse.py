"""Parse a topic query (docs/query-language.md) into an ``ast`` tree.

Grammar, loosest binding first::

    query    = sequence
    sequence = operand { [AND | OR] operand }     one kind of operator per level
    operand  = [NOT] near
    near     = primary [NEAR/n[f] primary]
    primary  = "(" sequence ")" ["~n"] | '"phrase"' ["~n"] | "{Cased}" | word
             | field ":" (value | "[" low TO high "]" | "(" sequence ")")

Errors carry the offset of the culprit; warnings (a lowercase operator, a short
wildcard root) are collected and do not stop the parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from horchposten.errors import QueryError
from horchposten.query import fields
from horchposten.query.ast import And, Field, Near, Node, Not, Or, Phrase, Range, Title, Word
from horchposten.query.lex import OPERATORS, Lexeme, blank_comments, lex, refuse_surrogates
from horchposten.text import (
    blank_links,
    composed,
    has_accents,
    lower_case,
    normalise,
    symbol_class,
    tokenize,
    without_links,
)
from horchposten.texts import Param, Text

MAX_DISTANCE = 100
# Deeper than any query a person writes, and far inside Python's recursion limit
# for the parser and for everything that walks the tree after it.
MAX_DEPTH = 50
_SHORT_ROOT = 3
_NEAR_FORM = re.compile(r"NEAR/(\d+)(f?)")
_TILDE_FORM = re.compile(r"~(\d+)")
_RANGE_FORM = re.compile(r"\[\s*(\S+)\s+TO\s+(\S+)\s*\]")
_CASED_PART = re.compile(r"\{([^}]*)\}")
_LOWER_OPERATOR = re.compile(r"(?i:and|or|not|near(?:/\d+f?)?)")


@dataclass(frozen=True)
class QueryWarning:
    """Something legal that is probably not what the writer meant.

    ``message`` and ``hint`` are English; ``text`` and ``hint_text`` the same as
    ``Text`` for the web UI to translate.
    """

    message: str
    query: str
    offset: int
    hint: str = ""
    kind: str = ""  # "lowercase operator" for a hint on a later error
    text: Text | None = field(default=None, compare=False)
    hint_text: Text | None = field(default=None, compare=False)

    @property
    def line(self) -> int:
        return self.query.count("\n", 0, self.offset) + 1

    @property
    def column(self) -> int:
        return self.offset - (self.query.rfind("\n", 0, self.offset) + 1) + 1

    def describe(self) -> str:
        """``line L, column C: message hint`` with the line and a caret under the spot."""
        error = QueryError(Text.verbatim(self.message), self.query, self.offset)
        text = f"line {error.line}, column {error.column}: {self.message}"
        return f"{text} {self.hint}".rstrip() + "\n" + error.pointer()


@dataclass(frozen=True)
class Parsed:
    node: Node
    warnings: list[QueryWarning]


def parse(query: str) -> Node:
    """The syntax tree of ``query``; raises ``QueryError`` pointing at the problem."""
    return parse_with_warnings(query).node


def parse_with_warnings(query: str) -> Parsed:
    parser = _Parser(query)
    return Parsed(parser.parse(), parser.warnings)


class _Parser:
    def __init__(self, query: str) -> None:
        refuse_surrogates(query)
        self.query = query
        self.lexemes = lex(blank_comments(query))
        self.pos = 0
        self.end = 0  # where the last taken lexeme ends
        self.warnings: list[QueryWarning] = []
        self.field: fields.FieldSpec | None = None  # inside "author:( … )"
        self.scope: str | None = None  # inside "title:( … )": no other fields there
        self.depth = 0  # open parentheses around the current position

    # --- reading lexemes ---------------------------------------------------

    def parse(self) -> Node:
        node = self.sequence(None)
        stray = self.peek()
        if stray is not None:
            raise self.missing_before_close(None, stray)
        return node

    def peek(self) -> Lexeme | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def peek_adjacent(self, kind: str) -> Lexeme | None:
        """The next lexeme if it is of ``kind`` and touches the previous one."""
        lexeme = self.peek()
        return (
            lexeme
            if lexeme is not None and lexeme.kind == kind and lexeme.offset == self.end
            else None
        )

    def take(self) -> Lexeme:
        lexeme = self.lexemes[self.pos]
        self.pos += 1
        self.end = lexeme.end
        return lexeme

    def here(self) -> int:
        lexeme = self.peek()
        return len(self.query) if lexeme is None else lexeme.offset

    def error(self, message: Text, offset: int, hint: Text | None = None) -> QueryError:
        return QueryError(message, self.query, offset, hint)

    def warn(self, message: Text, offset: int, hint: Text, kind: str = "") -> None:
        warning = QueryWarning(str(message), self.query, offset, str(hint), kind, message, hint)
        self.warnings.append(warning)

    # --- boolean structure ---------------------------------------------------

    def sequence(self, opening: Lexeme | None) -> Node:
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

    def operand(self, after: Lexeme | None) -> Node:
        """A near-expression, possibly excluded by a leading NOT."""
        lexeme = self.peek()
        negation = self.take() if lexeme is not None and lexeme.kind == "NOT" else None
        if negation is not None:
            after, lexeme = negation, self.peek()
        if lexeme is None or lexeme.kind in (")", "AND", "OR", "NOT", "NEAR"):
            raise self.missing(after, lexeme)
        node = self.near()
        return node if negation is None else Not(node, negation.offset)

    def near(self) -> Node:
        left = self.primary()
        operator = self.peek()
        if operator is None or operator.kind != "NEAR":
            return left
        self.take()
        if self.field is not None:
            message = Text("NEAR cannot be used inside %(field)s:( … ).", field=self.field.name)
            raise self.error(message, operator.offset)
        form = _NEAR_FORM.fullmatch(operator.text)
        if form is None:
            message = Text(
                "'%(operator)s' needs a distance: how many words may come between.",
                operator=operator.text,
            )
            hint = Text("Write it like NEAR/5, or NEAR/5f for 'in this order'.")
            raise self.error(message, operator.offset, hint)
        distance = self.distance(form.group(1), operator.offset)
        right_lexeme = self.peek()
        if right_lexeme is None or right_lexeme.kind in (")", "AND", "OR", "NOT", "NEAR"):
            raise self.missing(operator, right_lexeme)
        right = self.primary()
        for operand in (left, right):
            self.check_near_operand(operand, operator.text)
        following = self.peek()
        if following is not None and following.kind == "NEAR":
            raise self.error(
                Text("One NEAR at a time: chained NEARs are ambiguous."),
                following.offset,
                Text(
                    "Join two proximity searches with AND, like '(%(first)s) AND …'.",
                    first=self.query[left.offset : self.end],
                ),
            )
        return Near((left, right), distance, form.group(2) == "f", left.offset)

    def distance(self, digits: str, offset: int) -> int:
        distance = int(digits)
        if distance > MAX_DISTANCE:
            message = Text(
                "The distance %(distance)s is too large; it can be 0 to %(most)s.",
                distance=distance,
                most=MAX_DISTANCE,
            )
            hint = Text("Use a smaller distance, or AND for 'anywhere in the post'.")
            raise self.error(message, offset, hint)
        return distance

    def check_near_operand(self, node: Node, operator: str) -> None:
        ok = isinstance(node, Word | Phrase) or (
            isinstance(node, Or)
            and all(isinstance(child, Word | Phrase) for child in node.children)
        )
        if not ok:
            raise self.error(
                Text(
                    "%(operator)s works on words, phrases and groups of alternatives joined by OR.",
                    operator=operator,
                ),
                node.offset,
                Text("Move other conditions outside, like '(a NEAR/3 b) AND c'."),
            )

    # --- operands ------------------------------------------------------------

    def primary(self) -> Node:
        lexeme = self.take()
        if lexeme.kind == "(":
            group = self.group(lexeme)
            return self.proximity(group, lexeme) if self.peek_adjacent("~") else group
        if lexeme.kind == "~":
            message = Text(
                "'%(tilde)s' must follow a \"phrase\" or a group in parentheses directly.",
                tilde=lexeme.text,
            )
            raise self.error(message, lexeme.offset, Text('Write it like "nivea creme"~5.'))
        if lexeme.kind == "range":
            raise self.error(
                Text("A range needs a field before it."),
                lexeme.offset,
                Text("Write it like likes:[10 TO *]."),
            )
        if lexeme.kind == "field":
            return self.field_search(lexeme)
        if self.field is not None:
            return self.field_value(self.field, lexeme)
        if lexeme.kind == "phrase":
            return self.phrase(lexeme)
        if lexeme.kind == "cased":
            return self.cased(lexeme)
        return self.word(lexeme)

    def group(self, opening: Lexeme) -> Node:
        """What the parentheses opened by ``opening`` hold, up to ``MAX_DEPTH`` deep."""
        if self.depth == MAX_DEPTH:
            message = Text("Parentheses are nested more than %(most)s deep here.", most=MAX_DEPTH)
            hint = Text("Remove parentheses that group nothing, or split the query.")
            raise self.error(message, opening.offset, hint)
        self.depth += 1
        try:
            return self.sequence(opening)
        finally:
            self.depth -= 1

    def word(self, lexeme: Lexeme) -> Node:
        if _LOWER_OPERATOR.fullmatch(lexeme.text):
            operator = lexeme.text.upper()
            self.warn(
                Text(
                    "'%(word)s' is searched as a word; only uppercase %(operator)s is an operator.",
                    word=lexeme.text,
                    operator=operator.split("/")[0],
                ),
                lexeme.offset,
                Text("Write %(operator)s if you meant the operator.", operator=operator),
                kind="lowercase operator",
            )
        spec = fields.lookup(lexeme.text[:-1]) if lexeme.text.endswith(":") else None
        if spec is not None:
            self.warn(
                Text(
                    "'%(text)s' is searched as the word '%(word)s' (a space follows).",
                    text=lexeme.text,
                    word=lexeme.text[:-1],
                ),
                lexeme.offset,
                Text(
                    "Write the value right after the colon, like %(example)s.", example=spec.example
                ),
            )
        if lexeme.text.startswith(("{", "}", "[", "]")) and len(lexeme.text) == 1:
            raise self.error(
                Text("This '%(char)s' is not part of anything.", char=lexeme.text),
                lexeme.offset,
                Text("Remove it."),
            )
        return self.words(lexeme.text, lexeme.offset, lexeme, cased=False)

    def phrase(self, lexeme: Lexeme) -> Node:
        text = lexeme.text
        if len(text) < 2 or not text.endswith('"'):
            raise self.error(
                Text("This quote is never closed."), lexeme.offset, Text("Add a '\"'.")
            )
        words: list[Word] = []
        pos = 1
        for part in _CASED_PART.finditer(text, 1, len(text) - 1):
            words += self.word_list(text[pos : part.start()], lexeme.offset + pos, cased=False)
            words += self.word_list(part.group(1), lexeme.offset + part.start(1), cased=True)
            pos = part.end()
        words += self.word_list(text[pos:-1], lexeme.offset + pos, cased=False)
        if not words:
            raise self.nothing(lexeme)
        if self.peek_adjacent("~"):
            if len(words) < 2:
                raise self.error(
                    Text("'~n' needs at least two words in the phrase."),
                    lexeme.offset,
                    Text("Add a word, or remove '~n'."),
                )
            return self.proximity(And(tuple(words)), lexeme)
        return words[0] if len(words) == 1 else Phrase(tuple(words), lexeme.offset)

    def cased(self, lexeme: Lexeme) -> Node:
        if not lexeme.text.endswith("}") or len(lexeme.text) < 2:
            raise self.error(Text("This '{' is never closed."), lexeme.offset, Text("Add a '}'."))
        return self.words(lexeme.text[1:-1], lexeme.offset + 1, lexeme, cased=True)

    def words(self, text: str, offset: int, lexeme: Lexeme, *, cased: bool) -> Node:
        words = self.word_list(text, offset, cased=cased)
        if not words:
            raise self.nothing(lexeme)
        return words[0] if len(words) == 1 else Phrase(tuple(words), offset)

    def nothing(self, lexeme: Lexeme) -> QueryError:
        message = Text(
            "'%(text)s' has no word to look for; punctuation and links are ignored.",
            text=lexeme.text,
        )
        hint = Text("Remove it, or write the words you mean.")
        if without_links(lexeme.text).strip() != lexeme.text.strip():
            hint = Text("To find posts with a link, use links:DOMAIN or url:ADDRESS.")
        return self.error(message, lexeme.offset, hint)

    def word_list(self, text: str, offset: int, *, cased: bool) -> list[Word]:
        """The words of ``text`` (which starts at ``offset`` in the query)."""
        source = composed(text)
        # Offsets are exact unless composing changed the length (rare): then
        # every word points at the start of the text.
        exact = len(source) == len(text)
        return [
            self.piece(piece.group(), offset + (piece.start() if exact else 0), cased=cased)
            for piece in _piece_pattern().finditer(blank_links(source))
        ]

    def piece(self, piece: str, offset: int, *, cased: bool) -> Word:
        if "*" not in piece and "?" not in piece:
            [token] = tokenize(piece)
            if cased:
                return Word(token.cased, token.kind, "cased", False, offset)
            if has_accents(token.lower):
                return Word(token.lower, token.kind, "accented", False, offset)
            return Word(token.loose, token.kind, "loose", False, offset)
        sign = piece[0] if piece[0] in "#@" else ""
        body = piece[len(sign) :]
        if body[0] in "*?":
            raise self.error(
                Text(
                    "'%(piece)s' starts with a wildcard, which would have to try every word.",
                    piece=piece,
                ),
                offset + len(sign),
                Text("Start with at least %(count)s letters, like 'nive*'.", count=_SHORT_ROOT),
            )
        root = re.split(r"[*?]", body, maxsplit=1)[0]
        if len(root) < _SHORT_ROOT:
            short = (
                Text("'%(piece)s' has a root of only 1 letter; it matches very many words.")
                if len(root) == 1
                else Text(
                    "'%(piece)s' has a root of only %(count)s letters; it matches very many words."
                )
            )
            self.warn(
                short.but(piece=piece, count=len(root)),
                offset,
                Text("Make the root at least %(count)s letters long.", count=_SHORT_ROOT),
            )
        if body.endswith("?"):
            self.warn(
                Text("The '?' in '%(piece)s' stands for exactly one letter.", piece=piece),
                offset + len(piece) - 1,
                Text("Remove it if it is a question mark; punctuation is ignored anyway."),
            )
        kind = {"#": "hashtag", "@": "mention", "": "word"}[sign]
        if cased:
            return Word(piece, kind, "cased", True, offset)
        if has_accents(lower_case(piece)):
            return Word(lower_case(piece), kind, "accented", True, offset)
        return Word(sign + re.sub(r"[^\w*?]", "", normalise(body)), kind, "loose", True, offset)

    def proximity(self, group: Node, opening: Lexeme) -> Node:
        tilde = self.take()
        form = _TILDE_FORM.fullmatch(tilde.text)
        if form is None:
            message = Text("'%(tilde)s' needs a distance.", tilde=tilde.text)
            raise self.error(message, tilde.offset, Text("Write it like ~5."))
        distance = self.distance(form.group(1), tilde.offset)
        if not isinstance(group, And) or any(isinstance(child, Not) for child in group.children):
            raise self.error(
                Text("'~n' after parentheses needs words joined by AND."),
                tilde.offset,
                Text("Write it like (nivea AND creme)~5, or use NEAR/n."),
            )
        for child in group.children:
            self.check_near_operand(child, tilde.text)
        return Near(group.children, distance, False, opening.offset)

    # --- fields --------------------------------------------------------------

    def field_search(self, lexeme: Lexeme) -> Node:
        name = lexeme.text[:-1]
        spec = fields.lookup(name)
        if spec is None:
            reason = fields.UNAVAILABLE.get(name.lower())
            if reason is not None:
                message = Text("The field '%(name)s:' cannot be evaluated.", name=name)
                raise self.error(message, lexeme.offset, reason)
            raise self.error(
                Text("There is no field '%(name)s:'.", name=name),
                lexeme.offset,
                Text(
                    "Known fields: %(fields)s. To search the word, write it without ':'.",
                    fields=fields.known_names(),
                ),
            )
        if self.field is not None or self.scope is not None:
            inside = self.field.name if self.field is not None else self.scope
            raise self.error(
                Text(
                    "'%(text)s' cannot be used inside %(field)s:( … ).",
                    text=lexeme.text,
                    field=inside or "",
                ),
                lexeme.offset,
                Text("Move it outside the parentheses."),
            )
        value = self.peek()
        if value is None or value.offset != lexeme.end:
            raise self.error(
                Text("%(field)s: needs a value right after the colon.", field=spec.name),
                lexeme.end,
                fields.write_like(spec),
            )
        if spec.kind == "title":
            if value.kind in ("field", "range"):
                raise self.error(
                    Text("title: takes words, phrases or a group."),
                    value.offset,
                    fields.write_like(spec),
                )
            self.scope = "title"
            try:
                return Title(self.primary(), lexeme.offset)
            finally:
                self.scope = None
        if spec.kind == "range":
            return self.range(spec, self.take())
        if value.kind == "(":
            self.field = spec
            try:
                return self.primary()
            finally:
                self.field = None
        return self.field_value(spec, self.take(), lexeme.offset)

    def field_value(
        self, spec: fields.FieldSpec, lexeme: Lexeme, offset: int | None = None
    ) -> Node:
        """``spec``'s value in ``lexeme``; the node starts at ``offset`` (the field name)."""
        if lexeme.kind not in ("word", "phrase"):
            message = Text("%(field)s: needs a value here.", field=spec.name)
            raise self.error(message, lexeme.offset, fields.write_like(spec))
        text = lexeme.text
        if lexeme.kind == "phrase":
            if len(text) < 2 or not text.endswith('"'):
                message = Text("This quote is never closed.")
                raise self.error(message, lexeme.offset, Text("Add a '\"'."))
            text = text[1:-1]
        try:
            value = fields.clean_value(spec, text)
        except fields.FieldValueError as exc:
            raise self.error(exc.text, lexeme.offset, exc.hint_text) from None
        return Field(spec.name, value, lexeme.offset if offset is None else offset)

    def range(self, spec: fields.FieldSpec, lexeme: Lexeme) -> Node:
        if lexeme.kind == "word":
            bounds = (lexeme.text, lexeme.text)
        elif lexeme.kind == "range":
            if not lexeme.text.endswith("]"):
                raise self.error(
                    Text("This '[' is never closed."), lexeme.offset, Text("Add a ']'.")
                )
            form = _RANGE_FORM.fullmatch(lexeme.text)
            if form is None:
                message = Text("'%(text)s' is not a range.", text=lexeme.text)
                hint = Text("Write it like %(example)s (TO in uppercase).", example=spec.example)
                raise self.error(message, lexeme.offset, hint)
            bounds = (form.group(1), form.group(2))
        else:
            raise self.error(
                Text("%(field)s: takes a number or a range.", field=spec.name),
                lexeme.offset,
                fields.write_like(spec),
            )
        try:
            low, high = (fields.clean_bound(spec, bound) for bound in bounds)
        except fields.FieldValueError as exc:
            raise self.error(exc.text, lexeme.offset, exc.hint_text) from None
        if low is not None and high is not None and low > high:
            raise self.error(
                Text("The range starts above its end."),
                lexeme.offset,
                Text("Swap the two numbers."),
            )
        return Range(spec.name, low, high, lexeme.offset)

    # --- errors --------------------------------------------------------------

    def missing(self, after: Lexeme | None, found: Lexeme | None) -> QueryError:
        """The error for a missing term; ``after`` is what precedes the gap."""
        if found is None:
            return self.missing_at_end(after)
        if found.kind == ")":
            return self.missing_before_close(after, found)
        if after is None or after.kind == "(":
            message = Text("'%(text)s' needs a term before it.", text=found.text)
            return self.error(message, found.offset, Text("Add a term before it or remove it."))
        message = Text(
            "'%(text)s' cannot follow '%(after)s'; a term must come between.",
            text=found.text,
            after=after.text,
        )
        return self.error(message, found.offset, Text("Add a term or remove one of them."))

    def missing_at_end(self, after: Lexeme | None) -> QueryError:
        if after is None:
            hint = Text("Write what to look for, like 'nivea'.")
            return self.error(Text("The query is empty."), 0, hint)
        if after.kind == "(":
            return self.error(Text("This '(' is never closed."), after.offset, Text("Add a ')'."))
        message = Text("'%(text)s' at the end needs a term after it.", text=after.text)
        return self.error(message, after.offset, Text("Add a term or remove it."))

    def missing_before_close(self, after: Lexeme | None, close: Lexeme) -> QueryError:
        if after is None:
            message = Text("This ')' has no matching '('.")
            return self.error(message, close.offset, Text("Remove it."))
        if after.kind == "(":
            message = Text("The parentheses are empty.")
            return self.error(message, after.offset, Text("Put terms inside."))
        message = Text("'%(text)s' needs a term after it, before the ')'.", text=after.text)
        return self.error(message, after.offset, Text("Add a term or remove it."))

    def mixed(
        self, at: int, start: int, last: tuple[int, int], last_child: Node, *, implicit: bool
    ) -> QueryError:
        """AND and OR at one level: show both ways to add parentheses, up to the level's end."""
        end = self.level_end()
        left, tail = self.query[start : last[1]], self.query[last[1] : end]
        params: dict[str, Param] = {"first": " ".join(f"({left}){tail}".split())}
        excluded = isinstance(last_child, Not)
        if not excluded:
            before, final = self.query[start : last[0]], self.query[last[0] : last[1]]
            params["second"] = " ".join(f"{before}({final}{tail})".split())
        message = (
            Text("AND and OR are mixed without parentheses (terms side by side mean AND).")
            if implicit
            else Text("AND and OR are mixed without parentheses.")
        )
        lowercase = [
            w for w in self.warnings if w.kind == "lowercase operator" and start <= w.offset < end
        ]
        if lowercase:
            word = self.query[lowercase[0].offset :].split()[0]
            params |= {"upper": word.upper(), "word": word}
        hint = _MIXED_HINTS[excluded, bool(lowercase)].but(**params)
        return self.error(message, at, hint)

    def level_end(self) -> int:
        """Where the current level ends: before its closing ')' or at the query's end."""
        depth, end = 0, self.end
        for lexeme in self.lexemes[self.pos :]:
            if lexeme.kind == ")":
                if depth == 0:
                    break
                depth -= 1
            elif lexeme.kind == "(":
                depth += 1
            end = lexeme.end
        return end

    def combine(self, kind: str | None, children: list[Node], opening: Lexeme | None) -> Node:
        excluded = [child for child in children if isinstance(child, Not)]
        if kind == "OR" and excluded:
            message = Text("NOT cannot be one of the alternatives of OR.")
            hint = Text(
                "Exclude after the alternatives instead, like '(nivea OR creme) NOT sonne'."
            )
            raise self.error(message, excluded[0].offset, hint)
        if len(excluded) == len(children):
            offset = children[0].offset if opening is None else opening.offset
            message = (
                Text("The query only excludes words, which would match almost every post.")
                if opening is None
                else Text("This group only excludes words, which would match almost every post.")
            )
            hint = Text("Add a term to look for, like 'nivea NOT sonne'.")
            raise self.error(message, offset, hint)
        if len(children) == 1:
            return children[0]
        return Or(tuple(children)) if kind == "OR" else And(tuple(children))


# How to add parentheses, by (the last term is a NOT, a lowercase operator is near).
_MIXED_HINTS = {
    (True, False): Text("Add parentheses to say which you mean: '%(first)s'."),
    (False, False): Text("Add parentheses to say which you mean: '%(first)s' or '%(second)s'."),
    (True, True): Text(
        "Add parentheses to say which you mean: '%(first)s'."
        " Or did you mean '%(upper)s' instead of the word '%(word)s'?"
    ),
    (False, True): Text(
        "Add parentheses to say which you mean: '%(first)s' or '%(second)s'."
        " Or did you mean '%(upper)s' instead of the word '%(word)s'?"
    ),
}


@cache
def _piece_pattern() -> re.Pattern[str]:
    """Query words: like text tokens, but ``*`` and ``?`` count as letters."""
    return re.compile(rf"[#@](?<!\w[#@])[\w*?]+|(?:[^\W_]|[*?])+|[{symbol_class()}]")


__all__ = ["OPERATORS", "Parsed", "QueryWarning", "parse", "parse_with_warnings"]
