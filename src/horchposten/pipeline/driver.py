"""The one driver: producers' batches through prepare and store, over a bus.

``import``, ``run`` (and ``run --follow``) and webhook ingest all call ``drive``;
which bus carries the messages decides where the prepare stage runs.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, aclosing, nullcontext

from horchposten.enrich.base import EnrichSettings
from horchposten.pipeline.bus import BATCHES, PREPARED, STORED, Bus
from horchposten.pipeline.bus.memory import MemoryBus
from horchposten.pipeline.bus.process import ProcessBus
from horchposten.pipeline.messages import Batch, Stored
from horchposten.pipeline.stages import Pipeline
from horchposten.store.posts import StoreResult

OnStored = Callable[[Stored], None]


def open_bus(
    pipeline: Pipeline, capacity: int, parallel: bool | None = None
) -> AbstractAsyncContextManager[Bus]:
    """The bus for one run: prepare in a worker process wherever that is possible.

    ``parallel`` None decides: a worker needs a second core, enrichers it can
    build from the pipeline's settings, and a database it can open too (not
    SQLite in memory). True insists (with the default enrichers when the
    pipeline names none), False keeps everything in this process.
    """
    if parallel is None:
        parallel = (
            (os.cpu_count() or 1) > 1
            and pipeline.enrich_settings is not None
            and ":memory:" not in pipeline.database.url
        )
    if parallel:
        enrich = pipeline.enrich_settings or EnrichSettings()
        return ProcessBus(pipeline.database.url, enrich, capacity)
    return nullcontext(MemoryBus(capacity))


async def drive(
    pipeline: Pipeline,
    producers: Sequence[AsyncIterator[Batch]],
    bus: Bus,
    *,
    on_stored: OnStored | None = None,
    store_in_thread: bool = True,
) -> StoreResult:
    """Drive batches from all producers through prepare and store; the totals.

    With ``store_in_thread`` the database write runs in a worker thread, so network
    fetches go on while a batch commits. A CPU-bound producer (a file import) gains
    nothing from that and loses to GIL hand-overs, so it stores in the loop itself.
    A failing stage cancels the others, and its own error is raised.
    """
    total = StoreResult()

    async def produce() -> None:
        async def drain(producer: AsyncIterator[Batch]) -> None:
            async for batch in producer:
                await bus.publish(BATCHES, batch)

        await asyncio.gather(*(drain(p) for p in producers))
        await bus.end(BATCHES)

    async def prepare() -> None:
        async with aclosing(bus.consume(BATCHES)) as deliveries:
            async for delivery in deliveries:
                await bus.publish(PREPARED, pipeline.prepare(delivery.message))
                await bus.ack(BATCHES, delivery)
        await bus.end(PREPARED)

    async def store() -> None:
        async with aclosing(bus.consume(PREPARED)) as deliveries:
            async for delivery in deliveries:
                if store_in_thread:
                    stored = await asyncio.to_thread(pipeline.store, delivery.message)
                else:
                    stored = pipeline.store(delivery.message)
                # Published before the ack: a redelivered batch finds itself stored
                # already and would announce nothing.
                await bus.publish(STORED, stored)
                await bus.ack(PREPARED, delivery)
        await bus.end(STORED)

    async def report() -> None:
        nonlocal total
        async with aclosing(bus.consume(STORED)) as deliveries:
            async for delivery in deliveries:
                total += delivery.message.result
                if on_stored is not None:
                    on_stored(delivery.message)
                await bus.ack(STORED, delivery)

    stages = [produce, store, report] if bus.prepares else [produce, prepare, store, report]
    try:
        async with asyncio.TaskGroup() as group:
            for stage in stages:
                group.create_task(stage())
    except ExceptionGroup as failure:
        # One stage failed and the others were cancelled; report the cause itself.
        raise failure.exceptions[0] from None
    return total
