"""The bus across two processes: a worker process runs the prepare stage, so both cores work.

Preparing (dedup, enrichment, matching) costs far more CPU than reading a page
or writing a batch, and Python runs one of them at a time per process. Batches
go to the worker and prepared batches come back as whole encoded messages
(``messages.encode``: metadata, cursor, deletions and local ids included)
through bounded queues, so the worker runs at most a few batches ahead of the
database. The worker opens the workspace database only to read the topics (and
reload them when they change) and to refill its near-duplicate index.

One worker serves every run of the bus (all passes of ``run --follow``). If it
fails or dies, the run stops with an error: the batches it held were never
stored and their cursors never saved, so the next run, on a new bus, fetches
them again.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import signal
import threading
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

from horchposten.enrich.base import EnrichSettings
from horchposten.errors import HorchpostenError, InputError, StorageError
from horchposten.pipeline.bus import BATCHES, PREPARED, Delivery, M, Topic
from horchposten.pipeline.bus.memory import MemoryBus
from horchposten.pipeline.messages import Batch, Failed, PreparedBatch, WireError, decode, encode
from horchposten.pipeline.stages import Preparing
from horchposten.plugins import plugins
from horchposten.store.database import Database

T = TypeVar("T")

_END = b""  # after the last batch of a run; no encoded message is empty
_PATIENCE = 1.0  # seconds between checks that the worker still lives


def _work(database_url: str, enrich: str, inbox: Any, outbox: Any) -> None:
    """The worker process: prepare every batch that comes in, in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    database = Database(database_url)
    try:
        enrichers = plugins().enrichers(EnrichSettings.model_validate_json(enrich))
        preparing = Preparing(database, enrichers)
        while True:  # until the parent terminates it; one bus serves many runs
            data = _take(inbox)
            if data == _END:
                _hand_over(outbox, _END)
                continue
            batch = decode(data)
            if not isinstance(batch, Batch):
                raise WireError(f"The prepare process expects batches, not {type(batch).__name__}.")
            _hand_over(outbox, encode(preparing(batch)))
    except HorchpostenError as exc:
        _hand_over(outbox, encode(Failed(str(exc), storage=isinstance(exc, StorageError))))
    except _Orphaned:
        pass  # nobody is left to store what we would prepare
    finally:
        database.close()


class _Orphaned(Exception):
    """The parent process is gone (killed, say): the worker stops too."""


def _parent_alive() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():
        raise _Orphaned


def _take(inbox: Any) -> bytes:
    while True:
        try:
            data: bytes = inbox.get(timeout=_PATIENCE)
            return data
        except queue.Empty:
            _parent_alive()


def _hand_over(outbox: Any, data: bytes) -> None:
    while True:
        try:
            outbox.put(data, timeout=_PATIENCE)
            return
        except queue.Full:
            _parent_alive()


class ProcessBus:
    """BATCHES go to a worker process that prepares them; PREPARED come back in order."""

    prepares = True

    def __init__(self, database_url: str, enrich: EnrichSettings, capacity: int = 4) -> None:
        self._local = MemoryBus(capacity)  # STORED stays in this process
        context = multiprocessing.get_context("spawn")  # no fork under our threads
        self._inbox = context.Queue(maxsize=capacity)
        self._outbox = context.Queue(maxsize=capacity)
        self._worker = context.Process(
            target=_work,
            args=(database_url, enrich.model_dump_json(), self._inbox, self._outbox),
            daemon=True,
        )
        self._tags = 0

    async def __aenter__(self) -> ProcessBus:
        self._worker.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.close)

    def close(self) -> None:
        if self._worker.is_alive():
            self._worker.terminate()
        self._worker.join()
        for channel in (self._inbox, self._outbox):
            # The worker is gone: what is still buffered for it can never be read, so
            # waiting for the queue's feeder thread to flush it would wait for ever.
            channel.cancel_join_thread()
            channel.close()

    async def publish(self, topic: Topic[M], message: M) -> None:
        if topic is BATCHES:
            await _in_daemon_thread(partial(self._send, encode(message)))
        else:
            await self._local.publish(topic, message)

    async def end(self, topic: Topic[M]) -> None:
        if topic is BATCHES:
            await _in_daemon_thread(partial(self._send, _END))
        else:
            await self._local.end(topic)

    async def ack(self, topic: Topic[M], delivery: Delivery[M]) -> None:
        # A prepared batch is the worker's last word on it: nothing there to release.
        if topic is not PREPARED:
            await self._local.ack(topic, delivery)

    def consume(self, topic: Topic[M]) -> AsyncGenerator[Delivery[M]]:
        if topic is PREPARED:
            return self._prepared()  # type: ignore[return-value]
        return self._local.consume(topic)

    async def _prepared(self) -> AsyncGenerator[Delivery[PreparedBatch]]:
        while (data := await _in_daemon_thread(self._receive)) != _END:
            message = decode(data)
            if isinstance(message, Failed):
                raise (StorageError if message.storage else InputError)(message.message)
            if not isinstance(message, PreparedBatch):
                raise WireError(f"The prepare process sent {type(message).__name__}, not a batch.")
            self._tags += 1
            yield Delivery(message, self._tags)

    def _send(self, data: bytes) -> None:
        while True:
            try:
                self._inbox.put(data, timeout=_PATIENCE)
                return
            except queue.Full:
                self._check_worker()

    def _receive(self) -> bytes:
        while True:
            try:
                data: bytes = self._outbox.get(timeout=_PATIENCE)
                return data
            except queue.Empty:
                self._check_worker()

    def _check_worker(self) -> None:
        if not self._worker.is_alive():
            raise InputError(
                f"The pipeline's prepare process stopped unexpectedly (exit code "
                f"{self._worker.exitcode}); every batch before that was stored, and no cursor "
                f"moved past what was stored. Run again: what is stored is skipped as a duplicate."
            )


def _in_daemon_thread(work: Callable[[], T]) -> asyncio.Future[T]:
    """Run a blocking queue operation in a daemon thread; its result as a future.

    Not ``asyncio.to_thread``: a worker terminated in the middle of writing a
    message leaves a reader blocked for ever, and the event loop (and the
    interpreter) wait for executor threads at exit; daemon threads they leave.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # cancelled meanwhile
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            outcome: tuple[T | None, BaseException | None] = (work(), None)
        except BaseException as exc:
            outcome = (None, exc)
        with suppress(RuntimeError):  # a closed loop: nobody waits for this any more
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, daemon=True).start()
    return future
