"""UI page times of ``horchposten serve`` while it ingests a firehose in the same process.

Sets up the demo workspace (``horchposten demo --no-serve``: 5,000 posts, eight
topics), adds a ``bluesky-firehose`` source and starts the real ``horchposten
serve``, whose source scheduler reads the firehose. A local websocket server (its
own process, so it does not share the server's GIL) replays Jetstream post events
built from the demo's texts, paced at ``--rate`` events per second, and pauses on
command. One page view is what a user opening the product waits for: the overview,
a topic dashboard (HTML) and the dashboard's API requests one after another, all
with ``Cache-Control: no-cache``, signed in.

The baseline is measured in the same run, on the same server: page views are
taken in alternating blocks with the firehose paused (ingest idle) and flowing
(ingest at the rate), so a change of the machine's load hits both alike.

    .venv/bin/python benchmarks/bench_serve.py [--rate 2000] [--views 60] [--block 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from horchposten.demo.synthetic import generate_posts
from horchposten.store.database import open_database
from horchposten.store.schema import posts as posts_table

HORCHPOSTEN = Path(sys.executable).parent / "horchposten"
USER, PASSWORD = "bench", "bench-password-1234"
TOPIC = "Nordlicht"
FIRST_US = 1_795_305_600_000_000  # 2026-11-22T00:00:00Z
TICK = 0.05  # seconds between the replay's bursts


def event(index: int, text: str, lang: str, created: str) -> dict[str, Any]:
    """Jetstream's commit event for a new post (as in bench_firehose.py)."""
    return {
        "did": f"did:plc:serve{index % 20_000:06d}",
        "time_us": FIRST_US + index,
        "kind": "commit",
        "commit": {
            "rev": f"3lserve{index:09d}",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": f"3ls{index:010d}",
            "record": {
                "$type": "app.bsky.feed.post",
                "createdAt": created,
                "langs": [lang],
                "text": text,
            },
            "cid": f"bafyreiserve{index:012d}",
        },
    }


def replay(texts: list[tuple[str, str]], rate: float, flowing: Any, sent: Any, ports: Any) -> None:
    """The websocket process: ``rate`` events a second while ``flowing`` is set."""
    from websockets.asyncio.server import ServerConnection
    from websockets.asyncio.server import serve as ws_serve

    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    async def handle(ws: ServerConnection) -> None:
        index = 0
        per_tick = rate * TICK
        owed = 0.0
        next_tick = time.monotonic()
        while True:
            next_tick += TICK
            if flowing.is_set():
                owed += per_tick
                while owed >= 1:
                    text, lang = texts[index % len(texts)]
                    await ws.send(json.dumps(event(index, text, lang, created)))
                    index += 1
                    owed -= 1
                sent.value = index
            await asyncio.sleep(max(0.0, next_tick - time.monotonic()))

    async def main() -> None:
        async with ws_serve(
            handle, "127.0.0.1", 0, compression=None, max_queue=None, ping_interval=None
        ) as server:
            ports.put(next(iter(server.sockets)).getsockname()[1])
            await asyncio.Future()

    asyncio.run(main())


def cli(config: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(HORCHPOSTEN), "--config", str(config), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return done.stdout


def page_requests(topic_names: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The overview, the dashboard and its API requests (web/ui/static/js/pages/dashboard.js)."""
    end = datetime.now(UTC)
    now = {"since": (end - timedelta(days=30)).isoformat(), "until": end.isoformat()}
    before = {
        "since": (end - timedelta(days=60)).isoformat(),
        "until": (end - timedelta(days=30)).isoformat(),
    }
    topic = f"/api/v1/topics/{TOPIC}"
    day = {"granularity": "day"}
    return [
        ("/", {}),
        ("/topics/1", {}),
        (f"{topic}/volume", {**now, **day}),
        (f"{topic}/volume", {**before, **day}),
        (f"{topic}/sentiment", {**now, **day}),
        ("/api/v1/share-of-voice", {**now, **day, "topic": topic_names}),
        (f"{topic}/authors", {**now, "limit": 10}),
        (f"{topic}/authority", {**now, "limit": 50}),
        (f"{topic}/themes", {**now, "limit": 10}),
        (f"{topic}/voice-of-customer", now),
        (f"{topic}/sources", {**now, **day}),
        (f"{topic}/volume", {**now, **day, "split": "lang"}),
        (f"{topic}/earned-media", now),
    ]


def page_view_ms(client: httpx.Client, requests: list[tuple[str, dict[str, Any]]]) -> float:
    started = time.perf_counter()
    for path, query in requests:
        client.get(path, params=query).raise_for_status()
    return (time.perf_counter() - started) * 1000


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, headers={"Cache-Control": "no-cache"}, timeout=60)
    client.get("/signin")
    form = {"name": USER, "password": PASSWORD, "csrf_token": client.cookies["hp_signin"]}
    if client.post("/signin", data=form).status_code != 303:
        raise SystemExit("could not sign in")
    return client


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(1200):
        if process.poll() is not None:
            raise SystemExit("horchposten serve ended early")
        try:
            httpx.get(f"{base}/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("horchposten serve did not start")


def stored(url: str) -> int:
    database = open_database(url, migrate=False)
    try:
        with database.begin() as conn:
            return int(conn.execute(select(func.count()).select_from(posts_table)).scalar_one())
    finally:
        database.close()


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=2000, help="firehose events per second")
    parser.add_argument("--views", type=int, default=60, help="page views per condition")
    parser.add_argument("--block", type=int, default=5, help="page views per alternating block")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    config = folder / "horchposten.toml"
    subprocess.run(
        [str(HORCHPOSTEN), "demo", "--dir", str(folder), "--no-serve"],
        check=True,
        capture_output=True,
    )
    cli(config, "user", "add", USER, "--admin", env={"HORCHPOSTEN_PASSWORD": PASSWORD})
    url = f"sqlite:///{folder / 'horchposten.db'}"
    texts = [(post.text or "", post.lang or "und") for post in generate_posts(5000)]

    spawn = multiprocessing.get_context("spawn")
    flowing, sent, ports = spawn.Event(), spawn.Value("q", 0), spawn.Queue()
    replayer = spawn.Process(
        target=replay, args=(texts, args.rate, flowing, sent, ports), daemon=True
    )
    replayer.start()
    hose = f"ws://127.0.0.1:{ports.get(timeout=60)}/subscribe"
    cli(
        config, "source", "add", "bluesky-firehose", "hose", "--set", f"url={hose}",
        "--set", "listen_seconds=36000", "--set", "batch_size=500", "--set", "batch_seconds=0.5",
    )  # fmt: skip

    port = 8000 + os.getpid() % 1000
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(HORCHPOSTEN), "--config", str(config), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(base, server)
        with open_database(url).begin() as conn:
            names = [row[0] for row in conn.exec_driver_sql("SELECT name FROM topics")]
        requests = page_requests(names)
        client = signed_in(base)
        page_view_ms(client, requests)  # warm the caches of both conditions alike
        times: dict[str, list[float]] = {"ingest off": [], "ingest on": []}
        ingest_seconds = 0.0
        events = 0
        stored_before = stored(url)
        load_before = loadavg()
        while len(times["ingest on"]) < args.views:
            for label in ("ingest off", "ingest on"):
                if label == "ingest on":
                    flowing.set()
                    time.sleep(1.0)  # the pipeline fills up
                    started, first = time.monotonic(), sent.value
                for _ in range(args.block):
                    times[label].append(page_view_ms(client, requests))
                if label == "ingest on":
                    ingest_seconds += time.monotonic() - started
                    events += sent.value - first
                    flowing.clear()
                    time.sleep(1.5)  # the last batches are stored
        newly_stored = stored(url) - stored_before
        load_after = loadavg()
    finally:
        server.terminate()
        server.wait(timeout=60)
        replayer.terminate()

    print(f"demo workspace, {len(requests)} requests per page view, topic '{TOPIC}', 30 days")
    print(
        f"firehose: {events / ingest_seconds:,.0f} events/s sent while measuring "
        f"(target {args.rate:,.0f}); {sent.value:,} events sent, {newly_stored:,} posts stored "
        f"(only topic matches are kept)"
    )
    print(f"load average before {load_before}, after {load_after}")
    print(f"{'condition':<12} {'views':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for label, values in times.items():
        print(f"{label:<12} {len(values):>5} {p(values, 50):>8.0f} {p(values, 95):>8.0f}")
    off, on = p(times["ingest off"], 95), p(times["ingest on"], 95)
    print(f"p95 with ingest / without: {on / off:.2f}")


if __name__ == "__main__":
    main()
