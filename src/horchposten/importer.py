"""``horchposten import``: load a JSONL or CSV file through the pipeline.

Every good record is stored; every bad one goes to a rejects file with its
line number and reason, and the report says how many of each there were.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from horchposten import import_worker
from horchposten.errors import InputError
from horchposten.import_reader import ImportOptions, detect_format, read_batches, rejects_file
from horchposten.models import Post
from horchposten.pipeline import Batch, Pipeline, run_embedded
from horchposten.store.posts import StoreResult


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

    Large files are read and prepared in a second process while this one stores
    (``import_worker``); small ones, or with ``options.parallel=False``, in this one.
    """
    fmt = detect_format(path, options.fmt)
    if not path.is_file():
        raise InputError(f"There is no file at {path}. Check the path and try again.")
    if import_worker.worth_it(path, options):
        job = import_worker.Job(path, fmt, options, batch_size, pipeline.enrich_settings)
        stored, (rejected, read), rejects_path = import_worker.run(
            pipeline, job, queue_size, on_progress
        )
        return ImportReport(path, stored, rejected, rejects_path if rejected else None, read)
    rejects = rejects_file(path, options)

    def stored_batch(batch: Batch, _result: StoreResult) -> None:
        if on_progress is not None:
            on_progress(batch.size_hint)

    try:
        total = asyncio.run(
            run_embedded(
                pipeline,
                [_batches(read_batches(path, fmt, options, rejects, batch_size))],
                queue_size=queue_size,
                on_stored=stored_batch,
                store_in_thread=False,
            )
        )
    finally:
        rejects.close()
    return ImportReport(
        path, total, rejects.count, rejects.path if rejects.count else None, rejects.read
    )
