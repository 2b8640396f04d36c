"""Large imports on two cores: a worker process reads, validates and prepares, this one stores.

Reading JSON, validating it, tokenising and matching cost about as much CPU as
the database writes, and Python runs only one of them at a time per process.
The worker sends plain prepared rows (cheap to pickle) through a bounded
queue, so it never runs more than a few batches ahead of the database.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from horchposten.enrich.base import EnrichSettings
from horchposten.errors import HorchpostenError, InputError
from horchposten.import_reader import ImportOptions, read_batches, rejects_file, rejects_path
from horchposten.models import Topic
from horchposten.pipeline import Batch, Pipeline
from horchposten.plugins import plugins
from horchposten.prepare import Preparer
from horchposten.store.posts import StoreResult

# Below this size starting a second Python process costs more than it saves.
MIN_BYTES = 8_000_000


@dataclass(frozen=True)
class Job:
    path: Path
    fmt: str
    options: ImportOptions
    batch_size: int
    enrich: EnrichSettings


def worth_it(path: Path, options: ImportOptions) -> bool:
    if options.parallel is not None:
        return options.parallel
    return (os.cpu_count() or 1) > 1 and path.stat().st_size >= MIN_BYTES


def _work(job: Job, topics: list[Topic], out: Any) -> None:
    """The worker process: read, prepare and hand over batches; then the reject count."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    rejects = rejects_file(job.path, job.options)
    try:
        preparer = Preparer(topics, plugins().enrichers(job.enrich))
        for posts, size in read_batches(job.path, job.fmt, job.options, rejects, job.batch_size):
            out.put(("batch", preparer.prepare(posts), size))
        rejects.close()  # written out before the parent hears "done" and may read it
        out.put(("done", (rejects.count, rejects.read), None))
    except HorchpostenError as exc:
        out.put(("error", str(exc), None))
    finally:
        rejects.close()


def run(
    pipeline: Pipeline,
    job: Job,
    queue_size: int,
    on_progress: Callable[[int], None] | None,
) -> tuple[StoreResult, tuple[int, int], Path]:
    """Store what the worker prepares; returns the totals, (rejected, records read) and file."""
    context = multiprocessing.get_context("spawn")  # no fork under our threads
    batches = context.Queue(maxsize=queue_size)
    worker = context.Process(
        target=_work, args=(job, pipeline.preparer.topics, batches), daemon=True
    )
    worker.start()
    total = StoreResult()
    try:
        while True:
            kind, payload, size = _next(batches, worker)
            if kind == "error":
                raise InputError(payload)
            if kind == "done":
                return total, payload, rejects_path(job.path, job.options)
            total += pipeline.store(Batch([]), payload)
            if on_progress is not None:
                on_progress(size)
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        batches.close()


def _next(batches: Any, worker: Any) -> tuple[str, Any, Any]:
    while True:
        try:
            item: tuple[str, Any, Any] = batches.get(timeout=1.0)
            return item
        except queue.Empty:
            if not worker.is_alive():
                raise InputError(
                    f"The import's reader process stopped unexpectedly (exit code "
                    f"{worker.exitcode}); every batch before that was stored. Import the file "
                    f"again: what is stored is skipped as a duplicate."
                ) from None
