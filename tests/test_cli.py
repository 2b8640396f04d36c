"""The CLI as a user meets it: topics, search, export, errors without tracebacks, help."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, Cli
from horchposten.cli import HorchpostenGroup, cli
from horchposten.errors import NotConfigured

POSTS = FIXTURES / "files" / "posts.jsonl"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(cli))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output, f"'horchposten {name} --help' shows no example"


def test_topics_match_live_and_retroactively(workspace: Cli) -> None:
    # Added before the import: matched live.
    added = workspace("topic", "add", "Nordlicht", "--query", "nordlicht OR @nordlichtkaffee")
    assert added.exit_code == 0, added.output
    workspace("import", str(POSTS))
    # Added after the import: matched against what is stored.
    late = workspace("topic", "add", "Lieferung DE", "--query", "lieferung", "--lang", "de")
    assert late.exit_code == 0, late.output
    assert "Stored posts matching it: 1." in late.output
    listing = workspace("topic", "list")
    assert "Nordlicht" in listing.output and "Lieferung DE" in listing.output
    exported = [
        json.loads(x) for x in workspace("export", "--topic", "Nordlicht").stdout.splitlines()
    ]
    assert sorted(p["id"] for p in exported) == ["1001", "1002", "1004", "1006", "1008"]
    delivery = [
        json.loads(x)["id"]
        for x in workspace("export", "--topic", "Lieferung DE").stdout.splitlines()
    ]
    assert delivery == ["1002"]
    shown = workspace("topic", "show", "Nordlicht")
    assert "matched posts: 5" in shown.output


def test_topic_remove_keeps_posts(workspace: Cli) -> None:
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    workspace("import", str(POSTS))
    assert workspace("topic", "remove", "Nordlicht").exit_code == 0
    assert len(workspace("export").stdout.splitlines()) == 8
    missing = workspace("topic", "show", "Nordlicht")
    assert missing.exit_code == 1
    assert "There is no topic named 'Nordlicht'" in missing.output


def test_bad_query_is_refused_with_its_position(workspace: Cli) -> None:
    result = workspace("topic", "add", "broken", "--query", "nordlicht AND (kaffee OR")
    assert result.exit_code == 2
    assert "line 1, column 23: 'OR' at the end needs a term after it" in result.output
    assert "nordlicht AND (kaffee OR\n                      ^" in result.output
    assert "Traceback" not in result.output
    assert "No topics yet" in workspace("topic", "list").output


def test_duplicate_topic_name_is_refused(workspace: Cli) -> None:
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    again = workspace("topic", "add", "Nordlicht", "--query", "kaffee")
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_search_filters(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    found = workspace("search", "kaffee", "--json")
    assert sorted(json.loads(x)["id"] for x in found.stdout.splitlines()) == [
        "1004",
        "1005",
        "1007",
    ]
    german = workspace("search", "kaffee", "--lang", "de", "--json")
    assert sorted(json.loads(x)["id"] for x in german.stdout.splitlines()) == ["1005", "1007"]
    in_topic = workspace("search", "kaffee", "--topic", "Nordlicht", "--json")
    assert [json.loads(x)["id"] for x in in_topic.stdout.splitlines()] == ["1004"]
    recent = workspace("search", "kaffee", "--since", "2026-11-03", "--json")
    assert [json.loads(x)["id"] for x in recent.stdout.splitlines()] == ["1007"]
    table = workspace("search", "Cafe-Test")
    assert "Genuss Blog" in table.output


def test_search_and_export_filter_with_a_query(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    found = workspace("search", "--where", "kaffee NOT nordlicht* lang:de", "--json")
    assert found.exit_code == 0, found.output
    assert [json.loads(x)["id"] for x in found.stdout.splitlines()] == ["1007", "1005"]
    narrowed = workspace("search", "zug", "--where", "kaffee", "--json")
    assert [json.loads(x)["id"] for x in narrowed.stdout.splitlines()] == ["1007"]
    exported = workspace("export", "--where", "nordlicht AND lang:en")
    assert [json.loads(x)["id"] for x in exported.stdout.splitlines()] == ["1004", "1008"]
    broken = workspace("export", "--where", "nordlicht AND")
    assert broken.exit_code == 2
    assert "column 11: 'AND' at the end needs a term after it" in broken.stderr


def test_bad_since_is_explained(workspace: Cli) -> None:
    result = workspace("search", "kaffee", "--since", "yesterday-ish")
    assert result.exit_code == 2
    assert "neither a span like 7d" in result.output


def test_missing_workspace_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "none.toml"), "topic", "list"])
    assert result.exit_code == 1
    assert "Run 'horchposten init'" in result.output


def test_init_refuses_to_overwrite(workspace: Cli) -> None:
    result = workspace("init")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_source_parse_maps_a_saved_payload(workspace: Cli) -> None:
    saved = FIXTURES / "feeds" / "feedjira" / "json_feed.json"
    result = workspace("source", "parse", "feeds", str(saved))
    assert result.exit_code == 0, result.output
    posts = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(posts) > 5
    assert {p["source"] for p in posts} == {"feeds"}
    assert all(p["created_at"].endswith("Z") for p in posts)


def test_source_kinds_lists_settings(workspace: Cli) -> None:
    result = workspace("source", "kinds")
    assert "feeds" in result.output and "max_comment_feeds" in result.output
    assert "files" in result.output and "page_size" in result.output


def test_search_without_words_is_explained(workspace: Cli) -> None:
    result = workspace("search", "!!!")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--lang", "German", "--lang: 'german' is not an ISO 639-1 language code"),
        ("--source", "Mastodon Social", "--source: 'Mastodon Social' is not a source name"),
    ],
)
def test_topic_filters_are_checked(workspace: Cli, option: str, value: str, message: str) -> None:
    result = workspace("topic", "add", "X", "--query", "kaffee", option, value)
    assert result.exit_code == 1
    assert f"The topic was not saved: {message}" in result.output
    assert "Traceback" not in result.output


def test_error_messages_print_square_brackets_verbatim() -> None:
    @click.command()
    def boom() -> None:
        raise NotConfigured(
            "Install it with pip install 'horchposten[accurate]', or set [enrich] tier."
        )

    group = HorchpostenGroup(commands={"boom": boom})
    result = CliRunner().invoke(group, ["boom"])
    assert result.exit_code != 0
    assert "pip install 'horchposten[accurate]', or set [enrich] tier." in result.output
