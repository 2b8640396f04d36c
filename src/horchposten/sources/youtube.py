"""The ``youtube`` source: videos found by ``search.list`` and their comments, within the quota.

A pass first searches for new videos (newest first, published after the last
search), then reads the new comment threads of every tracked video
(``commentThreads.list``, newest first, until the newest one seen before) and,
where a thread has more replies than it carries, its replies (``comments.list``).
Before that it asks for the threads it read recently by id and reads the new
replies of those whose reply count grew (``youtube_threads``), so a reply to
an old thread is not missed. The cursor holds the search position, per video
the time and ids of the newest comment stored, the watched threads, and
today's quota use::

    {"published_after": iso, "search_before": iso, "search_top": iso, "search_edge": [...],
     "videos": {video_id: {"since": iso, "seen": [...]}}, "order": [video_id, ...],
     "threads": [[thread_id, video_id, reply_count, newest_reply], ...],
     "quota": {"day": "YYYY-MM-DD", "used": int, "budget": int}}

A video's entry moves only after all its new comments were yielded, so a
killed pass reads that video's new comments again (stored once). Before a call
that would pass ``daily_quota - quota_reserve`` the pass stops cleanly.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import ConfigDict, Field, SecretStr, model_validator

from horchposten.models import Post
from horchposten.sources.base import Cursor, Page, Problem
from horchposten.sources.credentials import Credential, CredentialedSettings
from horchposten.sources.factory import Factory
from horchposten.sources.http import DEFAULT_POLICY, Platform, RetryPolicy, get
from horchposten.sources.json_payload import expect_list, expect_object, load_json
from horchposten.sources.youtube_mapping import KIND, to_post, video_id
from horchposten.sources.youtube_quota import Quota, QuotaSpent
from horchposten.sources.youtube_threads import (
    batches,
    published,
    reply_count,
    unseen,
    update,
    watch,
)

API_KEY = Credential("api_key", "HORCHPOSTEN_YOUTUBE_API_KEY", "API key")
REPLIES_IN_THREAD = 5  # commentThreads.list carries at most this many replies
SEARCH_PAGE = 50  # search.list's largest page
DESCRIPTION = "YouTube videos from search.list and their comment threads, within the quota"


class YouTubeSettings(CredentialedSettings):
    """Settings of one ``youtube`` source."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(default="", description="search.list q for new videos")
    channel_id: str = Field(default="", description="only this channel's videos")
    videos: list[str] = Field(default_factory=list, description="video ids to follow as well")
    since: datetime | None = None
    language: str = Field(default="", description="relevanceLanguage, e.g. de")
    region: str = Field(default="", description="regionCode, e.g. DE")
    max_search_pages: int = Field(default=1, ge=0)
    search_every: float = Field(default=3600.0, ge=0, description="seconds between searches")
    comments_every: float = Field(default=900.0, ge=0, description="seconds between comment reads")
    track_videos: int = Field(default=50, ge=1)
    max_comment_pages: int = Field(default=5, ge=1)
    replies: bool = True
    recheck_threads: int = Field(
        default=200, ge=0, description="recent threads looked at again for new replies"
    )
    daily_quota: int = Field(default=10_000, ge=1)
    quota_reserve: int = Field(default=1_000, ge=0)
    api_key: SecretStr | None = None
    api_url: str = "https://www.googleapis.com/youtube/v3"

    @model_validator(mode="after")
    def _something_to_follow(self) -> YouTubeSettings:
        if not (self.query.strip() or self.channel_id.strip() or self.videos):
            raise ValueError("give a 'query', a 'channel_id' or 'videos' to follow")
        if self.quota_reserve >= self.daily_quota:
            raise ValueError("'quota_reserve' must be smaller than 'daily_quota'")
        return self


class YouTubeSource:
    kind: str = KIND

    def __init__(
        self,
        name: str,
        settings: YouTubeSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._client = client
        self._policy = policy
        where = settings.origin("api_key")
        self._platform = Platform(
            "youtube",
            {
                400: f"the request or the API key was rejected; check {where} and the "
                "source's settings",
                403: f"the API key may not use the YouTube Data API or the project's daily "
                f"quota is spent; check {where} and the quota in the Google Cloud console",
                404: "the video or channel does not exist (any more); check 'videos' and "
                "'channel_id'",
            },
        )
        self._budget = settings.daily_quota - settings.quota_reserve
        self._quota = Quota.from_cursor(None, self._budget, datetime.now(UTC))

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def check(self) -> str:
        await self._call("videos", {"part": "id", "id": "dQw4w9WgXcQ"})
        return "the API key works (the check cost 1 quota unit)"

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        state = copy.deepcopy(dict(cursor))
        self._quota = Quota.from_cursor(state.get("quota"), self._budget, datetime.now(UTC))
        try:
            now = datetime.now(UTC).timestamp()
            if _due(state, "searched_at", self.settings.search_every, now):
                async for items in self._search(state):
                    yield Page(items, self._cursor(state))
                if "search_before" not in state:  # the window closed: wait for the next
                    state["searched_at"] = now
            if _due(state, "comments_at", self.settings.comments_every, now):
                if self.settings.replies:
                    async for items in self._recheck(state):
                        yield Page(items, self._cursor(state))
                for video in self._tracked(state):
                    items = await self._new_comments(video, state)
                    yield Page(items, self._cursor(state))
                state["comments_at"] = now
                yield Page([], self._cursor(state))
        except QuotaSpent as spent:
            message = (
                f"Stopped before {spent} to stay within the daily quota: "
                f"{self._quota.describe()}. The next pass after midnight Pacific time goes on."
            )
            yield Page([], self._cursor(state), [Problem("youtube quota", message)])

    def _cursor(self, state: dict[str, Any]) -> Cursor:
        return copy.deepcopy(state) | {"quota": self._quota.saved()}

    async def _search(self, state: dict[str, Any]) -> AsyncIterator[list[dict[str, Any]]]:
        """New videos, newest first; the window (after, now] is walked back by publishedBefore.

        Page tokens expire, times do not: a pass stopped by ``max_search_pages``
        or killed goes on where it was, and the window closes on its last page.
        """
        if not (self.settings.query.strip() or self.settings.channel_id.strip()):
            return
        after = state.get("published_after") or self._start()
        params = {
            "part": "snippet",
            "type": "video",
            "order": "date",
            "maxResults": str(SEARCH_PAGE),
            "publishedAfter": after,
        }
        optional = {
            "q": self.settings.query,
            "channelId": self.settings.channel_id,
            "relevanceLanguage": self.settings.language,
            "regionCode": self.settings.region,
        }
        params |= {key: value for key, value in optional.items() if value.strip()}
        for _ in range(self.settings.max_search_pages):
            before = state.get("search_before")
            answer = await self._call(
                "search", params | ({"publishedBefore": before} if before else {})
            )
            edge = set(state.get("search_edge") or ())  # publishedBefore is inclusive
            results = [
                r
                for r in expect_list(answer, "items", "youtube")
                if video_id(r)
                and not (r["snippet"]["publishedAt"] == before and video_id(r) in edge)
            ]
            times = sorted(r["snippet"]["publishedAt"] for r in results)
            self._track(state, [str(video_id(r)) for r in results])
            top = state.get("search_top") or (times[-1] if times else after)
            if not answer.get("nextPageToken") or not times:  # pages may hold fewer than asked
                for key in ("search_before", "search_top", "search_edge"):
                    state.pop(key, None)
                state["published_after"] = top
                yield results
                return
            oldest = times[0]
            at_oldest = {str(video_id(r)) for r in results if r["snippet"]["publishedAt"] == oldest}
            edge = at_oldest | edge if oldest == before else at_oldest
            state |= {"search_before": oldest, "search_top": top, "search_edge": sorted(edge)}
            yield results

    def _start(self) -> str:
        start = self.settings.since or datetime.now(UTC) - timedelta(days=1)
        return start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _track(self, state: dict[str, Any], found: list[str]) -> None:
        order = [v for v in found if v not in state.get("order", [])] + state.get("order", [])
        state["order"] = order[: self.settings.track_videos]

    def _tracked(self, state: dict[str, Any]) -> list[str]:
        explicit = [v for v in self.settings.videos if v not in state.get("order", [])]
        return explicit + list(state.get("order", []))

    async def _new_comments(self, video: str, state: dict[str, Any]) -> list[dict[str, Any]]:
        """The threads (and replies) newer than the newest seen; moves the video's entry."""
        known = state.setdefault("videos", {}).get(video) or {}
        since, seen = known.get("since"), set(known.get("seen") or ())
        threads: list[dict[str, Any]] = []
        params = {
            "part": "snippet,replies",
            "videoId": video,
            "order": "time",
            "maxResults": "100",
            "textFormat": "plainText",
        }
        token = None
        for _ in range(self.settings.max_comment_pages):
            answer = await self._call(
                "commentThreads", params | ({"pageToken": token} if token else {})
            )
            page = expect_list(answer, "items", "youtube")
            fresh = [t for t in page if _newer(t, since, seen)]
            threads += fresh
            token = answer.get("nextPageToken")
            if not token or len(fresh) < len(page):
                break
        replies = await self._replies(threads, video) if self.settings.replies else []
        if threads:
            watch(state, video, threads, replies, self.settings.recheck_threads)
            newest = max(_published(t) for t in threads)
            ids = sorted(t["id"] for t in threads if _published(t) == newest)
            state["videos"][video] = {"since": newest, "seen": ids}
        return threads + replies

    async def _replies(self, threads: list[dict[str, Any]], video: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for thread in threads:
            carried = (thread.get("replies") or {}).get("comments") or []
            total = (thread.get("snippet") or {}).get("totalReplyCount") or 0
            if total > len(carried) and len(carried) <= REPLIES_IN_THREAD:
                carried = await self._all_replies(thread["id"])
            found += [_with_video(reply, video) for reply in carried]
        return found

    async def _recheck(self, state: dict[str, Any]) -> AsyncIterator[list[dict[str, Any]]]:
        """Watched threads whose reply count grew: the thread (new count) and its new replies.

        A thread's entry moves only with the page that carries its replies, so a
        killed pass reads them again (stored once); a thread gone is forgotten.
        """
        for group in batches(state):
            ids = ",".join(entry[0] for entry in group)
            params = {"part": "snippet", "id": ids, "textFormat": "plainText"}
            answer = await self._call("commentThreads", params)
            current = {t.get("id"): t for t in expect_list(answer, "items", "youtube")}
            for entry in group:
                thread, since = current.get(entry[0]), entry[3]
                grown = thread is not None and reply_count(thread) > entry[2]
                replies = await self._all_replies(entry[0]) if grown else []
                if thread is not None:
                    entry[2] = reply_count(thread)
                    entry[3] = max([since or "", *map(published, replies)]) or None
                update(state, entry, thread)
                if thread is not None and grown:
                    yield [thread, *(_with_video(r, entry[1]) for r in unseen(replies, since))]

    async def _all_replies(self, thread_id: str) -> list[dict[str, Any]]:
        params = {"part": "snippet", "parentId": thread_id, "maxResults": "100"}
        replies: list[dict[str, Any]] = []
        token = None
        for _ in range(self.settings.max_comment_pages):
            answer = await self._call("comments", params | ({"pageToken": token} if token else {}))
            replies += expect_list(answer, "items", "youtube")
            token = answer.get("nextPageToken")
            if not token:
                break
        return replies

    async def _call(self, endpoint: str, params: dict[str, str]) -> dict[str, Any]:
        self._quota.spend(endpoint)
        key = self.settings.api_key.get_secret_value() if self.settings.api_key else ""
        query = urlencode(params | {"key": key})
        response = await get(
            self._client,
            f"{self.settings.api_url.rstrip('/')}/{endpoint}?{query}",
            policy=self._policy,
            platform=self._platform,
        )
        return expect_object(load_json(response.content, "youtube"), "youtube")


def _due(state: Mapping[str, Any], key: str, every: float, now: float) -> bool:
    """Whether the step last done at ``state[key]`` is due again; quota is too dear to poll."""
    last = state.get(key)
    return not isinstance(last, int | float) or now - last >= every


def _on_edge(result: Mapping[str, Any], before: str | None, edge: set[str]) -> bool:
    return result["snippet"]["publishedAt"] == before and video_id(result) in edge


def _published(thread: Mapping[str, Any]) -> str:
    return str(thread["snippet"]["topLevelComment"]["snippet"]["publishedAt"])


def _newer(thread: Mapping[str, Any], since: str | None, seen: set[str]) -> bool:
    # ISO times of one API in one format compare correctly as text.
    published = _published(thread)
    return since is None or published > since or (published == since and thread["id"] not in seen)


def _with_video(reply: Mapping[str, Any], video: str) -> dict[str, Any]:
    snippet = dict(reply.get("snippet") or {})
    snippet.setdefault("videoId", video)
    return {**reply, "snippet": snippet}


def parse_payload(data: bytes, origin: str) -> Page:
    """A saved search, videos, commentThreads or comments answer."""
    items = expect_list(load_json(data, origin), "items", origin)
    mapped = [i for i in items if i.get("kind") != "youtube#searchResult" or video_id(i)]
    return Page(mapped, {})


FACTORY = Factory(
    KIND, DESCRIPTION, YouTubeSettings, YouTubeSource, to_post, parse_payload, (API_KEY,)
)
register_sources = FACTORY.hook()
