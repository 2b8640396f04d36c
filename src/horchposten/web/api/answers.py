"""Recent answers of the insights that read posts (authors, authority, themes, voice of the
customer, earned media), kept for a short while so a dashboard opened again, or by a
colleague, does not read the same posts again.

An answer is reused only while the data it was computed from looks unchanged: the same
newest post id and topics revision (new posts and topic edits show at once), and for at
most ``TTL`` seconds (edits, deletions and re-enrichment of stored posts show within
that time). A request with ``Cache-Control: no-cache`` is always computed afresh.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import Connection, func, select

from horchposten.store.schema import posts
from horchposten.store.topics import topics_revision

T = TypeVar("T")
TTL = 60.0
MAX_ANSWERS = 256


class AnswerCache:
    """A small LRU of computed answers, shared by the server's threads."""

    def __init__(self, ttl: float = TTL, size: int = MAX_ANSWERS) -> None:
        self.ttl = ttl
        self.size = size
        self._answers: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None or time.monotonic() - found[0] > self.ttl:
                self._answers.pop(key, None)
                return None
            self._answers.move_to_end(key)
            return found[1]

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._answers[key] = (time.monotonic(), value)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


def _data_version(conn: Connection) -> tuple[int, int]:
    newest = conn.execute(select(func.max(posts.c.id))).scalar()  # the primary key's end
    return int(newest or 0), topics_revision(conn)


def answer(request: Request, conn: Connection, compute: Callable[[], T]) -> T:
    """``compute()``, or its answer to the same request while the data is unchanged."""
    cache: AnswerCache = request.app.state.answers
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
    version = _data_version(conn)
    fresh = "no-cache" in request.headers.get("cache-control", "")
    if not fresh:
        found = cache.get(key)
        if found is not None and found[0] == version:
            return found[1]  # type: ignore[no-any-return]
    value = compute()
    cache.put(key, (version, value))
    return value
