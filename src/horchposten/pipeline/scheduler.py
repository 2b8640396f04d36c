"""Passes over the sources: ``run`` fetches every enabled source once, ``run --follow`` repeats.

Each pass drives every source's pages through the one driver (``driver.drive``)
and records each source's health; the prepare stage runs in a worker process
where it can (``driver.open_bus``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx

from horchposten.config import Settings
from horchposten.errors import HorchpostenError, StorageError
from horchposten.pipeline.bus import Bus
from horchposten.pipeline.driver import OnStored, drive, open_bus
from horchposten.pipeline.messages import Batch, Stored
from horchposten.pipeline.stages import Pipeline, normalise
from horchposten.sources.base import Source
from horchposten.sources.build import build_source, http_client
from horchposten.sources.guard import pages
from horchposten.store.posts import StoreResult
from horchposten.store.sources import (
    SourceRecord,
    list_sources,
    record_failure,
    record_success,
)


@dataclass
class SourceReport:
    """What one source did in one pass."""

    name: str
    kind: str
    items: int = 0
    stored: StoreResult = field(default_factory=StoreResult)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


async def _source_batches(
    record: SourceRecord, source: Source, report: SourceReport, stop: asyncio.Event
) -> AsyncIterator[Batch]:
    try:
        async for page in pages(source, record.cursor):
            posts, problems = normalise(source, page.items)
            report.items += len(page.items)
            report.problems += [f"{p.where}: {p.message}" for p in page.problems] + problems
            yield Batch(
                posts,
                source_name=record.name,
                cursor=page.cursor,
                size_hint=len(posts),
                only_matching=getattr(source, "only_matching", False),
                deleted=page.deleted,
                local=page.local,
            )
            if stop.is_set():
                return
    except HorchpostenError as exc:
        report.error = str(exc)
    except httpx.HTTPError as exc:
        report.error = f"{type(exc).__name__}: {exc}"


async def run_pass(
    pipeline: Pipeline,
    settings: Settings,
    stop: asyncio.Event,
    on_stored: OnStored | None = None,
    *,
    bus: Bus | None = None,
) -> list[SourceReport]:
    """Fetch every enabled source once, concurrently, storing as pages arrive.

    Without ``bus`` the pass opens its own (``open_bus``); ``follow`` keeps one
    for all its passes, so the prepare worker starts once.
    """
    with pipeline.database.begin() as conn:
        records = [r for r in list_sources(conn) if r.enabled]
    reports = {r.name: SourceReport(r.name, r.kind) for r in records}

    def stored(event: Stored) -> None:
        if event.source_name is not None:
            reports[event.source_name].stored += event.result
        if on_stored is not None:
            on_stored(event)

    async with http_client(settings) as client:
        producers = []
        for record in records:
            try:
                source = build_source(record, client, settings)
            except HorchpostenError as exc:
                reports[record.name].error = str(exc)
                continue
            producers.append(_source_batches(record, source, reports[record.name], stop))
        if producers and bus is not None:
            await drive(pipeline, producers, bus, on_stored=stored)
        elif producers:
            async with open_bus(pipeline, settings.pipeline.queue_size) as own:
                await drive(pipeline, producers, own, on_stored=stored)
    with pipeline.database.begin() as conn:
        for report in reports.values():
            if report.error is None:
                record_success(conn, report.name, report.problems[:5])
            else:
                record_failure(conn, report.name, report.error)
    return list(reports.values())


async def follow(
    make_pipeline: Callable[[], Pipeline],
    settings: Settings,
    stop: asyncio.Event,
    on_pass: Callable[[list[SourceReport]], None],
    on_error: Callable[[StorageError], None],
    on_stored: OnStored | None = None,
) -> None:
    """Run passes until ``stop`` is set; topics added meanwhile are picked up each pass.

    A database that cannot be reached fails only the pass: nothing of the failed
    batch was stored, no cursor moved, and the next pass tries again, on a new
    bus (the prepare worker of the failed one may have stopped with the error).
    """
    while not stop.is_set():
        async with AsyncExitStack() as stack:
            bus: Bus | None = None  # opened with the first pipeline, kept for every pass
            while not stop.is_set():
                try:
                    pipeline = make_pipeline()
                    if bus is None:
                        bus = await stack.enter_async_context(
                            open_bus(pipeline, settings.pipeline.queue_size)
                        )
                    on_pass(await run_pass(pipeline, settings, stop, on_stored, bus=bus))
                    failed = False
                except StorageError as exc:
                    on_error(exc)
                    failed = True
                if await _stopped(stop, settings.pipeline.poll_interval) or failed:
                    break


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    """Wait ``seconds`` or until ``stop`` is set; whether it was."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return False
    return True
