"""Pseudonyms for authors: a keyed hash (HMAC-SHA256) in place of a handle.

The key is random and kept in the workspace (``workspace_settings.pseudonym_key``),
so one author gets the same pseudonym in every export of a workspace (counts per
author still add up) and a different one in another workspace; without the key a
pseudonym cannot be turned back into a handle by trying candidate handles.
Names and profile links go; so does the post's link and its raw payload, which
name the author too. The text itself is left as it is.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import Connection

from horchposten.models import Author, Post
from horchposten.store.posts import Prepared
from horchposten.store.rows import PostRow
from horchposten.store.workspace_settings import pseudonym_key, pseudonymise_authors

PREFIX = "anon-"


def pseudonym(key: bytes, handle: str) -> str:
    """``anon-`` and 20 hex digits (80 bits): stable for a key, unguessable without it."""
    return PREFIX + hmac.new(key, handle.encode(), hashlib.sha256).hexdigest()[:20]


def _who(key: bytes, handle: str | None, name: str | None) -> str | None:
    known = handle or name
    return None if known is None else pseudonym(key, known)


def pseudonymise_post(post: Post, key: bytes) -> Post:
    """A copy of ``post`` for an export: the author as a pseudonym, no links, no raw payload."""
    author = Author(
        handle=_who(key, post.author.handle, post.author.name),
        followers=post.author.followers,
    )
    return post.model_copy(update={"author": author, "url": None, "raw": None})


def pseudonymise_row(row: PostRow, key: bytes) -> PostRow:
    """The same for a row about to be stored, in a workspace that keeps only pseudonyms."""
    return row._replace(
        author_handle=_who(key, row.author_handle, row.author_name),
        author_name=None,
        author_url=None,
        url=None,
        raw=None,
    )


def pseudonymised(conn: Connection, batch: Sequence[Prepared]) -> Sequence[Prepared]:
    """The batch with its authors as pseudonyms where the workspace keeps only those."""
    if not pseudonymise_authors(conn):
        return batch
    key = pseudonym_key(conn)
    return [replace(item, row=pseudonymise_row(item.row, key)) for item in batch]
