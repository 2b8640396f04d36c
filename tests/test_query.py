"""The topic query subset: text normalisation, parsing, errors, matching, prefilters, docs."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from horchposten.errors import QueryError
from horchposten.models import Post, Topic
from horchposten.query import (
    And,
    Node,
    Not,
    Or,
    Phrase,
    PostTokens,
    Term,
    TopicMatcher,
    compile_query,
    fts5_match,
    parse,
    search_words_fts5,
    search_words_tsquery,
    tsquery,
)
from horchposten.query.parse import OPERATORS
from horchposten.text import document_of_tokens, normalise, plain_words, search_document, tokens

DOCS = Path(__file__).parent.parent / "docs" / "query-language.md"


def show(node: Node) -> str:
    """A compact, offset-free rendering of a syntax tree."""
    if isinstance(node, Term):
        return node.text
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Not):
        return f"NOT({show(node.child)})"
    name = "AND" if isinstance(node, And) else "OR"
    return f"{name}({', '.join(show(child) for child in node.children)})"


def post(text: str, title: str | None = None, lang: str = "de", source: str = "files") -> Post:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    return Post(id=text[:20], text=text, title=title, lang=lang, source=source, created_at=created)


def fts_table(docs: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(doc, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("insert into t(rowid, doc) values (?, ?)", enumerate(docs))
    return conn


def fts_hits(conn: sqlite3.Connection, expression: str) -> set[int]:
    return {row[0] for row in conn.execute("select rowid from t where t match ?", (expression,))}


# --- text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café Müller STRASSE Straße", "cafe muller strasse strasse"),
        ("plain ascii", "plain ascii"),
        ("ÀÉÎÕÜ ñ ç ø", "aeiou n c ø"),
        ("\ufb01ne \u210c \u2460", "fine h 1"),  # ligature, black-letter H, circled 1
        ("İstanbul", "istanbul"),
        ("Κόσμε", "κοσμε"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hallo #Nivea!", ["hallo", "#nivea"]),
        ("@Max_M, wie geht's?", ["@max_m", "wie", "geht", "s"]),
        ("e-mail snake_case", ["e", "mail", "snake", "case"]),
        ("C# and F#", ["c", "and", "f"]),
        ("me@example.com foo#bar", ["me", "example", "com", "foo", "bar"]),
        ("see https://x.com/a?b=1, http://y.de and www.z.org/q.", ["see", "and"]),
        ("_www.x.org xhttps://y", ["www", "x", "org", "xhttps", "y"]),
        ("10/10 abc123 #1", ["10", "10", "abc123", "#1"]),
        ("Ärger\nüber #Hautpflege", ["arger", "uber", "#hautpflege"]),
        ("", []),
    ],
)
def test_tokens(raw: str, expected: list[str]) -> None:
    assert tokens(raw) == expected


def test_search_document_joins_title_and_text_as_plain_words() -> None:
    document = search_document("Titel: #Foo_Bar", "Text @the_real_x über https://x.de/y")
    assert document == "titel foo bar text the real x uber"
    assert search_document(None, "Nur Text") == "nur text"
    assert search_document("Nur Titel", None) == "nur titel"


@given(st.text())
def test_index_words_are_the_matcher_tokens_without_signs(text: str) -> None:
    expected = [word for token in tokens(text) for word in re.findall(r"[^\W_]+", token)]
    assert plain_words(text) == expected
    assert search_document(None, text).split() == expected
    assert document_of_tokens(tokens(text)).split() == expected


@given(st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


# --- parsing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("nivea", "nivea"),
        ("Nivea", "nivea"),
        ("#Nivea @Dove", "AND(#nivea, @dove)"),
        ("nivea creme dose", "AND(nivea, creme, dose)"),
        ("nivea AND creme", "AND(nivea, creme)"),
        ("nivea OR creme OR cream", "OR(nivea, creme, cream)"),
        ("nivea NOT sonne", "AND(nivea, NOT(sonne))"),
        ("nivea AND NOT sonne", "AND(nivea, NOT(sonne))"),
        ("nivea AND creme NOT sonne NOT sun", "AND(nivea, creme, NOT(sonne), NOT(sun))"),
        ("NOT sonne nivea", "AND(NOT(sonne), nivea)"),
        (
            "nivea AND (creme OR cream) NOT sonnencreme",
            "AND(nivea, OR(creme, cream), NOT(sonnencreme))",
        ),
        ("(nivea OR dove) (creme OR cream)", "AND(OR(nivea, dove), OR(creme, cream))"),
        ("((nivea))", "nivea"),
        ("(a OR (b c)) NOT (d OR e)", "AND(OR(a, AND(b, c)), NOT(OR(d, e)))"),
        ("nivea NOT (sonne NOT creme)", "AND(nivea, NOT(AND(sonne, NOT(creme))))"),
        ('"nivea creme"', '"nivea creme"'),
        ('"Nivea-Creme" OR "#nivea"', 'OR("nivea creme", #nivea)'),
        ("e-mail don't", 'AND("e mail", "don t")'),
        ("and or not", "AND(and, or, not)"),
        ("Achtung: nivea", "AND(achtung, nivea)"),
        ("nivea\nOR\n  dove", "OR(nivea, dove)"),
        ("(nivea\nOR dove)\nNOT sonne", "AND(OR(nivea, dove), NOT(sonne))"),
    ],
)
def test_parse(query: str, tree: str) -> None:
    assert show(parse(query)) == tree


def test_parse_keeps_source_offsets() -> None:
    tree = parse('nivea (creme OR "a b")\nNOT #x')
    assert tree == And(
        (
            Term("nivea", 0),
            Or((Term("creme", 7), Phrase(("a", "b"), 16))),
            Not(Term("#x", 27), 23),
        )
    )
    assert tree.offset == 0


ERRORS = [
    # (query, line, column, reason starts with, hint contains)
    ("", 1, 1, "The query is empty.", "like 'nivea'"),
    ("   \n ", 1, 1, "The query is empty.", ""),
    ("a OR b AND c", 1, 8, "AND and OR are mixed", "'(a OR b) AND c' or 'a OR (b AND c)'"),
    ("a OR b c", 1, 8, "AND and OR are mixed without parentheses (terms side", "'a OR (b c)'"),
    ("a b OR c", 1, 5, "AND and OR are mixed", "'(a b) OR c' or 'a (b OR c)'"),
    ("a OR b NOT c", 1, 8, "AND and OR are mixed", "'(a OR b) NOT c' or 'a OR (b NOT c)'"),
    ("a NOT b OR c", 1, 9, "AND and OR are mixed", "mean: '(a NOT b) OR c'."),
    ("a OR\n b\n  c", 3, 3, "AND and OR are mixed", "'(a OR b) c' or 'a OR (b c)'"),
    ("a OR NOT b", 1, 6, "NOT cannot be one of the alternatives of OR.", "NOT sonne"),
    ("NOT a OR b", 1, 1, "NOT cannot be one of the alternatives of OR.", ""),
    ("NOT a", 1, 1, "The query only excludes words", "nivea NOT sonne"),
    ("NOT a NOT b", 1, 1, "The query only excludes words", ""),
    ("b (NOT a)", 1, 3, "This group only excludes words", ""),
    ("a AND", 1, 3, "'AND' at the end needs a term after it.", ""),
    ("a\nNOT", 2, 1, "'NOT' at the end needs a term after it.", ""),
    ("AND a", 1, 1, "'AND' needs a term before it.", ""),
    ("(OR a)", 1, 2, "'OR' needs a term before it.", ""),
    ("a AND OR b", 1, 7, "'OR' cannot follow 'AND'", ""),
    ("a NOT NOT b", 1, 7, "'NOT' cannot follow 'NOT'", ""),
    ("a NOT AND b", 1, 7, "'AND' cannot follow 'NOT'", ""),
    ("(a AND )", 1, 4, "'AND' needs a term after it, before the ')'.", ""),
    ("(a", 1, 1, "This '(' is never closed.", "Add a ')'."),
    ("a (b OR (c d)", 1, 3, "This '(' is never closed.", ""),
    ("(", 1, 1, "This '(' is never closed.", ""),
    ("a)", 1, 2, "This ')' has no matching '('.", ""),
    (")", 1, 1, "This ')' has no matching '('.", ""),
    ("a ()", 1, 3, "The parentheses are empty.", ""),
    ('a "b c', 1, 3, "This quote is never closed.", ""),
    ('a\n"', 2, 1, "This quote is never closed.", ""),
    ('""', 1, 1, "'\"\"' has no word to look for", ""),
    ("a & b", 1, 3, "'&' has no word to look for", ""),
    ("www.nivea.de", 1, 1, "'www.nivea.de' has no word to look for; punctuation and links", ""),
    ("nive*", 1, 5, "The '*' wildcard is part of the full query language", "OR"),
    ("a\n  wom?n", 2, 6, "The '?' wildcard is part of the full query language", ""),
    ('"nivea cre*"', 1, 11, "The '*' wildcard is part of the full query language", ""),
    ("a NEAR/3 b", 1, 3, "The 'NEAR/n' proximity operator is part of the full", ""),
    ("a NEAR b", 1, 3, "The 'NEAR/n' proximity operator", ""),
    ('"a b"~3', 1, 6, "The '~' proximity operator is part of the full", ""),
    ("title:nivea", 1, 1, "A 'field:value' search is part of the full", "'title:nivea'"),
    ('a author:"x y"', 1, 3, "A 'field:value' search", ""),
    ("{Nivea}", 1, 1, "Case-sensitive matching with '{…}' is part of the full", ""),
    ("a <<<note>>>", 1, 3, "A '<<<comment>>>' is part of the full", "Remove the comment."),
]


@pytest.mark.parametrize(("query", "line", "column", "reason", "hint"), ERRORS)
def test_parse_errors(query: str, line: int, column: int, reason: str, hint: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert error.reason.startswith(reason)
    assert hint in error.hint
    assert str(error).startswith(f"Query error at line {line}, column {column}: ")


def test_full_language_errors_say_not_supported_yet() -> None:
    for query in ("nive*", "a NEAR/2 b", "title:x", "{X}", "a~2", "a <<<x>>>"):
        with pytest.raises(QueryError, match="not supported yet"):
            parse(query)


def test_error_pointer_marks_the_column() -> None:
    with pytest.raises(QueryError) as caught:
        parse("nivea\nOR dove creme")
    assert caught.value.pointer() == "OR dove creme\n        ^"


# --- matching ---------------------------------------------------------------


MATCHES = [
    ("nivea", "Ich liebe NIVEA", True),
    ("nivea", "Ich liebe #Nivea", True),
    ("nivea", "Niveau hat sie", False),
    ("nivea", "niveacreme", False),
    ("#nivea", "Ich liebe #Nivea", True),
    ("#nivea", "Ich liebe Nivea", False),
    ("#nivea", "#NiveaCreme", False),
    ("@nivea", "Danke @Nivea!", True),
    ("@nivea", "Danke Nivea", False),
    ("@nivea", "info@nivea.de", False),
    ("nivea", "info@nivea.de", True),
    ("nivea", "https://nivea.de", False),
    ("café", "CAFE", True),
    ("cafe", "Café", True),
    ("strasse", "Straße", True),
    ("straße", "STRASSE", True),
    ("ärger", "Arger", True),
    ('"nivea creme"', "Nivea-Creme", True),
    ('"nivea creme"', "#Nivea Creme", True),
    ('"nivea creme"', "Creme Nivea", False),
    ('"nivea creme"', "Nivea, die Creme", False),
    ('"#nivea creme"', "Nivea Creme", False),
    ('"a b a c"', "a b a b a c", True),
    ("e-mail", "E-Mail", True),
    ("don't", "dont", False),
    ("nivea NOT sonne", "Nivea und Sonne", False),
    ("nivea NOT sonne", "Nivea Sonnencreme", True),
    ("nivea NOT #sonne", "Nivea Sonne", True),
    ("nivea NOT #sonne", "Nivea #Sonne", False),
    ("(nivea OR dove) creme", "Dove Creme", True),
    ("(nivea OR dove) creme", "Dove Seife", False),
    ("a NOT (b NOT c)", "a b c", True),
    ("a NOT (b NOT c)", "a b", False),
]


@pytest.mark.parametrize(("query", "text", "expected"), MATCHES)
def test_matches(query: str, text: str, expected: bool) -> None:
    compiled = compile_query(query)
    assert compiled.matches(text) is expected
    assert compiled.matches_tokens(PostTokens.of(text)) is expected


def test_compiled_query_keeps_query_and_tree() -> None:
    compiled = compile_query("nivea OR dove")
    assert compiled.query == "nivea OR dove"
    assert show(compiled.node) == "OR(nivea, dove)"


def test_topic_matcher_respects_queries_and_filters() -> None:
    topics = [
        Topic(id=1, name="Nivea", query="nivea"),
        Topic(id=2, name="Nivea DE", query="nivea", langs=["de"]),
        Topic(id=3, name="Creme", query='"nivea creme" OR cream', sources=["rss"]),
        Topic(id=4, name="Not sun", query="nivea NOT sonne"),
        Topic(id=5, name="Dove", query="@dove OR #dove"),
    ]
    matcher = TopicMatcher(topics)
    posts = [
        post("Nivea Creme ist toll", lang="de", source="rss"),
        post("nivea in der Sonne", lang="en"),
        post("best cream", title="Nivea", lang="en", source="rss"),
        post("Danke @Dove", lang="de"),
        post("nothing here"),
    ]
    expected = [[1, 2, 3, 4], [1], [1, 3, 4], [5], []]
    assert matcher.match_batch(posts) == expected
    assert [matcher.match(p) for p in posts] == expected


def test_topic_matcher_refuses_unsaved_topics_and_bad_queries() -> None:
    with pytest.raises(ValueError, match="'Draft' has no id"):
        TopicMatcher([Topic(name="Draft", query="nivea")])
    with pytest.raises(QueryError, match="column 7"):
        TopicMatcher([Topic(id=1, name="Bad", query="nivea AND")])


# --- prefilters -------------------------------------------------------------


PREFILTERS = [
    ("nivea", '"nivea"', "'nivea'"),
    ("#Nivea OR @dove_de", '("nivea" OR "dove de")', "('nivea' | ('dove' <-> 'de'))"),
    ('"nivea creme" dose', '("nivea creme" AND "dose")', "(('nivea' <-> 'creme') & 'dose')"),
    ("nivea NOT sonne", '"nivea"', "'nivea'"),
    ("(a OR b) NOT (c OR d)", '("a" OR "b")', "('a' | 'b')"),
    ("a NOT (b NOT c)", '"a"', "'a'"),
    ("#_", None, None),
    ("a OR #_", None, None),
    ("a #_", '"a"', "'a'"),
    ('"AND" OR "NOT"', '("and" OR "not")', "('and' | 'not')"),
]


@pytest.mark.parametrize(("query", "fts5", "pg"), PREFILTERS)
def test_prefilter_expressions(query: str, fts5: str | None, pg: str | None) -> None:
    node = parse(query)
    assert fts5_match(node) == fts5
    assert tsquery(node) == pg


def test_search_words() -> None:
    assert search_words_fts5("Nivea  #creme, nivea!") == '"nivea" AND "creme"'
    assert search_words_tsquery("Don't Müller") == "'don' & 't' & 'muller'"
    for search in (search_words_fts5, search_words_tsquery):
        with pytest.raises(QueryError, match="has no word to look for"):
            search(" ?! ")


SAMPLES: list[tuple[str | None, str]] = [
    (None, "Die neue Nivea Creme ist super für trockene Haut"),  # 0
    (None, "NIVEA SONNENCREME schützt nicht genug, Sonnenbrand!"),
    (None, "Ich liebe #Nivea und #Hautpflege"),
    (None, "nivea cream is my favourite skin cream"),
    (None, "Bought Nivea Men after-shave, smells great"),
    (None, "@nivea_de wann kommt die neue Creme?"),  # 5
    (None, "Unsere Reise nach München: Café, Museum, Straße voller Menschen"),
    (None, "Cafe Muller in der Strasse hat geschlossen"),
    (None, "Niveau ist keine Creme, aber #niveau ist ein Hashtag"),
    (None, "Beiersdorf reports Q3 results; Nivea sales up 8%"),
    (None, "Check out https://www.nivea.de/creme for the offer"),  # 10
    (None, "www.nivea.de hat ein neues Design"),
    (None, "Eucerin or Nivea? Which cream for dry skin"),
    (None, "Nivea-Creme oder Bübchen-Creme für Babys"),
    (None, "Ich mag die blaue Dose. #NiveaCreme"),
    (None, "Sonnencreme von Nivea ist teuer"),  # 15
    (None, "Die Creme von Nivea riecht gut"),
    (None, "Don't buy Nivea, buy Dove!"),
    (None, "Dove und Nivea im Test: beide gut"),
    (None, "e-mail an den Nivea Kundenservice geschickt"),
    (None, "Kundenservice per E Mail war schnell"),  # 20
    (None, "Ärger mit der Lieferung, Nivea antwortet nicht"),
    (None, "ärger über die Verpackung"),
    (None, "Mention @Nivea and @Dove please"),
    (None, "Nivea\nCreme über zwei Zeilen"),
    ("Nivea Test", "Creme enthält Paraffin"),  # 25
    (None, "C# developers love .NET"),
    (None, "Kontakt: info@nivea.de"),
    (None, "Straßenfest mit Gratis-Proben"),
    (None, "STRASSE gesperrt wegen Bauarbeiten"),
    (None, "Wir lieben Coca-Cola und Pepsi"),  # 30
    (None, "coca cola zero ist besser"),
    (None, "#CocaCola #Pepsi battle"),
    (None, "L'Oréal launches new serum"),
    (None, "loreal vs l oreal spelling"),
    (None, "Crème brûlée zum Nachtisch"),  # 35
    (None, "creme brulee recipe"),
    (None, "Nothing to see here"),
    (None, "And or not, that is the question"),
    (None, "#nivea_de Gewinnspiel"),
    ("Sonne", "Die Sonne scheint, Nivea Sun hilft"),  # 40
]

SAMPLE_QUERIES = [
    ("nivea", {0, 1, 2, 3, 4, 9, 12, 13, 15, 16, 17, 18, 19, 21, 24, 25, 27, 40}),
    ("#nivea", {2}),
    ("@nivea", {23}),
    ('"nivea creme"', {0, 13, 24}),
    ("nivea AND (creme OR cream) NOT sonnencreme", {0, 3, 12, 13, 16, 24, 25}),
    ("nivea NOT (sonnencreme OR sonne)", {0, 2, 3, 4, 9, 12, 13, 16, 17, 18, 19, 21, 24, 25, 27}),
    ("café", {6, 7}),
    ('"cafe muller"', {7}),
    ("strasse", {6, 7, 29}),
    ("ärger", {21, 22}),
    ("e-mail", {19, 20}),
    ("coca-cola OR cocacola", {30, 31, 32}),
    ('"creme brulee"', {35, 36}),
    ("l'oréal OR loreal", {33, 34}),
    ("dove nivea", {17, 18}),
    ("(dove OR eucerin) AND nivea", {12, 17, 18}),
    ('"test creme"', {25}),
    ("@nivea_de OR #nivea_de", {5, 39}),
    ("and or not", {38}),
    ("niveau NOT #niveau", set()),
    ("c", {26}),
    ("sonne\nNOT\nsonnencreme", {40}),
]


@pytest.fixture(scope="module")
def sample_index() -> Iterator[sqlite3.Connection]:
    conn = fts_table([search_document(title, text) for title, text in SAMPLES])
    yield conn
    conn.close()


@pytest.mark.parametrize(("query", "expected"), SAMPLE_QUERIES)
def test_fts5_prefilter_finds_every_match(
    sample_index: sqlite3.Connection, query: str, expected: set[int]
) -> None:
    compiled = compile_query(query)
    matched = {
        index
        for index, (title, text) in enumerate(SAMPLES)
        if compiled.matches_tokens(PostTokens.of(post(text, title).content))
    }
    assert matched == expected
    expression = fts5_match(compiled.node)
    assert expression is not None
    assert fts_hits(sample_index, expression) >= matched


# --- properties -------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [" ", "\n", "a", "Nivea", "#x", "@y", "(", ")", '"', "AND", "OR", "NOT", " AND ", " OR "]
) | st.sampled_from(
    [" NOT ", "*", "?", "~2", ":", "{", "}", "<<<", ">>>", "NEAR/3", "é", "ß", "😀"]
)
_QUERY_TEXT = st.lists(_FRAGMENTS, max_size=12).map("".join) | st.text(max_size=30)


@given(_QUERY_TEXT)
def test_parser_returns_a_tree_or_raises_query_error(query: str) -> None:
    try:
        node = parse(query)
    except QueryError as error:
        assert 0 <= error.offset <= len(query)
    else:
        assert isinstance(node, Term | Phrase | And | Or)


_WORDS = ["nivea", "#nivea", "@nivea", "creme", "crème", "sonne", "müller", "strasse", "x_y"]
_WORDS += ["#x_y", "@x_y", "don't", "e-mail", '"nivea creme"', '"creme sonne"', "#_"]
_QUERIES = st.recursive(
    st.sampled_from(_WORDS),
    lambda inner: st.tuples(inner, st.sampled_from([" AND ", " OR ", " ", " NOT "]), inner).map(
        lambda parts: f"({''.join(parts)})"
    ),
    max_leaves=6,
)
_POST_WORDS = [*_WORDS, "Nivea", "CRÈME", "Straße", "Muller", "#_", "dont", "E Mail", "mail"]
_POSTS = st.lists(
    st.sampled_from(_POST_WORDS) | st.text(max_size=6),
    max_size=12,
).map(" ".join)


@given(_QUERIES, _POSTS)
def test_fts5_prefilter_is_a_superset_and_never_breaks(query: str, text: str) -> None:
    compiled = compile_query(query)
    expression = fts5_match(compiled.node)
    conn = fts_table([search_document(None, text)])
    hits = fts_hits(conn, expression) if expression is not None else {0}
    conn.close()
    if compiled.matches(text):
        assert hits == {0}


@given(st.text(max_size=40))
def test_search_words_never_break_fts5(words: str) -> None:
    try:
        expression = search_words_fts5(words)
    except QueryError:
        assert plain_words(words) == []
    else:
        conn = fts_table([search_document(None, words)])
        assert fts_hits(conn, expression) == {0}
        conn.close()


# --- docs -------------------------------------------------------------------


def doc_examples() -> list[tuple[str, list[tuple[str, str]]]]:
    """Each ```query block of the docs with its Matches/Does not match/Error lines."""
    examples: list[tuple[str, list[tuple[str, str]]]] = []
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        if lines[index] != "```query":
            index += 1
            continue
        end = lines.index("```", index + 1)
        query = "\n".join(lines[index + 1 : end])
        expectations = []
        index = end + 1
        while index < len(lines) and (not lines[index] or _EXPECTATION.match(lines[index])):
            found = _EXPECTATION.match(lines[index])
            if found:
                expectations.append((found["kind"], found["text"]))
            index += 1
        examples.append((query, expectations))
    return examples


_EXPECTATION = re.compile(r"(?P<kind>Matches|Does not match|Error): (?P<text>.+)")
EXAMPLES = doc_examples()


@pytest.mark.parametrize(("query", "expectations"), EXAMPLES)
def test_doc_example(query: str, expectations: list[tuple[str, str]]) -> None:
    assert expectations, f"the example {query!r} says nothing about what it matches"
    for kind, text in expectations:
        if kind == "Error":
            with pytest.raises(QueryError) as caught:
                parse(query)
            assert f"Query error at {text}" in str(caught.value)
        else:
            assert compile_query(query).matches(text) is (kind == "Matches"), (query, text)


def test_docs_cover_every_operator_and_refused_construct() -> None:
    used = [(query, {kind for kind, _ in expected}) for query, expected in EXAMPLES]
    for operator in OPERATORS:
        assert any(operator in query and "Matches" in kinds for query, kinds in used), operator
    for construct in ("*", "?", "NEAR/", "~", "title:", "{", "<<<"):
        assert any(construct in query and "Error" in kinds for query, kinds in used), construct
    assert len(EXAMPLES) >= 30
