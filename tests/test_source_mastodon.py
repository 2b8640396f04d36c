"""The ``mastodon`` source on statuses recorded from a Mastodon 4.6 server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from conformance_cases import MASTODON_TIMELINE, mastodon_statuses, mastodon_timeline
from conftest import FIXTURES, Cli
from horchposten.config import load_settings
from horchposten.sources.mastodon_mapping import to_post
from horchposten.store import schema
from horchposten.store.database import open_database
from localserver import LocalServer
from workspace_rollups import workspace_rollups

MASTODON = FIXTURES / "mastodon"


def recorded(name: str) -> Any:
    return json.loads((MASTODON / name).read_bytes())


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Cli:
    run = Cli(tmp_path / "horchposten.toml")
    assert run("init", "--database-url", f"sqlite:///{tmp_path / 'm.db'}").exit_code == 0
    return run


def test_a_status_maps_with_its_global_id_author_and_counts() -> None:
    post = to_post(recorded("public_timeline.json")[0])
    assert post.key == (
        "mastodon:http://localhost:3000/ap/users/117020566092212359/statuses/117020593378945190"
    )
    assert post.text == "Toot, finally!"
    assert post.url == "http://localhost:3000/@mastodonpy_test_2/117020593378945190"
    assert post.lang == "ja"
    assert post.author.handle == "mastodonpy_test_2@localhost:3000"
    assert (post.author.followers, post.metrics.likes, post.metrics.reposts) == (0, 0, 0)
    assert post.created_at.isoformat() == "2026-08-01T13:55:50.338000+00:00"


def test_a_boost_is_resolved_to_the_post_it_boosts() -> None:
    boosted = recorded("public_timeline.json")[1]
    # A boost as the API documents it: its own id, uri and account, the original in "reblog".
    boost = {
        **recorded("public_timeline.json")[0],
        "id": "117020599999999999",
        "uri": "http://localhost:3000/ap/users/1/statuses/117020599999999999/activity",
        "content": "",
        "reblog": boosted,
    }
    assert to_post(boost) == to_post(boosted)


def serve_timeline(server: LocalServer) -> None:
    server.handle(MASTODON_TIMELINE, mastodon_timeline(mastodon_statuses(), server.base))


def add(workspace: Cli, server: LocalServer, *extra: str) -> None:
    result = workspace(
        "source", "add", "mastodon", "local", "--set", f"instance={server.url('')}",
        "--set", "timeline=local", "--set", "since=2026-08-01T00:00:00Z", "--set", "limit=5",
        *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_pages_follow_the_instances_link_header(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    serve_timeline(local_server)
    add(sqlite_workspace, local_server)
    assert sqlite_workspace("run").exit_code == 0
    asked = [r.query for r in local_server.requests]
    assert asked[0] == {"local": "true", "limit": "5", "min_id": str(1785542400000 << 16)}
    # Every later page is exactly the rel="prev" link of the one before it.
    assert all(set(query) == {"limit", "min_id"} for query in asked[1:])
    exported = sqlite_workspace("export").stdout.splitlines()
    assert len(exported) == len(mastodon_statuses())


def test_streamed_statuses_and_their_edits_are_stored_once(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.handle(MASTODON_TIMELINE, mastodon_timeline([], local_server.base))
    before, after = recorded("status_before_edit.json"), recorded("status_edited.json")
    recorded_stream = (MASTODON / "stream_user.txt").read_text(encoding="utf-8")
    stream = (
        recorded_stream
        + f"event: update\ndata: {json.dumps(before)}\n\n"
        + "event: delete\ndata: 117020586180926938\n\n"
        + f"event: status.update\ndata: {json.dumps(after)}\n\n"
    )
    local_server.add("/api/v1/streaming/public/local", stream, content_type="text/event-stream")
    add(sqlite_workspace, local_server, "--set", "stream_seconds=5")
    assert sqlite_workspace("run").exit_code == 0
    posts = {p["id"]: p for p in map(json.loads, sqlite_workspace("export").stdout.splitlines())}
    assert len(posts) == 2
    edited = posts[after["uri"]]
    assert (
        edited["text"] == "the best editor? why, of course it is the KDE Advanced Text Editor, Kate"
    )
    assert "it's cool guy" in {p["text"] for p in posts.values()}


def test_a_rejected_token_names_the_variable_it_came_from(
    sqlite_workspace: Cli, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    local_server.add(
        "/api/v1/timelines/public?local=true&limit=5&min_id=" + str(1785542400000 << 16),
        '{"error":"The access token is invalid"}',
        status=401,
    )
    monkeypatch.setenv("HORCHPOSTEN_MASTODON_TOKEN", "wrong-token")
    add(sqlite_workspace, local_server)
    tested = sqlite_workspace("source", "test", "local")
    assert tested.exit_code == 1
    assert "401 from mastodon (127.0.0.1:" in tested.output
    assert "the access token was rejected or is required here; check" in tested.output
    assert "HORCHPOSTEN_MASTODON_TOKEN" in tested.output and "wrong-token" not in tested.output
    assert local_server.requests[0].headers["authorization"] == "Bearer wrong-token"


def test_a_token_in_clear_text_is_refused(sqlite_workspace: Cli) -> None:
    result = sqlite_workspace(
        "source", "add", "mastodon", "x", "--set", "instance=https://mastodon.social",
        "--set", "hashtag=kaffee", "--set", "token=abc123",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "clear text" in result.output and "abc123" not in result.output
    assert "No sources yet" in sqlite_workspace("source", "list").output


def test_settings_name_what_a_timeline_needs(sqlite_workspace: Cli) -> None:
    result = sqlite_workspace(
        "source", "add", "mastodon", "x", "--set", "instance=https://mastodon.social"
    )
    assert result.exit_code == 1
    assert "timeline 'hashtag' needs the setting 'hashtag'" in result.output


def test_source_parse_reads_a_saved_timeline(sqlite_workspace: Cli) -> None:
    result = sqlite_workspace("source", "parse", "mastodon", str(MASTODON / "home_timeline.json"))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 13


# --- replies: instance-local in_reply_to_id resolved to the parent's uri ---

PARENT, REPLY = recorded("status_reply_parent.json"), recorded("status_reply.json")
# A reply to the recorded reply, in the same documented shape: it shows root != parent.
ANSWER = {
    **REPLY,
    "id": "117020583270000000",
    "uri": "http://localhost:3000/ap/users/117020566092212359/statuses/117020583270000000",
    "url": "http://localhost:3000/@mastodonpy_test_2/117020583270000000",
    "in_reply_to_id": REPLY["id"],
    "content": "<p>And a reply to the reply.</p>",
}
CONTEXT = f"/api/v1/statuses/{REPLY['id']}/context"


def exported(workspace: Cli) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in map(json.loads, workspace("export").stdout.splitlines())}


def links(post: dict[str, Any]) -> tuple[str | None, str | None]:
    return post["parent_id"], post["root_id"]


def test_a_saved_timeline_links_replies_to_parents_in_the_same_file(
    sqlite_workspace: Cli, tmp_path: Path
) -> None:
    saved = tmp_path / "timeline.json"
    saved.write_text(json.dumps([ANSWER, REPLY, PARENT]), encoding="utf-8")  # newest first
    result = sqlite_workspace("source", "parse", "mastodon", str(saved))
    assert result.exit_code == 0, result.output
    posts = {p["id"]: p for p in map(json.loads, result.stdout.splitlines())}
    assert links(posts[PARENT["uri"]]) == (None, None)
    assert links(posts[REPLY["uri"]]) == (PARENT["uri"], PARENT["uri"])
    assert links(posts[ANSWER["uri"]]) == (REPLY["uri"], PARENT["uri"])


def test_a_reply_whose_parent_was_not_seen_is_linked_through_its_context(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.handle(MASTODON_TIMELINE, mastodon_timeline([ANSWER, REPLY], local_server.base))
    # The recorded context answer's shape ({"ancestors": [...], "descendants": [...]}).
    context = {"ancestors": [PARENT], "descendants": [ANSWER]}
    local_server.add(CONTEXT, json.dumps(context), content_type="application/json")
    add(sqlite_workspace, local_server)
    assert sqlite_workspace("run").exit_code == 0
    posts = exported(sqlite_workspace)
    assert links(posts[REPLY["uri"]]) == (PARENT["uri"], PARENT["uri"])
    assert links(posts[ANSWER["uri"]]) == (REPLY["uri"], PARENT["uri"])
    # One context answer taught the whole chain; the second reply needed no request.
    assert [r.path for r in local_server.requests if "/statuses/" in r.path] == [CONTEXT]


def test_a_reply_whose_context_is_refused_is_stored_unlinked_and_reported(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.handle(MASTODON_TIMELINE, mastodon_timeline([REPLY], local_server.base))
    local_server.add(CONTEXT, '{"error":"Record not found"}', status=404)
    add(sqlite_workspace, local_server)
    result = sqlite_workspace("run")
    assert result.exit_code == 0, result.output
    assert "is stored without its parent" in result.output
    reply = exported(sqlite_workspace)[REPLY["uri"]]
    assert links(reply) == (None, None) and reply["engagement_type"] == "reply"


def test_linking_replies_online_can_be_switched_off(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    local_server.handle(MASTODON_TIMELINE, mastodon_timeline([REPLY], local_server.base))
    add(sqlite_workspace, local_server, "--set", "link_replies=false")
    assert sqlite_workspace("run").exit_code == 0
    assert not [r for r in local_server.requests if "/statuses/" in r.path]
    assert links(exported(sqlite_workspace)[REPLY["uri"]]) == (None, None)


# --- deletions: a streamed delete removes the stored post and its rollup contribution ---


def test_a_streamed_delete_removes_the_post_and_its_rollups_and_replays_alike(
    sqlite_workspace: Cli, local_server: LocalServer
) -> None:
    assert sqlite_workspace("topic", "add", "Editor", "--query", "editor").exit_code == 0
    local_server.handle(MASTODON_TIMELINE, mastodon_timeline([], local_server.base))
    before, other = recorded("status_before_edit.json"), recorded("status_reply_parent.json")
    stream = (
        f"event: update\ndata: {json.dumps(before)}\n\n"
        + f"event: update\ndata: {json.dumps({**other, 'content': '<p>my editor</p>'})}\n\n"
        + f"event: delete\ndata: {before['id']}\n\n"
        + "event: delete\ndata: 117020500000000000\n\n"  # a status this source never saw
    )
    local_server.add("/api/v1/streaming/public/local", stream, content_type="text/event-stream")
    add(sqlite_workspace, local_server, "--set", "stream_seconds=5")
    for _ in range(2):  # the second pass replays the same events: the same result
        result = sqlite_workspace("run")
        assert result.exit_code == 0, result.output
        assert list(exported(sqlite_workspace)) == [other["uri"]]
        stored, recounted = workspace_rollups(sqlite_workspace)
        assert stored == recounted
        assert sum(sums[0] for sums in stored.values()) == 1  # only the one left


def _local_ids(workspace: Cli) -> list[tuple[str, str]]:
    database = open_database(load_settings(workspace.config).database_url)
    try:
        with database.begin() as conn:
            ids = schema.local_ids
            query = select(ids.c.local_id, schema.posts.c.key).join(
                schema.posts, schema.posts.c.id == ids.c.post_id
            )
            return sorted((row.local_id, row.key) for row in conn.execute(query))
    finally:
        database.close()


def test_a_delete_in_a_later_pass_after_a_restart_removes_the_post_stored_before(
    workspace: Cli, local_server: LocalServer
) -> None:
    """Each ``run`` builds the source and pipeline anew: nothing but the store carries over."""
    assert workspace("topic", "add", "Editor", "--query", "editor").exit_code == 0
    before = recorded("status_before_edit.json")
    other = {**recorded("status_reply_parent.json"), "content": "<p>my editor</p>"}
    # A boost of ``other``: its own local id, the boosted status's post.
    boost = {**before, "id": str(int(other["id"]) + 1), "uri": f"{other['uri']}/boost",
             "content": "", "reblog": other}  # fmt: skip
    local_server.handle(MASTODON_TIMELINE, mastodon_timeline([boost, before], local_server.base))
    stream_path = "/api/v1/streaming/public/local"
    local_server.add(stream_path, "", content_type="text/event-stream")
    add(workspace, local_server, "--set", "stream_seconds=5")
    result = workspace("run")
    assert result.exit_code == 0, result.output
    assert sorted(exported(workspace)) == sorted([before["uri"], other["uri"]])
    key = "mastodon:{}".format
    assert _local_ids(workspace) == sorted(
        [(before["id"], key(before["uri"])), (other["id"], key(other["uri"]))]
    )

    edited = {**other, "content": "<p>my editor, edited</p>"}
    stream = (
        f"event: delete\ndata: {boost['id']}\n\n"  # the boost withdrawn: the original stays
        + f"event: status.update\ndata: {json.dumps(edited)}\n\n"  # an edit carries its uri
        + f"event: delete\ndata: {before['id']}\n\n"
        + "event: delete\ndata: 117020500000000000\n\n"  # a status never stored
    )
    local_server.add(stream_path, stream, content_type="text/event-stream")
    for _ in range(2):  # the second pass replays the same deletions: the same result
        result = workspace("run")
        assert result.exit_code == 0, result.output
        assert [p["text"] for p in exported(workspace).values()] == ["my editor, edited"]
        assert _local_ids(workspace) == [(other["id"], key(other["uri"]))]
        stored, recounted = workspace_rollups(workspace)
        assert stored == recounted
        assert sum(sums[0] for sums in stored.values()) == 1
