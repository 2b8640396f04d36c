"""The ``mastodon`` source: hashtag, public and local timelines and status search, any instance.

Pages are read oldest first with ``min_id`` ("immediately newer than"),
following the ``Link: rel="prev"`` header the instance sends, so the cursor
after each page is simply ``{"min_id": newest id so far}`` and a pass killed at
any page resumes there. A first pass starts at ``since`` (a Mastodon id encodes
its creation time). With ``stream_seconds`` the pass then listens to the
streaming API (server-sent events) for that long; the next pass catches up
through REST from the cursor, so a dropped stream loses nothing.

A streamed ``delete`` names a status only by its local id on this instance.
Every page therefore tells the store the local ids of its statuses
(``Page.local``, scope: the instance), which keeps them with the stored posts;
a delete event's local id is resolved there, so a status stored in any earlier
pass, also before a restart, is removed. An edit (``status.update``) carries
the whole status with its ``uri`` and is stored over the post like any update.

A reply is linked to its parent and thread root by their ``uri``s: from the
statuses this source saw, else from the reply's context on the instance
(``mastodon_threads``; one request per thread not seen before).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote, urlencode

import httpx
from httpx_sse import SSEError, aconnect_sse
from pydantic import ConfigDict, Field, SecretStr, field_validator, model_validator

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources.base import Cursor, LocalIds, Page, Problem
from horchposten.sources.credentials import Credential, CredentialedSettings
from horchposten.sources.factory import Factory
from horchposten.sources.http import DEFAULT_POLICY, NETWORK_ERRORS, Platform, RetryPolicy, get
from horchposten.sources.json_payload import expect_list, load_json
from horchposten.sources.mastodon_mapping import KIND, id_at, original, status_id, to_post
from horchposten.sources.mastodon_threads import ThreadIndex
from horchposten.sources.ratelimit import RateLimiter

TOKEN = Credential("token", "HORCHPOSTEN_MASTODON_TOKEN", "access token", required=False)
STREAM_EVENTS = frozenset({"update", "status.update"})  # a new status, an edited one
DESCRIPTION = "Mastodon hashtag, public and local timelines, status search and streaming"


class MastodonSettings(CredentialedSettings):
    """Settings of one ``mastodon`` source."""

    model_config = ConfigDict(extra="forbid")

    instance: str = Field(description="the instance's address, e.g. https://mastodon.social")
    timeline: Literal["hashtag", "public", "local", "search"] = "hashtag"
    hashtag: str = Field(default="", description="for timeline=hashtag, without '#'")
    query: str = Field(default="", description="for timeline=search")
    token: SecretStr | None = None
    since: datetime | None = None
    limit: int = Field(default=40, ge=1, le=40)
    max_pages: int = Field(default=100, ge=1)
    stream_seconds: float = Field(default=0.0, ge=0)
    link_replies: bool = Field(
        default=True, description="ask the instance who a reply answers when it was not seen"
    )

    @field_validator("instance")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be the instance's web address, like 'https://mastodon.social'")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _target_given(self) -> MastodonSettings:
        if self.timeline == "hashtag" and not self.hashtag.strip("# "):
            raise ValueError("timeline 'hashtag' needs the setting 'hashtag'")
        if self.timeline == "search" and not self.query.strip():
            raise ValueError("timeline 'search' needs the setting 'query'")
        return self


class MastodonSource:
    kind: str = KIND

    def __init__(
        self,
        name: str,
        settings: MastodonSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._client = client
        self._policy = policy
        host = settings.instance.split("://", 1)[1]
        where = settings.origin("token")
        self._platform = Platform(
            f"mastodon ({host})",
            {
                401: f"the access token was rejected or is required here; check {where}",
                403: f"the instance refuses this timeline to this client; check {where} "
                "and the instance's settings",
                404: "there is no such timeline or API here; check 'instance' and 'hashtag'",
            },
        )
        self._limiter = RateLimiter(self._platform.name)
        self._threads = ThreadIndex()
        self._scope = f"{KIND}:{settings.instance.lower()}"

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        min_id = str(cursor.get("min_id") or self._first_id())
        url: str | None = self._url(min_id)
        for _ in range(self.settings.max_pages):
            if url is None:
                break
            response = await self._get(url)
            items = self._items(response)
            if not items:
                break
            min_id = str(max(status_id(item) for item in items))
            yield Page(items, {"min_id": min_id}, await self._link(items), local=self._local(items))
            url = self._next(response, min_id)
        if self.settings.stream_seconds > 0 and self.settings.timeline != "search":
            async for page in self._stream(min_id):
                yield page

    async def _link(self, items: list[dict[str, Any]]) -> list[Problem]:
        """Link the replies among ``items`` to their parents; say which could not be asked."""
        problems: list[Problem] = []
        for status in self._threads.link(items):
            if not self.settings.link_replies or self._threads.place(status):
                continue  # an earlier context in this page taught the index its parent
            try:
                context = await self._context(str(status["id"]))
            except SourceError as exc:
                note = f"The reply {status.get('uri')} is stored without its parent: {exc}"
                problems.append(Problem("reply links", note))
                continue
            self._threads.learn_ancestors(context)
            self._threads.place(status)  # unlinked if the parent is not visible to us
        return problems

    async def _context(self, local_id: str) -> list[dict[str, Any]]:
        url = f"{self.settings.instance}/api/v1/statuses/{quote(local_id, safe='')}/context"
        answer = load_json((await self._get(url)).content, self._platform.name)
        return expect_list(answer, "ancestors", self._platform.name)

    async def _get(self, url: str) -> httpx.Response:
        return await get(
            self._client,
            url,
            self._headers(),
            policy=self._policy,
            platform=self._platform,
            limiter=self._limiter,
        )

    def _first_id(self) -> str:
        start = self.settings.since or datetime.now(UTC) - timedelta(days=1)
        return id_at(int(start.timestamp() * 1000))

    def _url(self, min_id: str) -> str:
        base, params = self._endpoint()
        params |= {"limit": str(self.settings.limit), "min_id": min_id}
        return f"{base}?{urlencode(params)}"

    def _endpoint(self) -> tuple[str, dict[str, str]]:
        api = self.settings.instance + "/api"
        match self.settings.timeline:
            case "hashtag":
                tag = quote(self.settings.hashtag.strip("# "), safe="")
                return f"{api}/v1/timelines/tag/{tag}", {}
            case "public":
                return f"{api}/v1/timelines/public", {}
            case "local":
                return f"{api}/v1/timelines/public", {"local": "true"}
            case _:
                return f"{api}/v2/search", {"q": self.settings.query, "type": "statuses"}

    def _next(self, response: httpx.Response, min_id: str) -> str | None:
        """The instance's ``rel="prev"`` link (newer statuses), else the same query from min_id."""
        newer = response.links.get("prev", {}).get("url")
        return str(response.url.join(newer)) if newer else self._url(min_id)

    def _items(self, response: httpx.Response) -> list[dict[str, Any]]:
        document = load_json(response.content, self._platform.name)
        if self.settings.timeline == "search":
            return expect_list(document, "statuses", self._platform.name)
        return expect_list({"statuses": document}, "statuses", self._platform.name)

    def _headers(self) -> dict[str, str]:
        token = self.settings.token
        return {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}

    def _stream_url(self) -> str:
        api = self.settings.instance + "/api/v1/streaming"
        match self.settings.timeline:
            case "hashtag":
                return f"{api}/hashtag?{urlencode({'tag': self.settings.hashtag.strip('# ')})}"
            case "local":
                return f"{api}/public/local"
            case _:
                return f"{api}/public"

    async def _stream(self, min_id: str) -> AsyncIterator[Page]:
        """Statuses as the instance pushes them, one page each, for ``stream_seconds``.

        The limit is checked between events and bounds a silent stream through
        the read timeout; a timer that cancelled the task could instead hit the
        batch being stored, which runs in the same task.
        """
        newest = int(min_id)
        loop = asyncio.get_running_loop()
        end = loop.time() + self.settings.stream_seconds
        timeout = httpx.Timeout(10.0, read=self.settings.stream_seconds)
        try:
            async with aconnect_sse(
                self._client, "GET", self._stream_url(), headers=self._headers(), timeout=timeout
            ) as events:
                if events.response.status_code >= 400:
                    response = events.response
                    message = self._platform.explain(
                        response.status_code, response.reason_phrase, ""
                    )
                    yield Page([], {"min_id": str(newest)}, [Problem("streaming", message)])
                    return
                async for event in events.aiter_sse():
                    if event.event in STREAM_EVENTS:
                        status = _event_status(event.data, self._platform.name)
                        newest = max(newest, status_id(status))
                        problems = await self._link([status])
                        yield Page(
                            [status], {"min_id": str(newest)}, problems, local=self._local([status])
                        )
                    elif event.event == "delete" and event.data.strip():
                        gone = LocalIds(self._scope, deleted=[event.data.strip()])
                        yield Page([], {"min_id": str(newest)}, local=gone)
                    if loop.time() >= end:
                        return
        except httpx.ReadTimeout:
            return  # quiet for the whole listening time
        except (SSEError, *NETWORK_ERRORS) as exc:
            note = f"The stream ended ({type(exc).__name__}); the next pass catches up."
            yield Page([], {"min_id": str(newest)}, [Problem("streaming", note)])

    def _local(self, items: list[dict[str, Any]]) -> LocalIds:
        """The local ids of the statuses posts are stored for (a boost's: the boosted one's)."""
        seen = {}
        for item in items:
            status = original(item)
            if isinstance(status.get("uri"), str) and status.get("id"):
                seen[str(status["id"])] = f"{KIND}:{status['uri']}"
        return LocalIds(self._scope, seen)


def _event_status(data: str, platform: str) -> dict[str, Any]:
    try:
        status = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{platform} streamed an event that is not JSON ({exc.msg}); the statuses before "
            f"it were stored and the next pass catches up from there."
        ) from None
    if not isinstance(status, dict) or "id" not in status:
        raise SourceError(f"{platform} streamed an event that is no status.")
    return status


def parse_payload(data: bytes, origin: str) -> Page:
    """A saved statuses array (a timeline), one status, or a v2 search answer.

    Replies are linked to parents in the same file; nothing is asked online.
    """
    document = load_json(data, origin)
    if isinstance(document, dict) and "statuses" in document:
        statuses = expect_list(document, "statuses", origin)
    else:
        listed = [document] if isinstance(document, dict) else document
        statuses = expect_list({"statuses": listed}, "statuses", origin)
    ThreadIndex().link(statuses)
    return Page(statuses, {})


FACTORY = Factory(
    KIND, DESCRIPTION, MastodonSettings, MastodonSource, to_post, parse_payload, (TOKEN,)
)
register_sources = FACTORY.hook()
