"""Input that once made the API answer 500: deep nesting, lone surrogates; on SQLite and PostgreSQL.

Each must get the one error shape (or ``valid: false`` where an endpoint checks a query).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from analytics_posts import labelled, post, store, topics
from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

DEEP = "(" * 300 + "akku" + ")" * 300
SURROGATE = "akku \ud800"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with database.begin() as conn:
        token = create_token(conn, "robust", "write")[0]
    [brand] = topics(database, "Nordlicht")
    store(database, [labelled(post("1", "2026-10-24T21:30", text="Nordlicht Akku"), None, [brand])])
    with TestClient(create_app(database, Settings())) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def _json(text: str) -> bytes:
    """``{"query": text}`` with a lone surrogate escaped, as a browser's JSON.stringify sends it."""
    return ('{"query": "' + text.encode("unicode_escape").decode() + '"}').encode()


def _refused(answer: object, words: str) -> None:
    assert answer.status_code == 422, answer.text  # type: ignore[attr-defined]
    error = answer.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "invalid_input" and words in error["message"], error


@pytest.mark.parametrize("path", ["/api/v1/query/check", "/api/v1/query/preview"])
def test_a_checked_query_nested_too_deep_is_invalid_at_its_position(
    client: TestClient, path: str
) -> None:
    answer = client.post(path, json={"query": DEEP})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["valid"] is False
    assert "more than 50 deep" in body["error"]["message"]
    assert body["error"]["column"] == 51


def test_a_saved_or_searched_query_nested_too_deep_is_refused(client: TestClient) -> None:
    _refused(client.post("/api/v1/topics", json={"name": "Tief", "query": DEEP}), "50 deep")
    _refused(client.get("/api/v1/posts", params={"query": DEEP}), "50 deep")


def test_a_lone_surrogate_in_a_checked_query_is_invalid_at_its_position(
    client: TestClient,
) -> None:
    answer = client.post("/api/v1/query/check", content=_json(SURROGATE), headers=JSON)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["valid"] is False
    assert "U+D800, half of a UTF-16 surrogate pair" in body["error"]["message"]
    assert body["error"]["column"] == 6


@pytest.mark.parametrize("path", ["/api/v1/topics", "/api/v1/query/preview"])
def test_a_lone_surrogate_in_a_saved_or_previewed_query_is_refused(
    client: TestClient, path: str
) -> None:
    body = b'{"name": "S", "query": "akku \\ud800"}'
    answer = client.post(path, content=body, headers=JSON)
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["error"]["details"]
    assert problem["location"] == "body.query" and "unicode" in problem["problem"]


@pytest.mark.parametrize("name", ["Lieferprobleme / delivery issues", "..", "</script>", "2026"])
def test_a_topic_is_addressed_by_its_id_whatever_its_name(client: TestClient, name: str) -> None:
    created = client.post("/api/v1/topics", json={"name": name, "query": "akku"})
    assert created.status_code == 201, created.text
    path = f"/api/v1/topics/{created.json()['id']}"
    assert client.get(path).json()["name"] == name
    volume = client.get(path + "/volume", params={"since": "2026-10-24T00:00:00Z"})
    assert volume.status_code == 200, volume.text
    changed = client.patch(path, json={"query": "nordlicht"})
    assert changed.status_code == 200 and changed.json()["query"] == "nordlicht"
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404


def test_a_plain_name_in_the_path_still_finds_its_topic(client: TestClient) -> None:
    found = client.get("/api/v1/topics/Nordlicht")
    assert found.status_code == 200 and found.json()["name"] == "Nordlicht"
    assert client.get("/api/v1/topics/Nordlicht/volume").status_code == 200
    missing = client.get("/api/v1/topics/99999999999999999999999")
    assert missing.status_code == 404 and "no topic named" in missing.json()["error"]["message"]
