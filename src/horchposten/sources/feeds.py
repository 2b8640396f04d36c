"""The ``feeds`` source: RSS 2.0, Atom and JSON Feed, plus the comment feeds they announce.

``fetch`` yields the feed's own entries as one page, then one page per comment
feed (WordPress ``wfw:commentRss``, Atom ``rel="replies"``) of the first
``max_comment_feeds`` entries whose items are replies to that entry. Every
request is conditional. The cursor, saved after each page, is::

    {"etag": str | None, "last_modified": str | None,
     "comment_feeds": {url: {"etag": ..., "last_modified": ..., "parent_id": article id}}}

The feed's own page always comes, empty with the cursor unchanged when the feed
answered 304; a comment feed yields a page only when it changed or failed, so a
quiet blog costs one page per poll. While the feed itself is unchanged, the
comment feeds remembered in the cursor are still polled: new comments do not
change a WordPress feed. A ``url`` that is a local path or ``file://`` URL is
read from disk, and the file's modification time stands in for the validators.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources.base import Cursor, Page, Problem
from horchposten.sources.factory import Factory
from horchposten.sources.feed_mapping import KIND, parse_feed, to_post
from horchposten.sources.http import DEFAULT_POLICY, RetryPolicy, get

Validators = dict[str, Any]
DESCRIPTION = "RSS 2.0, Atom and JSON Feed, with WordPress and Atom comment feeds"


class FeedSettings(BaseModel):
    """Settings of one ``feeds`` source."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, description="http(s) URL, file:// URL or local path")
    comments: bool = Field(default=True, description="also read announced comment feeds")
    max_comment_feeds: int = Field(default=20, ge=0, description="comment feeds per poll")

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if "://" in value and urlsplit(value).scheme.lower() not in ("http", "https", "file"):
            raise ValueError("must be an http(s) URL, a file:// URL or a local file path")
        return value


@dataclass(frozen=True)
class _Document:
    body: bytes
    url: str
    content_type: str | None
    validators: Validators


class FeedsSource:
    """One configured feed and its comment feeds."""

    kind: str = KIND

    def __init__(
        self,
        name: str,
        settings: FeedSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
    ) -> None:
        self.name = name
        self.settings = settings
        self._client = client
        self._policy = policy

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return to_post(raw)

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        fetched_at = datetime.now(UTC)
        main: Validators = {
            "etag": cursor.get("etag"),
            "last_modified": cursor.get("last_modified"),
        }
        known: dict[str, Validators] = dict(cursor.get("comment_feeds") or {})
        document = await self._load(self.settings.url, main)
        page = Page([], _cursor(main, known))
        if document is not None:
            main = document.validators
            parsed = parse_feed(
                document.body, document.url, fetched_at, content_type=document.content_type
            )
            known, skipped = self._choose(parsed.comment_feeds, known, document.url)
            page = Page(parsed.items, _cursor(main, known), parsed.problems + skipped)
        yield page
        if not self.settings.comments:
            return
        for url, state in list(known.items()):
            items, problems, known[url] = await self._comments(url, state, fetched_at)
            if items or problems or known[url] != state:
                yield Page(items, _cursor(main, known), problems)

    def _choose(
        self, announced: Mapping[str, str], known: Mapping[str, Validators], base: str
    ) -> tuple[dict[str, Validators], list[Problem]]:
        """The first comment feeds to follow, keeping the validators already saved."""
        if not self.settings.comments:
            return {}, []
        chosen: dict[str, Validators] = {}
        skipped: list[Problem] = []
        for url, article in announced.items():
            if len(chosen) == self.settings.max_comment_feeds:
                break
            if _is_local(url) and not _is_local(base):
                message = "A web feed may not point at local files; this comment feed was skipped."
                skipped.append(Problem(url, message))
                continue
            old = known.get(url, {})
            chosen[url] = {
                "etag": old.get("etag"),
                "last_modified": old.get("last_modified"),
                "parent_id": article,
            }
        return chosen, skipped

    async def _comments(
        self, url: str, state: Validators, fetched_at: datetime
    ) -> tuple[list[dict[str, Any]], list[Problem], Validators]:
        """Items and problems of one comment feed, and its new cursor entry."""
        try:
            document = await self._load(url, state)
            if document is None:
                return [], [], state
            parsed = parse_feed(
                document.body,
                document.url,
                fetched_at,
                content_type=document.content_type,
                parent_id=state.get("parent_id"),
            )
        except SourceError as exc:
            message = f"{exc} The comments of this entry were skipped; the article was kept."
            return [], [Problem(url, message)], state
        return (
            parsed.items,
            parsed.problems,
            {**document.validators, "parent_id": state.get("parent_id")},
        )

    async def _load(self, url: str, validators: Validators) -> _Document | None:
        """The document at ``url``, or None when it has not changed since ``validators``."""
        if _is_local(url):
            return await _load_file(_local_path(url), validators)
        headers = {}
        if validators.get("etag"):
            headers["If-None-Match"] = str(validators["etag"])
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = str(validators["last_modified"])
        response = await get(self._client, url, headers, policy=self._policy)
        if response.status_code == 304:
            return None
        fresh = {
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        }
        return _Document(
            response.content, str(response.url), response.headers.get("content-type"), fresh
        )


async def _load_file(path: Path, validators: Validators) -> _Document | None:
    try:
        return await asyncio.to_thread(_read_file, path, validators)
    except OSError as exc:
        raise SourceError(
            f"Cannot read the feed file {path}: {exc.strerror}. Check the source's 'url' setting."
        ) from exc


def _read_file(path: Path, validators: Validators) -> _Document | None:
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()
    if validators.get("last_modified") == mtime:
        return None
    fresh = {"etag": None, "last_modified": mtime}
    return _Document(path.read_bytes(), file_uri(path), None, fresh)


def file_uri(path: Path) -> str:
    """``file://localhost/…``: feedparser turns ``file:///tmp/…`` into host ``tmp``."""
    return "file://localhost" + path.absolute().as_uri().removeprefix("file://")


def _cursor(main: Validators, comment_feeds: Mapping[str, Validators]) -> Cursor:
    # A fresh copy per page: a page's cursor must not change after it was yielded.
    return {
        "etag": main.get("etag"),
        "last_modified": main.get("last_modified"),
        "comment_feeds": {url: dict(state) for url, state in comment_feeds.items()},
    }


def _is_local(url: str) -> bool:
    return "://" not in url or urlsplit(url).scheme.lower() == "file"


def _local_path(url: str) -> Path:
    return Path(url2pathname(urlsplit(url).path)) if "://" in url else Path(url)


def parse_payload(data: bytes, origin: str) -> Page:
    """Read a saved feed file; relative links resolve against ``origin``."""
    base = origin if "://" in origin else file_uri(Path(origin))
    parsed = parse_feed(data, base, datetime.now(UTC))
    return Page(parsed.items, {}, parsed.problems)


FACTORY = Factory(KIND, DESCRIPTION, FeedSettings, FeedsSource, to_post, parse_payload)
register_sources = FACTORY.hook()
