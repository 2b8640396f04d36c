"""Pure YouTube handling: Data API v3 resources to Posts.

Raw items are API resources as returned: ``youtube#searchResult`` and
``youtube#video`` (a video: title and description), ``youtube#commentThread``
(its top-level comment) and ``youtube#comment`` (a reply, or a top-level
comment). A reply read through ``comments.list`` carries no ``videoId``; the
source adds the thread's ``videoId`` to its snippet so the reply has a root.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from horchposten.errors import SourceError
from horchposten.models import Author, Metrics, Post
from horchposten.sources.html_text import html_to_text

KIND = "youtube"
WATCH = "https://www.youtube.com/watch?v="


def video_id(raw: Mapping[str, Any]) -> str | None:
    """The video a search result or video resource stands for."""
    ident = raw.get("id")
    if isinstance(ident, Mapping):
        value = ident.get("videoId")
        return value if isinstance(value, str) else None
    return ident if isinstance(ident, str) and raw.get("kind") == "youtube#video" else None


def to_post(raw: Mapping[str, Any]) -> Post:
    """Map a video, comment thread or comment; pure."""
    kind = raw.get("kind")
    if kind in ("youtube#searchResult", "youtube#video"):
        return _video(raw)
    if kind == "youtube#commentThread":
        snippet = raw.get("snippet") or {}
        top = snippet.get("topLevelComment") or {}
        video = snippet.get("videoId")
        return _comment(top, video, replies=_count(snippet.get("totalReplyCount")))
    if kind == "youtube#comment":
        return _comment(raw, (raw.get("snippet") or {}).get("videoId"), replies=None)
    raise SourceError(f"A YouTube resource of kind {kind!r} is no video or comment.")


def _video(raw: Mapping[str, Any]) -> Post:
    ident = video_id(raw)
    snippet = raw.get("snippet") or {}
    if ident is None:
        raise SourceError("A YouTube search result without a videoId (a channel or playlist).")
    statistics = raw.get("statistics") or {}
    channel = snippet.get("channelId")
    return Post(
        id=ident,
        source=KIND,
        title=_text(snippet.get("title")),
        text=_text(snippet.get("description")),
        created_at=snippet["publishedAt"],
        url=WATCH + ident,
        lang=snippet.get("defaultLanguage") or snippet.get("defaultAudioLanguage"),
        author=Author(
            handle=snippet.get("channelTitle") or channel,
            name=snippet.get("channelTitle"),
            url=f"https://www.youtube.com/channel/{channel}" if channel else None,
        ),
        metrics=Metrics(
            likes=_count(statistics.get("likeCount")),
            replies=_count(statistics.get("commentCount")),
            views=_count(statistics.get("viewCount")),
        ),
    )


def _comment(raw: Mapping[str, Any], video: Any, replies: int | None) -> Post:
    snippet = raw.get("snippet") or {}
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        raise SourceError("A YouTube comment without an id.")
    parent = snippet.get("parentId") or video
    text = _text(snippet.get("textOriginal")) or html_to_text(snippet.get("textDisplay") or "")
    return Post(
        id=ident,
        source=KIND,
        text=text or None,
        created_at=snippet["publishedAt"],
        url=f"{WATCH}{video}&lc={ident}" if isinstance(video, str) else None,
        author=Author(
            handle=snippet.get("authorDisplayName"),
            name=snippet.get("authorDisplayName"),
            url=snippet.get("authorChannelUrl"),
        ),
        parent_id=parent if isinstance(parent, str) else None,
        root_id=video if isinstance(video, str) else None,
        engagement_type="comment",
        metrics=Metrics(likes=_count(snippet.get("likeCount")), replies=replies),
    )


def _count(value: Any) -> int | None:
    # The API sends statistics as strings ("1234") and comment counts as numbers.
    if isinstance(value, int) and value >= 0:
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
