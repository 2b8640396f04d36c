"""Pure Reddit handling: listing children and comment trees to raw items, items to Posts.

A raw item is a listing child as Reddit sends it: ``{"kind": "t3" | "t1",
"data": {...}}`` (submission or comment). Ids are Reddit's fullnames
(``t3_48fbm9``), because a comment's ``parent_id`` and ``link_id`` are
fullnames too, so thread links resolve to stored keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from horchposten.errors import SourceError
from horchposten.models import Author, Metrics, Post

KIND = "reddit"
WEB = "https://www.reddit.com"
MAPPED = frozenset({"t1", "t3"})


def to_post(raw: Mapping[str, Any]) -> Post:
    """Map one submission (t3) or comment (t1); pure."""
    kind, data = raw.get("kind"), raw.get("data")
    if kind not in MAPPED or not isinstance(data, Mapping):
        raise SourceError(f"A Reddit item of kind {kind!r} is no submission or comment.")
    author = data.get("author")
    known = isinstance(author, str) and author not in ("[deleted]", "")
    common = {
        "id": data["name"],
        "source": KIND,
        "created_at": datetime.fromtimestamp(float(data["created_utc"]), UTC),
        "url": _url(data),
        "author": Author(
            handle=author if known else None, url=f"{WEB}/user/{author}" if known else None
        ),
    }
    if kind == "t3":
        return Post(
            **common,
            title=_text(data.get("title")),
            text=_text(data.get("selftext")),
            metrics=Metrics(
                likes=_count(data.get("score")), replies=_count(data.get("num_comments"))
            ),
        )
    return Post(
        **common,
        text=_text(data.get("body")),
        parent_id=data.get("parent_id"),
        root_id=data.get("link_id"),
        engagement_type="comment",
        metrics=Metrics(likes=_count(data.get("score"))),
    )


def _url(data: Mapping[str, Any]) -> str | None:
    permalink = data.get("permalink")
    if isinstance(permalink, str) and permalink.startswith("/"):
        return WEB + permalink
    link, name = data.get("link_id"), data.get("name")
    if isinstance(link, str) and isinstance(name, str):  # old comments came without permalink
        return f"{WEB}/comments/{link.removeprefix('t3_')}/_/{name.removeprefix('t1_')}"
    return None


def _count(value: Any) -> int | None:
    # A score can be negative; a Post's likes cannot, so a negative score counts as none.
    return value if isinstance(value, int) and value >= 0 else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def listing_children(document: Any) -> list[dict[str, Any]] | None:
    """The children of a Listing, or None when ``document`` is no Listing."""
    if not isinstance(document, dict) or document.get("kind") != "Listing":
        return None
    children = (document.get("data") or {}).get("children")
    return [c for c in children if isinstance(c, dict)] if isinstance(children, list) else None


def flatten_thread(document: Any) -> list[dict[str, Any]] | None:
    """A ``/comments/ID`` answer (submission listing, comment listing) as one flat list.

    Replies nest in ``data.replies``; "load more" stubs (kind ``more``) are left out.
    """
    if not isinstance(document, list) or len(document) != 2:
        return None
    head, comments = listing_children(document[0]), listing_children(document[1])
    if head is None or comments is None:
        return None
    flat = [c for c in head if c.get("kind") == "t3"]
    stack = list(reversed(comments))
    while stack:
        child = stack.pop()
        if child.get("kind") != "t1":
            continue
        replies = (child.get("data") or {}).get("replies")
        flat.append({"kind": "t1", "data": {**child["data"], "replies": ""}})
        stack.extend(reversed(listing_children(replies) or []))
    return flat
