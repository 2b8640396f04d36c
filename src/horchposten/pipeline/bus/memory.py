"""The bus inside one process: a bounded queue per topic, with acks and redelivery."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import AsyncGenerator
from typing import Any

from horchposten.pipeline.bus import Delivery, M, Topic

_END = object()  # after the last message of one run


class _Channel:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.ready: deque[Any] = deque()  # Delivery or _END
        self.unacked: dict[int, Delivery[Any]] = {}
        self.changed = asyncio.Condition()


class MemoryBus:
    """Topics as bounded in-memory queues; a message not acked is handed out again."""

    prepares = False

    def __init__(self, capacity: int = 4) -> None:
        self.capacity = capacity
        self._channels: dict[str, _Channel] = {}
        self._tags = itertools.count()

    def _channel(self, topic: Topic[Any]) -> _Channel:
        if topic.name not in self._channels:
            self._channels[topic.name] = _Channel(self.capacity)
        return self._channels[topic.name]

    async def publish(self, topic: Topic[M], message: M) -> None:
        channel = self._channel(topic)
        async with channel.changed:
            # Taken but unacknowledged messages count too: they are still in flight.
            await channel.changed.wait_for(
                lambda: len(channel.ready) + len(channel.unacked) < channel.capacity
            )
            channel.ready.append(Delivery(message, next(self._tags)))
            channel.changed.notify_all()

    async def end(self, topic: Topic[M]) -> None:
        channel = self._channel(topic)
        async with channel.changed:
            channel.ready.append(_END)
            channel.changed.notify_all()

    async def ack(self, topic: Topic[M], delivery: Delivery[M]) -> None:
        channel = self._channel(topic)
        async with channel.changed:
            channel.unacked.pop(delivery.tag, None)
            channel.changed.notify_all()

    async def consume(self, topic: Topic[M]) -> AsyncGenerator[Delivery[M]]:
        channel = self._channel(topic)
        taken: list[int] = []
        try:
            while True:
                async with channel.changed:
                    await channel.changed.wait_for(lambda: bool(channel.ready))
                    taken = [tag for tag in taken if tag in channel.unacked]
                    item = channel.ready.popleft()
                    if item is _END:  # this run is over; the next one may use the bus again
                        return
                    channel.unacked[item.tag] = item
                    taken.append(item.tag)
                    channel.changed.notify_all()
                yield item
        finally:
            await self._give_back(channel, taken)

    async def _give_back(self, channel: _Channel, taken: list[int]) -> None:
        """A consumer stopped: what it took and did not acknowledge goes first in line."""
        async with channel.changed:
            back = [channel.unacked.pop(tag) for tag in taken if tag in channel.unacked]
            channel.ready.extendleft(reversed(back))
            channel.changed.notify_all()
