"""The ``reddit`` source: subreddit listings (new submissions, new comments) and search.

Listings come newest first and are paged backwards with ``after``. A pass reads
the window from the newest item of the last pass down to the newest item now;
the cursor after each page is::

    {"since": float, "seen": [fullname, ...], "top": float, "top_seen": [...], "after": str}

while the window is open, and ``{"since": top, "seen": top_seen}`` when it is
done (times are ``created_utc``; ``seen`` are the items at exactly ``since``).
With ``comment_trees`` each new submission's comment tree is read as well.
Reddit keeps about 1,000 items per listing, so a back-fill reaches no further.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote, urlencode

import httpx
from pydantic import ConfigDict, Field, SecretStr, model_validator

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources.base import Cursor, Page
from horchposten.sources.credentials import Credential, CredentialedSettings
from horchposten.sources.factory import Factory
from horchposten.sources.http import DEFAULT_POLICY, RetryPolicy, get
from horchposten.sources.json_payload import load_json
from horchposten.sources.ratelimit import RateLimiter
from horchposten.sources.reddit_auth import RedditAuth
from horchposten.sources.reddit_mapping import KIND, flatten_thread, listing_children, to_post

CREDENTIALS = (
    Credential("client_id", "HORCHPOSTEN_REDDIT_CLIENT_ID", "client id"),
    Credential("client_secret", "HORCHPOSTEN_REDDIT_SECRET", "client secret"),
    Credential("username", "HORCHPOSTEN_REDDIT_USERNAME", "username", required=False),
    Credential("password", "HORCHPOSTEN_REDDIT_PASSWORD", "password", required=False),
)
DESCRIPTION = "Reddit subreddit listings (new submissions, new comments), search, comment trees"


class RedditSettings(CredentialedSettings):
    """Settings of one ``reddit`` source."""

    model_config = ConfigDict(extra="forbid")

    subreddit: str = Field(default="", description="e.g. 'de' or 'kaffee+espresso'")
    listing: Literal["new", "comments", "search"] = "new"
    query: str = ""
    comment_trees: bool = False
    max_trees: int = Field(default=25, ge=0)
    since: datetime | None = None
    limit: int = Field(default=100, ge=1, le=100)
    max_pages: int = Field(default=10, ge=1)
    client_id: SecretStr | None = None
    client_secret: SecretStr | None = None
    username: SecretStr | None = None
    password: SecretStr | None = None
    auth_url: str = "https://www.reddit.com"
    api_url: str = "https://oauth.reddit.com"

    @model_validator(mode="after")
    def _target_given(self) -> RedditSettings:
        if self.listing == "search" and not self.query.strip():
            raise ValueError("listing 'search' needs the setting 'query'")
        if self.listing != "search" and not self.subreddit.strip():
            raise ValueError(f"listing '{self.listing}' needs the setting 'subreddit'")
        return self


class RedditSource:
    kind: str = KIND

    def __init__(
        self,
        name: str,
        settings: RedditSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._client = client
        self._policy = policy
        self._auth = RedditAuth(
            settings,
            settings.client_id,
            settings.client_secret,
            settings.username,
            settings.password,
            settings.auth_url.rstrip("/") + "/api/v1/access_token",
        )
        self._limiter = RateLimiter("reddit")

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        since = float(cursor.get("since") or self._start())
        seen = set(cursor.get("seen") or ())
        top, top_seen = cursor.get("top"), list(cursor.get("top_seen") or ())
        after: str | None = cursor.get("after")
        for _ in range(self.settings.max_pages):
            children = await self._listing(after)
            fresh = [c for c in children if _newer(c, since, seen)]
            if top is None and children:
                top = max(_created(c) for c in children)
                top_seen = sorted(_name(c) for c in children if _created(c) == top)
            after = _name(children[-1]) if len(children) == self.settings.limit else None
            items = fresh + await self._trees(fresh)
            if after is None or len(fresh) < len(children):  # reached the last window
                yield Page(items, {"since": top or since, "seen": top_seen or sorted(seen)})
                return
            open_window = {"since": since, "seen": sorted(seen), "top": top, "after": after}
            yield Page(items, open_window | {"top_seen": top_seen})

    def _start(self) -> float:
        return (self.settings.since or datetime.now(UTC) - timedelta(days=1)).timestamp()

    async def _listing(self, after: str | None) -> list[dict[str, Any]]:
        params = {"limit": str(self.settings.limit), "raw_json": "1"}
        subreddit = quote(self.settings.subreddit.strip(), safe="+")
        path = f"/r/{subreddit}/{self.settings.listing}"
        if self.settings.listing == "search":
            params |= {"q": self.settings.query, "sort": "new", "type": "link"}
            params |= {"restrict_sr": "1"} if subreddit else {}
            path = f"/r/{subreddit}/search" if subreddit else "/search"
        if after:
            params["after"] = after
        document = await self._get(f"{path}?{urlencode(params)}")
        children = listing_children(document)
        if children is None:
            raise _not_a_listing(path)
        return children

    async def _trees(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The comments of each new submission with comments, when ``comment_trees`` is on."""
        if not self.settings.comment_trees:
            return []
        wanted = [i for i in items if i.get("kind") == "t3" and i["data"].get("num_comments")]
        comments: list[dict[str, Any]] = []
        for item in wanted[: self.settings.max_trees]:
            article = str(item["data"]["name"]).removeprefix("t3_")
            path = f"/comments/{article}/?{urlencode({'sort': 'new', 'raw_json': '1'})}"
            thread = flatten_thread(await self._get(path))
            if thread is None:
                raise _not_a_listing(path)
            comments += [c for c in thread if c.get("kind") == "t1"]
        return comments

    async def _get(self, path: str) -> Any:
        headers = await self._auth.header(self._client, self._policy)
        response = await get(
            self._client,
            self.settings.api_url.rstrip("/") + path,
            headers,
            policy=self._policy,
            platform=self._auth.platform,
            limiter=self._limiter,
        )
        return load_json(response.content, "reddit")


def _created(child: Mapping[str, Any]) -> float:
    return float(child["data"]["created_utc"])


def _name(child: Mapping[str, Any]) -> str:
    return str(child["data"]["name"])


def _newer(child: Mapping[str, Any], since: float, seen: set[str]) -> bool:
    created = _created(child)
    return created > since or (created == since and _name(child) not in seen)


def _not_a_listing(path: str) -> SourceError:
    return SourceError(
        f"reddit answered {path.split('?')[0]} with JSON that is no listing; nothing from this "
        f"page was stored. The API may have changed."
    )


def parse_payload(data: bytes, origin: str) -> Page:
    """A saved listing (``/r/…/new``, ``/comments``, search) or a ``/comments/ID`` thread."""
    document = load_json(data, origin)
    items = listing_children(document)
    if items is None:
        items = flatten_thread(document)
    if items is None:
        raise _not_a_listing(origin)
    return Page([i for i in items if i.get("kind") in ("t1", "t3")], {})


FACTORY = Factory(
    KIND, DESCRIPTION, RedditSettings, RedditSource, to_post, parse_payload, CREDENTIALS
)
register_sources = FACTORY.hook()
