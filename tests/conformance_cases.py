"""One recorded world per source kind, for the conformance suite (test_conformance.py).

A ``Case`` says how to serve a kind's recorded payloads from the local server,
which settings point a source at them, and how to break one page. Every
registered kind must have a case: a new connector without one fails the suite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from conftest import FIXTURES
from jetstream_server import JetstreamServer
from localserver import Handler, LocalServer, RecordedRequest

Settings = dict[str, Any]


@dataclass(frozen=True)
class World:
    """Where a case's recorded payloads are served: the local HTTP server, a folder, more."""

    server: LocalServer
    tmp: Path
    stack: ExitStack  # closed after the test: further servers a case starts
    extras: dict[str, Any] = field(default_factory=dict)  # what a case keeps between calls


@dataclass(frozen=True)
class Case:
    kind: str
    serve: Callable[[World], Settings]  # registers the world, returns settings
    payload: Path  # a recorded payload for parse_payload
    min_pages: int  # pages a full fetch of the world yields at least
    garble: Callable[[World], int]  # breaks a page; returns its number (1-based)
    no_http: str = ""  # why there is no HTTP status (429, 5xx) to survive, if there is none
    bad_items_are_problems: bool = False  # a bad line is reported, the rest stored
    pushed: str = ""  # why nothing is fetched (posts are pushed), if so


# --- feeds: the TechCrunch WordPress feed and the comment feed of its Gmail article ---

TECHCRUNCH = "http://feeds.feedburner.com/Techcrunch"
GMAIL_COMMENTS = (
    "http://techcrunch.com/2011/11/02/"
    "google-launches-native-gmail-app-for-iphone-ipad-and-ipod-touch/feed/"
)
RSS = "application/rss+xml; charset=UTF-8"


def _serve_feeds(world: World) -> Settings:
    server = world.server
    server.add(
        TECHCRUNCH, (FIXTURES / "feeds/feedjira/TechCrunch.xml").read_bytes(), content_type=RSS
    )
    comments = FIXTURES / "feeds/handmade/techcrunch-gmail-comments.rss"
    server.add(GMAIL_COMMENTS, comments.read_bytes(), content_type=RSS)
    return {"url": TECHCRUNCH, "max_comment_feeds": 1}


def _garble_feeds(world: World) -> int:
    server = world.server
    server.add(TECHCRUNCH, b"<html><body>We'll be right back</body></html>", content_type=RSS)
    return 1


# --- files: a JSON Lines file another program appends to ---


def _serve_files(world: World) -> Settings:
    tmp = world.tmp
    path = tmp / "posts.jsonl"
    path.write_bytes((FIXTURES / "files/posts.jsonl").read_bytes())
    return {"path": str(path), "page_size": 2}


def _garble_files(world: World) -> int:
    tmp = world.tmp
    path = tmp / "posts.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2]) + b'{"id": "cut off\n' + b"".join(lines[3:]))
    return 2


# --- hackernews: the recorded Algolia hits behind a search_by_date that filters by time ---

HN_PATH = "/api/v1/search_by_date"


def hn_hits() -> list[dict[str, Any]]:
    recorded = json.loads((FIXTURES / "hackernews/fixtures.json").read_bytes())
    hits = {hit["objectID"]: hit for r in recorded for hit in r["reply"].get("hits", [])}
    return sorted(hits.values(), key=lambda hit: -hit["created_at_i"])


def algolia(
    hits: list[dict[str, Any]],
) -> Callable[[RecordedRequest], tuple[int, dict[str, str], bytes]]:
    """``search_by_date`` over ``hits``: numeric filters on created_at_i, newest first, pages."""

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        query = request.query
        chosen = [hit for hit in hits if _passes(hit, query.get("numericFilters", ""))]
        per_page, page = int(query.get("hitsPerPage", "20")), int(query.get("page", "0"))
        body = {
            "hits": chosen[page * per_page : (page + 1) * per_page],
            "nbHits": len(chosen),
            "page": page,
            "nbPages": -(-len(chosen) // per_page),
            "hitsPerPage": per_page,
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    return answer


def _passes(hit: dict[str, Any], filters: str) -> bool:
    for condition in filter(None, filters.split(",")):
        for op, test in (
            ("<=", int.__le__),
            (">=", int.__ge__),
            ("<", int.__lt__),
            (">", int.__gt__),
        ):
            if op in condition:
                field, value = condition.split(op)
                if not test(hit[field], int(value)):
                    return False
                break
    return True


def _serve_hackernews(world: World) -> Settings:
    server = world.server
    server.handle(HN_PATH, algolia(hn_hits()))
    return {
        "api_url": server.url("/api/v1"),
        "since": "2006-01-01T00:00:00Z",
        "hits_per_page": 5,
    }


def _garble_second_answer(path: str) -> Callable[[World], int]:
    def garble(place: World) -> int:
        server = place.server
        world = server.handler(path)
        calls = []

        def broken(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
            calls.append(request)
            if len(calls) == 2:
                return 200, {"Content-Type": "application/json"}, b'{"hits": [{"objectID": '
            return world(request)

        server.handle(path, broken)
        return 2

    return garble


# --- mastodon: recorded statuses behind a timeline that pages with min_id/max_id and Link ---

MASTODON_TIMELINE = "/api/v1/timelines/public"


def mastodon_statuses() -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name in ("public_timeline", "home_timeline", "account_statuses_p1", "account_statuses_p2"):
        for status in json.loads((FIXTURES / f"mastodon/{name}.json").read_bytes()):
            found[status["id"]] = status
    return sorted(found.values(), key=lambda status: -int(status["id"]))


def mastodon_timeline(
    statuses: list[dict[str, Any]], origin: str
) -> Callable[[RecordedRequest], tuple[int, dict[str, str], bytes]]:
    """A timeline as Mastodon serves it: newest first, min_id/max_id/since_id, Link header."""

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        query = request.query
        limit = int(query.get("limit", "20"))
        chosen = [s for s in statuses if _within(int(s["id"]), query)]
        if "min_id" in query:  # the statuses immediately newer than min_id
            chosen = chosen[-limit:]
        page = chosen[:limit]
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if page:
            base = origin + request.path.split("?", 1)[0]
            headers["Link"] = (
                f'<{base}?limit={limit}&max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}?limit={limit}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return 200, headers, json.dumps(page).encode()

    return answer


def _within(status_id: int, query: dict[str, str]) -> bool:
    low = max(int(query.get("min_id", 0)), int(query.get("since_id", 0)))
    high = int(query.get("max_id", 1 << 63))
    return low < status_id < high


def _serve_mastodon(world: World) -> Settings:
    server = world.server
    server.handle(MASTODON_TIMELINE, mastodon_timeline(mastodon_statuses(), server.base))
    return {
        "instance": server.url(""),
        "timeline": "public",
        "since": "2026-08-01T00:00:00Z",
        "limit": 5,
    }


# --- reddit: the recorded r/AskReddit "new" listing behind a listing that pages with after ---

REDDIT_NEW = "/r/askreddit/new"


def reddit_children(name: str = "askreddit_new") -> list[dict[str, Any]]:
    listing = json.loads((FIXTURES / f"reddit/{name}.json").read_bytes())
    children: list[dict[str, Any]] = listing["data"]["children"]
    return sorted(children, key=lambda child: -child["data"]["created_utc"])


def reddit_listing(
    children: list[dict[str, Any]],
) -> Callable[[RecordedRequest], tuple[int, dict[str, str], bytes]]:
    """A listing as Reddit serves it: newest first, ``limit`` and ``after``, rate headers."""

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        query = request.query
        limit = int(query.get("limit", "25"))
        names = [child["data"]["name"] for child in children]
        start = names.index(query["after"]) + 1 if "after" in query else 0
        page = children[start : start + limit]
        more = start + limit < len(children)
        data = {"children": page, "after": page[-1]["data"]["name"] if more else None}
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "X-Ratelimit-Remaining": "599.0",
            "X-Ratelimit-Reset": "300",
            "X-Ratelimit-Used": "1",
        }
        return 200, headers, json.dumps({"kind": "Listing", "data": data}).encode()

    return answer


def _serve_reddit(world: World) -> Settings:
    server = world.server
    token = (FIXTURES / "reddit/access_token.json").read_bytes()
    server.add("/api/v1/access_token", token, content_type="application/json")
    server.handle(REDDIT_NEW, reddit_listing(reddit_children()))
    return {
        "subreddit": "askreddit",
        "since": "2016-02-01T00:00:00Z",
        "limit": 30,
        "auth_url": server.url(""),
        "api_url": server.url(""),
    }


# --- youtube: recorded search results, comment threads and replies behind a small Data API ---

YOUTUBE = "/youtube/v3"
YT_VIDEO = "F1UP7wRCPH8"  # the video of the recorded comment threads
YT_THREAD_WITH_REPLIES = "UgwI_ylXVnzPS8Q-oAV4AaABAg"


def youtube_json(name: str) -> Any:
    return json.loads((FIXTURES / f"youtube/{name}.json").read_bytes())


def youtube_threads() -> list[dict[str, Any]]:
    """The recorded comment threads of ``YT_VIDEO``, newest first."""
    threads: list[dict[str, Any]] = youtube_json("comment_threads_by_video_paged_1")["items"]
    return threads


def youtube_replies() -> list[dict[str, Any]]:
    """The recorded comments, as the two replies of ``YT_THREAD_WITH_REPLIES``."""
    return [
        {**c, "snippet": {**c["snippet"], "parentId": YT_THREAD_WITH_REPLIES}}
        for c in youtube_json("comments_multi")["items"]
    ]


def youtube_api(
    page_size: int = 10,
    threads: list[dict[str, Any]] | None = None,
    replies: list[dict[str, Any]] | None = None,
) -> dict[str, Handler]:
    """search (publishedAfter/Before, pageToken), commentThreads and comments, as YouTube pages.

    ``threads`` and ``replies`` may be lists the test changes between passes.
    """
    found = {}
    for name in ("search_by_keywords_p1", "search_by_keywords_p2"):
        for result in youtube_json(name)["items"]:
            found[result["id"].get("videoId")] = result
    videos = sorted(
        (r for key, r in found.items() if key), key=lambda r: r["snippet"]["publishedAt"]
    )[::-1]
    threads = youtube_threads() if threads is None else threads
    replies = youtube_replies() if replies is None else replies

    def search(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        query = request.query
        after, before = query["publishedAfter"], query.get("publishedBefore", "9999")
        chosen = [v for v in videos if after <= v["snippet"]["publishedAt"] <= before]
        return _paged("youtube#searchListResponse", chosen, query, page_size)

    def comment_threads(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        if "id" in request.query:  # threads by id, as many as asked for
            wanted = request.query["id"].split(",")
            chosen = [t for t in threads if t["id"] in wanted]
            return _paged("youtube#commentThreadListResponse", chosen, {}, len(wanted))
        chosen = [t for t in threads if t["snippet"]["videoId"] == request.query["videoId"]]
        return _paged("youtube#commentThreadListResponse", chosen, request.query, page_size)

    def comments(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        chosen = [r for r in replies if r["snippet"]["parentId"] == request.query["parentId"]]
        return _paged("youtube#commentListResponse", chosen, request.query, page_size)

    return {
        f"{YOUTUBE}/search": search,
        f"{YOUTUBE}/commentThreads": comment_threads,
        f"{YOUTUBE}/comments": comments,
    }


def _paged(
    kind: str, items: list[dict[str, Any]], query: dict[str, str], size: int
) -> tuple[int, dict[str, str], bytes]:
    start = int(query.get("pageToken", "0"))
    body: dict[str, Any] = {"kind": kind, "items": items[start : start + size]}
    if start + size < len(items):
        body["nextPageToken"] = str(start + size)
    return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(body).encode()


def _serve_youtube(world: World) -> Settings:
    server = world.server
    for path, handler in youtube_api().items():
        server.handle(path, handler)
    return {
        "query": "surfing",
        "videos": [YT_VIDEO],
        "since": "2017-01-01T00:00:00Z",
        "max_search_pages": 10,
        "track_videos": 4,
        "api_url": server.url(YOUTUBE),
    }


# --- bluesky: post views built from recorded records, behind searchPosts with since/until ---

SEARCH_POSTS = "/xrpc/app.bsky.feed.searchPosts"


def bluesky_views() -> list[dict[str, Any]]:
    posts: list[dict[str, Any]] = json.loads((FIXTURES / "bluesky/search_posts.json").read_bytes())[
        "posts"
    ]
    return posts


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def search_posts(views: list[dict[str, Any]]) -> Handler:
    """searchPosts with sort=latest: since inclusive, until exclusive, an offset cursor."""

    def answer(request: RecordedRequest) -> tuple[int, dict[str, str], bytes]:
        query = request.query
        since, until = _moment(query["since"]), _moment(query["until"])
        chosen = [v for v in views if since <= _moment(v["indexedAt"]) < until]
        start, limit = int(query.get("cursor", "0")), int(query.get("limit", "25"))
        body: dict[str, Any] = {"posts": chosen[start : start + limit]}
        if start + limit < len(chosen):
            body["cursor"] = str(start + limit)
        headers = {"Content-Type": "application/json", "RateLimit-Remaining": "2999"}
        headers["RateLimit-Reset"] = str(int(datetime.now(UTC).timestamp()) + 300)
        return 200, headers, json.dumps(body).encode()

    return answer


def _serve_bluesky(world: World) -> Settings:
    server = world.server
    server.handle(SEARCH_POSTS, search_posts(bluesky_views()))
    return {
        "query": "test",
        "since": "2023-01-01T00:00:00Z",
        "limit": 1,
        "appview_url": server.url(""),
    }


# --- bluesky-firehose: Jetstream events in the documented shape from a local websocket ---

JETSTREAM_EVENTS = FIXTURES / "bluesky/jetstream_events.jsonl"


def jetstream_events() -> list[dict[str, Any]]:
    lines = JETSTREAM_EVENTS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _serve_firehose(world: World) -> Settings:
    """Start the local Jetstream once; serving again restores its recorded events."""
    if "jetstream" not in world.extras:
        world.extras["jetstream"] = world.stack.enter_context(JetstreamServer([]))
    jetstream: JetstreamServer = world.extras["jetstream"]
    jetstream.frames = list(jetstream_events())
    return {
        "url": jetstream.url,
        "start": "2026-11-22T00:00:00Z",
        "only_matching": False,  # the contract is about paging; matching has its own tests
        "batch_size": 3,
        "batch_seconds": 0.2,
        "listen_seconds": 0.6,
    }


def _garble_firehose(world: World) -> int:
    jetstream: JetstreamServer = world.extras["jetstream"]
    jetstream.frames.insert(4, '{"did": "did:plc:cut-off", "time_us": ')
    return 2


def _nothing_to_serve(world: World) -> Settings:
    return {"token": {"$env": "HORCHPOSTEN_WEBHOOK_TOKEN"}}


def _nothing_to_garble(world: World) -> int:
    raise AssertionError("a pushed source has no page to break")


CASES = {
    case.kind: case
    for case in (
        Case("feeds", _serve_feeds, FIXTURES / "feeds/feedjira/TechCrunch.xml", 2, _garble_feeds),
        Case(
            "files",
            _serve_files,
            FIXTURES / "files/posts.jsonl",
            2,
            _garble_files,
            no_http="it reads a local file",
            bad_items_are_problems=True,
        ),
        Case(
            "mastodon",
            _serve_mastodon,
            FIXTURES / "mastodon/public_timeline.json",
            3,
            _garble_second_answer(MASTODON_TIMELINE),
        ),
        Case(
            "reddit",
            _serve_reddit,
            FIXTURES / "reddit/askreddit_comments.json",
            4,
            _garble_second_answer(REDDIT_NEW),
        ),
        Case(
            "youtube",
            _serve_youtube,
            FIXTURES / "youtube/comment_threads_by_video_paged_1.json",
            5,
            _garble_second_answer(f"{YOUTUBE}/search"),
        ),
        Case(
            "bluesky",
            _serve_bluesky,
            FIXTURES / "bluesky/search_posts.json",
            3,
            _garble_second_answer(SEARCH_POSTS),
        ),
        Case(
            "bluesky-firehose",
            _serve_firehose,
            JETSTREAM_EVENTS,
            3,
            _garble_firehose,
            no_http="it reads a websocket; test_source_bluesky.py drops its connection",
        ),
        Case(
            "webhook",
            _nothing_to_serve,
            FIXTURES / "webhook/batch.json",
            0,
            _nothing_to_garble,
            pushed="posts are pushed to it; test_source_webhook.py covers validation and storage",
        ),
        Case(
            "hackernews",
            _serve_hackernews,
            FIXTURES / "hackernews/search_by_date.json",
            3,
            _garble_second_answer(HN_PATH),
        ),
    )
}
