"""Every example in docs/query-language.md, run against the parser and matcher.

The format of an example in the docs:

    ```query
    QUERY (any number of lines)
    ```

    EXPECTATION
    EXPECTATION …

Blank lines may stand between the expectations; the first line that is neither
blank nor an expectation ends the example. An expectation is one of:

    Matches: TEXT                 a post whose text is TEXT matches
    Does not match: TEXT          … does not match
    Matches post: {JSON}          an interchange post matches; "id" and
    Does not match post: {JSON}   "created_at" get defaults, and the key
                                  "_enrichments" holds enrichment fields
    Canonical: QUERY              check(query).canonical is exactly QUERY
    Warning: line L, column C: M  a warning starts with this; all the
                                  query's warnings are listed, in order
    Error: line L, column C: M    the QueryError's text starts with
                                  "Query error at line L, column C: M"

A fenced ```pointer block right after an Error or Warning line holds the query
line and the caret under the spot, as QueryError.pointer() writes them.

Every post that matches is also looked up with the full-text prefilter of
retroactive search, which must find it.

A line shaped like an expectation ("Label: …", one to four words) with an
unknown label, an expectation or pointer that follows no example, a query block
without expectations, or an Error next to other expectations is a mistake in
the docs and fails the tests.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from horchposten.errors import QueryError
from horchposten.models import Post
from horchposten.query import Node, QueryWarning, check, compile_query, fields, fts5_match
from horchposten.store.fulltext import SQLITE_CREATE
from horchposten.text import search_document

DOCS = Path(__file__).parent.parent / "docs" / "query-language.md"
POST_DEFAULTS = {"id": "example", "created_at": "2026-11-02T12:00:00Z"}
ENRICHMENTS_KEY = "_enrichments"

MATCHING = {
    "Matches": True,
    "Does not match": False,
    "Matches post": True,
    "Does not match post": False,
}
KINDS = (*MATCHING, "Canonical", "Warning", "Error")
_LABELLED = re.compile(r"(?P<kind>[A-Z][a-z]*(?: [a-z]+){0,3}): (?P<text>.*)")


class DocFormatError(Exception):
    """The docs break the example format."""


@dataclass(frozen=True)
class Expectation:
    kind: str
    text: str
    pointer: str | None = None


@dataclass(frozen=True)
class Example:
    line: int  # of the ```query fence, 1-based
    query: str
    expectations: tuple[Expectation, ...]


# --- reading the docs ---------------------------------------------------------


def read_examples(markdown: str) -> list[Example]:
    """The ``query`` blocks of ``markdown`` with their expectations."""
    lines = markdown.splitlines()
    examples = []
    index = 0
    while index < len(lines):
        if lines[index] != "```query":
            _refuse_stray(lines[index], index)
            index += 1
            continue
        end = _closing_fence(lines, index)
        query = "\n".join(lines[index + 1 : end])
        expectations, after = _expectations(lines, end + 1)
        if not expectations:
            raise DocFormatError(f"line {index + 1}: the example {query!r} expects nothing")
        examples.append(Example(index + 1, query, expectations))
        index = after
    return examples


def _refuse_stray(line: str, index: int) -> None:
    """An expectation outside an example would never be checked."""
    labelled = _LABELLED.fullmatch(line)
    if line == "```pointer" or (labelled is not None and labelled["kind"] in KINDS):
        raise DocFormatError(f"line {index + 1}: {line!r} follows no example")


def _closing_fence(lines: list[str], start: int) -> int:
    for index in range(start + 1, len(lines)):
        if lines[index] == "```":
            return index
    raise DocFormatError(f"line {start + 1}: the block is never closed")


def _expectations(lines: list[str], index: int) -> tuple[tuple[Expectation, ...], int]:
    """The expectations from ``lines[index]`` on, and the index after them."""
    found: list[Expectation] = []
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if line == "```pointer":
            end = _closing_fence(lines, index)
            if not found or found[-1].kind not in ("Error", "Warning") or found[-1].pointer:
                raise DocFormatError(f"line {index + 1}: a pointer must follow an Error or Warning")
            found[-1] = Expectation(
                found[-1].kind, found[-1].text, "\n".join(lines[index + 1 : end])
            )
            index = end + 1
            continue
        labelled = _LABELLED.fullmatch(line)
        if labelled is None:
            break
        if labelled["kind"] not in KINDS:
            raise DocFormatError(f"line {index + 1}: unknown expectation {labelled['kind']!r}")
        found.append(Expectation(labelled["kind"], labelled["text"]))
        index += 1
    kinds = {expectation.kind for expectation in found}
    if "Error" in kinds and len(found) > 1:
        raise DocFormatError(f"line {index}: an Error example can expect nothing else")
    return tuple(found), index


# --- running an example ---------------------------------------------------------


def run(example: Example) -> None:
    """Check every expectation of ``example``; raises ``AssertionError`` on the first miss."""
    errors = [e for e in example.expectations if e.kind == "Error"]
    if errors:
        _expect_error(example.query, errors[0])
        return
    checked = check(example.query)
    assert check(checked.canonical).node == checked.node, "the canonical form means the same"
    _expect_warnings(checked.warnings, [e for e in example.expectations if e.kind == "Warning"])
    compiled = compile_query(example.query)
    for expectation in example.expectations:
        if expectation.kind == "Canonical":
            assert checked.canonical == expectation.text
        elif expectation.kind in MATCHING:
            post, enrichments = _post(expectation)
            wanted = MATCHING[expectation.kind]
            assert compiled.matches(post, enrichments) is wanted, expectation
            if wanted:
                assert _prefilter_finds(checked.node, post), f"prefilter misses {expectation}"


def _expect_error(query: str, expectation: Expectation) -> None:
    try:
        check(query)
    except QueryError as error:
        assert str(error).startswith(f"Query error at {expectation.text}"), str(error)
        if expectation.pointer is not None:
            assert error.pointer() == expectation.pointer
    else:
        raise AssertionError(f"{query!r} is accepted")


def _expect_warnings(warnings: list[QueryWarning], expected: list[Expectation]) -> None:
    described = [warning.describe() for warning in warnings]
    assert len(described) == len(expected), f"warnings: {described}"
    for text, expectation in zip(described, expected, strict=True):
        first, _, pointer = text.partition("\n")
        assert first.startswith(expectation.text)
        if expectation.pointer is not None:
            assert pointer == expectation.pointer


def _post(expectation: Expectation) -> tuple[Post, dict[str, Any]]:
    if not expectation.kind.endswith(" post"):
        return Post.model_validate({**POST_DEFAULTS, "text": expectation.text}), {}
    data: dict[str, Any] = {**POST_DEFAULTS, **json.loads(expectation.text)}
    enrichments = data.pop(ENRICHMENTS_KEY, {})
    return Post.model_validate(data), enrichments


def _prefilter_finds(node: Node, post: Post) -> bool:
    """Whether the full-text prefilter of retroactive search finds ``post``."""
    expression = fts5_match(node)
    if expression is None:
        return True  # no prefilter: every stored post is a candidate
    conn = sqlite3.connect(":memory:")
    try:
        for statement in SQLITE_CREATE:
            conn.execute(statement)
        document = search_document(post.title, post.text)
        conn.execute("INSERT INTO posts_fts (rowid, doc) VALUES (1, ?)", (document,))
        found = conn.execute("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?", (expression,))
        return found.fetchall() == [(1,)]
    finally:
        conn.close()


# --- the tests ------------------------------------------------------------------

DOC_TEXT = DOCS.read_text(encoding="utf-8")
EXAMPLES = read_examples(DOC_TEXT)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line {e.line}" for e in EXAMPLES])
def test_doc_example(example: Example) -> None:
    run(example)


def test_docs_show_every_kind_of_expectation() -> None:
    used = {expectation.kind for example in EXAMPLES for expectation in example.expectations}
    assert used == set(KINDS)
    assert len(EXAMPLES) >= 100


@pytest.mark.parametrize(
    "name", [spec.name for spec in fields.FIELDS.values()] + list(fields.ALIASES)
)
def test_every_field_is_documented_and_matches_in_an_example(name: str) -> None:
    assert f"`{name}:" in DOC_TEXT
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}:", re.IGNORECASE)
    assert any(
        pattern.search(example.query)
        and any(MATCHING.get(expectation.kind) for expectation in example.expectations)
        for example in EXAMPLES
    ), f"no example shows a post matching {name}:"


@pytest.mark.parametrize("name", sorted(fields.UNAVAILABLE))
def test_every_unavailable_field_is_documented(name: str) -> None:
    assert f"`{name}:" in DOC_TEXT.lower()


def test_every_operator_has_a_matching_example() -> None:
    for operator in ("AND", "OR", "NOT", "NEAR/", "~", "*", "?", "{", "<<<"):
        assert any(
            operator in example.query
            and any(MATCHING.get(expectation.kind) for expectation in example.expectations)
            for example in EXAMPLES
        ), operator


# --- the harness refuses broken docs --------------------------------------------------

_BROKEN = [
    ("```query\nnivea\n```\n\nSome prose.\n", "expects nothing"),
    ("```query\nnivea\n```\n\nMatchez: Nivea\n", "unknown expectation"),
    ("```query\nnivea\n```\n\nMatches: Nivea\nError: line 1, column 1: x\n", "nothing else"),
    ("```query\nnivea\n", "never closed"),
    ("```query\nnivea\n```\n\nMatches: Nivea\n\nProse.\n\nMatches: Nivea\n", "no example"),
    ("```query\nnivea\n```\n\n```pointer\nnivea\n^\n```\n", "must follow"),
]


@pytest.mark.parametrize(("markdown", "message"), _BROKEN)
def test_the_reader_refuses_broken_examples(markdown: str, message: str) -> None:
    with pytest.raises(DocFormatError, match=message):
        read_examples(markdown)


_FALSE = [
    "```query\nnivea\n```\n\nMatches: Dove\n",
    "```query\nnivea\n```\n\nDoes not match: Nivea\n",
    '```query\nauthor:nivea\n```\n\nMatches post: {"text": "x", "author": {"handle": "dove"}}\n',
    "```query\nsentiment:positive\n```\n\nMatches post: "
    '{"text": "x", "_enrichments": {"sentiment": {"label": "negative"}}}\n',
    "```query\nNivea\n```\n\nCanonical: Nivea\n",
    "```query\nnivea\n```\n\nError: line 1, column 1: x\n",
    "```query\nNOT nivea\n```\n\nError: line 1, column 2: The query only excludes\n",
    "```query\nni*\n```\n\nMatches: nivea\n",
    "```query\nnivea\n```\n\nWarning: line 1, column 1: x\n",
    "```query\n(nivea\n```\n\nError: line 1, column 1: This '('\n\n```pointer\n(nivea\n ^\n```\n",
]


@pytest.mark.parametrize("markdown", _FALSE)
def test_an_example_that_does_not_hold_fails(markdown: str) -> None:
    [example] = read_examples(markdown)
    with pytest.raises(AssertionError):
        run(example)
