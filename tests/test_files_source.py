"""The files source follows a growing JSON Lines file; run --follow stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import FIXTURES, Cli
from horchposten.config import load_settings
from horchposten.demo.synthetic import generate_posts
from horchposten.store.database import Database, open_database
from horchposten.store.schema import posts

LINES = (FIXTURES / "files" / "posts.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)


def _ids(workspace: Cli) -> list[str]:
    return sorted(json.loads(x)["id"] for x in workspace("export").stdout.splitlines())


def test_follows_appended_lines_and_waits_for_partial_ones(workspace: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "scraper.jsonl"
    feed.write_text("".join(LINES[:3]), encoding="utf-8")
    assert workspace("source", "add", "files", "scraper", "--set", f"path={feed}").exit_code == 0
    workspace("run")
    assert _ids(workspace) == ["1001", "1002", "1003"]

    # A writer is half-way through line 5: the complete line 4 is read, line 5 waits.
    with feed.open("a", encoding="utf-8") as out:
        out.write(LINES[3] + LINES[4][:30])
    workspace("run")
    assert _ids(workspace) == ["1001", "1002", "1003", "1004"]
    with feed.open("a", encoding="utf-8") as out:
        out.write(LINES[4][30:] + "not json\n")
    result = workspace("run")
    assert _ids(workspace) == ["1001", "1002", "1003", "1004", "1005"]
    assert "line 6: not a JSON object" in result.output


def test_a_paused_source_is_skipped_and_resumes_where_it_stopped(
    workspace: Cli, tmp_path: Path
) -> None:
    feed = tmp_path / "scraper.jsonl"
    feed.write_text("".join(LINES[:2]), encoding="utf-8")
    workspace("source", "add", "files", "scraper", "--set", f"path={feed}")
    workspace("run")
    assert workspace("source", "pause", "scraper").exit_code == 0
    with feed.open("a", encoding="utf-8") as out:
        out.write(LINES[2])
    assert "No enabled sources to fetch" in workspace("run").output
    assert "paused" in workspace("source", "list").output
    assert _ids(workspace) == ["1001", "1002"]
    workspace("source", "resume", "scraper")
    workspace("run")
    assert _ids(workspace) == ["1001", "1002", "1003"]
    missing = workspace("source", "pause", "nope")
    assert missing.exit_code == 1 and "There is no source named 'nope'" in missing.output


def test_a_replaced_file_is_read_from_the_start(workspace: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "scraper.jsonl"
    feed.write_text("".join(LINES[:4]), encoding="utf-8")
    workspace("source", "add", "files", "scraper", "--set", f"path={feed}")
    workspace("run")
    rotated = tmp_path / "new.jsonl"
    rotated.write_text(LINES[0] + LINES[7], encoding="utf-8")
    rotated.replace(feed)  # a new file (new inode), shorter than the saved offset
    result = workspace("run")
    assert _ids(workspace) == ["1001", "1002", "1003", "1004", "1008"]
    assert "scraper" in result.output


def test_follow_stops_cleanly_on_ctrl_c(workspace: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "scraper.jsonl"
    feed.write_text("".join(LINES[:2]), encoding="utf-8")
    workspace("source", "add", "files", "scraper", "--set", f"path={feed}")
    env = {**os.environ, "HORCHPOSTEN_PIPELINE_POLL_INTERVAL": "0.2", "COLUMNS": "200"}
    command = [sys.executable, "-m", "horchposten", "--config", str(workspace.config)]
    follower = subprocess.Popen(
        [*command, "run", "--follow"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Generous: each pass waits for the prepare worker, which loads the models first.
        deadline = time.monotonic() + 120
        while len(_ids(workspace)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        with feed.open("a", encoding="utf-8") as out:
            out.write(LINES[2])
        while len(_ids(workspace)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        follower.send_signal(signal.SIGINT)
        output, _ = follower.communicate(timeout=30)
    finally:
        follower.kill()
    assert follower.returncode == 0, output
    assert "Stopping after the current batch" in output
    assert "Traceback" not in output
    assert _ids(workspace) == ["1001", "1002", "1003"]


# 8,000 posts (3 MB) and 20,000 (8 MB): both over importer.SMALL_FILE, prepared in a worker.
@pytest.mark.parametrize("count", [8_000, 20_000])
def test_ctrl_c_during_an_import_keeps_what_was_stored(
    workspace: Cli, tmp_path: Path, count: int
) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as out:
        for post in generate_posts(count, now=datetime(2026, 11, 21, tzinfo=UTC)):
            out.write(json.dumps(post.to_interchange()) + "\n")
    settings = load_settings(workspace.config)
    database = open_database(settings.database_url)
    command = [sys.executable, "-m", "horchposten", "--config", str(workspace.config)]
    importer = subprocess.Popen(
        [*command, "import", str(big)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while _stored(database) == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        importer.send_signal(signal.SIGINT)
        output, _ = importer.communicate(timeout=60)
    finally:
        importer.kill()
    partial = _stored(database)
    database.close()
    assert importer.returncode == 130, output
    assert "Interrupted. Every batch stored before the interruption is kept" in output
    assert "Traceback" not in output
    assert 0 < partial < count
    again = workspace("import", str(big))
    assert f"{count - partial} new" in again.output
    assert f"{partial} duplicates" in again.output


def _stored(database: Database) -> int:
    with database.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(posts)).scalar_one())
