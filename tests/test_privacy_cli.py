"""``horchposten privacy …`` on SQLite and PostgreSQL, driven like a user would."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from conftest import Cli
from horchposten.store.database import open_database
from privacy_posts import days_since_october, fill, keys


def _filled(database_url: str) -> None:
    database = open_database(database_url)
    try:
        fill(database)
    finally:
        database.close()


def _keys(database_url: str) -> set[str]:
    database = open_database(database_url)
    try:
        return keys(database)
    finally:
        database.close()


def test_retention_needs_a_mode_and_a_setting(workspace: Cli, database_url: str) -> None:
    _filled(database_url)
    assert "Say --dry-run" in workspace("privacy", "retention").output
    refused = workspace("privacy", "retention", "--dry-run")
    assert refused.exit_code != 0 and "keeps posts for ever" in refused.output


def test_retention_dry_run_then_apply(workspace: Cli, database_url: str) -> None:
    _filled(database_url)
    days = str(days_since_october())
    dry = workspace("privacy", "retention", "--dry-run", "--days", days)
    assert dry.exit_code == 0, dry.output
    assert "Would delete 3 posts" in dry.output and "Nordlicht" in dry.output
    assert len(_keys(database_url)) == 6
    applied = workspace("privacy", "retention", "--apply", "--days", days)
    assert "Deleted 3 posts" in applied.output and "mastodon" in applied.output
    assert len(_keys(database_url)) == 3


def test_erase_asks_then_keeps_a_receipt(workspace: Cli, database_url: str) -> None:
    _filled(database_url)
    declined = workspace("privacy", "erase", "--author", "anna@example.social", input="n\n")
    assert declined.exit_code != 0 and "Nothing was erased" in declined.output
    done = workspace("privacy", "erase", "--author", "anna@example.social", input="y\n")
    assert done.exit_code == 0, done.output
    assert "2 posts on every source erased" in done.output
    assert "mastodon:a1" not in _keys(database_url)
    listed = workspace("privacy", "receipts")
    assert "every source" in listed.output and "anna" not in listed.output


def test_access_writes_a_zip_or_json(workspace: Cli, database_url: str, tmp_path: Path) -> None:
    _filled(database_url)
    bundle = tmp_path / "anna.zip"
    written = workspace("privacy", "access", "--author", "anna@example.social", "-o", str(bundle))
    assert "Wrote 2 posts and 1 author profiles" in written.output
    with zipfile.ZipFile(bundle) as opened:
        report = json.loads(opened.read("access-report.json"))
    assert len(report["posts"]) == 2
    shown = workspace("privacy", "access", "--author", "Anna", "--source", "bluesky", "-o", "-")
    assert [p["key"] for p in json.loads(shown.output)["posts"]] == ["bluesky:a3"]
    empty = workspace("privacy", "access", "--author", "  ", "-o", "-")
    assert empty.exit_code != 0 and "handle" in empty.output
