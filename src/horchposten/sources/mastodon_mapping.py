"""Pure Mastodon handling: a status (as the REST and streaming APIs return it) to a Post.

The post id is the status ``uri``, the same on every instance, so a status
seen through several instances is stored once. ``in_reply_to_id`` is an id
local to the instance that answered; the source resolves it to the parent's
and root's ``uri`` and writes them into the raw status (``mastodon_threads``),
which is where the links come from. A reply nobody resolved is still marked
as a reply. A boost is resolved to the post it boosts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from horchposten.errors import SourceError
from horchposten.models import Author, Metrics, Post
from horchposten.sources.html_text import html_to_text
from horchposten.sources.mastodon_threads import THREAD

KIND = "mastodon"
SNOWFLAKE_SHIFT = 16  # Mastodon ids are milliseconds since 1970 shifted left by 16 bits


def original(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """The status itself, or the one it boosts."""
    boosted = raw.get("reblog")
    return boosted if isinstance(boosted, Mapping) else raw


def to_post(raw: Mapping[str, Any]) -> Post:
    """Map one status (a boost maps to its original); pure."""
    status = original(raw)
    if not isinstance(status.get("uri"), str):
        raise SourceError(f"The status {status.get('id')!r} has no 'uri'; it was skipped.")
    account = status.get("account") or {}
    thread = status.get(THREAD) or {}
    return Post(
        id=status["uri"],
        source=KIND,
        title=_text(status.get("spoiler_text")),
        text=html_to_text(status.get("content") or "") or None,
        created_at=status["created_at"],
        url=status.get("url") or status["uri"],
        lang=status.get("language"),
        author=_author(account),
        parent_id=thread.get("parent"),
        root_id=thread.get("root"),
        engagement_type="reply" if status.get("in_reply_to_id") else None,
        metrics=Metrics(
            likes=_count(status.get("favourites_count")),
            reposts=_count(status.get("reblogs_count")),
            replies=_count(status.get("replies_count")),
        ),
    )


def _author(account: Mapping[str, Any]) -> Author:
    acct, url = account.get("acct"), account.get("url")
    handle = acct if isinstance(acct, str) and acct else None
    if handle and "@" not in handle and isinstance(url, str):
        # A local account's acct has no domain; the profile URL says which one.
        handle = f"{handle}@{urlsplit(url).netloc}"
    return Author(
        handle=handle,
        name=account.get("display_name") or None,
        followers=_count(account.get("followers_count")),
        url=url if isinstance(url, str) else None,
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def status_id(raw: Mapping[str, Any]) -> int:
    """The timeline position of an item (a boost's own id, not its original's)."""
    return int(raw["id"])


def id_at(moment_ms: int) -> str:
    """The smallest status id created at this Unix time in milliseconds."""
    return str(moment_ms << SNOWFLAKE_SHIFT)
