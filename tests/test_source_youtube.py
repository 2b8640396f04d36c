"""The ``youtube`` source on Data API v3 bodies recorded by python-youtube."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance_cases import (
    YOUTUBE,
    YT_THREAD_WITH_REPLIES,
    YT_VIDEO,
    youtube_api,
    youtube_replies,
    youtube_threads,
)
from conftest import FIXTURES, Cli
from horchposten.sources.youtube_mapping import to_post
from localserver import LocalServer

TUBE = FIXTURES / "youtube"


def recorded(name: str) -> Any:
    return json.loads((TUBE / f"{name}.json").read_bytes())


@pytest.fixture
def sqlite_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("HORCHPOSTEN_YOUTUBE_API_KEY", "AIza-test-key")
    run = Cli(tmp_path / "horchposten.toml")
    assert run("init", "--database-url", f"sqlite:///{tmp_path / 'y.db'}").exit_code == 0
    return run


@pytest.fixture
def api(local_server: LocalServer) -> LocalServer:
    for path, handler in youtube_api().items():
        local_server.handle(path, handler)
    return local_server


def cells(table: str) -> str:
    """A rendered table's text with borders and wrapping gone (wrapped cells are last here)."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", table).split())


def add(workspace: Cli, server: LocalServer, *extra: str) -> None:
    result = workspace(
        "source", "add", "youtube", "surf", "--set", "query=surfing",
        "--set", f"videos=[\"{YT_VIDEO}\"]", "--set", "since=2017-01-01T00:00:00Z",
        "--set", "track_videos=2", "--set", "max_search_pages=2",
        "--set", f"api_url={server.url(YOUTUBE)}", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_a_video_and_a_comment_thread_map_with_their_links() -> None:
    video = to_post(recorded("search_by_keywords_p1")["items"][0])
    assert video.key == "youtube:gQ_1zX-F_No"
    assert video.title == "SURFING HAWAII\u2019S BEST WAVE WITH MY GIRLFRIEND (PIPELINE)"
    assert video.url == "https://www.youtube.com/watch?v=gQ_1zX-F_No"
    assert video.metrics.views is None  # search results carry no statistics
    thread = recorded("comment_threads_by_video_paged_1")["items"][4]
    comment = to_post(thread)
    assert comment.key == "youtube:UgwI_ylXVnzPS8Q-oAV4AaABAg"
    assert (comment.parent_id, comment.root_id) == (YT_VIDEO, YT_VIDEO)
    assert (comment.engagement_type, comment.metrics.replies) == ("comment", 2)
    assert comment.url == f"https://www.youtube.com/watch?v={YT_VIDEO}&lc={thread['id']}"


def test_a_video_resource_without_statistics_has_no_counts() -> None:
    post = to_post(recorded("videos_info_single")["items"][0])
    assert post.key == "youtube:D-lhorsDlUQ"
    assert post.metrics.model_dump() == {
        "likes": None,
        "reposts": None,
        "replies": None,
        "views": None,
    }
    with_statistics = {
        **recorded("videos_info_single")["items"][0],
        "statistics": {"viewCount": "12"},
    }
    assert to_post(with_statistics).metrics.views == 12  # the API sends counts as strings


def test_run_stores_videos_threads_and_replies_and_counts_the_quota(
    sqlite_workspace: Cli, api: LocalServer
) -> None:
    add(sqlite_workspace, api)
    assert sqlite_workspace("run").exit_code == 0
    posts = {p["id"]: p for p in map(json.loads, sqlite_workspace("export").stdout.splitlines())}
    replies = [p for p in posts.values() if p["parent_id"] == YT_THREAD_WITH_REPLIES]
    assert len(replies) == 2 and all(p["root_id"] == YT_VIDEO for p in replies)
    assert sum(1 for p in posts.values() if p["parent_id"] == YT_VIDEO) == 5
    calls = [r.path.split("?")[0].rsplit("/", 1)[1] for r in api.requests]
    expected = 100 * calls.count("search") + calls.count("commentThreads") + calls.count("comments")
    listed = sqlite_workspace("source", "list").output
    assert f"quota {expected:,}/9,000" in listed
    assert all("key=AIza-test-key" in r.path for r in api.requests)


def test_the_pass_stops_cleanly_before_the_daily_quota(
    sqlite_workspace: Cli, api: LocalServer
) -> None:
    add(sqlite_workspace, api, "--set", "daily_quota=250", "--set", "quota_reserve=50")
    result = sqlite_workspace("run")
    assert result.exit_code == 0
    assert "Stopped before commentThreads to stay within the daily quota: 200 of 200" in cells(
        result.output
    )
    assert [r.path.split("?")[0] for r in api.requests] == [f"{YOUTUBE}/search"] * 2
    # Two pages of 10 videos; publishedBefore is inclusive, so the second repeats one.
    assert len(sqlite_workspace("export").stdout.splitlines()) == 19
    listed = sqlite_workspace("source", "list").output
    assert "quota 200/200" in listed and "ok" in listed  # a clean stop is no failure


def test_a_rejected_key_names_its_variable_and_is_never_shown(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.handle(f"{YOUTUBE}/videos", lambda request: (400, {}, b'{"error": {"code": 400}}'))
    add(sqlite_workspace, local_server)
    tested = sqlite_workspace("source", "test", "surf")
    assert tested.exit_code == 1
    assert "400 from youtube: the request or the API key was rejected; check" in tested.output
    assert "HORCHPOSTEN_YOUTUBE_API_KEY" in tested.output
    assert "AIza-test-key" not in tested.output


def test_source_test_spends_one_unit(sqlite_workspace: Cli, local_server: LocalServer) -> None:
    local_server.handle(
        f"{YOUTUBE}/videos",
        lambda request: (200, {}, json.dumps(recorded("videos_info_single")).encode()),
    )
    add(sqlite_workspace, local_server)
    tested = sqlite_workspace("source", "test", "surf")
    assert tested.exit_code == 0, tested.output
    assert "the API key works (the check cost 1 quota unit)" in tested.output


def test_source_parse_reads_a_saved_comment_threads_page(sqlite_workspace: Cli) -> None:
    result = sqlite_workspace(
        "source", "parse", "youtube", str(TUBE / "comment_threads_by_video_paged_1.json")
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 5


def test_a_pass_soon_after_the_last_spends_no_quota(
    sqlite_workspace: Cli, api: LocalServer
) -> None:
    add(sqlite_workspace, api, "--set", "max_search_pages=10")
    assert sqlite_workspace("run").exit_code == 0
    asked = len(api.requests)
    assert sqlite_workspace("run").exit_code == 0  # within search_every and comments_every
    assert len(api.requests) == asked
    sqlite_workspace("source", "remove", "surf")
    add(sqlite_workspace, api, "--set", "search_every=0", "--set", "comments_every=0")
    assert sqlite_workspace("run").exit_code == 0
    asked = len(api.requests)
    assert sqlite_workspace("run").exit_code == 0  # due at once: searches and reads again
    assert len(api.requests) > asked


OLD_THREAD = "UgyKv8ziPYFJDGytM_J4AaABAg"  # recorded with no replies, older than the newest


def new_reply(ident: str, thread: str, when: str) -> dict[str, Any]:
    """A reply in the recorded comments.list shape, written after the first pass."""
    recorded_reply = youtube_replies()[0]
    snippet = {**recorded_reply["snippet"], "parentId": thread, "publishedAt": when}
    snippet |= {"updatedAt": when, "textOriginal": f"Spaeter geantwortet ({ident})"}
    return {**recorded_reply, "id": f"{thread}.{ident}", "snippet": snippet}


def grow(thread: dict[str, Any], by: int) -> None:
    snippet = thread["snippet"]
    snippet["totalReplyCount"] += by


def first_pass(
    workspace: Cli, server: LocalServer
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Serve threads and replies the test can change, and read them all once."""
    threads, replies = youtube_threads(), youtube_replies()
    for path, handler in youtube_api(threads=threads, replies=replies).items():
        server.handle(path, handler)
    add(workspace, server, "--set", "max_search_pages=10", "--set", "comments_every=0")
    assert workspace("run").exit_code == 0
    return threads, replies


def test_new_replies_to_old_threads_are_read_once_within_the_quota(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    threads, replies = first_pass(sqlite_workspace, local_server)
    before = {p["id"] for p in map(json.loads, sqlite_workspace("export").stdout.splitlines())}

    # After the first pass: one reply to a thread that had none, one more to the one with two.
    replies += [
        new_reply("a", OLD_THREAD, "2019-12-02T10:00:00Z"),
        new_reply("b", YT_THREAD_WITH_REPLIES, "2019-12-03T10:00:00Z"),
    ]
    by_id = {t["id"]: t for t in threads}
    grow(by_id[OLD_THREAD], 1)
    grow(by_id[YT_THREAD_WITH_REPLIES], 1)
    local_server.requests.clear()
    assert sqlite_workspace("run").exit_code == 0
    posts = {p["id"]: p for p in map(json.loads, sqlite_workspace("export").stdout.splitlines())}
    assert set(posts) - before == {f"{OLD_THREAD}.a", f"{YT_THREAD_WITH_REPLIES}.b"}
    assert posts[f"{OLD_THREAD}.a"]["parent_id"] == OLD_THREAD
    assert posts[f"{OLD_THREAD}.a"]["root_id"] == YT_VIDEO
    assert posts[OLD_THREAD]["metrics"]["replies"] == 1  # the thread's count is updated too
    asked = [r.query for r in local_server.requests if "/comments?" in r.path]
    assert sorted(q["parentId"] for q in asked) == sorted([OLD_THREAD, YT_THREAD_WITH_REPLIES])
    checks = [r.query for r in local_server.requests if "id" in r.query]
    assert len(checks) == 1 and len(checks[0]["id"].split(",")) == len(threads)

    # Nothing grew since: the next pass checks the threads (1 unit) and reads no replies.
    local_server.requests.clear()
    assert sqlite_workspace("run").exit_code == 0
    assert not [r for r in local_server.requests if "/comments?" in r.path]
    assert len(sqlite_workspace("export").stdout.splitlines()) == len(posts)
    assert "id" in local_server.requests[0].query  # the check by id comes first
    reads = [r for r in local_server.requests if "videoId" in r.query]
    assert len(local_server.requests) == 1 + len(reads)  # one check, then new threads per video


def test_a_pass_killed_before_storing_new_replies_reads_them_again(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    threads, replies = first_pass(sqlite_workspace, local_server)
    replies.append(new_reply("a", OLD_THREAD, "2019-12-02T10:00:00Z"))
    grow({t["id"]: t for t in threads}[OLD_THREAD], 1)
    # The comments call fails for good: the pass ends before the reply's page is stored.
    local_server.handle(f"{YOUTUBE}/comments", lambda request: (400, {}, b"{}"))
    failed = sqlite_workspace("run")
    assert "400 from youtube" in cells(failed.output), failed.output
    assert f"{OLD_THREAD}.a" not in sqlite_workspace("export").stdout
    for path, handler in youtube_api(threads=threads, replies=replies).items():
        local_server.handle(path, handler)
    assert sqlite_workspace("run").exit_code == 0
    ids = [json.loads(line)["id"] for line in sqlite_workspace("export").stdout.splitlines()]
    assert ids.count(f"{OLD_THREAD}.a") == 1 and len(ids) == len(set(ids))
