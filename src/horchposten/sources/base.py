"""The source seam: ``fetch(cursor)`` yields raw pages, ``to_post(raw)`` maps one item.

A source is built from its stored settings and given an ``httpx.AsyncClient``
from outside, so tests point it at a local server. The cursor it yields with a
page is saved only after that page's posts are stored.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from pydantic import BaseModel

from horchposten.models import Post

Cursor = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Something a source noticed but could work around (e.g. a malformed feed)."""

    where: str
    message: str


@dataclass
class LocalIds:
    """Ids one server gives items (Mastodon's local status ids), for deletions naming only them.

    ``seen`` maps the local ids of a page's items to their post keys; the store
    keeps them for the stored posts (``store.local_ids``), so a ``deleted``
    local id finds a post stored in any earlier pass, also after a restart.
    """

    scope: str  # the server they are local to, e.g. "mastodon:https://mastodon.social"
    seen: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)


@dataclass
class Page:
    """One batch of raw items and the cursor to resume after it.

    ``deleted`` holds the keys (``"{source}:{id}"``) of posts the platform says
    were deleted; they are removed after the page's items are stored, in the
    same transaction, so a source puts a post created after a deletion of the
    same key into the next page. ``local`` names items by server-local ids
    instead; its deletions are applied with ``deleted``.
    """

    items: list[dict[str, Any]]
    cursor: Cursor
    problems: list[Problem] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    local: LocalIds | None = None


class Source(Protocol):
    """What every connector provides."""

    kind: str
    name: str

    def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        """Yield pages of raw items, each with the cursor that follows it."""
        ...

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        """Map one raw item to a Post; pure, no I/O."""
        ...


class SourceFactory(Protocol):
    """Builds a source from its saved settings; registered through the plugin hook.

    ``factory.Factory`` is the built-ins' implementation; class attributes do as well.
    """

    @property
    def kind(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def settings_model(self) -> type[BaseModel]: ...

    def __call__(self, name: str, settings: BaseModel, client: httpx.AsyncClient) -> Source:
        """Build the source from validated settings (an instance of ``settings_model``)."""
        ...

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        """The kind's pure mapping, the same its sources use; no I/O."""
        ...

    def parse_payload(self, data: bytes, origin: str) -> Page:
        """Read one recorded payload (a saved API response or feed file) into raw items."""
        ...
