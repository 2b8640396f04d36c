"""The ``bluesky-firehose`` source: Bluesky's live posts from a Jetstream websocket.

Jetstream (https://github.com/bluesky-social/jetstream) sends every network
event as JSON; this source asks only for ``app.bsky.feed.post`` and keeps new
and edited posts; a ``delete`` commit removes the stored post (``Page.deleted``;
a page ends after deletions, so a post created after one is stored after it).
Each pass listens for ``listen_seconds`` and yields a page every
``batch_size`` events or ``batch_seconds``, with the cursor
``{"time_us": the last event's time}``; Jetstream replays from such a cursor,
so the next pass and every reconnect (after a dropped connection, with
back-off) resume without a gap. A reconnect rewinds ``rewind_seconds`` as
Jetstream advises for gapless playback; posts seen twice are stored once.
The source asks the pipeline to store only posts a topic matches
(``only_matching``): the whole network is far more than anyone listens for.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources.base import Cursor, Page
from horchposten.sources.bluesky_mapping import POST_COLLECTION, deleted_key, to_post
from horchposten.sources.factory import Factory, offline

KIND = "bluesky-firehose"
KEPT = frozenset({"create", "update"})
CONNECTION_ERRORS = (OSError, ConnectionClosed, InvalidHandshake, TimeoutError)
DESCRIPTION = "Bluesky's live posts from Jetstream, stored only when a topic matches"


class FirehoseSettings(BaseModel):
    """Settings of one ``bluesky-firehose`` source."""

    model_config = ConfigDict(extra="forbid")

    url: str = "wss://jetstream2.us-east.bsky.network/subscribe"
    dids: list[str] = Field(default_factory=list, description="only these accounts")
    only_matching: bool = True
    start: datetime | None = None
    listen_seconds: float = Field(default=240.0, gt=0)
    batch_size: int = Field(default=500, ge=1)
    batch_seconds: float = Field(default=1.0, gt=0)
    rewind_seconds: float = Field(default=2.0, ge=0)
    reconnects: int = Field(default=5, ge=0)


class FirehoseSource:
    kind: str = KIND

    def __init__(self, name: str, settings: FirehoseSettings) -> None:
        self.name = name
        self.settings = settings
        self.only_matching = settings.only_matching
        self.connections = 0  # how often this source connected; the tests read it

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        time_us = int(cursor.get("time_us") or self._start())
        loop = asyncio.get_running_loop()
        end = loop.time() + self.settings.listen_seconds
        failures: list[str] = []
        while loop.time() < end:
            try:
                async with connect(self._url(time_us), open_timeout=10, max_size=2**22) as ws:
                    self.connections += 1
                    failures = []
                    async for page in self._pages(ws, time_us, end):
                        time_us = page.cursor["time_us"]
                        yield page
                    return
            except CONNECTION_ERRORS as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                if len(failures) > self.settings.reconnects:
                    break
                await asyncio.sleep(min(_backoff(len(failures)), max(0.0, end - loop.time())))
                time_us = max(0, time_us - int(self.settings.rewind_seconds * 1e6))
            except InvalidURI as exc:
                raise SourceError(f"The source's 'url' is no websocket address: {exc}.") from exc
        if failures:  # the pass ends without a connection: that is a failure, not a quiet hour
            raise SourceError(
                f"Jetstream at {self.settings.url} could not be reached ({len(failures)} attempts, "
                f"the last: {failures[-1]}); the posts before were stored and the next pass "
                f"resumes from the saved cursor."
            )

    def _start(self) -> int:
        return int((self.settings.start.timestamp() if self.settings.start else time.time()) * 1e6)

    def _url(self, time_us: int) -> str:
        params = [("wantedCollections", POST_COLLECTION), ("cursor", str(time_us))]
        params += [("wantedDids", did) for did in self.settings.dids]
        return f"{self.settings.url}?{urlencode(params)}"

    async def _pages(self, ws: ClientConnection, time_us: int, end: float) -> AsyncIterator[Page]:
        """Pages of posts until ``end``; a dropped connection ends it with an exception."""
        loop = asyncio.get_running_loop()
        batch: list[dict[str, Any]] = []
        deleted: list[str] = []
        flush_at = loop.time() + self.settings.batch_seconds
        moved = False
        while True:
            now = loop.time()
            if (
                now >= flush_at
                or now >= end
                or len(batch) + len(deleted) >= self.settings.batch_size
            ):
                if batch or deleted or moved:
                    yield Page(batch, {"time_us": time_us}, deleted=deleted)
                batch, deleted, moved = [], [], False
                flush_at = now + self.settings.batch_seconds
                if now >= end:
                    return
            try:
                async with asyncio.timeout(max(0.0, min(flush_at, end) - now)):
                    message = await ws.recv()
            except TimeoutError:
                continue
            event = _event(message, self.settings.url)
            if deleted and _kept(event):  # deletions apply after a page's posts: end the page
                yield Page(batch, {"time_us": time_us}, deleted=deleted)
                batch, deleted = [], []
            time_us, moved = int(event.get("time_us") or time_us), True
            if _kept(event):
                batch.append(event)
            elif (key := deleted_key(event)) is not None:
                deleted.append(key)


def _kept(event: Mapping[str, Any]) -> bool:
    """A post created or edited."""
    commit = event.get("commit")
    return (
        event.get("kind") == "commit"
        and isinstance(commit, Mapping)
        and commit.get("collection") == POST_COLLECTION
        and commit.get("operation") in KEPT
    )


def _backoff(failures: int) -> float:
    """Exponential back-off with full jitter, as for HTTP requests (http.py)."""
    return random.uniform(0, min(30.0, 0.5 * 2**failures))


def _event(message: str | bytes, url: str) -> dict[str, Any]:
    try:
        event = json.loads(message)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(
            f"Jetstream at {url} sent an event that is not JSON ({exc}); the pages before it "
            f"were stored and the next pass resumes after them."
        ) from None
    if not isinstance(event, dict):
        raise SourceError(f"Jetstream at {url} sent an event that is not a JSON object.")
    return event


def parse_payload(data: bytes, origin: str) -> Page:
    """Saved Jetstream events, one JSON object a line; posts that were created or edited."""
    events = [_event(line, origin) for line in data.splitlines() if line.strip()]
    return Page([e for e in events if (e.get("commit") or {}).get("operation") in KEPT], {})


FACTORY = Factory(
    KIND,
    DESCRIPTION,
    FirehoseSettings,
    offline(FirehoseSource),
    to_post,
    parse_payload,
)
register_sources = FACTORY.hook()
