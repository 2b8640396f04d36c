"""The bus seam: order, acknowledgement after the write, redelivery, back-pressure, processes."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from pathlib import Path

import pytest

from horchposten.enrich.base import EnrichSettings
from horchposten.errors import InputError
from horchposten.models import Post, Topic
from horchposten.pipeline import Batch, Pipeline, Stored
from horchposten.pipeline.bus import BATCHES, Bus
from horchposten.pipeline.bus.memory import MemoryBus
from horchposten.pipeline.bus.process import ProcessBus
from horchposten.pipeline.driver import drive, open_bus
from horchposten.sources.base import LocalIds
from horchposten.store.database import Database, open_database
from horchposten.store.local_ids import resolve
from horchposten.store.sources import add_source, get_source
from horchposten.store.topics import add_topic, match_counts


def _batch(number: int, source: str = "feed") -> Batch:
    post = Post.model_validate(
        {"id": str(number), "text": f"Kaffee Nummer {number}", "created_at": "2026-11-20T10:00Z"}
    )
    return Batch([post], source_name=source, cursor={"after": number}, size_hint=1)


async def _take(bus: Bus, count: int, *, ack: bool) -> list[int]:
    """Consume ``count`` batches, acknowledging them or not; the cursors seen."""
    seen: list[int] = []
    async with aclosing(bus.consume(BATCHES)) as deliveries:
        async for delivery in deliveries:
            assert delivery.message.cursor is not None
            seen.append(delivery.message.cursor["after"])
            if ack:
                await bus.ack(BATCHES, delivery)
            if len(seen) == count:
                break
    return seen


def test_messages_arrive_in_order_and_unacknowledged_ones_come_again() -> None:
    async def scenario() -> tuple[list[int], list[int], list[int]]:
        bus = MemoryBus(capacity=10)
        for number in range(5):
            await bus.publish(BATCHES, _batch(number))
        await bus.end(BATCHES)
        crashed = await _take(bus, 2, ack=False)  # a consumer that dies before its write
        done = await _take(bus, 3, ack=True)
        rest = await _take(bus, 10, ack=True)
        return crashed, done, rest

    crashed, done, rest = asyncio.run(scenario())
    assert crashed == [0, 1]
    assert done == [0, 1, 2]  # redelivered first, still in order
    assert rest == [3, 4]


def test_publishing_waits_while_the_topic_is_full_until_an_ack() -> None:
    async def scenario() -> list[str]:
        bus = MemoryBus(capacity=2)
        events: list[str] = []

        async def publish() -> None:
            for number in range(3):
                await bus.publish(BATCHES, _batch(number))
                events.append(f"published {number}")

        publisher = asyncio.create_task(publish())
        deliveries = bus.consume(BATCHES)
        first = await anext(deliveries)
        await asyncio.sleep(0.01)
        events.append("taken, not acknowledged")  # still in flight: counts against the bound
        await bus.ack(BATCHES, first)
        await publisher
        await deliveries.aclose()
        return events

    assert asyncio.run(scenario()) == [
        "published 0",
        "published 1",
        "taken, not acknowledged",
        "published 2",
    ]


def _workspace_pipeline(database: Database) -> Pipeline:
    return Pipeline(database, enrich_settings=EnrichSettings())


def test_the_worker_process_carries_the_whole_message_and_sees_topic_changes(
    database: Database,
) -> None:
    with database.begin() as conn:
        add_source(conn, "feed", "webhook", {})
    pipeline = _workspace_pipeline(database)
    first = _batch(1)
    second = _batch(2)
    second.deleted = ["files:1"]
    second.local = LocalIds("files:test", {"900": "files:2"}, [])
    events: list[Stored] = []

    async def batches() -> AsyncIterator[Batch]:
        yield first
        await asyncio.sleep(0.5)
        # The topic arrives while the worker runs: the next batch is matched against it.
        with database.begin() as conn:
            add_topic(conn, Topic(name="Kaffee", query="kaffee"))
        yield second

    async def run() -> None:
        async with open_bus(pipeline, capacity=2) as bus:
            assert isinstance(bus, ProcessBus)
            await drive(pipeline, [batches()], bus, on_stored=events.append)

    asyncio.run(run())
    assert [(e.new, e.result.deleted) for e in events] == [(["files:1"], 0), (["files:2"], 1)]
    assert events[1].labels["files:2"]["sentiment"] in {"positive", "neutral", "negative"}
    with database.begin() as conn:
        assert get_source(conn, "feed").cursor == {"after": 2}
        assert resolve(conn, "files:test", ["900"]) == ["files:2"]
        assert list(match_counts(conn).values()) == [1]


def test_an_error_in_the_worker_process_reaches_the_driver(database: Database) -> None:
    bad = _workspace_pipeline(database)
    bad.enrich_settings = EnrichSettings(sentiment_model="/no/such/model")

    async def run() -> None:
        async with open_bus(bad, capacity=2) as bus:
            await drive(bad, [_one(_batch(1))], bus)

    with pytest.raises(InputError, match="no/such/model"):
        asyncio.run(run())


async def _one(batch: Batch) -> AsyncIterator[Batch]:
    yield batch


PARENT = """
import asyncio, sys, time
from horchposten.enrich.base import EnrichSettings
from horchposten.pipeline.bus.process import ProcessBus

async def main():
    async with ProcessBus(sys.argv[1], EnrichSettings()) as bus:
        print(bus._worker.pid, flush=True)
        time.sleep(600)

asyncio.run(main())
"""


def test_the_worker_process_stops_when_its_parent_is_killed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'horchposten.db'}"
    open_database(url).close()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 60
        while _running(worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(worker)
    finally:
        parent.kill()
        parent.communicate()


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting for init to reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
