"""Firehose benchmark: 500,000 Jetstream events through the bluesky-firehose source into SQLite.

A local websocket server (its own process, so it does not share this one's
GIL) replays Jetstream-shaped post events as fast as the client takes them;
their texts are real German and English posts from ``../shared/data`` with
brand mentions injected into a share of them (``match_corpus.py``). The
``bluesky-firehose`` source reads them, and the embedded pipeline matches every
one against 1,000 topics (``match_topics.py``) and stores the matching ones,
with the workspace's default enrichers. In the same run the same events are
only received and decoded by the same source (no matching, no storage), and
the ratio between the two is printed.

Checks: every event arrives exactly once (the source's items and its last
cursor), and exactly the posts the matcher accepts offline are stored.
It prints the stored posts/s beside the events/s, and the prepare stage's CPU
per step. Target (issue 5): >= 5,000 events/s end to end, no event lost.

    .venv/bin/python benchmarks/bench_firehose.py [--events 500000] [--topics 1000]
    .venv/bin/python benchmarks/bench_firehose.py --events 20000  # quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from horchposten.enrich.base import EnrichSettings
from horchposten.pipeline import Batch, Pipeline, Stored
from horchposten.pipeline.bus.memory import MemoryBus
from horchposten.pipeline.driver import drive
from horchposten.pipeline.stages import normalise
from horchposten.plugins import plugins
from horchposten.query import TopicMatcher
from horchposten.sources.bluesky_mapping import to_post
from horchposten.sources.jetstream import FirehoseSettings, FirehoseSource
from horchposten.store.database import open_database
from horchposten.store.schema import posts as posts_table
from horchposten.store.topics import add_topic
from match_corpus import make_posts
from match_topics import make_topics

DATA = Path(__file__).parent.parent.parent / "shared" / "data"
FIRST_US = 1_795_305_600_000_000  # 2026-11-22T00:00:00Z
DID = "did:plc:bench{:06d}"


def event(index: int, text: str, lang: str) -> dict[str, Any]:
    """Jetstream's documented commit event for a new post (the README's example shape)."""
    return {
        "did": DID.format(index % 50_000),
        "time_us": FIRST_US + index,
        "kind": "commit",
        "commit": {
            "rev": f"3lbench{index:09d}",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": f"3lb{index:010d}",
            "record": {
                "$type": "app.bsky.feed.post",
                "createdAt": "2026-11-22T08:00:00.000Z",
                "langs": [lang],
                "text": text,
            },
            "cid": f"bafyreibench{index:012d}",
        },
    }


def serve(texts: list[tuple[str, str]], count: int, ports: Any) -> None:
    """The server process: replay ``count`` events from the client's cursor, then idle."""
    from urllib.parse import parse_qs, urlsplit

    from websockets.asyncio.server import ServerConnection
    from websockets.asyncio.server import serve as ws_serve

    async def handle(ws: ServerConnection) -> None:
        query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
        start = max(0, int(query.get("cursor", [str(FIRST_US)])[0]) - FIRST_US)
        for index in range(start, count):
            text, lang = texts[index % len(texts)]
            await ws.send(json.dumps(event(index, text, lang)))
        await ws.wait_closed()

    async def main() -> None:
        async with ws_serve(handle, "127.0.0.1", 0, compression=None, max_queue=None) as server:
            ports.put(next(iter(server.sockets)).getsockname()[1])
            await asyncio.Future()

    asyncio.run(main())


async def consume(source: FirehoseSource, count: int, on_page: Any) -> int:
    """Pages until the last event's cursor; returns how many items the source yielded."""
    items = 0
    last = FIRST_US + count - 1
    async for page in source.fetch({}):
        items += len(page.items)
        await on_page(page)
        if page.cursor["time_us"] >= last:
            break
    return items


def firehose(url: str) -> FirehoseSource:
    settings = FirehoseSettings(
        url=url,
        start=datetime.fromtimestamp(FIRST_US / 1e6, UTC),
        listen_seconds=3600,
        batch_size=1000,
        batch_seconds=0.5,
    )
    return FirehoseSource("bench", settings)


async def decode_only(url: str, count: int) -> tuple[float, int]:
    async def nothing(page: Any) -> None:
        return None

    started = time.perf_counter()
    items = await consume(firehose(url), count, nothing)
    return time.perf_counter() - started, items


async def end_to_end(url: str, count: int, pipeline: Pipeline) -> tuple[float, int, int]:
    source = firehose(url)
    yielded = 0
    stored = 0

    async def batches() -> AsyncIterator[Batch]:
        nonlocal yielded
        queue: asyncio.Queue[Batch | None] = asyncio.Queue(4)

        async def on_page(page: Any) -> None:
            posts, problems = normalise(source, page.items)
            if problems:
                raise SystemExit(f"events that do not map: {problems[:3]}")
            await queue.put(Batch(posts, cursor=page.cursor, only_matching=True))

        async def fill() -> None:
            nonlocal yielded
            yielded = await consume(source, count, on_page)
            await queue.put(None)

        filler = asyncio.create_task(fill())
        while (batch := await queue.get()) is not None:
            yield batch
        await filler

    def counted(event: Stored) -> None:
        nonlocal stored
        stored += event.result.new

    started = time.perf_counter()
    await drive(pipeline, [batches()], MemoryBus(4), on_stored=counted)
    return time.perf_counter() - started, yielded, stored


def expected_matches(texts: list[tuple[str, str]], count: int, matcher: TopicMatcher) -> int:
    """Posts the matcher accepts, computed once per distinct text (its only input here)."""
    matching = [bool(matcher.match(to_post(event(i, *texts[i])))) for i in range(len(texts))]
    return sum(matching[i % len(texts)] for i in range(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--topics", type=int, default=1_000)
    parser.add_argument("--texts", type=int, default=20_000, help="distinct texts, reused")
    parser.add_argument("--inject", type=float, default=0.02, help="share with brand mentions")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"bench_firehose.py needs the real texts in {DATA}.")

    brands, topics = make_topics(args.topics, args.seed)
    posts, facts = make_posts(DATA, args.texts, brands, args.seed, args.inject)
    texts = [(post.text or "", post.lang or "und") for post in posts]
    expected = expected_matches(texts, args.events, TopicMatcher(topics))
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(
        f"{args.events:,} events over {len(texts):,} distinct texts ({facts['texts']:,} in the "
        f"corpora), {args.topics:,} topics, {expected:,} events match a topic"
    )

    ports: Any = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(texts, args.events, ports), daemon=True
    )
    server.start()
    try:
        url = f"ws://127.0.0.1:{ports.get(timeout=60)}/subscribe"
        decode_time, decoded = asyncio.run(decode_only(url, args.events))
        with tempfile.TemporaryDirectory() as folder:
            database = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
            with database.begin() as conn:
                for topic in topics:
                    add_topic(conn, topic.model_copy(update={"id": None}))
            enrich = EnrichSettings()
            pipeline = Pipeline(database, plugins().enrichers(enrich), enrich)
            total_time, received, new = asyncio.run(end_to_end(url, args.events, pipeline))
            with database.begin() as conn:
                in_db = conn.execute(select(func.count()).select_from(posts_table)).scalar_one()
            database.close()
    finally:
        server.kill()

    decode_rate, rate = decoded / decode_time, received / total_time
    print(f"decode only:  {decoded:,} events in {decode_time:.1f} s = {decode_rate:,.0f} events/s")
    print(f"end to end:   {received:,} events in {total_time:.1f} s = {rate:,.0f} events/s")
    print(f"ratio end to end / decode only: {rate / decode_rate:.2f}")
    print(f"stored {new:,} new posts, {in_db:,} in the database, expected {expected:,}")
    print(f"stored posts/s end to end: {new / total_time:,.0f} (every enrichment on)")
    steps = ", ".join(
        f"{name} {seconds / received * 1e6:.1f}"
        for name, seconds in pipeline.preparer.seconds.items()
    )
    print(f"prepare, µs of CPU per event: {steps}")
    print(f"load average after: {os.getloadavg()[0]:.2f} (2 cores shared: figures are noisy)")
    lost = received != args.events or decoded != args.events or in_db != expected
    print("count check:", "FAILED" if lost else "passed (no event lost, none stored twice)")
    print("target >= 5,000 events/s end to end:", "met" if rate >= 5_000 else "NOT met")
    if lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
