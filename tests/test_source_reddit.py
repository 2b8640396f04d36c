"""The ``reddit`` source on answers recorded from the live Reddit API (tests/fixtures/reddit)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from conformance_cases import REDDIT_NEW, reddit_children, reddit_listing
from conftest import FIXTURES, Cli
from horchposten.sources.reddit_mapping import flatten_thread, to_post
from localserver import LocalServer

REDDIT = FIXTURES / "reddit"
THREAD_PATH = "/comments/2gmzqe/?sort=new&raw_json=1"


def recorded(name: str) -> Any:
    return json.loads((REDDIT / name).read_bytes())


@pytest.fixture
def sqlite_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("HORCHPOSTEN_REDDIT_CLIENT_ID", "my-app")
    monkeypatch.setenv("HORCHPOSTEN_REDDIT_SECRET", "my-secret")
    run = Cli(tmp_path / "horchposten.toml")
    assert run("init", "--database-url", f"sqlite:///{tmp_path / 'r.db'}").exit_code == 0
    return run


def add(workspace: Cli, server: LocalServer, *extra: str) -> None:
    result = workspace(
        "source", "add", "reddit", "askreddit", "--set", "subreddit=askreddit",
        "--set", "since=2016-02-01T00:00:00Z", "--set", f"auth_url={server.url('')}",
        "--set", f"api_url={server.url('')}", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_a_submission_maps_with_title_score_and_comment_count() -> None:
    post = to_post(recorded("askreddit_new.json")["data"]["children"][0])
    assert post.key == "reddit:t3_48fbm9"
    assert post.title == (
        "[Serious] Parents of Reddit, what's the biggest lie about yourself you've told your kids?"
    )
    assert post.text is None  # a question without body text
    assert post.url == (
        "https://www.reddit.com/r/AskReddit/comments/48fbm9/serious_parents_of_reddit_whats_the_biggest_lie/"
    )
    assert (post.metrics.likes, post.metrics.replies) == (1, 1)
    assert post.author.handle == "RedHeadQc"


def test_a_comment_links_to_its_parent_and_submission() -> None:
    post = to_post(recorded("askreddit_comments.json")["data"]["children"][0])
    assert (post.parent_id, post.root_id, post.engagement_type) == (
        "t3_4r4inc",
        "t3_4r4inc",
        "comment",
    )
    assert post.url == "https://www.reddit.com/comments/4r4inc/_/d4y8bdp"
    assert post.text == "great, life is so much better when you can do what you enjoy for a living"


def test_a_comment_tree_is_flattened_with_its_nesting_kept_in_parent_ids() -> None:
    items = flatten_thread(recorded("submission_2gmzqe.json"))
    assert items is not None
    posts = [to_post(item) for item in items]
    assert [p.key.split(":")[1][:3] for p in posts] == ["t3_", "t1_", "t1_"]
    submission = posts[0]
    assert all(p.root_id == submission.id for p in posts[1:])
    keys = {p.id for p in posts}
    assert all(p.parent_id in keys for p in posts[1:])


def test_run_authenticates_once_and_reads_comment_trees(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    thread = recorded("submission_2gmzqe.json")
    local_server.add("/api/v1/access_token", (REDDIT / "access_token.json").read_bytes())
    local_server.handle(REDDIT_NEW, reddit_listing(thread[0]["data"]["children"]))
    local_server.add(THREAD_PATH, json.dumps(thread))
    add(sqlite_workspace, local_server, "--set", "comment_trees=true", "--set", "since=2014-01-01")
    assert sqlite_workspace("run").exit_code == 0
    posts = [json.loads(line) for line in sqlite_workspace("export").stdout.splitlines()]
    assert sorted(p["id"][:3] for p in posts) == ["t1_", "t1_", "t3_"]
    [token] = local_server.requests_to("/api/v1/access_token")
    assert (
        token.headers["authorization"] == "Basic " + base64.b64encode(b"my-app:my-secret").decode()
    )
    assert token.body == b"grant_type=client_credentials"
    for request in local_server.requests[1:]:
        assert request.headers["authorization"] == "bearer <ACCESS_TOKEN>"


def test_a_script_app_logs_in_with_username_and_password(
    sqlite_workspace: Cli, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HORCHPOSTEN_REDDIT_USERNAME", "horch")
    monkeypatch.setenv("HORCHPOSTEN_REDDIT_PASSWORD", "pass word")
    local_server.add("/api/v1/access_token", '{"error": "invalid_grant"}')
    add(sqlite_workspace, local_server)
    tested = sqlite_workspace("source", "test", "askreddit")
    assert tested.exit_code == 1
    assert (
        "reddit refused the username or password (invalid_grant); check "
        "HORCHPOSTEN_REDDIT_USERNAME and HORCHPOSTEN_REDDIT_PASSWORD." in tested.output
    )
    assert local_server.requests[0].body == b"grant_type=password&username=horch&password=pass+word"


def test_a_rejected_secret_names_its_variable(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.add(
        "/api/v1/access_token", '{"message": "Unauthorized", "error": 401}', status=401
    )
    add(sqlite_workspace, local_server)
    tested = sqlite_workspace("source", "test", "askreddit")
    assert tested.exit_code == 1
    assert (
        "401 from reddit: the client secret was rejected; check HORCHPOSTEN_REDDIT_SECRET"
        in tested.output.replace("\n", " ")
    )
    assert "my-secret" not in tested.output


def test_without_credentials_the_source_says_which_variable_to_set(
    sqlite_workspace: Cli, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HORCHPOSTEN_REDDIT_SECRET")
    add(sqlite_workspace, local_server)
    tested = sqlite_workspace("source", "test", "askreddit")
    assert tested.exit_code == 1
    assert "has no client secret: set the environment variable HORCHPOSTEN_REDDIT_SECRET" in (
        tested.output.replace("\n", " ")
    )


def test_the_whole_recorded_listing_is_stored_once(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.add("/api/v1/access_token", (REDDIT / "access_token.json").read_bytes())
    local_server.handle(REDDIT_NEW, reddit_listing(reddit_children()))
    add(sqlite_workspace, local_server, "--set", "limit=40")
    assert sqlite_workspace("run").exit_code == 0
    assert sqlite_workspace("run").exit_code == 0
    assert len(sqlite_workspace("export").stdout.splitlines()) == 100


@pytest.mark.parametrize(
    ("name", "count"), [("askreddit_comments.json", 100), ("submission_2gmzqe.json", 3)]
)
def test_source_parse_reads_saved_listings_and_threads(
    sqlite_workspace: Cli, name: str, count: int
) -> None:
    result = sqlite_workspace("source", "parse", "reddit", str(REDDIT / name))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == count
