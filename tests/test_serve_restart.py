"""Kill ``horchposten serve`` with SIGKILL during ingest, three times: nothing lost, nothing twice.

The real command runs with its source scheduler on, polling a recorded Reddit
listing served slowly by the local server, on SQLite and on PostgreSQL. After
three kills at random moments a restarted ``serve`` finishes the work; the posts,
their topic matches and the rollups must then be those of one uninterrupted run.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conformance_cases import REDDIT_NEW, reddit_children, reddit_listing
from conftest import FIXTURES, Cli
from horchposten.store.database import open_database
from horchposten.store.schema import posts
from localserver import LocalServer
from serve_process import ServeProcess
from test_source_restart import listings, slowly, snapshot

POLL_FAST = {"HORCHPOSTEN_PIPELINE_POLL_INTERVAL": "0.2"}


def reddit_workspace(folder: Path, database_url: str, server: LocalServer) -> Cli:
    folder.mkdir()
    run = Cli(folder / "horchposten.toml")
    assert run("init", "--database-url", database_url).exit_code == 0
    with (folder / "horchposten.toml").open("a", encoding="utf-8") as config:
        config.write("\n[credentials.reddit]\nclient_id = 'app'\nclient_secret = 'secret'\n")
    run("topic", "add", "Fragen", "--query", "why OR what OR how")
    added = run(
        "source", "add", "reddit", "askreddit", "--set", "subreddit=askreddit",
        "--set", "since=2016-02-01T00:00:00Z", "--set", "limit=4", "--set", "max_pages=50",
        "--set", f"auth_url={server.url('')}", "--set", f"api_url={server.url('')}",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return run


def second_database(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'clean.db'}"
    return str(request.getfixturevalue("postgres_server").create_database())


def stored_posts(database_url: str) -> int:
    database = open_database(database_url, migrate=False)
    try:
        with database.begin() as conn:
            return int(conn.execute(select(func.count()).select_from(posts)).scalar_one())
    finally:
        database.close()


def serve(run: Cli, folder: Path) -> ServeProcess:
    return ServeProcess(folder, ["--config", str(run.config), "serve"], POLL_FAST)


def test_killing_serve_during_ingest_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path,
    local_server: LocalServer,
    database_url: str,
    request: pytest.FixtureRequest,
) -> None:
    local_server.add("/api/v1/access_token", (FIXTURES / "reddit/access_token.json").read_bytes())
    local_server.handle(REDDIT_NEW, slowly(reddit_listing(reddit_children()), 0.03))
    kind = database_url.split(":", 1)[0]
    clean_url = second_database(kind, tmp_path, request)
    clean = reddit_workspace(tmp_path / "clean", clean_url, local_server)
    assert clean("run").exit_code == 0
    expected = snapshot(clean, clean_url)
    assert len(expected[0]) == 100 and 0 < len(expected[1]) < 100

    killed = reddit_workspace(tmp_path / "killed", database_url, local_server)
    rng = random.Random(13)
    for attempt in range(3):
        asked = listings(local_server) + rng.randint(1, 12)
        server = serve(killed, tmp_path / f"kill-{attempt}")
        deadline = time.monotonic() + 90
        while listings(local_server) < asked and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.03))  # anywhere in fetching, preparing or storing
        server.kill()
    partial = snapshot(killed, database_url)[0]
    assert 0 < len(partial) < 100

    restarted = serve(killed, tmp_path / "restarted")
    try:
        deadline = time.monotonic() + 90
        # Only counted while it writes: PostgreSQL's read committed sees each statement
        # at another moment, so the rollup checks wait until the server stopped.
        while stored_posts(database_url) < 100 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert restarted.stop(signal.SIGTERM) == 0, restarted.output()
    finally:
        restarted.kill()
    assert snapshot(killed, database_url) == expected
