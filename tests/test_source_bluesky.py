"""The ``bluesky`` (search) and ``bluesky-firehose`` (Jetstream) sources.

Search answers are built from records recorded by MarshalX/atproto
(tests/fixtures/bluesky/ORIGIN.md); firehose events follow Jetstream's
documented shape, as no recording of it exists.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conformance_cases import SEARCH_POSTS, bluesky_views, jetstream_events, search_posts
from conftest import FIXTURES, Cli
from horchposten.demo.run import demo_topics
from horchposten.demo.synthetic import generate_posts
from horchposten.enrich.base import EnrichSettings
from horchposten.errors import SourceError
from horchposten.models import Topic
from horchposten.plugins import plugins
from horchposten.prepare import Preparer
from horchposten.sources.bluesky_mapping import thread_posts, to_post
from jetstream_server import DID, JetstreamServer, post_event
from localserver import LocalServer
from workspace_rollups import workspace_rollups

SKY = FIXTURES / "bluesky"


def recorded(name: str) -> Any:
    return json.loads((SKY / name).read_bytes())


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Cli:
    run = Cli(tmp_path / "horchposten.toml")
    assert run("init", "--database-url", f"sqlite:///{tmp_path / 'b.db'}").exit_code == 0
    return run


def test_a_post_view_maps_with_its_at_uri_and_handle() -> None:
    post = to_post(bluesky_views()[1])
    assert (
        post.key == "bluesky:at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kahesw26il2z"
    )
    assert post.text == "test" and post.lang == "en"
    assert post.author.handle == "test.marshal.dev" and post.author.name == "Python SDK"
    assert post.url == f"https://bsky.app/profile/{DID}/post/3kahesw26il2z"
    assert (post.metrics.likes, post.metrics.replies) == (0, 0)


def test_a_record_without_a_time_zone_is_read_as_utc() -> None:
    post = to_post(recorded("extended_post_record.json"))
    assert post.created_at.isoformat() == "2023-07-21T01:33:51.481951+00:00"
    assert post.author.handle == DID  # a bare record names its author only by DID


def test_a_quote_of_a_picture_without_words_is_no_post() -> None:
    thread = recorded("thread_view_post_with_embed_media.json")
    [view] = thread_posts(thread["thread"])
    with pytest.raises(Exception, match="needs 'text' or 'title'"):
        to_post(view)
    quoted = {**view, "record": {**view["record"], "text": "Seht euch das an"}}
    post = to_post(quoted)
    assert post.engagement_type == "quote"
    assert post.parent_id == f"at://{DID}/app.bsky.feed.post/3kahesw26il2z"


def test_replies_in_a_thread_link_to_parent_and_root() -> None:
    root, reply = bluesky_views()[1], bluesky_views()[0]
    reply = {
        **reply,
        "record": {
            **reply["record"],
            "reply": {"parent": {"uri": root["uri"]}, "root": {"uri": root["uri"]}},
        },
    }
    flat = thread_posts({"post": root, "replies": [{"post": reply, "replies": []}]})
    posts = [to_post(view) for view in flat]
    assert [p.id for p in posts] == [root["uri"], reply["uri"]]
    assert (posts[1].parent_id, posts[1].root_id, posts[1].engagement_type) == (
        root["uri"],
        root["uri"],
        "reply",
    )


def test_an_app_password_opens_a_session_and_a_rejected_one_is_named(
    sqlite_workspace: Cli, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HORCHPOSTEN_BLUESKY_HANDLE", "horch.bsky.social")
    monkeypatch.setenv("HORCHPOSTEN_BLUESKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    session = "/xrpc/com.atproto.server.createSession"
    local_server.add(session, '{"accessJwt": "jwt-1", "refreshJwt": "r", "did": "did:plc:x"}')
    local_server.handle(SEARCH_POSTS, search_posts(bluesky_views()))
    sqlite_workspace(
        "source", "add", "bluesky", "sky", "--set", "query=test",
        "--set", "since=2023-01-01T00:00:00Z", "--set", f"pds_url={local_server.url('')}",
    )  # fmt: skip
    assert sqlite_workspace("run").exit_code == 0
    assert len(sqlite_workspace("export").stdout.splitlines()) == 3
    [login] = local_server.requests_to(session)
    assert json.loads(login.body) == {
        "identifier": "horch.bsky.social",
        "password": "abcd-efgh-ijkl-mnop",
    }
    searches = [r for r in local_server.requests if r.path.startswith(SEARCH_POSTS)]
    assert searches and all(r.headers["authorization"] == "Bearer jwt-1" for r in searches)
    local_server.add(session, '{"error": "AuthenticationRequired"}', status=401)
    tested = sqlite_workspace("source", "test", "sky")
    assert tested.exit_code == 1
    assert "401 from bluesky: the handle or app password was rejected" in tested.output
    assert "HORCHPOSTEN_BLUESKY_APP_PASSWORD" in tested.output
    assert "abcd-efgh" not in tested.output


def firehose_frames() -> list[dict[str, Any] | str]:
    events: list[dict[str, Any] | str] = list(jetstream_events())
    last = jetstream_events()[-1]["time_us"]
    # Events the source must pass over: a deletion, an account change, a like.
    events.append({"did": DID, "time_us": last + 1, "kind": "identity", "identity": {}})
    events.append(
        {
            "did": DID,
            "time_us": last + 2,
            "kind": "commit",
            "commit": {"operation": "delete", "collection": "app.bsky.feed.post", "rkey": "3lbw2"},
        }
    )
    return events


def add_firehose(workspace: Cli, url: str) -> None:
    result = workspace(
        "source", "add", "bluesky-firehose", "sky-live", "--set", f"url={url}",
        "--set", "start=2026-11-22T00:00:00Z", "--set", "listen_seconds=1.5",
        "--set", "batch_seconds=0.2", "--set", "rewind_seconds=0.000002",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_the_firehose_stores_only_matching_posts_and_reconnects_from_its_cursor(
    sqlite_workspace: Cli,
) -> None:
    sqlite_workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    events = jetstream_events()
    with JetstreamServer(firehose_frames(), drop_after=4) as jetstream:
        add_firehose(sqlite_workspace, jetstream.url)
        assert sqlite_workspace("run").exit_code == 0
        # Dropped after four events, before their page was handed on: the reconnect asks
        # again from the start (rewound 2 µs), so those four are not lost.
        start = 1_795_305_600_000_000  # 2026-11-22T00:00:00Z
        assert jetstream.cursors == [start, start - 2]
        stored = [json.loads(line) for line in sqlite_workspace("export").stdout.splitlines()]
        assert sorted(p["id"].rsplit("/", 1)[1] for p in stored) == ["3lbw1", "3lbw3", "3lbw7"]
        assert all(p["source"] == "bluesky" for p in stored)
        assert sqlite_workspace("run").exit_code == 0  # the next pass resumes at the last event
        assert jetstream.cursors[-1] == events[-1]["time_us"] + 2
        assert len(sqlite_workspace("export").stdout.splitlines()) == 3


def test_a_firehose_that_cannot_connect_fails_the_pass(sqlite_workspace: Cli) -> None:
    with JetstreamServer([]) as jetstream:
        url = jetstream.url
    add_firehose(sqlite_workspace, url)  # nobody listens there any more
    feed = str(FIXTURES / "feeds/feedjira/TechCrunch.xml")  # its comment feeds are on the web
    sqlite_workspace("source", "add", "feeds", "other", "--url", feed, "--set", "comments=false")
    result = sqlite_workspace("run")
    assert (
        "Jetstream at ws://127.0.0.1" in result.output and "could not be reached" in result.output
    )
    assert len(sqlite_workspace("export").stdout.splitlines()) == 20  # the feed still ran


@pytest.mark.parametrize(
    ("kind", "name", "count"),
    [
        ("bluesky", "search_posts.json", 3),
        ("bluesky", "post_record.json", 1),
        ("bluesky-firehose", "jetstream_events.jsonl", 8),
    ],
)
def test_source_parse_reads_saved_answers_and_events(
    sqlite_workspace: Cli, kind: str, name: str, count: int
) -> None:
    result = sqlite_workspace("source", "parse", kind, str(SKY / name))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == count


def test_a_saved_thread_whose_post_has_no_words_is_a_problem(sqlite_workspace: Cli) -> None:
    path = SKY / "thread_view_post_with_embed_media.json"
    result = sqlite_workspace("source", "parse", "bluesky", str(path))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "needs 'text' or 'title'" in result.stderr


def test_a_garbled_event_names_the_server() -> None:
    from horchposten.sources.jetstream import FACTORY

    with pytest.raises(SourceError, match="sent an event that is not JSON"):
        FACTORY.parse_payload(b'{"did": ', "saved.jsonl")


def test_storing_only_matching_posts_keeps_exactly_the_posts_a_topic_matches() -> None:
    # The firehose skips enriching posts no topic can match; that shortcut must
    # never drop a post the full matcher (with enrichments) would accept.
    topics = [
        topic.model_copy(update={"id": number})
        for number, topic in enumerate(demo_topics(), start=1)
    ]
    topics.append(Topic(id=90, name="Negativ", query="sentiment:negative AND lieferung"))
    topics.append(Topic(id=91, name="Englisch", query="language:en AND coffee"))
    posts = list(generate_posts(1000, seed=11, now=datetime(2026, 11, 22, tzinfo=UTC)))
    for post in posts[::3]:
        post.lang = None  # the language enricher fills these in
    preparer = Preparer(topics, plugins().enrichers(EnrichSettings()))
    everything = preparer.prepare(posts)
    matching = preparer.prepare(posts, only_matching=True)
    assert {p.row.key for p in matching} == {p.row.key for p in everything if p.topic_ids}
    assert 0 < len(matching) < len(everything)


def delete_event(time_us: int, rkey: str) -> dict[str, Any]:
    """A Jetstream commit deleting a post, in the documented shape (no record, no cid)."""
    commit = {"rev": f"3l3qo2vuowo2c{rkey}", "operation": "delete"}
    commit |= {"collection": "app.bsky.feed.post", "rkey": rkey}
    return {"did": DID, "time_us": time_us, "kind": "commit", "commit": commit}


def test_firehose_deletions_remove_stored_posts_in_order_and_replay_alike(
    sqlite_workspace: Cli,
) -> None:
    sqlite_workspace("topic", "add", "Nordlicht", "--query", "nordlicht")
    events: list[dict[str, Any] | str] = list(jetstream_events())
    last = jetstream_events()[-1]["time_us"]
    events += [
        delete_event(last + 1, "3lbw1"),  # stored before: removed
        delete_event(last + 2, "3lbw3"),  # removed, then posted again under the same key
        post_event(last + 3, "3lbw3", "Nordlicht Kaffee, zweiter Versuch"),
        delete_event(last + 4, "3lbw2"),  # never stored (no topic matched): nothing happens
    ]
    with JetstreamServer(events) as jetstream:
        add_firehose(sqlite_workspace, jetstream.url)
        for _ in range(2):  # the second pass replays from the cursor: the same result
            assert sqlite_workspace("run").exit_code == 0
            stored = {
                p["id"].rsplit("/", 1)[1]: p
                for p in map(json.loads, sqlite_workspace("export").stdout.splitlines())
            }
            assert sorted(stored) == ["3lbw3", "3lbw7"]
            assert stored["3lbw3"]["text"] == "Nordlicht Kaffee, zweiter Versuch"
            counted, recounted = workspace_rollups(sqlite_workspace)
            assert counted == recounted
            assert sum(sums[0] for sums in counted.values()) == 2
