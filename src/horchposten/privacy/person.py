"""One person as a data subject: the handle asked about, and where it is stored.

A handle is compared without surrounding blanks, a leading ``@`` and case, in
Python rather than SQL (SQLite's ``lower`` folds ASCII only), so erasure, the
access report and the suppression list agree on who is meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.sql import ColumnElement

from horchposten.errors import InputError
from horchposten.store.schema import authors, posts, rollups_authors

MAX_HANDLE = 255
MAX_SOURCE = 64


def normalised(handle: str) -> str:
    return handle.strip().removeprefix("@").casefold()


@dataclass(frozen=True)
class Subject:
    """Who is asked about: a handle on one source, or on every source (``source`` None)."""

    handle: str
    source: str | None = None

    @classmethod
    def of(cls, handle: str, source: str | None = None) -> Subject:
        if not all(_storable(text) for text in (handle, source or "")):
            raise InputError(
                "The handle or source contains a NUL character or a lone surrogate, which "
                "no stored handle has; give it as the platform shows it."
            )
        if not normalised(handle) or len(handle) > MAX_HANDLE:
            raise InputError(
                f"Give the author's handle as stored (1 to {MAX_HANDLE} characters), "
                "e.g. --author anna@mastodon.social."
            )
        if source is not None and not 0 < len(source.strip()) <= MAX_SOURCE:
            raise InputError(
                f"Give the source as its name (1 to {MAX_SOURCE} characters), or leave it out "
                "for every source."
            )
        return cls(handle.strip(), source.strip() if source else None)

    @property
    def key(self) -> str:
        return normalised(self.handle)


def _storable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def stored_handles(conn: Connection, subject: Subject) -> list[tuple[str, str]]:
    """Every (source, handle) stored in posts, author profiles or author rollups for them."""
    found: set[tuple[str, str]] = set()
    for source_column, handle_column in (
        (posts.c.source, posts.c.author_handle),
        (authors.c.source, authors.c.handle),
        (rollups_authors.c.source, rollups_authors.c.handle),
    ):
        query = select(source_column, handle_column).distinct().where(handle_column.is_not(None))
        if subject.source is not None:
            query = query.where(source_column == subject.source)
        found.update((s, h) for s, h in conn.execute(query) if normalised(h) == subject.key)
    return sorted(found)


def of_handles(
    source: ColumnElement[str], handle: ColumnElement[str], pairs: Sequence[tuple[str, str]]
) -> ColumnElement[bool]:
    """A condition true for rows whose (source, handle) is one of ``pairs``."""
    return tuple_(source, handle).in_(pairs)
