"""Kill ``horchposten run --follow`` at random moments and restart it: nothing lost, nothing twice.

A real process is killed with SIGKILL (no clean-up of any kind) while it pages
through a recorded Reddit listing served slowly by the local server. After the
kills one more pass runs to the end; the stored posts, their topic matches and
the rollups must then be exactly those of one uninterrupted run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conformance_cases import REDDIT_NEW, reddit_children, reddit_listing
from conftest import FIXTURES, Cli
from horchposten.store.database import open_database
from localserver import LocalServer, RecordedRequest
from recount import recounted_rollups, stored_rollups

HORCHPOSTEN = [sys.executable, "-m", "horchposten"]


def slowly(handler: Any, seconds: float) -> Any:
    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        time.sleep(seconds)  # so that a kill lands in the middle of a pass
        return handler(request)  # type: ignore[no-any-return]

    return answer


def workspace(tmp_path: Path, name: str, server: LocalServer) -> tuple[Cli, str]:
    folder = tmp_path / name
    folder.mkdir()
    database = f"sqlite:///{folder / 'h.db'}"
    run = Cli(folder / "horchposten.toml")
    assert run("init", "--database-url", database).exit_code == 0
    with (folder / "horchposten.toml").open("a", encoding="utf-8") as config:
        config.write("\n[credentials.reddit]\nclient_id = 'app'\nclient_secret = 'secret'\n")
    run("topic", "add", "Fragen", "--query", "why OR what OR how")
    added = run(
        "source", "add", "reddit", "askreddit", "--set", "subreddit=askreddit",
        "--set", "since=2016-02-01T00:00:00Z", "--set", "limit=4", "--set", "max_pages=50",
        "--set", f"auth_url={server.url('')}", "--set", f"api_url={server.url('')}",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return run, database


def listings(server: LocalServer) -> int:
    return sum(request.path.startswith(REDDIT_NEW) for request in server.requests)


def follow(config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HORCHPOSTEN_PIPELINE_POLL_INTERVAL": "0.2", "NO_PROXY": "*"}
    return subprocess.Popen(
        [*HORCHPOSTEN, "--config", str(config), "run", "--follow"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def snapshot(run: Cli, database: str) -> tuple[list[str], list[str], Any]:
    posts = sorted(json.loads(line)["id"] for line in run("export").stdout.splitlines())
    matched = sorted(
        json.loads(line)["id"] for line in run("export", "--topic", "Fragen").stdout.splitlines()
    )
    db = open_database(database)
    try:
        assert stored_rollups(db) == recounted_rollups(db)
        return posts, matched, stored_rollups(db)
    finally:
        db.close()


def test_killing_the_runner_at_random_moments_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, local_server: LocalServer
) -> None:
    token = (FIXTURES / "reddit/access_token.json").read_bytes()
    local_server.add("/api/v1/access_token", token)
    local_server.handle(REDDIT_NEW, slowly(reddit_listing(reddit_children()), 0.03))

    clean, clean_db = workspace(tmp_path, "clean", local_server)
    assert clean("run").exit_code == 0
    expected = snapshot(clean, clean_db)
    assert len(expected[0]) == 100 and 0 < len(expected[1]) < 100

    killed, killed_db = workspace(tmp_path, "killed", local_server)
    rng = random.Random(5)
    for _ in range(3):
        # Kill after a random number of listing pages were asked for in this run.
        asked = listings(local_server) + rng.randint(1, 12)
        process = follow(killed.config)
        deadline = time.monotonic() + 60
        while listings(local_server) < asked and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.03))  # anywhere in fetching, preparing or storing
        process.send_signal(signal.SIGKILL)
        process.wait()
    partial = snapshot(killed, killed_db)[0]
    assert 0 < len(partial) <= 100
    assert killed("run").exit_code == 0
    assert snapshot(killed, killed_db) == expected
