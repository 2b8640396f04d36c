"""The ``bluesky`` source: back-fill and follow-up through ``app.bsky.feed.searchPosts``.

Search results come newest first. A pass freezes the window ``(since, until]``
(``until`` is the time the window opened) and pages through it with the API's
cursor; the source's cursor after each page is::

    {"since": iso, "until": iso, "page": api cursor}   # mid-window
    {"since": iso}                                       # window done

With ``threads`` each new post that has replies brings its thread
(``getPostThread``). Where the AppView wants a login for search, an app password
opens a session on the user's PDS, which then answers (and proxies) the calls.
The live firehose is the ``bluesky-firehose`` kind (jetstream.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import ConfigDict, Field, SecretStr

from horchposten.models import Post
from horchposten.sources.base import Cursor, Page
from horchposten.sources.bluesky_mapping import KIND, thread_posts, to_post
from horchposten.sources.credentials import Credential, CredentialedSettings
from horchposten.sources.factory import Factory
from horchposten.sources.http import DEFAULT_POLICY, Platform, RetryPolicy, get, request
from horchposten.sources.json_payload import expect_list, expect_object, load_json
from horchposten.sources.ratelimit import RateLimiter

CREDENTIALS = (
    Credential("handle", "HORCHPOSTEN_BLUESKY_HANDLE", "handle", required=False),
    Credential("app_password", "HORCHPOSTEN_BLUESKY_APP_PASSWORD", "app password", required=False),
)
DESCRIPTION = "Bluesky posts from searchPosts (back-fill and follow-up) and their threads"


class BlueskySettings(CredentialedSettings):
    """Settings of one ``bluesky`` source."""

    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, description="searchPosts q (Lucene-like syntax)")
    lang: str = Field(default="", description="only posts in this language, e.g. de")
    since: datetime | None = None
    threads: bool = False
    max_threads: int = Field(default=25, ge=0)
    limit: int = Field(default=100, ge=1, le=100)
    max_pages: int = Field(default=20, ge=1)
    handle: SecretStr | None = None
    app_password: SecretStr | None = None
    appview_url: str = "https://public.api.bsky.app"
    pds_url: str = "https://bsky.social"


class BlueskySource:
    kind: str = KIND

    def __init__(
        self,
        name: str,
        settings: BlueskySettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._client = client
        self._policy = policy
        self._token: str | None = None
        who = f"{settings.origin('handle')} and {settings.origin('app_password')}"
        self._platform = Platform(
            "bluesky",
            {
                400: f"the request was refused; check the source's 'query' (and {who})",
                401: f"the handle or app password was rejected, or this AppView wants a login; "
                f"check {who}",
                403: f"the AppView refuses search without a login; set {who}",
            },
        )
        self._limiter = RateLimiter("bluesky")

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        since = cursor.get("since") or self._start()
        until = cursor.get("until") or _iso(datetime.now(UTC))
        page: str | None = cursor.get("page")
        for _ in range(self.settings.max_pages):
            answer = await self._search(since, until, page)
            posts = expect_list(answer, "posts", "bluesky")
            page = answer.get("cursor") if posts else None
            items = posts + await self._threads(posts)
            if not page:
                yield Page(items, {"since": until})
                return
            yield Page(items, {"since": since, "until": until, "page": page})

    def _start(self) -> str:
        return _iso(self.settings.since or datetime.now(UTC) - timedelta(days=1))

    async def _search(self, since: str, until: str, page: str | None) -> dict[str, Any]:
        params = {
            "q": self.settings.query,
            "sort": "latest",
            "since": since,
            "until": until,
            "limit": str(self.settings.limit),
        }
        params |= {"lang": self.settings.lang} if self.settings.lang else {}
        params |= {"cursor": page} if page else {}
        return await self._call("app.bsky.feed.searchPosts", params)

    async def _threads(self, posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.settings.threads:
            return []
        replies: list[dict[str, Any]] = []
        asked = [p for p in posts if (p.get("replyCount") or 0) > 0][: self.settings.max_threads]
        for post in asked:
            answer = await self._call(
                "app.bsky.feed.getPostThread",
                {"uri": post["uri"], "depth": "10", "parentHeight": "0"},
            )
            replies += [p for p in thread_posts(answer.get("thread")) if p["uri"] != post["uri"]]
        return replies

    async def _call(self, method: str, params: dict[str, str]) -> dict[str, Any]:
        headers = await self._auth()
        base = self.settings.pds_url if headers else self.settings.appview_url
        response = await get(
            self._client,
            f"{base.rstrip('/')}/xrpc/{method}?{urlencode(params)}",
            headers,
            policy=self._policy,
            platform=self._platform,
            limiter=self._limiter,
        )
        return expect_object(load_json(response.content, "bluesky"), "bluesky")

    async def _auth(self) -> dict[str, str]:
        """A session on the PDS when an app password is set; none otherwise."""
        handle, password = self.settings.handle, self.settings.app_password
        if handle is None or password is None:
            return {}
        if self._token is None:
            response = await request(
                self._client,
                "POST",
                f"{self.settings.pds_url.rstrip('/')}/xrpc/com.atproto.server.createSession",
                json={
                    "identifier": handle.get_secret_value(),
                    "password": password.get_secret_value(),
                },
                policy=self._policy,
                platform=self._platform,
            )
            session = expect_object(load_json(response.content, "bluesky"), "bluesky")
            self._token = str(session["accessJwt"])
        return {"Authorization": f"Bearer {self._token}"}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_payload(data: bytes, origin: str) -> Page:
    """A saved searchPosts or getPostThread answer, or one getRecord answer."""
    document = expect_object(load_json(data, origin), origin)
    if "posts" in document:
        return Page(expect_list(document, "posts", origin), {})
    if "thread" in document:
        return Page(thread_posts(document["thread"]), {})
    return Page([document], {})


FACTORY = Factory(
    KIND, DESCRIPTION, BlueskySettings, BlueskySource, to_post, parse_payload, CREDENTIALS
)
register_sources = FACTORY.hook()
