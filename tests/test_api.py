"""The REST API on SQLite and PostgreSQL: tokens and scopes, topics, posts, analytics, export."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterator

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from analytics_posts import labelled, post, store, topics
from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

DAYS = {"since": "2026-10-24T00:00:00+02:00", "until": "2026-10-27T00:00:00+01:00"}


class Api:
    def __init__(self, client: TestClient, tokens: dict[str, str]) -> None:
        self.client = client
        self.tokens = tokens

    def headers(self, scope: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[scope]}"}


@pytest.fixture
def api(database: Database) -> Iterator[Api]:
    with database.begin() as conn:
        tokens = {scope: create_token(conn, scope, scope)[0] for scope in ("read", "write")}
    brand, rival = topics(database, "Nordlicht", "Bergquell")
    store(
        database,
        [
            labelled(
                post(
                    "1",
                    "2026-10-24T21:30",
                    handle="anna",
                    followers=100,
                    likes=2,
                    text="Nordlicht Akku top",
                ),
                "positive",
                [brand],
            ),
            labelled(
                post(
                    "2",
                    "2026-10-24T22:30",
                    source="bluesky",
                    handle="ben",
                    text="Nordlicht Akku schlecht",
                ),
                "negative",
                [brand],
            ),
            labelled(
                post(
                    "3",
                    "2026-10-25T22:30",
                    lang="en",
                    handle="anna",
                    followers=50,
                    text="Nordlicht battery",
                ),
                "positive",
                [brand],
            ),
            labelled(
                post("4", "2026-10-25T23:30", lang=None, text="Nordlicht Bergquell"),
                None,
                [brand, rival],
            ),
        ],
    )
    with TestClient(create_app(database, Settings())) as client:
        yield Api(client, tokens)


def test_error_shape_and_token_scopes(api: Api) -> None:
    """Every error has one shape; no token or a bad one is 401, too little scope 403."""
    missing = api.client.get("/api/v1/topics")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    body = missing.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert (body["error"]["status"], body["error"]["code"]) == (401, "unauthorized")
    wrong = api.client.get("/api/v1/topics", headers={"Authorization": "Bearer hp_nope"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]["message"]
    refused = api.client.post(
        "/api/v1/topics", json={"name": "X", "query": "x"}, headers=api.headers("read")
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert "needs 'write'" in refused.json()["error"]["message"]
    unknown = api.client.get("/api/v1/topics/Nope", headers=api.headers("read"))
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "params",
    [
        {"until": "0001-01-20T00:35:01Z"},  # found by schemathesis: a server error before
        {"since": "9999-12-31T00:00:00Z"},
        {"until": "2026-11-01T00:00:00"},
    ],
)
def test_times_outside_the_readable_range_are_refused_plainly(
    api: Api, params: dict[str, str]
) -> None:
    answer = api.client.get(
        "/api/v1/share-of-voice",
        params={"topic": ["A", "B"], **params},
        headers=api.headers("read"),
    )
    assert answer.status_code == 422, answer.text
    message = answer.json()["error"]["message"]
    assert "1970 to 2199" in message or "needs a time zone" in message


def test_topics_crud_and_positioned_query_errors(api: Api) -> None:
    write = api.headers("write")
    created = api.client.post(
        "/api/v1/topics", json={"name": "Akku", "query": "akku"}, headers=write
    )
    assert created.status_code == 201, created.text
    assert created.json()["query"] == "akku"
    posts = api.client.get("/api/v1/posts", params={"topic": "Akku"}, headers=write)
    assert [p["id"] for p in posts.json()["posts"]] == ["2", "1"]  # back-filled
    changed = api.client.patch("/api/v1/topics/Akku", json={"query": "battery"}, headers=write)
    assert changed.json()["query"] == "battery"
    posts = api.client.get("/api/v1/posts", params={"topic": "Akku"}, headers=write)
    assert [p["id"] for p in posts.json()["posts"]] == ["3"]
    bad = api.client.post(
        "/api/v1/topics", json={"name": "Bad", "query": "akku AND (preis"}, headers=write
    )
    assert bad.status_code == 422
    [where] = bad.json()["error"]["details"]
    assert (where["line"], where["column"]) == (1, 10)
    # The template lets a client show the message in its own language.
    assert (where["template"], where["hint_template"]) == (
        "This '(' is never closed.",
        "Add a ')'.",
    )
    taken = api.client.post("/api/v1/topics", json={"name": "Akku", "query": "x"}, headers=write)
    assert taken.status_code == 409
    checked = api.client.post(
        "/api/v1/query/check", json={"query": "a AND\n(b OR"}, headers=write
    ).json()
    assert checked["valid"] is False
    assert (checked["error"]["line"], checked["error"]["column"]) == (
        2,
        4,
    )  # the OR without a right side
    assert api.client.delete("/api/v1/topics/Akku", headers=write).status_code == 204
    names = [t["name"] for t in api.client.get("/api/v1/topics", headers=write).json()]
    assert names == ["Bergquell", "Nordlicht"]


def test_posts_search_filters_and_cursor_pages(api: Api) -> None:
    read = api.headers("read")
    seen, cursor = [], None
    while True:
        params = {"topic": "Nordlicht", "limit": 3} | ({"cursor": cursor} if cursor else {})
        page = api.client.get("/api/v1/posts", params=params, headers=read).json()
        seen += [p["id"] for p in page["posts"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == ["4", "3", "2", "1"]

    def ids(**params: object) -> list[str]:
        found = api.client.get("/api/v1/posts", params=params, headers=read)
        assert found.status_code == 200, found.text
        return [p["id"] for p in found.json()["posts"]]

    assert ids(q="akku") == ["2", "1"]
    assert ids(sentiment="positive", lang="en") == ["3"]
    assert ids(author="mastodon:anna") == ["3", "1"]
    assert ids(source="bluesky") == ["2"]
    assert ids(since="2026-10-25T22:00:00Z") == ["4", "3"]
    too_many = api.client.get("/api/v1/posts", params={"limit": 201}, headers=read)
    assert too_many.status_code == 422
    assert too_many.json()["error"]["details"][0]["location"] == "query.limit"


def test_analytics_endpoints_answer_from_known_posts(api: Api) -> None:
    read = api.headers("read")

    def get(path: str, **params: object) -> dict[str, object]:
        found = api.client.get(f"/api/v1{path}", params={**DAYS, **params}, headers=read)
        assert found.status_code == 200, found.text
        data: dict[str, object] = found.json()
        return data

    volume = get("/topics/Nordlicht/volume")
    assert [b["posts"] for b in volume["buckets"]] == [1, 2, 1]  # type: ignore[attr-defined, index]
    assert volume["timezone"] == "Europe/Berlin"
    sources = get("/topics/Nordlicht/sources")
    assert sources["buckets"][1]["split"] == {"bluesky": 1, "mastodon": 1}  # type: ignore[index]
    mood = get("/topics/Nordlicht/sentiment", breakdowns=True)
    assert mood["overall"] == {  # type: ignore[comparison-overlap]
        "counts": {"negative": 1, "neutral": 0, "positive": 2, "none": 1},
        "net": pytest.approx(0.3333, abs=1e-4),
    }
    assert mood["by_source"]["bluesky"]["counts"]["negative"] == 1  # type: ignore[index]
    assert get("/topics/Nordlicht/sentiment")["by_source"] == {}  # only when asked for
    # Nothing was posted in the three days before: changes from nothing have no percent.
    nothing = {"previous": None, "absolute": None, "percent": None}
    assert mood["change"]["net"] == nothing  # type: ignore[index]
    assert mood["change"]["counts"]["positive"] == {  # type: ignore[index]
        "previous": 0,
        "absolute": 2,
        "percent": None,
    }
    share = get("/share-of-voice", topic=["Nordlicht", "Bergquell"])
    assert share["overall"]["Bergquell"]["share_posts"] == 0.2  # type: ignore[index]
    assert share["change"]["Bergquell"]["share_posts"] == nothing  # type: ignore[index]
    authors = get("/topics/Nordlicht/authors", by="activity")
    assert [(a["author"], a["posts"], a["stance"]) for a in authors][:1] == [  # type: ignore[attr-defined, index]
        ("mastodon:anna", 2, "advocate")
    ]
    profile = get("/topics/Nordlicht/authors/bluesky:ben")
    assert profile["stance"] == "detractor"
    assert [p["posts"] for p in profile["trend"]] == [0, 1, 0]  # type: ignore[attr-defined, index]
    # The text and graph insights say which posts they read: all four here.
    everything = {"read": 4, "posts": 4, "every": 1}
    assert get("/topics/Nordlicht/authority")["sample"] == everything
    assert get("/topics/Nordlicht/themes")["sample"] == everything
    assert get("/topics/Nordlicht/voice-of-customer")["sample"] == everything
    media = get("/topics/Nordlicht/earned-media")
    assert media["total"]["impressions"] == 15.0  # type: ignore[index]  # 150 followers x 0.1
    assert media["change"]["posts"] == {"previous": 0, "absolute": 4, "percent": None}  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_streams_every_format(api: Api, fmt: str) -> None:
    found = api.client.get(
        "/api/v1/topics/Nordlicht/export",
        params={**DAYS, "format": fmt},
        headers=api.headers("read"),
    )
    assert found.status_code == 200
    if fmt == "jsonl":
        ids = [json.loads(line)["id"] for line in found.text.splitlines()]
    elif fmt == "csv":
        ids = [row["id"] for row in csv.DictReader(io.StringIO(found.text))]
    else:
        ids = pq.read_table(io.BytesIO(found.content)).column("id").to_pylist()
    assert ids == ["1", "2", "3", "4"]


def test_start_up_moves_the_loaded_heap_out_of_the_collectors_way(database: Database) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    with TestClient(create_app(database, Settings())):
        assert gc.get_freeze_count() > 0
