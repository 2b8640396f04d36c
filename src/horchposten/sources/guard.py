"""The guard at the mapping seam: whatever a platform sends, the run goes on.

A mapping reads fields a platform promised and may meet a payload that breaks
the promise anywhere: a missing key, a number where text was due, nesting deep
enough to exhaust the stack. Rather than guarding each of those places, every
caller maps items, reads payloads and pulls pages through this module: an item
that cannot be mapped becomes a problem naming the item and the reason, the
rest of the page is kept; a payload or page that cannot be read at all becomes
a ``SourceError`` that says so, which the runner records as the source's health.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from pydantic import ValidationError

from horchposten.errors import HorchpostenError, SourceError
from horchposten.models import Post, ahead_of_clock
from horchposten.sources.base import Cursor, Page, Source, SourceFactory
from horchposten.sources.records import explain

ToPost = Callable[[Mapping[str, Any]], Post]


class Mapper(Protocol):
    def to_post(self, raw: Mapping[str, Any]) -> Post: ...


def reason(exc: BaseException) -> str:
    """Why an item or payload could not be read, in words a user can act on."""
    if isinstance(exc, ValidationError):
        return explain(exc)
    if isinstance(exc, HorchpostenError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to read"
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing" if exc.args else "a field is missing"
    if isinstance(exc, IndexError):
        return f"a list is shorter than expected ({exc})"
    if isinstance(exc, TypeError | AttributeError):
        return f"a field has an unexpected type ({exc})"
    return f"{type(exc).__name__}: {exc}"


def describe(raw: object, index: int) -> str:
    """'item 3 (id '42')': which item, by position and, where it has one, by id."""
    found = raw.get("id") if isinstance(raw, Mapping) else None
    if isinstance(found, str | int) and not isinstance(found, bool) and len(str(found)) <= 80:
        return f"item {index + 1} (id {str(found)!r})"
    return f"item {index + 1}"


def map_item(mapping: ToPost, raw: Mapping[str, Any]) -> Post | str:
    """The item's post, or the reason it cannot be one; never an exception."""
    try:
        return mapping(raw)
    # Broad on purpose (RecursionError included): a platform's data may break a
    # mapping in any way, and one item must never end the run. The reason is
    # reported, not swallowed.
    except Exception as exc:
        return reason(exc)


def map_items(mapper: Mapper, items: Sequence[Mapping[str, Any]]) -> tuple[list[Post], list[str]]:
    """Map raw items to posts; an item that cannot be mapped is a problem, not a crash."""
    posts = []
    problems = []
    now = datetime.now(UTC)
    for index, raw in enumerate(items):
        outcome = map_item(mapper.to_post, raw)
        if not isinstance(outcome, str):
            outcome = ahead_of_clock(outcome, now) or outcome
        if isinstance(outcome, str):
            problems.append(f"{describe(raw, index)} was skipped: {outcome}")
            continue
        outcome.raw = dict(raw)
        posts.append(outcome)
    return posts, problems


def read_payload(factory: SourceFactory, data: bytes, origin: str) -> Page:
    """A saved payload's raw items; ``SourceError`` when it cannot be read at all."""
    try:
        return factory.parse_payload(data, origin)
    except HorchpostenError:
        raise
    except Exception as exc:  # broad on purpose, as in ``map_item``
        raise SourceError(
            f"{origin} cannot be read as a {factory.kind} payload: {reason(exc)}. "
            f"Nothing from it was kept."
        ) from exc


async def pages(source: Source, cursor: Cursor) -> AsyncIterator[Page]:
    """The source's pages; a page it cannot read ends this source's pass with a ``SourceError``.

    Pages yielded before stay stored with their cursors, so the next pass resumes there.
    """
    fetching = source.fetch(cursor)
    try:
        async for page in fetching:
            yield page
    except HorchpostenError:
        raise
    except Exception as exc:  # broad on purpose, as in ``map_item``
        if isinstance(exc, httpx.HTTPError):
            raise  # the runner reports network failures in their own words
        raise SourceError(
            f"The {source.kind} source '{source.name}' got a page it cannot read: {reason(exc)}. "
            f"Everything before it was stored; the next run tries again from there."
        ) from exc
    finally:
        close = getattr(fetching, "aclose", None)
        if close is not None:
            await close()
