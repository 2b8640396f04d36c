"""``source test``: reach a source once with its credentials and say what happened.

A source may offer ``check()`` (a cheap authenticated request, e.g. one that
costs a single unit of YouTube quota); otherwise the first page from its saved
cursor is fetched and mapped. Nothing is stored and the cursor does not move.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from horchposten.config import Settings
from horchposten.errors import SourceError
from horchposten.sources.base import Cursor, Source
from horchposten.sources.build import build_source, http_client
from horchposten.sources.guard import map_items, pages
from horchposten.store.sources import SourceRecord


@runtime_checkable
class Checkable(Protocol):
    async def check(self) -> str:
        """Make one cheap request with the credentials; return what was reached."""
        ...


@dataclass
class ProbeResult:
    detail: str
    items: int = 0
    mapped: int = 0
    problems: list[str] = field(default_factory=list)


async def probe(source: Source, cursor: Cursor, patience: float) -> ProbeResult:
    """Reach ``source`` once; raise ``SourceError`` with the platform's answer on failure."""
    try:
        return await asyncio.wait_for(_probe(source, cursor), patience)
    except TimeoutError:
        raise SourceError(
            f"The {source.kind} source '{source.name}' gave no answer within {patience:g} s; "
            f"check the network and the source's address."
        ) from None


async def _probe(source: Source, cursor: Cursor) -> ProbeResult:
    if isinstance(source, Checkable):
        return ProbeResult(await source.check())
    fetching = pages(source, cursor)
    try:
        page = await anext(fetching, None)
    finally:
        close = getattr(fetching, "aclose", None)
        if close is not None:  # a generator stopped early releases its connection now
            await close()
    if page is None:
        return ProbeResult("reached it; there is nothing new to fetch")
    posts, problems = map_items(source, page.items)
    problems = [f"{p.where}: {p.message}" for p in page.problems] + problems
    detail = f"reached it; the next page has {len(page.items)} items, {len(posts)} of them posts"
    return ProbeResult(detail, len(page.items), len(posts), problems)


async def reach_source(record: SourceRecord, settings: Settings) -> ProbeResult:
    """Build a stored source with its credentials and reach it once (``source test``)."""
    async with http_client(settings) as client:
        source = build_source(record, client, settings)
        return await probe(source, record.cursor, settings.http.timeout * 2)
