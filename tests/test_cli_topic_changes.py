"""``topic test``, ``topic edit`` and ``topic backfill`` as a user meets them, on both databases."""

from __future__ import annotations

import json
import re

from conftest import FIXTURES, Cli

POSTS = FIXTURES / "files" / "posts.jsonl"


def _matched(workspace: Cli, topic: str) -> list[str]:
    result = workspace("export", "--topic", topic)
    assert result.exit_code == 0, result.output
    return sorted(json.loads(line)["id"] for line in result.stdout.splitlines())


def test_topic_test_previews_without_saving(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    result = workspace("topic", "test", "kaffee", "--lang", "de", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"Stored posts matching since 2026-11-01 08:15 UTC: 2, about \d+\.\d per day over "
        r"\d+\.\d days\. Nothing was saved\.",
        result.output,
    )
    assert "Zug schon wieder" in result.output  # the newest match
    assert "Bergquell Kaffee" not in result.output  # beyond --limit
    recent = workspace("topic", "test", "kaffee", "--since", "2026-11-03")
    assert "Stored posts matching since 2026-11-03 00:00 UTC: 1," in recent.output
    assert "No topics yet" in workspace("topic", "list").output


def test_topic_test_errors(workspace: Cli) -> None:
    empty = workspace("topic", "test", "kaffee")
    assert empty.exit_code == 0
    assert "No posts are stored yet" in empty.output
    broken = workspace("topic", "test", "kaffee AND")
    assert broken.exit_code == 2
    assert "column 8: 'AND' at the end needs a term after it" in broken.stderr
    language = workspace("topic", "test", "kaffee", "--lang", "German")
    assert language.exit_code == 1
    assert "--lang: 'german' is not an ISO 639-1 language code" in language.stderr


def test_topic_edit_rematches_and_renames(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    assert _matched(workspace, "Nordlicht") == ["1001", "1004", "1006", "1008"]
    edited = workspace("topic", "edit", "Nordlicht", "--query", "kaffee", "--lang", "de")
    assert edited.exit_code == 0, edited.output
    assert "Saved topic 'Nordlicht'. Stored posts matching it: 2." in edited.output
    assert _matched(workspace, "Nordlicht") == ["1005", "1007"]
    renamed = workspace("topic", "edit", "Nordlicht", "--rename", "Kaffee DE")
    assert renamed.exit_code == 0, renamed.output
    assert _matched(workspace, "Kaffee DE") == ["1005", "1007"]
    assert "There is no topic named 'Nordlicht'" in workspace("topic", "show", "Nordlicht").stderr
    shown = workspace("topic", "show", "Kaffee DE").output
    assert "kaffee" in shown and "languages: de" in shown


def test_topic_edit_drops_filters(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    workspace("topic", "add", "Kaffee", "--query", "kaffee", "--lang", "de", "--source", "files")
    both = workspace("topic", "edit", "Kaffee", "--lang", "en", "--all-langs")
    assert both.exit_code == 2
    assert "--all-langs drops the filter; give it without --lang" in both.stderr
    edited = workspace("topic", "edit", "Kaffee", "--all-langs", "--all-sources")
    assert edited.exit_code == 0, edited.output
    assert "languages: all; sources: all" in workspace("topic", "show", "Kaffee").output
    assert len(_matched(workspace, "Kaffee")) > 2  # the English kaffee posts match again


def test_topic_edit_without_backfill_then_backfill(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    workspace("topic", "add", "Kaffee", "--query", "kaffee")
    assert _matched(workspace, "Kaffee") == ["1004", "1005", "1007"]
    saved = workspace("topic", "edit", "Kaffee", "--query", "kaffee OR nordlicht", "--no-backfill")
    assert saved.exit_code == 0, saved.output
    assert "run: horchposten topic backfill 'Kaffee'" in saved.output
    assert _matched(workspace, "Kaffee") == ["1004", "1005", "1007"]
    # Only posts since 3 November are matched again: 1006 and 1008 come in, 1001 not.
    recent = workspace("topic", "backfill", "Kaffee", "--since", "2026-11-03")
    assert recent.exit_code == 0, recent.output
    assert "Stored posts since 2026-11-03 00:00 UTC matching it: 3." in recent.output
    assert _matched(workspace, "Kaffee") == ["1004", "1005", "1006", "1007", "1008"]
    everything = workspace("topic", "backfill", "Kaffee")
    assert "Re-matched 'Kaffee'. Stored posts matching it: 6." in everything.output
    assert _matched(workspace, "Kaffee") == ["1001", "1004", "1005", "1006", "1007", "1008"]


def test_topic_edit_errors_change_nothing(workspace: Cli) -> None:
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    workspace("topic", "add", "Bergquell", "--query", "bergquell")
    broken = workspace("topic", "edit", "Nordlicht", "--query", "nordlicht AND (kaffee OR")
    assert broken.exit_code == 2
    assert "line 1, column 23: 'OR' at the end needs a term after it" in broken.stderr
    assert "nordlicht AND (kaffee OR\n                      ^" in broken.stderr
    missing = workspace("topic", "edit", "Polarlicht", "--query", "x")
    assert missing.exit_code == 1
    assert "There is no topic named 'Polarlicht'. Known topics: Bergquell, Nordlicht" in (
        missing.stderr
    )
    taken = workspace("topic", "edit", "Nordlicht", "--rename", "Bergquell")
    assert taken.exit_code == 1
    assert "A topic named 'Bergquell' already exists" in taken.stderr
    empty_name = workspace("topic", "edit", "Nordlicht", "--rename", "")
    assert empty_name.exit_code == 1
    assert "The topic was not saved: --rename: String should have at least 1" in empty_name.stderr
    nothing = workspace("topic", "edit", "Nordlicht")
    assert nothing.exit_code == 2
    expected = "Nothing to change: give --query, --lang, --all-langs, --source, --all-sources,"
    assert expected in nothing.stderr
    listing = workspace("topic", "list").output
    assert "nordlicht " in listing and "Traceback" not in listing


def test_topic_backfill_errors(workspace: Cli) -> None:
    missing = workspace("topic", "backfill", "Nordlicht")
    assert missing.exit_code == 1
    assert "There is no topic named 'Nordlicht'" in missing.stderr
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    since = workspace("topic", "backfill", "Nordlicht", "--since", "last week")
    assert since.exit_code == 2
    assert "neither a span like 7d" in since.stderr


def test_topic_commands_show_query_warnings_and_save(workspace: Cli) -> None:
    workspace("import", str(POSTS))
    added = workspace("topic", "add", "Kaffee", "--query", "kaffee or espresso")
    assert added.exit_code == 0, added.output
    assert "warning: line 1, column 8: 'or' is searched as a word" in added.stderr
    edited = workspace("topic", "edit", "Kaffee", "--query", "kaffee AND author: x")
    assert "warning: line 1, column 12: 'author:' is searched as the word 'author'" in edited.stderr
    tried = workspace("topic", "test", "ni* AND kaffee")
    assert "warning: line 1, column 1: 'ni*' has a root of only 2 letters" in tried.stderr
    assert tried.exit_code == 0
