"""``horchposten query check`` and ``query match``: no workspace, clean output, exit codes."""

from __future__ import annotations

from click.testing import CliRunner, Result

from conftest import FIXTURES
from horchposten.cli import cli

POSTS = FIXTURES / "files" / "posts.jsonl"
BROKEN = FIXTURES / "files" / "broken.jsonl"


def _run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_check_prints_the_canonical_query() -> None:
    result = _run("query", "check", "  nordlicht   AND\n (kaffee OR espresso)")
    assert result.exit_code == 0
    assert result.stdout == "nordlicht AND (kaffee OR espresso)\n"
    assert result.stderr == ""


def test_check_spells_out_the_canonical_form_and_warns() -> None:
    result = _run("query", "check", 'Nordlicht kaffee or espresso <<<Q3>>>\n"a b"~3 lang:DE')
    assert result.exit_code == 0
    assert result.stdout == (
        "nordlicht AND kaffee AND or AND espresso AND a NEAR/3 b AND language:de\n"
    )
    assert result.stderr == (
        "warning: line 1, column 18: 'or' is searched as a word; only uppercase OR is an "
        "operator. Write OR if you meant the operator.\n"
        "Nordlicht kaffee or espresso <<<Q3>>>\n"
        "                 ^\n"
    )


def test_check_shows_where_an_invalid_query_goes_wrong() -> None:
    result = _run("query", "check", "nordlicht AND (kaffee OR")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "line 1, column 23: 'OR' at the end needs a term after it" in result.stderr
    assert "nordlicht AND (kaffee OR\n                      ^" in result.stderr
    assert "Traceback" not in result.output


def test_match_prints_matching_ids_in_input_order() -> None:
    result = _run("query", "match", "kaffee AND NOT nordlicht", str(POSTS))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["1005", "1007"]
    assert result.stderr == ""


def test_match_reads_fields_of_the_posts() -> None:
    result = _run("query", "match", "nordlicht AND lang:en", str(POSTS))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["1004", "1008"]


def test_match_reads_stdin() -> None:
    posts = POSTS.read_text(encoding="utf-8")
    result = _run("query", "match", "nordlicht", input=posts)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["1001", "1004", "1006", "1008"]


def test_match_reports_bad_lines_keeps_going_and_exits_2() -> None:
    result = _run("query", "match", "nordlicht OR bergquell", str(BROKEN))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == ["2001", "2006"]
    problems = [line for line in result.stderr.splitlines() if ", line " in line]
    assert [line.split(", line ")[1].split(":")[0] for line in problems] == [
        "2", "3", "4", "7", "8", "9"
    ]  # fmt: skip
    assert f"{BROKEN}, line 2: field created_at is required but missing" in result.stderr
    assert "were skipped: 6 in" in result.stderr


def test_match_refuses_an_invalid_query_before_reading() -> None:
    result = _run("query", "match", "NOT", str(POSTS))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Query error at line 1" in result.stderr


def test_match_names_a_missing_file() -> None:
    result = _run("query", "match", "nordlicht", str(FIXTURES / "none.jsonl"))
    assert result.exit_code == 2
    assert "none.jsonl': No such file or directory" in result.stderr


DEEP = "(" * 300 + "kaffee" + ")" * 300


def test_check_and_match_refuse_parentheses_nested_too_deep() -> None:
    # Once a RecursionError with a traceback; now the parser's limit, at its column.
    for result in (_run("query", "check", DEEP), _run("query", "match", DEEP, str(POSTS))):
        assert result.exit_code == 2, result.output
        assert "line 1, column 51: Parentheses are nested more than 50 deep" in result.stderr
        assert "Traceback" not in result.output


def test_check_and_match_refuse_a_lone_surrogate() -> None:
    # Undecodable bytes in an argument reach Python as lone surrogates (PEP 383).
    query = b"kaffee \xed\xa0\x80".decode("utf-8", "surrogateescape")
    for result in (_run("query", "check", query), _run("query", "match", query, str(POSTS))):
        assert result.exit_code == 2, result.output
        assert "column 8: The query contains U+DCED, half of a UTF-16 surrogate pair" in (
            result.stderr
        )
        assert "kaffee \ufffd\ufffd\ufffd\n       ^" in result.stderr
