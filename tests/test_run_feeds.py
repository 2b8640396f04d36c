"""``horchposten run`` end to end: real recorded feeds from a local HTTP server into both databases.

The CLI's HTTP client honours the standard proxy variables, so HTTP_PROXY points
it at the local server, which answers for the recorded feeds' own addresses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from conftest import FIXTURES, Cli
from localserver import LocalServer

FEEDS = FIXTURES / "feeds"
TECHCRUNCH = "http://feeds.feedburner.com/Techcrunch"
GMAIL_ARTICLE = "http://techcrunch.com/?p=446106"
GMAIL_COMMENTS = (
    "http://techcrunch.com/2011/11/02/"
    "google-launches-native-gmail-app-for-iphone-ipad-and-ipod-touch/feed/"
)
PAULDIX = "http://feeds.feedburner.com/PaulDixExplainsNothing"
RSS = "application/rss+xml; charset=UTF-8"


@pytest.fixture
def served(local_server: LocalServer) -> LocalServer:
    local_server.add(TECHCRUNCH, (FEEDS / "feedjira/TechCrunch.xml").read_bytes(), content_type=RSS)
    local_server.add(
        GMAIL_COMMENTS,
        (FEEDS / "handmade/techcrunch-gmail-comments.rss").read_bytes(),
        content_type=RSS,
    )
    local_server.add(
        PAULDIX,
        (FEEDS / "feedjira/PaulDixExplainsNothingWFW.xml").read_bytes(),
        content_type="application/atom+xml",
    )
    return local_server


def run(workspace: Cli, server: LocalServer) -> Result:
    result = workspace.runner.invoke(
        workspace.command,
        ["--config", str(workspace.config), "run"],
        env={"HTTP_PROXY": server.base, "NO_PROXY": "", "COLUMNS": "250"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result


def row(output: str, name: str) -> list[str]:
    line = next(line for line in output.splitlines() if f" {name} " in line)
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_feed_articles_and_comments_are_stored_as_threads(
    workspace: Cli, served: LocalServer
) -> None:
    workspace(
        "source", "add", "feeds", "techcrunch", "--url", TECHCRUNCH, "--set", "max_comment_feeds=2"
    )
    workspace("topic", "add", "Gmail", "--query", "gmail")
    first = run(workspace, served)
    # 20 articles, 3 comments from the one comment feed that exists; the other is a 404.
    assert row(first.output, "techcrunch")[:3] == ["techcrunch", "23", "23"]
    assert "404 Not Found" in first.output
    posts = {p["id"]: p for p in map(json.loads, workspace("export").stdout.splitlines())}
    comments = [p for p in posts.values() if p["parent_id"] == GMAIL_ARTICLE]
    assert len(comments) == 3
    assert {c["source"] for c in comments} == {"feeds"}
    assert posts[GMAIL_ARTICLE]["metrics"]["replies"] is not None
    gmail = [
        json.loads(x)["id"] for x in workspace("export", "--topic", "Gmail").stdout.splitlines()
    ]
    assert GMAIL_ARTICLE in gmail
    assert any(i.startswith(GMAIL_ARTICLE + "#comment") for i in gmail)

    # Unchanged feeds answer 304 to the saved validators: nothing new, nothing twice.
    second = run(workspace, served)
    assert row(second.output, "techcrunch")[1:4] == ["0", "0", "0"]
    validators = served.requests_to(TECHCRUNCH)[-1].headers
    assert "If-None-Match" in validators or "if-none-match" in validators
    assert len(workspace("export").stdout.splitlines()) == 23


def test_a_malformed_feed_is_read_leniently_and_reported(
    workspace: Cli, served: LocalServer
) -> None:
    workspace("source", "add", "feeds", "pauldix", "--url", PAULDIX, "--set", "comments=false")
    result = run(workspace, served)
    assert row(result.output, "pauldix")[:3] == ["pauldix", "5", "5"]
    assert "not well-formed XML" in result.output
    listing = workspace("source", "list").output
    cells = row(listing, "pauldix")
    assert cells[3] == "ok"
    assert cells[5].startswith(f"{PAULDIX}, line 45, column 1: The feed is not")


def test_an_unreachable_feed_fails_cleanly(workspace: Cli, served: LocalServer) -> None:
    workspace("source", "add", "feeds", "gone", "--url", "http://feeds.example/missing.xml")
    result = run(workspace, served)
    assert "404 Not Found from http://feeds.example/missing.xml" in result.output
    assert "Traceback" not in result.output


def test_source_settings_are_checked_when_added(workspace: Cli, tmp_path: Path) -> None:
    bad = workspace(
        "source",
        "add",
        "feeds",
        "x",
        "--url",
        "http://a.example/f",
        "--set",
        "max_comment_feeds=-1",
    )
    assert bad.exit_code == 1
    assert "max_comment_feeds" in bad.output and "-1" in bad.output
    unknown = workspace(
        "source", "add", "feeds", "y", "--url", "http://a.example/f", "--set", "colour=blue"
    )
    assert unknown.exit_code == 1
    assert "'colour'" in unknown.output and "there is no such setting" in unknown.output
    kind = workspace("source", "add", "myspace", "z")
    assert kind.exit_code == 1
    assert (
        "There is no source kind 'myspace'. Known kinds: bluesky, bluesky-firehose," in kind.output
    )
