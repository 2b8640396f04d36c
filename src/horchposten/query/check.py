"""``query check``: a query's canonical form and its warnings.

The canonical form spells out every implicit ``AND``, drops comments, writes
each word the way it is compared and uses one spelling per construct
(``"a b"~3`` and ``(a AND b)~3`` both become ``a NEAR/3 b``). Parsing the
canonical form gives the same tree again.
"""

from __future__ import annotations

from dataclasses import dataclass

from horchposten.query.ast import And, Field, Near, Node, Not, Or, Phrase, Range, Title, Word
from horchposten.query.lex import Lexeme, lex
from horchposten.query.parse import QueryWarning, parse_with_warnings


@dataclass(frozen=True)
class Checked:
    node: Node
    canonical: str
    warnings: list[QueryWarning]


def check(query: str) -> Checked:
    """Parse ``query`` (raising ``QueryError``) and describe it."""
    parsed = parse_with_warnings(query)
    return Checked(parsed.node, canonical(parsed.node), parsed.warnings)


def canonical(node: Node) -> str:
    """The query in its one canonical spelling."""
    if isinstance(node, Word):
        return _word(node)
    if isinstance(node, Phrase):
        return '"' + " ".join(_word(word) for word in node.words) + '"'
    if isinstance(node, Near):
        operands = [_near_operand(operand) for operand in node.operands]
        if len(operands) == 2:
            operator = f"NEAR/{node.distance}{'f' if node.ordered else ''}"
            return f"{operands[0]} {operator} {operands[1]}"
        return f"({' AND '.join(operands)})~{node.distance}"
    if isinstance(node, Field):
        bare = f"{node.name}:{node.value}"
        return bare if _reads_back(bare, node.value) else f'{node.name}:"{node.value}"'
    if isinstance(node, Range):
        return f"{node.name}:[{_bound(node.low)} TO {_bound(node.high)}]"
    if isinstance(node, Title):
        inner = canonical(node.child)
        return f"title:{inner}" if isinstance(node.child, Word | Phrase) else f"title:({inner})"
    if isinstance(node, Not):
        return f"NOT {_grouped(node.child)}"
    if isinstance(node, Or):
        return " OR ".join(_grouped(child) for child in node.children)
    first = node.children[0]
    parts = [canonical(first) if isinstance(first, Not) else _grouped(first)]
    for child in node.children[1:]:
        # "a AND b NOT c", as Brandwatch writes it.
        parts.append(canonical(child) if isinstance(child, Not) else f"AND {_grouped(child)}")
    return " ".join(parts)


def _reads_back(bare: str, value: str) -> bool:
    """Whether ``field:value`` lexes as the field and the whole value as one word.

    A value like ``likes:x`` or ``AND`` would read as another field or an operator.
    """
    lexemes = lex(bare)
    return len(lexemes) == 2 and lexemes[1] == Lexeme("word", value, len(bare) - len(value))


def _grouped(node: Node) -> str:
    text = canonical(node)
    return f"({text})" if isinstance(node, And | Or) else text


def _near_operand(node: Node) -> str:
    return f"({canonical(node)})" if isinstance(node, Or) else canonical(node)


def _word(word: Word) -> str:
    return "{" + word.text + "}" if word.mode == "cased" else word.text


def _bound(value: float | None) -> str:
    if value is None:
        return "*"
    return str(int(value)) if value.is_integer() else repr(value)
