"""A Post as a ``posts`` table row, and back again."""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from horchposten.models import STORED, Post


class PostRow(NamedTuple):
    """One ``posts`` row in column order: a tuple the driver takes as it is."""

    key: str
    source: str
    native_id: str
    title: str | None
    text: str | None
    created_at: datetime
    url: str | None
    lang: str | None
    author_handle: str | None
    author_name: str | None
    author_followers: int | None
    author_url: str | None
    parent_key: str | None
    root_key: str | None
    engagement_type: str | None
    likes: int | None
    reposts: int | None
    replies: int | None
    views: int | None
    rating: float | None
    raw: bytes | None


# What makes a stored post differ from a new version of it (raw payloads aside).
# The rollup correction of an edit reads its inputs from these columns too.
CONTENT_COLUMNS = tuple(name for name in PostRow._fields if name not in ("key", "native_id", "raw"))


def post_row(post: Post) -> PostRow:
    raw = zlib.compress(json.dumps(post.raw).encode()) if post.raw is not None else None
    author, metrics = post.author, post.metrics
    return PostRow(
        post.key,
        post.source,
        post.id,
        post.title,
        post.text,
        post.created_at,
        post.url,
        post.lang,
        author.handle,
        author.name,
        author.followers,
        author.url,
        post.parent_key,
        post.root_key,
        post.engagement_type,
        metrics.likes,
        metrics.reposts,
        metrics.replies,
        metrics.views,
        post.rating,
        raw,
    )


def stored_post(row: Mapping[Any, Any]) -> Post:
    """Rebuild the interchange Post from a ``posts`` row."""
    return Post.model_validate(
        {
            "id": row["native_id"],
            "source": row["source"],
            "text": row["text"],
            "title": row["title"],
            "created_at": row["created_at"],
            "url": row["url"],
            "lang": row["lang"],
            "author": {
                "handle": row["author_handle"],
                "name": row["author_name"],
                "followers": row["author_followers"],
                "url": row["author_url"],
            },
            "parent_id": _native(row["parent_key"], row["source"]),
            "root_id": _native(row["root_key"], row["source"]),
            "engagement_type": row["engagement_type"],
            "metrics": {
                "likes": row["likes"],
                "reposts": row["reposts"],
                "replies": row["replies"],
                "views": row["views"],
            },
            "rating": row["rating"],
        },
        context=STORED,
    )


def _native(key: str | None, source: str) -> str | None:
    return key[len(source) + 1 :] if key else None
