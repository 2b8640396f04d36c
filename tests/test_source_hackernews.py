"""The ``hackernews`` source on recorded Algolia answers (tests/fixtures/hackernews)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance_cases import HN_PATH, algolia, hn_hits
from conftest import FIXTURES, Cli
from horchposten.sources.hackernews import to_post
from localserver import LocalServer


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Cli:
    run = Cli(tmp_path / "horchposten.toml")
    assert run("init", "--database-url", f"sqlite:///{tmp_path / 'h.db'}").exit_code == 0
    return run


def hit(object_id: str) -> dict[str, object]:
    return next(h for h in hn_hits() if h["objectID"] == object_id)


def test_a_comment_keeps_its_story_and_parent_and_loses_the_html() -> None:
    post = to_post(hit("7919431"))
    assert post.key == "hackernews:7919431"
    assert (post.parent_id, post.root_id, post.engagement_type) == ("7919207", "7919207", "comment")
    assert post.title is None
    assert post.text is not None and "What's fascinating about this topic" in post.text
    assert "<p>" not in post.text and "&#x27;" not in post.text
    assert post.author.handle == "gohrt"
    assert post.author.url == "https://news.ycombinator.com/user?id=gohrt"
    assert post.url == "https://news.ycombinator.com/item?id=7919431"
    assert (post.metrics.likes, post.metrics.replies) == (1, None)  # comments have no count
    assert post.created_at.isoformat() == "2014-06-20T03:39:55+00:00"


def test_a_story_has_its_title_points_and_comment_count() -> None:
    stories = [to_post(h) for h in hn_hits() if "story" in h["_tags"]]
    jobs = next(p for p in stories if p.title == "Steve Jobs has passed away.")
    assert (jobs.metrics.likes, jobs.metrics.replies) == (4271, 376)
    assert jobs.parent_id is None and jobs.engagement_type is None
    assert jobs.text is None  # a link story has no text of its own


def test_source_parse_maps_a_saved_search_answer(sqlite_workspace: Cli) -> None:
    result = sqlite_workspace(
        "source", "parse", "hackernews", str(FIXTURES / "hackernews/search_by_date.json")
    )
    assert result.exit_code == 0, result.output
    (post,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert post["id"] == "7919418" and post["source"] == "hackernews"


def test_source_parse_says_what_is_wrong_with_a_broken_file(
    sqlite_workspace: Cli, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"hits": [', encoding="utf-8")
    result = sqlite_workspace("source", "parse", "hackernews", str(broken))
    assert result.exit_code == 1
    assert "is not JSON (line 1, column 11" in result.output


def test_run_stores_every_hit_once_and_source_test_reports_reachability(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.handle(HN_PATH, algolia(hn_hits()))
    api = local_server.url("/api/v1")
    sqlite_workspace(
        "source", "add", "hackernews", "hn", "--set", f"api_url={api}",
        "--set", "since=2006-01-01T00:00:00Z", "--set", "hits_per_page=5",
    )  # fmt: skip
    tested = sqlite_workspace("source", "test", "hn")
    assert tested.exit_code == 0, tested.output
    assert "hackernews source 'hn': reached it; the next page has 5 items, 5 of them posts." in (
        tested.output
    )
    assert sqlite_workspace("run").exit_code == 0
    assert sqlite_workspace("run").exit_code == 0
    exported = sqlite_workspace("export").stdout.splitlines()
    assert len(exported) == len(hn_hits()) == 18


def test_source_test_names_the_refusal(sqlite_workspace: Cli, local_server: LocalServer) -> None:
    api = local_server.url("/nothing-here")
    sqlite_workspace("source", "add", "hackernews", "hn", "--set", f"api_url={api}")
    tested = sqlite_workspace("source", "test", "hn")
    assert tested.exit_code == 1
    assert "404 Not Found from Hacker News (Algolia)" in tested.output
