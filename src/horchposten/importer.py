"""``horchposten import``: load a JSONL or CSV file through the pipeline.

Every good record is stored; every bad one goes to a rejects file with its
line number and reason, and the report says how many of each there were.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from horchposten.errors import InputError
from horchposten.import_reader import ImportOptions, detect_format, read_batches, rejects_file
from horchposten.models import Post
from horchposten.pipeline.driver import drive, open_bus
from horchposten.pipeline.messages import Batch, Stored
from horchposten.pipeline.stages import Pipeline
from horchposten.store.posts import StoreResult

# Below this size the whole prepare work (about 2,400 posts, a second of enrichment)
# costs less than a worker process's start (imports and models: 11.6 s at load
# 9.9, see docs/architecture.md), so such a file is prepared in this process.
SMALL_FILE = 1_000_000  # bytes


@dataclass
class ImportReport:
    path: Path
    stored: StoreResult
    rejected: int
    rejects_path: Path | None
    read: int  # records read, good or rejected

    @property
    def accepted(self) -> int:
        return self.stored.new + self.stored.updated

    @property
    def duplicates(self) -> int:
        """Good records that changed nothing: stored before, or repeated in the file."""
        return self.read - self.rejected - self.accepted


async def _batches(batches: Iterator[tuple[list[Post], int]]) -> AsyncIterator[Batch]:
    for posts, size in batches:
        yield Batch(posts, size_hint=size)
        await asyncio.sleep(0)  # let the store stage run while we read on


def import_file(
    pipeline: Pipeline,
    path: Path,
    options: ImportOptions,
    *,
    batch_size: int = 1000,
    queue_size: int = 4,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file; raises InputError when the file cannot be read at all.

    This process reads and stores; the prepare stage runs in a worker process
    where it can (``driver.open_bus``), unless the file is small or
    ``options.parallel`` decides otherwise.
    """
    fmt = detect_format(path, options.fmt)
    if not path.is_file():
        raise InputError(f"There is no file at {path}. Check the path and try again.")
    parallel = options.parallel
    if parallel is None and path.stat().st_size < SMALL_FILE:
        parallel = False
    rejects = rejects_file(path, options)

    def stored_batch(event: Stored) -> None:
        if on_progress is not None:
            on_progress(event.size_hint)

    async def run() -> StoreResult:
        async with open_bus(pipeline, queue_size, parallel) as bus:
            return await drive(
                pipeline,
                [_batches(read_batches(path, fmt, options, rejects, batch_size))],
                bus,
                on_stored=stored_batch,
                store_in_thread=False,
            )

    try:
        total = asyncio.run(run())
    finally:
        rejects.close()
    return ImportReport(
        path, total, rejects.count, rejects.path if rejects.count else None, rejects.read
    )
