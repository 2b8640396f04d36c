"""``POST /ingest/{source}`` of ``webhook`` sources, in the app ``horchposten serve`` builds.

Most tests drive the app through httpx's ASGI transport; one starts the real
server on a loopback port.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import FIXTURES, Cli
from horchposten.config import load_settings
from horchposten.store.database import open_database
from horchposten.web.app import create_app
from horchposten.web.ingest import MAX_BODY, router

BATCH: list[dict[str, Any]] = json.loads((FIXTURES / "webhook/batch.json").read_bytes())
TOKEN = "s3cret-push-token"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("SCRAPER_TOKEN", TOKEN)
    run = Cli(tmp_path / "horchposten.toml")
    assert run("init", "--database-url", f"sqlite:///{tmp_path / 'w.db'}").exit_code == 0
    added = run("source", "add", "webhook", "scraper", "--set", 'token={"$env": "SCRAPER_TOKEN"}')
    assert added.exit_code == 0, added.output
    return run


def push(workspace: Cli, source: str, body: Any, token: str | None = TOKEN) -> httpx.Response:
    settings = load_settings(workspace.config)
    database = open_database(settings.database_url)
    app = create_app(database, settings)
    app.include_router(router)  # as horchposten serve does
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://horch") as client:
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            return await client.post(f"/ingest/{source}", content=content, headers=headers)

    try:
        return asyncio.run(send())
    finally:
        database.close()


def stored(workspace: Cli) -> list[dict[str, Any]]:
    return [json.loads(line) for line in workspace("export").stdout.splitlines()]


def test_a_batch_is_stored_matched_and_named_after_the_source(workspace: Cli) -> None:
    workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    answer = push(workspace, "scraper", BATCH)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": 4, "new": 4, "updated": 0, "unchanged": 0, "matched": 2}
    posts = stored(workspace)
    assert {p["source"] for p in posts} == {"scraper"}  # the route names the source
    again = push(workspace, "scraper", BATCH)
    assert again.json()["unchanged"] == 4 and len(stored(workspace)) == 4


def test_a_pusher_cannot_write_into_another_source(workspace: Cli, tmp_path: Path) -> None:
    original = {"id": "x", "text": "Das Original", "created_at": "2026-11-01T08:00:00Z"}
    (tmp_path / "one.jsonl").write_text(json.dumps(original) + "\n")
    assert workspace("import", str(tmp_path / "one.jsonl")).exit_code == 0
    forged = {**original, "source": "files", "text": "Überschrieben"}
    answer = push(workspace, "scraper", forged)
    assert answer.status_code == 200, answer.text
    posts = {(p["source"], p["id"]): p["text"] for p in stored(workspace)}
    assert posts == {("files", "x"): "Das Original", ("scraper", "x"): "Überschrieben"}


def test_a_chunked_body_over_the_limit_is_refused_without_reading_it_all(
    workspace: Cli,
) -> None:
    settings = load_settings(workspace.config)
    database = open_database(settings.database_url)
    app = create_app(database, settings)
    app.include_router(router)
    chunk = b" " * 65_536
    chunks = 4 * MAX_BODY // len(chunk)  # 64 MB, sent without a Content-Length
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(chunks):
            sent += 1
            yield chunk

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://horch") as client:
            headers = {"Authorization": f"Bearer {TOKEN}"}
            return await client.post("/ingest/scraper", content=body(), headers=headers)

    tracemalloc.start()
    try:
        answer = asyncio.run(send())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        database.close()
    assert sent <= MAX_BODY // len(chunk) + 2  # reading stopped at the limit
    assert peak < 2 * MAX_BODY  # roughly: the limit and a copy, not the 64 MB sent
    assert answer.status_code == 413, answer.text
    assert "larger than 16,777,216 bytes" in answer.json()["error"]["message"]


def test_a_post_dated_in_the_future_is_refused(workspace: Cli) -> None:
    future = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    answer = push(workspace, "scraper", [BATCH[1], {**BATCH[2], "created_at": future}])
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["error"]["details"]
    assert problem["index"] == 1 and "lies in the future" in problem["message"]


def test_a_single_object_is_a_batch_of_one(workspace: Cli) -> None:
    answer = push(workspace, "scraper", BATCH[1])
    assert answer.json()["new"] == 1
    assert stored(workspace)[0]["id"] == BATCH[1]["id"]


def test_one_invalid_post_refuses_the_whole_batch_with_every_reason(workspace: Cli) -> None:
    broken = [BATCH[0], {**BATCH[1], "created_at": "yesterday"}, {"id": "x"}]
    answer = push(workspace, "scraper", broken)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["message"] == (
        "2 of 3 posts are invalid; nothing was stored. Fix them and send the batch again."
    )
    assert (error["status"], error["code"]) == (422, "invalid_input")
    assert [p["index"] for p in error["details"]] == [1, 2]
    assert "created_at" in error["details"][0]["message"]
    assert stored(workspace) == []


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "Send the source's token as 'Authorization: Bearer TOKEN'."),
        ("guess", "The token for 'scraper' is wrong; nothing was stored."),
    ],
)
def test_a_missing_or_wrong_token_stores_nothing(
    workspace: Cli, token: str | None, message: str
) -> None:
    answer = push(workspace, "scraper", BATCH, token=token)
    assert answer.json() == {
        "error": {"status": 401, "code": "unauthorized", "message": message, "details": []}
    }
    assert answer.headers["www-authenticate"] == "Bearer"
    assert stored(workspace) == []


def test_only_enabled_webhook_sources_accept_posts(workspace: Cli) -> None:
    assert push(workspace, "nobody", BATCH).status_code == 404
    workspace("source", "add", "feeds", "blog", "--url", "https://blog.example/feed")
    refused = push(workspace, "blog", BATCH)
    assert (
        refused.json()["error"]["message"] == "The source 'blog' is a feeds source, not a webhook."
    )
    workspace("source", "pause", "scraper")
    assert push(workspace, "scraper", BATCH).status_code == 409


def test_a_webhook_without_a_token_refuses_and_says_which_variable_to_set(
    workspace: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace("source", "add", "webhook", "zapier")
    answer = push(workspace, "zapier", BATCH)
    assert answer.status_code == 503
    assert "HORCHPOSTEN_WEBHOOK_TOKEN" in answer.json()["error"]["message"]


def test_a_body_that_is_no_post_is_a_400(workspace: Cli) -> None:
    answer = push(workspace, "scraper", b"[1, 2]")
    assert answer.status_code == 400
    assert "send one JSON object or a non-empty JSON array" in answer.json()["error"]["message"]


def test_horchposten_serve_accepts_pushes_beside_the_api(workspace: Cli) -> None:
    port = free_port()
    command = [sys.executable, "-m", "horchposten", "--config", str(workspace.config)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ | {"COLUMNS": "200"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        answer = httpx.post(f"{base}/ingest/scraper", json=BATCH, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        assert answer.json()["new"] == 4
        # Mounted at the root, where pushers are configured, not under /api/v1.
        assert httpx.post(f"{base}/api/v1/ingest/scraper", json=BATCH).status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stderr is not None:
            server.stderr.close()
    assert len(stored(workspace)) == 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
