"""``/api/v1/privacy``: erasure, receipts, access report and retention, for admins only."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.tokens import create_token
from horchposten.store.workspace_settings import set_retention
from horchposten.web.app import create_app
from privacy_posts import days_since_october, fill, keys
from recount import recounted_rollups, stored_rollups

Client = tuple[TestClient, dict[str, dict[str, str]]]


@pytest.fixture
def client(database: Database) -> Iterator[Client]:
    fill(database)
    with database.begin() as conn:
        tokens = {
            scope: create_token(conn, f"{scope} token", scope)[0] for scope in ("write", "admin")
        }
    headers = {scope: {"Authorization": f"Bearer {token}"} for scope, token in tokens.items()}
    with TestClient(create_app(database, Settings(), ui=False)) as test_client:
        yield test_client, headers


def test_only_admins_reach_privacy(client: Client) -> None:
    http, headers = client
    for method, path in (
        ("POST", "/api/v1/privacy/erasures"),
        ("GET", "/api/v1/privacy/erasures"),
        ("POST", "/api/v1/privacy/access"),
        ("GET", "/api/v1/privacy/retention"),
        ("POST", "/api/v1/privacy/retention"),
    ):
        answer = http.request(method, path, headers=headers["write"], json={"author": "anna"})
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["error"]["code"] == "forbidden"


def test_erasure_through_the_api(client: Client, database: Database) -> None:
    http, headers = client
    answer = http.post(
        "/api/v1/privacy/erasures",
        headers=headers["admin"],
        json={"author": "anna@example.social", "source": "mastodon"},
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert (receipt["posts"], receipt["source"], receipt["actor"]) == (
        2,
        "mastodon",
        "api admin token",
    )
    assert "anna" not in answer.text
    assert {"mastodon:a1", "mastodon:a2"}.isdisjoint(keys(database))
    assert stored_rollups(database) == recounted_rollups(database)
    listed = http.get("/api/v1/privacy/erasures", headers=headers["admin"]).json()
    assert [item["id"] for item in listed] == [receipt["id"]]
    assert listed[0]["later_posts_dropped"] == 0
    blank = http.post("/api/v1/privacy/erasures", headers=headers["admin"], json={"author": " "})
    assert blank.status_code == 422 and "handle" in blank.json()["error"]["message"]


def test_access_report_as_json_and_zip(client: Client) -> None:
    http, headers = client
    asked = {"author": "ben@example.social"}
    report = http.post("/api/v1/privacy/access", headers=headers["admin"], json=asked).json()
    assert [post["key"] for post in report["posts"]] == ["mastodon:b1", "mastodon:b2"]
    zipped = http.post(
        "/api/v1/privacy/access", headers=headers["admin"], json={**asked, "format": "zip"}
    )
    assert zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as bundle:
        inside = json.loads(bundle.read("access-report.json"))
    assert [post["key"] for post in inside["posts"]] == ["mastodon:b1", "mastodon:b2"]


def test_retention_plan_and_apply(client: Client, database: Database) -> None:
    http, headers = client
    plan = http.get("/api/v1/privacy/retention", headers=headers["admin"]).json()
    assert plan["days"] is None and plan["posts"] == 0
    refused = http.post("/api/v1/privacy/retention", headers=headers["admin"])
    assert refused.status_code == 422
    days = days_since_october()
    with database.begin() as conn:
        set_retention(conn, days)
    plan = http.get("/api/v1/privacy/retention", headers=headers["admin"]).json()
    assert (plan["days"], plan["posts"], plan["applied"]) == (days, 3, False)
    assert plan["by_source"] == {"mastodon": 3} and len(keys(database)) == 6
    done = http.post("/api/v1/privacy/retention", headers=headers["admin"]).json()
    assert done["applied"] and done["by_topic"] == plan["by_topic"]
    assert len(keys(database)) == 3
