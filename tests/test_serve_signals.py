"""``horchposten serve`` as a real process: start-up log, graceful and hard stops, --no-ingest."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

from conformance_cases import REDDIT_NEW, reddit_children, reddit_listing
from conftest import FIXTURES, Cli
from localserver import LocalServer
from serve_process import ServeProcess
from test_serve_restart import POLL_FAST, reddit_workspace, stored_posts
from test_source_restart import listings, slowly

POSTS_PER_PAGE = 4  # the reddit source's limit in reddit_workspace


def slow_reddit(tmp_path: Path, server: LocalServer, seconds: float) -> tuple[Cli, str]:
    server.add("/api/v1/access_token", (FIXTURES / "reddit/access_token.json").read_bytes())
    server.handle(REDDIT_NEW, slowly(reddit_listing(reddit_children()), seconds))
    url = f"sqlite:///{tmp_path / 'w' / 'h.db'}"
    return reddit_workspace(tmp_path / "w", url, server), url


def wait_for_listings(server: LocalServer, count: int, process: ServeProcess) -> None:
    deadline = time.monotonic() + 90
    while listings(server) < count:
        assert time.monotonic() < deadline, process.output()
        time.sleep(0.01)


def test_sigterm_stores_the_batch_in_flight_and_logs_what_runs(
    tmp_path: Path, local_server: LocalServer
) -> None:
    run, url = slow_reddit(tmp_path, local_server, 0.3)
    assert run("source", "add", "youtube", "yt", "--set", "query=kaffee").exit_code == 0
    assert run("source", "add", "feeds", "blog", "--set", "url=http://127.0.0.1:9/f").exit_code == 0
    assert run("source", "pause", "blog").exit_code == 0
    server = ServeProcess(
        tmp_path / "serve",
        ["--config", str(run.config), "serve"],
        {**POLL_FAST, "HORCHPOSTEN_YOUTUBE_API_KEY": ""},
    )
    try:
        wait_for_listings(local_server, 3, server)
        assert server.stop(signal.SIGTERM) == 0, server.output()
    finally:
        server.kill()
    # Every page asked for was stored: the stop waited for the batch in flight.
    assert stored_posts(url) == POSTS_PER_PAGE * listings(local_server) < 100
    log = server.stderr()
    assert "Source on  askreddit: reddit" in log
    assert "Source off blog: paused; resume it with: horchposten source resume blog" in log
    assert "Source off yt: The youtube source has no API key" in log
    assert "Enricher on  sentiment: version sentiment-" in log
    assert "Source scheduler: on in process" in log
    assert "Stopping after the current batch (SIGTERM again stops at once)" in log
    assert "Source scheduler stopped; every fetched batch was stored." in log


def test_a_second_signal_stops_at_once_and_says_what_will_be_fetched_again(
    tmp_path: Path, local_server: LocalServer
) -> None:
    run, url = slow_reddit(tmp_path, local_server, 3)
    server = ServeProcess(tmp_path / "serve", ["--config", str(run.config), "serve"], POLL_FAST)
    try:
        wait_for_listings(local_server, 2, server)
        server.process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert server.stop(signal.SIGINT) == 128 + signal.SIGINT, server.output()
    finally:
        server.kill()
    log = server.stderr()
    assert "Stopped at once. The next start fetches again" in log
    assert "'askreddit'" in log
    # The hard stop dropped the page being fetched: its cursor did not move past it.
    assert stored_posts(url) < POSTS_PER_PAGE * listings(local_server)


def test_no_ingest_serves_without_fetching(tmp_path: Path, local_server: LocalServer) -> None:
    run, url = slow_reddit(tmp_path, local_server, 0)
    server = ServeProcess(
        tmp_path / "serve",
        ["--config", str(run.config), "serve", "--no-ingest"],
        POLL_FAST,
    )
    try:
        server.wait_ready()
        time.sleep(1)  # several poll intervals
        assert server.stop(signal.SIGTERM) == 0, server.output()
    finally:
        server.kill()
    assert listings(local_server) == 0 and stored_posts(url) == 0
    assert "Source scheduler: off (--no-ingest); this process serves only." in server.stderr()


def test_two_workers_run_the_scheduler_once(tmp_path: Path, local_server: LocalServer) -> None:
    run, url = slow_reddit(tmp_path, local_server, 0)
    server = ServeProcess(
        tmp_path / "serve",
        ["--config", str(run.config), "serve", "--workers", "2"],
        POLL_FAST,
    )
    try:
        server.wait_ready()
        deadline = time.monotonic() + 60
        while (
            "Source scheduler: off in this process" not in server.stderr()
            or stored_posts(url) < 100
        ):
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.1)
        assert server.stop(signal.SIGTERM) == 0, server.output()
    finally:
        server.kill()
    log = server.stderr()
    assert log.count("Source scheduler: on in process") == 1, log
    assert log.count("Source scheduler: off in this process") == 1, log
    assert stored_posts(url) == 100


def test_serve_on_a_busy_port_says_which_and_how_to_choose_another(workspace: Cli) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = workspace("serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.output
    assert f"choose another port with --port, e.g. --port {port + 1}" in result.output
    assert "Serving the web UI" not in result.output
