"""The API the web pages read: posts by a topic query, a post's thread, a query preview
with its daily rate, and the workspace overview; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from analytics_posts import labelled, post, store, topics
from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.schema import posts
from horchposten.store.sources import add_source, record_failure
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(hours: int) -> str:
    return (NOW - timedelta(hours=hours)).replace(tzinfo=None).isoformat()


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with database.begin() as conn:
        token = create_token(conn, "pages", "read")[0]
        add_source(conn, "kaffeesatz", "feeds", {"url": "https://kaffeesatz.example/feed"})
        for _ in range(3):
            record_failure(conn, "kaffeesatz", "The feed answered 404 Not Found.")
    brand, rival = topics(database, "Nordlicht", "Bergquell")
    store(
        database,
        [
            labelled(
                post("1", ago(50), handle="anna", text="Nordlicht Akku top"), "positive", [brand]
            ),
            labelled(
                post("2", ago(30), handle="ben", parent="1", text="Nordlicht Akku schlecht"),
                "negative",
                [brand],
            ),
            labelled(
                post("3", ago(20), handle="cem", parent="2", text="Nordlicht Versand"),
                None,
                [brand],
            ),
            labelled(
                post("4", ago(10), handle="anna", parent="1", text="Nordlicht Bergquell"),
                "positive",
                [brand, rival],
            ),
        ],
    )
    with TestClient(create_app(database, Settings())) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def _texts(page: dict[str, object]) -> list[str]:
    return [p["text"] for p in page["posts"]]  # type: ignore[attr-defined,index]


def test_posts_by_topic_query_with_annotations_and_cursor(client: TestClient) -> None:
    first = client.get("/api/v1/posts", params={"query": "akku OR versand", "limit": 2}).json()
    assert _texts(first) == ["Nordlicht Versand", "Nordlicht Akku schlecht"]
    assert [a["sentiment"] for a in first["annotations"]] == ["none", "negative"]
    assert first["annotations"][0]["topics"] == ["Nordlicht"]
    rest = client.get(
        "/api/v1/posts", params={"query": "akku OR versand", "cursor": first["next_cursor"]}
    ).json()
    assert _texts(rest) == ["Nordlicht Akku top"] and rest["next_cursor"] is None
    negated = client.get("/api/v1/posts", params={"query": "nordlicht NOT akku", "q": "bergquell"})
    assert _texts(negated.json()) == ["Nordlicht Bergquell"]
    bad = client.get("/api/v1/posts", params={"query": "akku AND (versand"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["column"] > 1


def test_thread_shows_ancestors_and_replies(client: TestClient) -> None:
    page = client.get("/api/v1/posts", params={"q": "schlecht"}).json()
    middle = page["annotations"][0]["post_id"]
    thread = client.get(f"/api/v1/posts/{middle}/thread").json()
    assert thread["post"]["post"]["text"] == "Nordlicht Akku schlecht"
    assert [e["post"]["text"] for e in thread["ancestors"]] == ["Nordlicht Akku top"]
    assert [e["post"]["text"] for e in thread["replies"]] == ["Nordlicht Versand"]
    root = thread["ancestors"][0]["post_id"]
    top = client.get(f"/api/v1/posts/{root}/thread").json()
    assert top["ancestors"] == []
    assert [e["post"]["text"] for e in top["replies"]] == [
        "Nordlicht Akku schlecht",
        "Nordlicht Bergquell",
    ]
    assert client.get(f"/api/v1/posts/{root}").json()["sentiment"] == "positive"
    missing = client.get("/api/v1/posts/999999/thread")
    assert missing.status_code == 404 and "999999" in missing.json()["error"]["message"]


def test_query_preview_counts_rates_and_positions_errors(client: TestClient) -> None:
    found = client.post("/api/v1/query/preview", json={"query": "akku", "limit": 1}).json()
    assert found["valid"] and found["matches"] == 2
    # the store's oldest post is 50 hours old, so the rate spreads 2 over 50 hours
    assert found["days"] == pytest.approx(50 / 24, abs=0.01)
    assert found["per_day"] == pytest.approx(2 / (50 / 24), abs=0.01)
    assert [e["post"]["text"] for e in found["newest"]] == ["Nordlicht Akku schlecht"]
    assert found["newest"][0]["post_id"] > 0
    only_en = client.post("/api/v1/query/preview", json={"query": "akku", "langs": ["en"]})
    assert only_en.json()["matches"] == 0
    broken = client.post("/api/v1/query/preview", json={"query": "akku AND (versand"}).json()
    assert broken["valid"] is False and broken["matches"] == 0
    assert broken["error"]["line"] == 1 and broken["error"]["column"] >= 10


def test_query_problems_carry_their_templates_for_translation(client: TestClient) -> None:
    broken = client.post("/api/v1/query/preview", json={"query": "akku NEAR/500 x"}).json()
    error = broken["error"]
    # English as before, plus the template and parameters a client translates.
    assert error["message"] == "The distance 500 is too large; it can be 0 to 100."
    assert error["template"] == "The distance %(distance)s is too large; it can be 0 to %(most)s."
    assert error["params"] == {"distance": 500, "most": 100}
    assert error["template"] % error["params"] == error["message"]
    assert error["hint_template"] == error["hint"]  # a hint without parameters
    warned = client.post("/api/v1/query/check", json={"query": "akku or versand"}).json()
    assert warned["warnings"] == [warned["warning_details"][0]["message"]]
    detail = warned["warning_details"][0]
    assert (detail["line"], detail["column"]) == (1, 6)
    assert detail["hint_template"] % detail["hint_params"] == "Write OR if you meant the operator."


def test_overview_lists_topics_with_change_and_unhealthy_sources(client: TestClient) -> None:
    params = {
        "since": (NOW - timedelta(hours=24)).isoformat(),
        "until": (NOW + timedelta(hours=1)).isoformat(),
        "granularity": "hour",
    }
    answer = client.get("/api/v1/overview", params=params).json()
    assert len(answer["starts"]) in (25, 26)
    by_name = {t["topic"]["name"]: t for t in answer["topics"]}
    brand = by_name["Nordlicht"]
    assert brand["totals"]["posts"] == 2  # posts 3 and 4; 1 and 2 fall in the day before
    assert brand["change"] == {"previous": 1, "absolute": 1, "percent": 100.0}  # post 2
    assert sum(brand["sparkline"]) == 2 and len(brand["sparkline"]) == len(answer["starts"])
    assert brand["sentiment"] == {"negative": 0, "neutral": 0, "positive": 1, "none": 1}
    assert brand["net"] == 1.0
    assert by_name["Bergquell"]["totals"]["posts"] == 1
    assert by_name["Bergquell"]["change"]["percent"] is None
    [source] = answer["unhealthy_sources"]
    assert source["name"] == "kaffeesatz" and "404" in source["last_error"]


def test_post_reading_insights_are_reused_only_while_the_data_is_unchanged(
    client: TestClient, database: Database
) -> None:
    params = {"since": ago(60) + "Z", "until": (NOW + timedelta(hours=1)).isoformat()}
    path = "/api/v1/topics/Nordlicht/earned-media"
    before = client.get(path, params=params).json()["total"]["followers"]
    with database.begin() as conn:  # an edit in place: the newest post id stays
        conn.execute(update(posts).values(author_followers=1000))
    assert client.get(path, params=params).json()["total"]["followers"] == before
    fresh = client.get(path, params=params, headers={"Cache-Control": "no-cache"})
    assert fresh.json()["total"]["followers"] == 4000
    with database.begin() as conn:
        conn.execute(update(posts).values(author_followers=10))
    store(database, [labelled(post("5", ago(1), handle="dora", followers=5), None, [1])])
    assert client.get(path, params=params).json()["total"]["followers"] == 4 * 10 + 5


def test_topic_and_sentiment_pages_follow_their_keys(client: TestClient) -> None:
    def texts(**params: object) -> tuple[list[str], str | None]:
        page = client.get("/api/v1/posts", params=params).json()
        return [p["text"] for p in page["posts"]], page["next_cursor"]

    assert texts(topic="Nordlicht", sentiment="none") == (["Nordlicht Versand"], None)
    first, cursor = texts(topic="Nordlicht", sentiment="positive", limit=1)
    assert first == ["Nordlicht Bergquell"]
    assert texts(topic="Nordlicht", sentiment="positive", cursor=cursor) == (
        ["Nordlicht Akku top"],
        None,
    )
    assert texts(topic="Bergquell") == (["Nordlicht Bergquell"], None)
    assert texts(topic="Bergquell", sentiment="negative") == ([], None)
    assert texts(topic="Nordlicht", query="akku", sentiment="negative")[0] == [
        "Nordlicht Akku schlecht"
    ]
