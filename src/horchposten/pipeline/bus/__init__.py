"""The bus seam: how messages reach the next stage.

Three topics connect the stages::

    producers ─BATCHES─▶ prepare ─PREPARED─▶ store ─STORED─▶ progress, alerts

A consumer acknowledges a message only after its own write committed (the
store after its transaction, prepare after publishing what it made), and a
message a consumer took but never acknowledged is delivered again to the next
consumer. Messages of one topic arrive in the order they were published, so a
source's cursors are stored in order. ``publish`` waits while a topic is full:
a fast source slows down instead of filling memory.

This is what a durable JetStream consumer gives (explicit ack, redelivery after
the ack wait, one subject per source with one message in flight for ordering),
so the network bus of the scale-out workers implements the same protocol:
``memory.MemoryBus`` (one process), ``process.ProcessBus`` (prepare in a
worker process).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from horchposten.pipeline.messages import Batch, PreparedBatch, Stored

M = TypeVar("M", Batch, PreparedBatch, Stored)


@dataclass(frozen=True)
class Topic(Generic[M]):
    name: str
    kind: type[M]


BATCHES = Topic("batches", Batch)
PREPARED = Topic("prepared", PreparedBatch)
STORED = Topic("stored", Stored)


@dataclass(frozen=True)
class Delivery(Generic[M]):
    """One message handed to a consumer; ``tag`` identifies it for ``ack``."""

    message: M
    tag: int


class Bus(Protocol):
    # True when the bus itself runs the prepare stage (a worker process, remote workers).
    prepares: bool

    async def publish(self, topic: Topic[M], message: M) -> None:
        """Send ``message``; wait while the topic is full."""
        ...

    def consume(self, topic: Topic[M]) -> AsyncGenerator[Delivery[M]]:
        """Messages in publish order, un-acknowledged ones first; ends after ``end``."""
        ...

    async def ack(self, topic: Topic[M], delivery: Delivery[M]) -> None:
        """The consumer's write for this message committed; it is never delivered again."""
        ...

    async def end(self, topic: Topic[M]) -> None:
        """No more messages on ``topic`` in this run (a bounded pass or import)."""
        ...
