"""The source scheduler inside ``horchposten serve``: ``run --follow`` as a service of the app.

It runs on its own thread with its own event loop: ``prepare`` is CPU work that
would otherwise hold the server's loop for a whole batch (about 0.2 s for 500
posts), and every page request would wait behind it. On a thread, the
interpreter hands the GIL to the server every few milliseconds instead
(benchmarks/bench_serve.py measures the page times with and without ingest).

Only one process of a workspace may run it, or two would fetch the same pages
and race for the cursor: it runs only where it takes an exclusive lock keyed by
the database URL, and with several ``--workers`` the others serve only.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO

from sqlalchemy import make_url

from horchposten.config import Settings
from horchposten.errors import StorageError
from horchposten.pipeline import Pipeline
from horchposten.pipeline.scheduler import SourceReport, follow
from horchposten.privacy.housekeeping import keep_house
from horchposten.store.database import Database
from horchposten.store.sources import list_sources

log = logging.getLogger("horchposten.serve")


class InFlight:
    """What a stop at once would leave to the next start: the sources of the unfinished pass.

    The prepare stage runs in a worker process, so this process sees a batch only
    when it is stored; a pass is finished when every one of its sources is.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the scheduler and the signal run on different threads
        self._passing: set[str] = set()

    def pass_started(self, sources: Iterable[str]) -> None:
        with self._lock:
            self._passing = set(sources)

    def pass_ended(self) -> None:
        with self._lock:
            self._passing = set()

    def unfinished(self) -> list[str]:
        """The sources of the running pass, by name."""
        with self._lock:
            return sorted(self._passing)


def scheduler_lock_path(database_url: str) -> Path:
    """One lock file per database, wherever the config files that name it live."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in {None, "", ":memory:"}:
        # The same file named from another working directory is the same workspace.
        url = url.set(database=str(Path(str(url.database)).resolve()))
    key = url.render_as_string(hide_password=False)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"horchposten-scheduler-{digest}.lock"


class Collector:
    """Runs the source scheduler for the app's lifetime; stops after the current batch."""

    def __init__(self, database: Database, settings: Settings, lock_path: Path) -> None:
        self.database = database
        self.settings = settings
        self.lock_path = lock_path
        self.in_flight = InFlight()
        self._lock_file: IO[bytes] | None = None
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    async def __aenter__(self) -> Collector:
        if not self._take_lock():
            log.info(
                "Source scheduler: off in this process (pid %d): another process of this "
                "workspace runs it (lock %s).",
                os.getpid(),
                self.lock_path,
            )
            return self
        log.info(
            "Source scheduler: on in process %d, polling every %g s.",
            os.getpid(),
            self.settings.pipeline.poll_interval,
        )
        self._thread = threading.Thread(target=self._run, name="horchposten-scheduler")
        self._thread.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread is not None:
            log.info("Stopping the source scheduler after the current batch …")
            self._loop.call_soon_threadsafe(self._stop.set)
            await asyncio.to_thread(self._thread.join)
            log.info("Source scheduler stopped; every fetched batch was stored.")
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
        self._loop.close()

    def _take_lock(self) -> bool:
        lock_file = self.lock_path.open("ab")
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            return False
        self._lock_file = lock_file  # held (and so locked) until the process ends
        return True

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._collect())
        except Exception:  # broad: the UI goes on serving, so say loudly that collecting ended
            log.exception(
                "The source scheduler stopped on an unexpected error; the web UI goes on. "
                "Restart 'horchposten serve' to collect again (cursors resume where they were)."
            )

    async def _collect(self) -> None:
        """The sources' passes, and beside them retention and the audit log's pruning."""
        await asyncio.gather(
            follow(self._pipeline, self.settings, self._stop, self._passed, _failed),
            keep_house(self.database, self._stop),
        )

    def _pipeline(self) -> Pipeline:
        """Called by the scheduler at the start of every pass."""
        with self.database.begin() as conn:
            self.in_flight.pass_started(r.name for r in list_sources(conn) if r.enabled)
        # Enrich settings without enrichers: the scheduler's bus prepares in a worker process.
        return Pipeline(self.database, enrich_settings=self.settings.enrich)

    def _passed(self, reports: list[SourceReport]) -> None:
        self.in_flight.pass_ended()
        for report in reports:
            if report.error is not None:
                log.warning("Source '%s' failed this pass: %s", report.name, report.error)
            elif report.stored.new or report.stored.updated:
                log.info(
                    "Source '%s': %d new, %d updated posts.",
                    report.name,
                    report.stored.new,
                    report.stored.updated,
                )

    def redo_message(self) -> str:
        """What a stop at once leaves to the next start (said on the second signal)."""
        unfinished = self.in_flight.unfinished()
        if not unfinished:
            return "Stopped at once, between passes: nothing will be fetched again."
        names = ", ".join(f"'{name}'" for name in unfinished)
        return (
            f"Stopped at once. The next start fetches again, from the cursor of its last "
            f"stored batch, what this pass had not stored of: {names}. Cursors move only "
            "with a stored batch, so nothing is lost or counted twice."
        )


def _failed(error: StorageError) -> None:
    log.error("This pass failed and will be tried again: %s", error)
