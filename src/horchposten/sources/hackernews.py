"""The ``hackernews`` source: stories and comments from the Algolia HN search API.

``search_by_date`` returns the newest hits first and at most 1,000 per query,
so a pass walks a fixed time window ``(since, until]`` backwards: each page
asks for hits at or before the oldest one seen so far, skipping the ids already
seen at that second. The cursor after each page is::

    {"since": int, "until": int, "upper": int, "edge_ids": [str, ...]}   # mid-window
    {"since": int}                                                          # window done

Times are Unix seconds. A new window starts ``overlap`` seconds before the end
of the last one, because Algolia indexes a new item a little after it was made;
the hits fetched twice are recognised as duplicates when stored.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ConfigDict, Field

from horchposten.models import Author, Metrics, Post
from horchposten.sources.base import Cursor, Page, Problem
from horchposten.sources.factory import Factory
from horchposten.sources.html_text import html_to_text
from horchposten.sources.http import DEFAULT_POLICY, Platform, RetryPolicy, get
from horchposten.sources.json_payload import expect_list, load_json
from horchposten.sources.ratelimit import RateLimiter

KIND = "hackernews"
ITEM_URL = "https://news.ycombinator.com/item?id="
USER_URL = "https://news.ycombinator.com/user?id="
PLATFORM = Platform(
    "Hacker News (Algolia)",
    {400: "the search was refused; check the source's 'query' and 'tags'"},
)


_CROWDED = (
    "More than {} hits were made within one second; some of them may be missing. "
    "Raise the source's 'hits_per_page'."
)
DESCRIPTION = "Hacker News stories and comments from the Algolia search API"


class HackerNewsSettings(BaseModel):
    """Settings of one ``hackernews`` source."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(default="", description="full-text search; empty: everything")
    tags: str = Field(default="(story,comment)", description="Algolia tags filter")
    since: datetime | None = Field(default=None, description="back-fill from; default 1 day ago")
    hits_per_page: int = Field(default=100, ge=1, le=1000)
    overlap: int = Field(default=300, ge=0, description="seconds re-read for late indexing")
    api_url: str = Field(default="https://hn.algolia.com/api/v1")


class HackerNewsSource:
    kind: str = KIND

    def __init__(
        self,
        name: str,
        settings: HackerNewsSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._client = client
        self._policy = policy
        self._limiter = RateLimiter(PLATFORM.name)

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        if "until" in cursor:
            since, until = int(cursor["since"]), int(cursor["until"])
            upper, edge = int(cursor["upper"]), set(cursor.get("edge_ids") or ())
        else:
            since = self._start(cursor)
            until = upper = int(time.time())
            edge = set()
        while True:
            hits = await self._page(since, upper)
            fresh = [hit for hit in hits if str(hit.get("objectID")) not in edge]
            if len(hits) < self.settings.hits_per_page:
                yield Page(fresh, {"since": max(since, until - self.settings.overlap)})
                return
            problems = []
            oldest = min(_seconds(hit) for hit in hits)
            at_oldest = {str(hit.get("objectID")) for hit in hits if _seconds(hit) == oldest}
            edge = at_oldest | edge if oldest == upper else at_oldest
            if not fresh:  # a full page within one second, all seen: step past that second
                oldest, edge = oldest - 1, set()
                problems.append(
                    Problem(PLATFORM.name, _CROWDED.format(self.settings.hits_per_page))
                )
            upper = oldest
            cursor = {"since": since, "until": until, "upper": upper, "edge_ids": sorted(edge)}
            yield Page(fresh, cursor, problems)

    def _start(self, cursor: Cursor) -> int:
        if "since" in cursor:
            return int(cursor["since"])
        start = self.settings.since or datetime.now(UTC) - timedelta(days=1)
        return int(start.timestamp())

    async def _page(self, since: int, upper: int) -> list[dict[str, Any]]:
        query = {
            "query": self.settings.query,
            "tags": self.settings.tags,
            "numericFilters": f"created_at_i>{since},created_at_i<={upper}",
            "hitsPerPage": str(self.settings.hits_per_page),
        }
        url = f"{self.settings.api_url.rstrip('/')}/search_by_date?{urlencode(query)}"
        response = await get(
            self._client, url, policy=self._policy, platform=PLATFORM, limiter=self._limiter
        )
        return expect_list(load_json(response.content, PLATFORM.name), "hits", PLATFORM.name)


def _seconds(hit: Mapping[str, Any]) -> int:
    value = hit.get("created_at_i")
    if isinstance(value, int):
        return value
    return int(datetime.fromisoformat(str(hit["created_at"]).replace("Z", "+00:00")).timestamp())


def to_post(raw: Mapping[str, Any]) -> Post:
    """Map one Algolia hit (story, comment, poll or poll option) to a Post; pure."""
    tags = raw.get("_tags") or []
    is_comment = "comment" in tags or raw.get("comment_text") is not None
    parent = raw.get("parent_id")
    story = raw.get("story_id")
    author = raw.get("author")
    return Post(
        id=str(raw["objectID"]),
        source=KIND,
        title=_text(raw.get("title")) if not is_comment else None,
        text=_text(raw.get("comment_text") if is_comment else raw.get("story_text")),
        created_at=datetime.fromtimestamp(_seconds(raw), UTC),
        url=ITEM_URL + str(raw["objectID"]),
        author=Author(
            handle=author or None,
            url=USER_URL + author if isinstance(author, str) and author else None,
        ),
        parent_id=str(parent) if is_comment and parent is not None else None,
        root_id=str(story) if is_comment and story is not None else None,
        engagement_type="comment" if is_comment else None,
        metrics=Metrics(
            likes=raw.get("points") if isinstance(raw.get("points"), int) else None,
            replies=raw.get("num_comments") if isinstance(raw.get("num_comments"), int) else None,
        ),
    )


def _text(value: Any) -> str | None:
    # Algolia gives HN's own HTML: entities, <p> between paragraphs, <a> links.
    return html_to_text(value) or None if isinstance(value, str) and value.strip() else None


def parse_payload(data: bytes, origin: str) -> Page:
    """A saved ``search`` or ``search_by_date`` answer."""
    return Page(expect_list(load_json(data, origin), "hits", origin), {})


FACTORY = Factory(KIND, DESCRIPTION, HackerNewsSettings, HackerNewsSource, to_post, parse_payload)
register_sources = FACTORY.hook()
