"""Pure feed handling: bytes to raw items (``parse_feed``) and raw item to Post (``to_post``).

A raw item is a plain JSON dict::

    {"format": "rss20" | "atom10" | ... | "json",
     "feed": {"url", "title", "link", "language", "author"},
     "entry": <feedparser's entry, struct_times as ISO strings> | <the JSON Feed item as is>,
     "parent_id": <native id of the article, for items of a comment feed> | None,
     "fetched_at": <ISO time, the creation time of entries without a date>}

feedparser 6.0 reads RSS and Atom; JSON Feed is read here. Two feedparser habits
are corrected: it flags a blank line before ``<?xml`` as not well-formed (a common
WordPress fault, stripped here), and it gives every ``<link>`` without a type
the type ``text/html``, although RFC 4685 says an untyped ``rel="replies"`` link
is an Atom feed; ``_untyped_replies`` reads the real attributes back.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import xml.etree.ElementTree as ET
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from horchposten.errors import SourceError
from horchposten.models import LANG_CODE, Author, Metrics, Post
from horchposten.sources.base import Problem
from horchposten.sources.guard import map_item
from horchposten.sources.html_text import html_to_text
from horchposten.sources.json_payload import too_deep

KIND = "feeds"
FEED_TYPES = frozenset(
    {"application/atom+xml", "application/rss+xml", "application/xml", "text/xml"}
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass
class ParsedFeed:
    """Mappable raw items, what went wrong, and the comment feeds the entries announce."""

    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    comment_feeds: dict[str, str] = field(default_factory=dict)  # feed URL -> article id


def parse_feed(
    data: bytes,
    url: str,
    fetched_at: datetime,
    *,
    content_type: str | None = None,
    parent_id: str | None = None,
) -> ParsedFeed:
    """Read RSS, Atom or JSON Feed bytes fetched from ``url`` into raw items.

    Raises ``SourceError`` when the bytes are no feed at all or invalid JSON.
    """
    if data.lstrip()[:1] == b"{":
        return _parse_json_feed(data, url, fetched_at)
    return _parse_xml_feed(data, url, fetched_at, content_type, parent_id)


def _parse_xml_feed(
    data: bytes, url: str, fetched_at: datetime, content_type: str | None, parent_id: str | None
) -> ParsedFeed:
    stripped = data.lstrip(b" \t\r\n")
    data = stripped if stripped.startswith(b"<?xml") else data
    # Without a type feedparser would flag the feed; files and saved payloads have none.
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.version and not parsed.entries:
        raise SourceError(
            f"{url} holds no RSS, Atom or JSON feed that feedparser recognises; "
            f"check that the URL points at the feed and not at a web page."
        )
    feed = _feed_info(parsed.feed, url)
    untyped = _untyped_replies(data)
    result = ParsedFeed()
    for position, entry in enumerate(parsed.entries):
        raw = _raw(parsed.version or "unknown", feed, _plain(entry), parent_id, fetched_at)
        post = _accept(raw, url, position, result)
        if post is not None:
            flags = untyped[position] if untyped and len(untyped) == len(parsed.entries) else []
            result.comment_feeds |= dict.fromkeys(_comment_feed_urls(entry, flags), post.id)
    if parsed.bozo:
        result.problems.insert(0, _bozo_problem(url, parsed.bozo_exception, len(result.items)))
    return result


def _parse_json_feed(data: bytes, url: str, fetched_at: datetime) -> ParsedFeed:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{url} is not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}). "
            f"Ask the publisher to fix the feed; nothing from it was kept."
        ) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{url} is not UTF-8 encoded JSON ({exc.reason}).") from exc
    except RecursionError as exc:
        raise SourceError(too_deep(url)) from exc
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise SourceError(f"{url} is JSON but no JSON Feed: it has no 'items' list.")
    feed = {
        "url": url,
        "title": _str(document.get("title")),
        "link": _str(document.get("home_page_url")),
        "language": _str(document.get("language")),
        "author": _json_author(document),
    }
    result = ParsedFeed()
    for position, item in enumerate(document["items"]):
        if isinstance(item, dict):
            _accept(_raw("json", feed, item, None, fetched_at), url, position, result)
        else:
            result.problems.append(Problem(_where(url, position), "The item is not an object."))
    return result


def _raw(
    fmt: str, feed: dict[str, Any], entry: Any, parent_id: str | None, fetched_at: datetime
) -> dict[str, Any]:
    return {
        "format": fmt,
        "feed": feed,
        "entry": entry,
        "parent_id": parent_id,
        "fetched_at": fetched_at.isoformat(),
    }


def _accept(raw: dict[str, Any], url: str, position: int, result: ParsedFeed) -> Post | None:
    """Keep the item if it maps to a Post, else record why not."""
    post = map_item(to_post, raw)
    if isinstance(post, str):
        message = f"The entry cannot become a post: {post}. It was skipped."
        result.problems.append(Problem(_where(url, position), message))
        return None
    result.items.append(raw)
    return post


def _where(url: str, position: int) -> str:
    return f"{url}, entry {position + 1}"


def _bozo_problem(url: str, error: Exception, kept: int) -> Problem:
    kept_note = f"feedparser read it leniently and kept {kept} entries"
    if not isinstance(error, xml.sax.SAXParseException):
        message = f"feedparser flagged the feed: {error or type(error).__name__}; {kept_note}."
        return Problem(url, message)
    where, line, column = url, error.getLineNumber(), error.getColumnNumber()
    if line is not None and column is not None:
        # expat counts columns from 0; editors and our other messages count from 1.
        where = f"{url}, line {line}, column {column + 1}"
    message = (
        f"The feed is not well-formed XML ({error.getMessage()}); {kept_note}. "
        f"Ask the publisher to fix the feed."
    )
    return Problem(where, message)


def _untyped_replies(data: bytes) -> list[list[bool]] | None:
    """Per Atom entry, per ``rel="replies"`` link: whether the feed gave it no type."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    return [
        [link.get("type") is None for link in entry.findall(f"{ATOM}link") if _is_replies(link)]
        for entry in root.iter(f"{ATOM}entry")
    ]


def _is_replies(link: Mapping[str, Any] | ET.Element) -> bool:
    return link.get("rel") == "replies"


def _comment_feed_urls(entry: Mapping[str, Any], untyped: list[bool]) -> list[str]:
    """WordPress ``wfw:commentRss`` and Atom ``rel="replies"`` links that point at feeds."""
    urls = [entry["wfw_commentrss"]] if _str(entry.get("wfw_commentrss")) else []
    replies = [link for link in entry.get("links", []) if _is_replies(link)]
    flags = untyped if len(untyped) == len(replies) else [False] * len(replies)
    for link, no_type in zip(replies, flags, strict=True):
        if _str(link.get("href")) and (no_type or link.get("type") in FEED_TYPES):
            urls.append(link["href"])
    return urls


def _feed_info(feed: Mapping[str, Any], url: str) -> dict[str, Any]:
    return {
        "url": url,
        "title": _str(feed.get("title")),
        "link": _str(feed.get("link")),
        "language": _str(feed.get("language")),
        "author": _plain(feed.get("author_detail")),
    }


def _plain(value: Any) -> Any:
    """feedparser's result as plain JSON data; struct_times (UTC) become ISO strings."""
    if isinstance(value, time.struct_time):
        return _iso(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _iso(value: time.struct_time) -> str | None:
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat()
    except ValueError:
        return None


def _json_author(holder: Mapping[str, Any]) -> dict[str, Any] | None:
    """JSON Feed 1.1 ``authors[0]``, else 1.0 ``author``."""
    authors = holder.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else holder.get("author")
    return first if isinstance(first, dict) else None


@dataclass(frozen=True)
class _Parts:
    """What a Post needs, read from one entry in whichever format."""

    ident: str | None
    title: str | None
    text: str | None
    dates: tuple[Any, ...]
    url: str | None
    langs: tuple[Any, ...]
    author: Any
    reply_to: str | None = None
    metrics: Metrics = field(default_factory=Metrics)


def to_post(raw: Mapping[str, Any]) -> Post:
    """Map one raw feed item to a Post; pure."""
    parts = _json_parts(raw) if raw["format"] == "json" else _entry_parts(raw)
    article = raw.get("parent_id")
    return Post(
        id=parts.ident or parts.url or _hash_id(parts),
        source=KIND,
        title=parts.title,
        text=parts.text,
        created_at=_first_date(*parts.dates) or datetime.fromisoformat(raw["fetched_at"]),
        url=parts.url,
        lang=_lang(*parts.langs),
        author=_author(parts.author),
        parent_id=parts.reply_to or article,
        root_id=article,
        engagement_type="comment" if article else None,
        metrics=parts.metrics,
    )


def _entry_parts(raw: Mapping[str, Any]) -> _Parts:
    entry, feed = raw["entry"], raw["feed"]
    title_detail = entry.get("title_detail") or {}
    details = [*entry.get("content", []), entry.get("summary_detail") or {}]
    alternates = [
        link.get("href") for link in entry.get("links", []) if link.get("rel") == "alternate"
    ]
    reply = entry.get("thr_in-reply-to")
    return _Parts(
        ident=_str(entry.get("id")),
        title=_as_text(entry.get("title"), title_detail.get("type")),
        text=next(filter(None, (_as_text(d.get("value"), d.get("type")) for d in details)), None),
        dates=(entry.get("published_parsed"), entry.get("updated_parsed")),
        url=_web_url(entry.get("feedburner_origlink"), *alternates, entry.get("link")),
        langs=(
            *(d.get("language") for d in details),
            title_detail.get("language"),
            feed["language"],
        ),
        author=entry.get("author_detail") or feed["author"],
        reply_to=_str(reply.get("ref")) if isinstance(reply, dict) else None,
        metrics=Metrics(
            replies=_reply_count(entry),
            views=_count((entry.get("media_statistics") or {}).get("views")),
        ),
    )


def _json_parts(raw: Mapping[str, Any]) -> _Parts:
    item, feed = raw["entry"], raw["feed"]
    ident = item.get("id")
    html = _as_text(item.get("content_html"), "html")
    return _Parts(
        ident=str(ident) if isinstance(ident, int | str) and str(ident) else None,
        title=_as_text(item.get("title"), "text"),
        text=_as_text(item.get("content_text"), "text")
        or html
        or _as_text(item.get("summary"), "text"),
        dates=(item.get("date_published"), item.get("date_modified")),
        url=_web_url(item.get("url"), item.get("external_url")),
        langs=(item.get("language"), feed["language"]),
        author=_json_author(item) or feed["author"],
    )


def _reply_count(entry: Mapping[str, Any]) -> int | None:
    """``slash:comments``, else ``thr:total``, else ``thr:count`` on a replies link."""
    counts = [link.get("thr:count") for link in entry.get("links", []) if _is_replies(link)]
    return _count(entry.get("slash_comments"), entry.get("thr_total"), *counts)


def _count(*values: Any) -> int | None:
    for value in values:
        text = str(value).strip() if value is not None else ""
        if text.isdigit():
            return int(text)
    return None


def _as_text(value: Any, content_type: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = html_to_text(value) if content_type in HTML_TYPES else value.strip()
    return text or None


def _first_date(*values: Any) -> datetime | None:
    for value in values:
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            continue
        if moment is not None:
            # A date without a zone breaks RFC 3339; UTC is the least surprising reading.
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _hash_id(parts: _Parts) -> str:
    # The text is hashed too, so untitled, undated comments still get distinct ids.
    seed = "\n".join(str(part or "") for part in (parts.title, parts.dates[0], parts.text))
    return "sha256:" + hashlib.sha256(seed.encode()).hexdigest()[:32]


def _lang(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str):
            code = value.strip().lower().replace("_", "-").split("-")[0]
            if LANG_CODE.match(code):
                return code
    return None


def _author(detail: Any) -> Author:
    if not isinstance(detail, dict):
        return Author()
    name, email = _str(detail.get("name")), _str(detail.get("email"))
    handle = name or (email.split("@")[0] if email else None)
    return Author(handle=handle, name=name, url=_web_url(detail.get("href"), detail.get("url")))


def _web_url(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
