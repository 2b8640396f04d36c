"""The feeds source and the shared HTTP helper, against recorded feeds on a real local server."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from horchposten.errors import SourceError
from horchposten.models import Post
from horchposten.sources import feeds
from horchposten.sources.base import Cursor, Page
from horchposten.sources.feed_mapping import html_to_text, parse_feed, to_post
from horchposten.sources.feeds import FeedSettings, FeedsSource
from horchposten.sources.http import RetryPolicy, get, retry_after_seconds
from localserver import LocalServer

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
FAST = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.05)

TECHCRUNCH = "http://feeds.feedburner.com/Techcrunch"
GMAIL_ARTICLE = "http://techcrunch.com/?p=446106"
GMAIL_COMMENTS = (
    "http://techcrunch.com/2011/11/02/"
    "google-launches-native-gmail-app-for-iphone-ipad-and-ipod-touch/feed/"
)
SAMRUBY = "http://intertwingly.net/blog/index.atom"
PLEX = "tag:intertwingly.net,2004:3308"
PLEX_REPLIES = "http://intertwingly.net/blog/3308.atom"
PAULDIX = "http://feeds.feedburner.com/PaulDixExplainsNothing"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml"


def serve(server: LocalServer, url: str, fixture: str, content_type: str, **options: Any) -> None:
    server.add(url, (FEEDS / fixture).read_bytes(), content_type=content_type, **options)


def fetch(
    server: LocalServer, url: str, cursor: Cursor | None = None, **settings: Any
) -> list[Page]:
    async def pages() -> list[Page]:
        async with server.client() as client:
            source = FeedsSource("blog", FeedSettings(url=url, **settings), client, policy=FAST)
            return [page async for page in source.fetch(cursor or {})]

    return asyncio.run(pages())


def posts(page: Page) -> list[Post]:
    return [to_post(raw) for raw in page.items]


def test_wordpress_rss_entries_become_posts(local_server: LocalServer) -> None:
    serve(local_server, TECHCRUNCH, "feedjira/TechCrunch.xml", RSS)

    [page] = fetch(local_server, TECHCRUNCH, comments=False)

    assert page.problems == []  # the blank line before <?xml is forgiven
    found = posts(page)
    assert len(found) == 20
    gmail = found[1]
    assert gmail.key == f"feeds:{GMAIL_ARTICLE}"
    assert gmail.title == (
        "Google Launches Native Gmail App For iPhone, iPad and iPod Touch, Faces Instant Backlash"
    )
    assert gmail.created_at == datetime(2011, 11, 2, 16, 46, 31, tzinfo=UTC)
    assert gmail.url == (
        "http://techcrunch.com/2011/11/02/"
        "google-launches-native-gmail-app-for-iphone-ipad-and-ipod-touch/"
    )
    assert gmail.lang == "en"
    assert (gmail.author.handle, gmail.author.name, gmail.author.followers) == (
        "Sarah Perez",
        "Sarah Perez",
        None,
    )
    assert gmail.text is not None
    assert gmail.text.startswith("Google is launching a new native Gmail application")
    assert "<" not in gmail.text
    assert (gmail.parent_id, gmail.root_id) == (None, None)
    # slash:comments says 0, which is a count; the likes nobody reports stay None.
    assert gmail.metrics.replies == 0
    assert gmail.metrics.likes is None


def test_atom_entries_resolve_links_inherit_the_feed_author_and_count_replies(
    local_server: LocalServer,
) -> None:
    serve(local_server, SAMRUBY, "feedjira/SamRuby.xml", ATOM)

    [page] = fetch(local_server, SAMRUBY, comments=False)

    plex = posts(page)[0]
    assert plex.id == PLEX
    assert plex.title == "Plex"
    assert plex.created_at == datetime(2013, 1, 30, 18, 12, 3, tzinfo=UTC)  # only <updated>
    assert plex.url == "http://intertwingly.net/blog/2013/01/30/Plex"
    assert plex.author.handle == "Sam Ruby"
    assert plex.author.url == "http://intertwingly.net/blog/"
    assert plex.lang is None
    assert plex.metrics.replies == 2  # thr:count on the replies link
    assert plex.text is not None
    assert plex.text.startswith(
        "Scott Hanselman: Plex is the media center software ecosystem I\u2019ve been waiting for"
        "\n\nUnhappy with Time Warner Cable,"
    )
    assert "radialGradient" not in plex.text and "plex1" not in plex.text  # inline SVG


def test_json_feed_items_become_posts(local_server: LocalServer) -> None:
    url = "http://inessential.com/feed.json"
    serve(local_server, url, "feedjira/json_feed.json", "application/feed+json")

    [page] = fetch(local_server, url)

    found = posts(page)
    assert len(found) == 20
    first = found[0]
    assert first.id == "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi"
    assert first.url == first.id
    assert first.title == "James Dempsey and the Breakpoints Benefit App Camp for Girls"
    assert first.created_at == datetime(2017, 6, 3, 5, 5, 47, tzinfo=UTC)
    assert first.lang == "en"  # the feed's en-US
    assert (first.author.handle, first.author.url) == ("Brent Simmons", "http://inessential.com/")
    assert first.text == (
        "On Wednesday night I know where I\u2019ll be — playing keyboard for a few songs at the "
        "James Dempsey and the Breakpoints concert benefitting App Camp for Girls.\n\n"
        "You should get tickets. It\u2019s a fun time for a great cause.\n\n"
        "Bonus: James writes about how this concert is full circle for him. "
        "It\u2019s a special night."
    )


def test_youtube_atom_reports_views_but_no_likes(local_server: LocalServer) -> None:
    url = "http://www.youtube.com/feeds/videos.xml?user=google"
    serve(local_server, url, "feedjira/youtube_atom.xml", ATOM)

    [page] = fetch(local_server, url)

    video = posts(page)[0]
    assert video.id == "yt:video:5shykyfmb28"
    assert video.url == "http://www.youtube.com/watch?v=5shykyfmb28"
    assert video.created_at == datetime(2015, 5, 4, 0, 1, 27, tzinfo=UTC)
    assert video.author.name == "Google"
    assert video.text is not None and video.text.startswith("A question is the most powerful")
    assert video.metrics.views == 251497
    # starRating's count mixes likes and dislikes, so it is not reported as likes.
    assert video.metrics.likes is None


def test_rss_with_dc_creator_and_content_encoded(local_server: LocalServer) -> None:
    url = "https://medium.com/feed/invironment/tagged/food"
    local_server.add(
        "/medium.rss",
        (FEEDS / "rss-parser/content-encoded.rss").read_bytes(),
        content_type="text/xml; charset=UTF-8",
    )

    [page] = fetch(local_server, local_server.url("/medium.rss"))

    forager = posts(page)[0]
    assert forager.id == "https://medium.com/p/125af37d838f"
    assert forager.url is not None and forager.url.startswith(
        "https://medium.com/invironment/the-creative-forager-125af37d838f"
    )
    assert forager.author.handle == "Jeremy Puma"
    assert forager.created_at == datetime(2018, 4, 9, 18, 55, 38, tzinfo=UTC)
    assert forager.text is not None
    assert forager.text.startswith(
        "Using Wild Ingredients in the Kitchen\n\nHEY, YOU! YES, YOU WITH THE EYEBALLS!"
    )
    assert url not in forager.text


def test_wordpress_comment_feeds_become_replies_to_their_article(
    local_server: LocalServer,
) -> None:
    serve(local_server, TECHCRUNCH, "feedjira/TechCrunch.xml", RSS)
    serve(local_server, GMAIL_COMMENTS, "handmade/techcrunch-gmail-comments.rss", RSS)

    article, missing, comments = fetch(local_server, TECHCRUNCH, max_comment_feeds=2)

    assert len(article.items) == 20
    # The first entry's comment feed is not served: a problem, never a crash.
    assert missing.items == []
    [problem] = missing.problems
    first_feed = (
        "http://techcrunch.com/2011/11/02/"
        "angies-list-prices-ipo-at-11-to-13-per-share-valued-at-over-600m/feed/"
    )
    assert problem.where == first_feed
    assert problem.message == (
        f"404 Not Found from {first_feed}: nothing exists at this address; check the URL. "
        "The comments of this entry were skipped; the article was kept."
    )
    replies = posts(comments)
    assert [reply.id for reply in replies] == [
        f"{GMAIL_ARTICLE}#comment-4471021",
        f"{GMAIL_ARTICLE}#comment-4471187",
        f"{GMAIL_ARTICLE}#comment-4471342",
    ]
    assert {(reply.parent_id, reply.root_id) for reply in replies} == {
        (GMAIL_ARTICLE, GMAIL_ARTICLE)
    }
    assert {reply.engagement_type for reply in replies} == {"comment"}
    assert {post.engagement_type for post in posts(article)} == {None}
    jana = replies[0]
    assert jana.author.handle == "Jana Krüger"
    assert jana.created_at == datetime(2011, 11, 2, 17, 3, 12, tzinfo=UTC)
    assert jana.text == (
        "Endlich! Ich habe ewig auf eine native Gmail-App gewartet.\n\n"
        "Die Web-App war auf dem iPad immer etwas träge."
    )
    assert jana.lang is None  # a comment feed names no language; the article's is no guess
    assert replies[2].text == (
        "@Tobias: Gleiches Problem hier.\nIch bleibe vorerst bei Sparrow & warte auf Version 1.0.1."
    )
    assert comments.cursor["comment_feeds"][GMAIL_COMMENTS]["parent_id"] == GMAIL_ARTICLE


def test_atom_replies_feed_threads_with_in_reply_to(local_server: LocalServer) -> None:
    serve(local_server, SAMRUBY, "feedjira/SamRuby.xml", ATOM)
    serve(local_server, PLEX_REPLIES, "handmade/samruby-3308-replies.atom", ATOM)

    _, comments = fetch(local_server, SAMRUBY, max_comment_feeds=1)

    first, answer = posts(comments)
    assert (first.id, first.parent_id, first.root_id) == (f"{PLEX}-c1359578465", PLEX, PLEX)
    assert (answer.parent_id, answer.root_id) == (first.id, PLEX)
    # An answer to a comment is still a comment under the article.
    assert (first.engagement_type, answer.engagement_type) == ("comment", "comment")
    assert (first.lang, answer.lang) == ("de", "en")
    assert first.url == "http://intertwingly.net/blog/2013/01/30/Plex#c1359578465"
    assert (answer.author.handle, answer.author.name) == ("lena.fischer", None)
    assert answer.text == "Does transcoding keep up with 1080p on that box?"


def test_replies_links_typed_as_web_pages_are_not_followed(local_server: LocalServer) -> None:
    serve(local_server, PAULDIX, "feedjira/PaulDixExplainsNothingWFW.xml", ATOM)

    fetch(local_server, PAULDIX)

    # Five rel="replies" links say type="text/html"; only the wfw:commentRss is a feed.
    assert [request.path for request in local_server.requests] == [
        PAULDIX,
        "http://feeds.feedburner.com/this%20is%20the%20new%20val",
    ]


def test_malformed_feed_keeps_its_entries_and_reports_where(local_server: LocalServer) -> None:
    serve(local_server, PAULDIX, "feedjira/PaulDixExplainsNothingWFW.xml", ATOM)

    [page] = fetch(local_server, PAULDIX, comments=False)

    assert [post.title for post in posts(page)] == [
        "Making a Ruby C library even faster",
        "SAX Machine - SAX Parsing made easy",
        "Professional Goals for 2009",
        "Marshal data too short error with ActiveRecord",
        "Serializing data speed comparison: Marshal vs. JSON vs. Eval vs. YAML",
    ]
    [problem] = page.problems
    assert problem.where == f"{PAULDIX}, line 45, column 1"
    assert problem.message == (
        "The feed is not well-formed XML (unbound prefix); feedparser read it leniently "
        "and kept 5 entries. Ask the publisher to fix the feed."
    )
    assert posts(page)[0].metrics.replies == 1
    assert posts(page)[0].lang == "en"  # xml:lang="en-US" on the content


def test_invalid_json_feed_names_line_and_column(local_server: LocalServer) -> None:
    cut = (FEEDS / "feedjira/json_feed.json").read_bytes()[:1000]
    local_server.add("/feed.json", cut, content_type="application/feed+json")

    with pytest.raises(SourceError) as raised:
        fetch(local_server, local_server.url("/feed.json"))

    assert str(raised.value) == (
        f"{local_server.url('/feed.json')} is not valid JSON at line 20, column 16 "
        "(Unterminated string starting at). Ask the publisher to fix the feed; "
        "nothing from it was kept."
    )


def test_items_that_cannot_become_posts_are_problems() -> None:
    document = json.loads((FEEDS / "feedjira/json_feed.json").read_bytes())
    document["items"][0] = {"id": "empty"}
    document["items"][1] = "not an item"

    parsed = parse_feed(json.dumps(document).encode(), "http://x.test/f.json", datetime.now(UTC))

    assert len(parsed.items) == 18
    assert [(p.where, p.message) for p in parsed.problems] == [
        (
            "http://x.test/f.json, entry 1",
            "The entry cannot become a post: a post needs 'text' or 'title'; both are empty. "
            "It was skipped.",
        ),
        ("http://x.test/f.json, entry 2", "The item is not an object."),
    ]


def test_conditional_get_sends_saved_validators_and_304_brings_nothing(
    local_server: LocalServer,
) -> None:
    modified = {"Last-Modified": "Sun, 24 Feb 2013 02:33:07 GMT"}
    serve(local_server, SAMRUBY, "feedjira/SamRuby.xml", ATOM, headers=modified)
    serve(local_server, PLEX_REPLIES, "handmade/samruby-3308-replies.atom", ATOM)
    cursor = fetch(local_server, SAMRUBY, max_comment_feeds=1)[-1].cursor
    first_request = local_server.requests_to(SAMRUBY)[0]
    assert json.loads(json.dumps(cursor)) == cursor
    assert cursor["last_modified"] == "Sun, 24 Feb 2013 02:33:07 GMT"
    assert set(cursor["comment_feeds"]) == {PLEX_REPLIES}

    [again] = fetch(local_server, SAMRUBY, cursor, max_comment_feeds=1)

    assert first_request.headers.get("if-none-match") is None
    feed_request = local_server.requests_to(SAMRUBY)[-1]
    assert feed_request.headers["if-none-match"] == cursor["etag"]
    assert feed_request.headers["if-modified-since"] == "Sun, 24 Feb 2013 02:33:07 GMT"
    replies_request = local_server.requests_to(PLEX_REPLIES)[-1]
    assert replies_request.headers["if-none-match"] == cursor["comment_feeds"][PLEX_REPLIES]["etag"]
    # The feed answered 304: one empty page, cursor unchanged; the quiet comment feed is silent.
    assert (again.items, again.problems, again.cursor) == ([], [], cursor)


def test_comment_feeds_in_the_cursor_are_polled_while_the_feed_is_unchanged(
    local_server: LocalServer,
) -> None:
    serve(local_server, SAMRUBY, "feedjira/SamRuby.xml", ATOM)
    cursor = fetch(local_server, SAMRUBY, max_comment_feeds=1)[-1].cursor
    serve(local_server, PLEX_REPLIES, "handmade/samruby-3308-replies.atom", ATOM)

    unchanged, comments = fetch(local_server, SAMRUBY, cursor, max_comment_feeds=1)

    assert unchanged.items == []
    assert [post.parent_id for post in posts(comments)] == [PLEX, f"{PLEX}-c1359578465"]


def test_local_feed_file_uses_its_modification_time(
    local_server: LocalServer, tmp_path: Path
) -> None:
    shutil.copy(FEEDS / "feedjira/SamRuby.xml", tmp_path / "index.atom")
    shutil.copy(FEEDS / "handmade/samruby-3308-replies.atom", tmp_path / "3308.atom")
    os.utime(tmp_path / "index.atom", (1_700_000_000, 1_700_000_000))
    server = local_server

    article, comments = fetch(server, (tmp_path / "index.atom").as_uri(), max_comment_feeds=1)

    assert to_post(article.items[0]).id == PLEX
    assert article.cursor["etag"] is None
    assert article.cursor["last_modified"] == "2023-11-14T22:13:20+00:00"
    assert [post.root_id for post in posts(comments)] == [PLEX, PLEX]
    assert fetch(server, str(tmp_path / "index.atom"), comments.cursor, comments=False) == [
        Page([], comments.cursor)
    ]
    os.utime(tmp_path / "index.atom", (1_700_000_060, 1_700_000_060))
    [changed] = fetch(server, str(tmp_path / "index.atom"), comments.cursor, comments=False)
    assert len(changed.items) == 20
    assert server.requests == []  # the relative comment link resolved to the file next to it


def test_to_post_is_pure_and_raw_items_are_plain_json(local_server: LocalServer) -> None:
    fixtures = [
        ("feedjira/TechCrunch.xml", TECHCRUNCH),
        ("feedjira/SamRuby.xml", SAMRUBY),
        ("feedjira/PaulDixExplainsNothingWFW.xml", PAULDIX),
        ("feedjira/json_feed.json", "http://inessential.com/feed.json"),
        ("feedjira/youtube_atom.xml", "http://www.youtube.com/feeds/videos.xml?user=google"),
        ("rss-parser/content-encoded.rss", "https://medium.com/feed/invironment/tagged/food"),
        ("handmade/techcrunch-gmail-comments.rss", GMAIL_COMMENTS),
    ]
    fetched_at = datetime(2026, 1, 1, tzinfo=UTC)
    for fixture, url in fixtures:
        for raw in parse_feed((FEEDS / fixture).read_bytes(), url, fetched_at).items:
            copy = json.loads(json.dumps(raw))
            assert to_post(raw) == to_post(raw) == to_post(copy)
            assert copy == raw


def test_factory_is_registered_and_parses_saved_payloads() -> None:
    [factory] = feeds.register_sources()
    assert factory.kind == "feeds"
    assert factory.settings_model is FeedSettings

    page = factory.parse_payload((FEEDS / "feedjira/SamRuby.xml").read_bytes(), SAMRUBY)

    assert page.cursor == {}
    assert factory.to_post(page.items[0]).url == "http://intertwingly.net/blog/2013/01/30/Plex"


def test_settings_are_checked() -> None:
    assert FeedSettings(url="demo/feed.xml").max_comment_feeds == 20
    for bad in (
        {"url": "ftp://example.org/feed.xml"},
        {"url": "https://example.org/feed", "max_comment_feeds": -1},
        {"url": "https://example.org/feed", "interval": 5},
    ):
        with pytest.raises(ValidationError):
            FeedSettings.model_validate(bad)


def test_html_to_text_keeps_paragraphs_and_drops_code() -> None:
    html = (
        "<h2>Title</h2><p>One <b>bold</b>\nline<br/>next &amp; last</p>"
        "<script>alert(1)</script><ul><li>a</li><li>b</li></ul>"
    )
    assert html_to_text(html) == "Title\n\nOne bold line\nnext & last\n\na\nb"


def get_once(
    server: LocalServer, path: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    async def request() -> httpx.Response:
        async with server.client() as client:
            return await get(client, server.url(path), headers, policy=FAST)

    return asyncio.run(request())


def test_get_retries_503_and_honours_retry_after(
    local_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    local_server.add("/feed.xml", "<rss/>", content_type="application/rss+xml")
    local_server.fail_next(2, status=503, retry_after="1")

    with caplog.at_level(logging.WARNING, logger="horchposten.sources.http"):
        response = get_once(local_server, "/feed.xml")

    assert response.status_code == 200
    assert len(local_server.requests_to("/feed.xml")) == 3
    # Retry-After: 1 is honoured, capped at the policy's 0.05 s; back-off alone waits ~0.001 s.
    assert [record.getMessage() for record in caplog.records] == [
        f"503 Service Unavailable from {local_server.url('/feed.xml')}; "
        f"retrying in 0.05 s (attempt {attempt} of 3)"
        for attempt in (2, 3)
    ]


def test_get_retries_429(local_server: LocalServer) -> None:
    local_server.add("/feed.xml", "<rss/>")
    local_server.fail_next(1, status=429)

    assert get_once(local_server, "/feed.xml").status_code == 200
    assert len(local_server.requests) == 2


def test_get_gives_up_with_a_clear_error(local_server: LocalServer) -> None:
    local_server.fail_next(3, status=503)

    with pytest.raises(SourceError) as raised:
        get_once(local_server, "/feed.xml")

    assert str(raised.value) == (
        f"Gave up on {local_server.url('/feed.xml')} after 3 attempts; the last one ended with "
        "503 Service Unavailable: the server is failing or overloaded; try again later."
    )


def test_get_does_not_retry_404(local_server: LocalServer) -> None:
    with pytest.raises(SourceError) as raised:
        get_once(local_server, "/gone.xml")

    assert str(raised.value) == (
        f"404 Not Found from {local_server.url('/gone.xml')}: "
        "nothing exists at this address; check the URL."
    )
    assert len(local_server.requests) == 1


def test_get_returns_304_to_the_caller(local_server: LocalServer) -> None:
    local_server.add("/feed.xml", "<rss/>", headers={"ETag": '"v1"'})

    assert get_once(local_server, "/feed.xml", {"If-None-Match": '"v1"'}).status_code == 304


def test_get_retries_refused_connections_then_gives_up() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/feed.xml"

    async def request() -> httpx.Response:
        async with httpx.AsyncClient(trust_env=False) as client:
            return await get(client, url, policy=FAST)

    with pytest.raises(SourceError, match=r"^Gave up on .* after 3 attempts; .*ConnectError"):
        asyncio.run(request())


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Sun, 01 Mar 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_credentials_in_urls_never_reach_messages(local_server: LocalServer) -> None:
    url = local_server.url("/missing?part=snippet&key=AIzaSECRET&access_token=tok123")

    async def attempt() -> None:
        async with httpx.AsyncClient() as client:
            await get(client, url, policy=FAST)

    with pytest.raises(SourceError) as caught:
        asyncio.run(attempt())
    message = str(caught.value)
    assert "AIzaSECRET" not in message and "tok123" not in message
    assert "part=snippet&key=***&access_token=***" in message
