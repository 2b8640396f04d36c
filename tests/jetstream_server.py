"""A local Jetstream: a real websocket server that replays events from ``?cursor=``.

There is no public recording of Jetstream, so tests build events in the shape
its README documents (https://github.com/bluesky-social/jetstream#example-events):
``{"did", "time_us", "kind": "commit", "commit": {"rev", "operation",
"collection", "rkey", "record", "cid"}}``. The server runs its own event loop in
a thread, so a client in another loop (the CLI's ``asyncio.run``) can use it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve

DID = "did:plc:kvwvcn5iqfooopmyzvb4qzba"


def post_event(
    time_us: int, rkey: str, text: str, *, did: str = DID, langs: Sequence[str] = ("de",)
) -> dict[str, Any]:
    """A Jetstream commit event creating an ``app.bsky.feed.post``."""
    created = f"2026-11-22T04:{(time_us // 1_000_000) % 60:02d}:00.000Z"
    return {
        "did": did,
        "time_us": time_us,
        "kind": "commit",
        "commit": {
            "rev": f"3l3qo2vuowo2b{rkey}",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": {
                "$type": "app.bsky.feed.post",
                "createdAt": created,
                "langs": list(langs),
                "text": text,
            },
            "cid": f"bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcq{rkey}",
        },
    }


class JetstreamServer:
    """Replays ``frames`` (events or raw text) from the client's cursor, then stays open.

    ``drop_after`` aborts the first connection after that many frames, as a
    network failure would; ``cursors`` records the cursor of every connection.
    """

    def __init__(self, frames: Sequence[dict[str, Any] | str], drop_after: int | None = None):
        self.frames = list(frames)
        self.drop_after = drop_after
        self.cursors: list[int] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: Server | None = None

    def __enter__(self) -> JetstreamServer:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(5)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        server = self._server
        if server is not None:
            server.close()
            asyncio.run_coroutine_threadsafe(server.wait_closed(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _start(self) -> Server:
        return await serve(self._handle, "127.0.0.1", 0, compression=None)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = next(iter(self._server.sockets)).getsockname()[:2]
        return f"ws://{host}:{port}/subscribe"

    async def _handle(self, ws: ServerConnection) -> None:
        query = parse_qs(urlsplit(ws.request.path if ws.request else "").query)
        cursor = int(query.get("cursor", ["0"])[0])
        self.cursors.append(cursor)
        first = len(self.cursors) == 1
        sent = 0
        for frame in self.frames:
            if isinstance(frame, dict) and frame["time_us"] < cursor:
                continue
            if first and self.drop_after is not None and sent == self.drop_after:
                ws.transport.abort()  # the network fails: no close frame
                return
            await ws.send(frame if isinstance(frame, str) else json.dumps(frame))
            sent += 1
        await ws.wait_closed()  # caught up: a live Jetstream waits for new events
