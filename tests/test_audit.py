"""The audit log on SQLite and PostgreSQL: what is recorded, what never is, who may read
it, CSV/JSON export, and pruning by the workspace's retention."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from analytics_posts import labelled, post, store, topics
from conftest import Cli
from horchposten.config import Settings
from horchposten.errors import InputError
from horchposten.privacy.audit import entries, prune_audit, record
from horchposten.store.database import Database, open_database
from horchposten.store.tokens import create_token
from horchposten.store.users import add_user
from horchposten.store.workspace_settings import (
    DEFAULT_AUDIT_RETENTION_DAYS,
    audit_retention,
    set_audit_retention,
)
from horchposten.web.api.postpages import Position
from horchposten.web.app import create_app

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
POST_TEXT = "Nordlicht Akku sehr privat"
PASSWORD = "a long secret 1"


def test_record_reads_newest_first_and_cuts_long_values(database: Database) -> None:
    with database.begin() as conn:
        record(conn, "user ada", "sign-in", details={"address": "127.0.0.1"}, now=NOW)
        record(conn, "user bob", "export", "Nordlicht", {"format": "csv", "q": "x" * 5000}, now=NOW)
        found = entries(conn)
        assert [e.actor for e in found] == ["user bob", "user ada"]
        assert found[0].target == "Nordlicht" and len(found[0].details["q"]) == 200
        assert [e.actor for e in entries(conn, action="sign-in")] == ["user ada"]
        assert [e.action for e in entries(conn, actor="user bob")] == ["export"]
        assert [e.actor for e in entries(conn, before=found[0].id)] == ["user ada"]
        assert entries(conn, since=NOW + timedelta(seconds=1)) == []


def test_prune_keeps_a_year_unless_the_workspace_says_otherwise(database: Database) -> None:
    with database.begin() as conn:
        for days in (400, 100, 10):
            record(conn, "user ada", "sign-in", str(days), now=NOW - timedelta(days=days))
        assert audit_retention(conn) == DEFAULT_AUDIT_RETENTION_DAYS == 365
    assert prune_audit(database, NOW) == 1
    with database.begin() as conn:
        assert [e.target for e in entries(conn)] == ["10", "100"]
        set_audit_retention(conn, 30)
        with pytest.raises(InputError, match="between 1 and 36500 days"):
            set_audit_retention(conn, 0)
    assert prune_audit(database, NOW) == 1
    with database.begin() as conn:
        assert [e.target for e in entries(conn)] == ["10"]


class Api:
    def __init__(self, client: TestClient, tokens: dict[str, str]) -> None:
        self.client = client
        self.tokens = tokens

    def get(self, scope: str, path: str, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[scope]}"}
        return self.client.get(f"/api/v1{path}", params=params, headers=headers)


@pytest.fixture
def api(database: Database) -> Iterator[Api]:
    with database.begin() as conn:
        scopes = ("read", "write", "admin")
        tokens = {scope: create_token(conn, f"{scope}-token", scope)[0] for scope in scopes}
    (brand,) = topics(database, "Nordlicht")
    store(database, [labelled(post("1", "2026-10-24T21:30", text=POST_TEXT), "positive", [brand])])
    with TestClient(create_app(database, Settings())) as client:
        yield Api(client, tokens)


def _log(database: Database) -> list[tuple[str, str, str]]:
    with database.begin() as conn:
        return [(e.actor, e.action, e.target) for e in reversed(entries(conn))]


def test_api_views_exports_and_changes_are_audited(api: Api, database: Database) -> None:
    assert api.get("read", "/posts", topic="Nordlicht", query="akku").status_code == 200
    further = Position(datetime(2026, 11, 1, tzinfo=UTC), "x:1").token()  # a later page's cursor
    assert api.get("read", "/posts", topic="Nordlicht", cursor=further).status_code == 200
    assert api.get("read", "/topics/Nordlicht/export", format="csv").status_code == 200
    assert api.get("read", "/topics/Nowhere/export").status_code == 404
    assert api.get("read", "/topics/Nordlicht/volume").status_code == 200
    write = {"Authorization": f"Bearer {api.tokens['write']}"}
    made = api.client.post(
        "/api/v1/topics", json={"name": "Bergquell", "query": "bergquell"}, headers=write
    )
    assert made.status_code == 201
    assert _log(database) == [
        ("token read-token", "view-posts", "Nordlicht"),
        ("token read-token", "export", "Nordlicht"),
        ("token write-token", "change-topic", ""),
    ]
    with database.begin() as conn:
        viewed, exported, changed = reversed(entries(conn))
    assert viewed.details == {"topic": "Nordlicht", "query": "akku"}
    assert exported.details == {"format": "csv"}
    assert changed.details == {"method": "POST"}


def test_only_admins_read_and_export_the_log(api: Api, database: Database) -> None:
    api.get("read", "/posts", topic="Nordlicht")
    assert api.get("write", "/audit").status_code == 403
    answer = api.get("admin", "/audit")
    assert answer.status_code == 200
    body = answer.json()
    assert body["retention_days"] == 365 and body["next_before"] is None
    assert [(e["actor"], e["action"]) for e in body["entries"]] == [
        ("token read-token", "view-posts")
    ]
    as_csv = api.get("admin", "/audit", format="csv", action="view-audit")
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [(r["actor"], r["action"]) for r in rows] == [("token admin-token", "view-audit")]
    admin = {"Authorization": f"Bearer {api.tokens['admin']}"}
    assert (
        api.client.put("/api/v1/audit/retention", json={"days": 0}, headers=admin).status_code
        == 422
    )
    assert api.client.put("/api/v1/audit/retention", json={"days": 90}, headers=admin).json() == {
        "days": 90
    }
    assert api.get("admin", "/audit", limit="1").json()["retention_days"] == 90
    assert _log(database)[-2:] == [
        ("token admin-token", "change-settings", "retention"),
        ("token admin-token", "view-audit", ""),
    ]


def test_the_log_holds_no_post_text_and_no_secret(api: Api, database: Database) -> None:
    api.get("read", "/posts", topic="Nordlicht")
    api.get("read", "/posts/1/thread")
    api.get("read", "/topics/Nordlicht/export")
    dump = json.dumps(api.get("admin", "/audit").json())
    assert "view-post" in dump and "export" in dump
    assert "Akku sehr privat" not in dump
    assert not any(token in dump for token in api.tokens.values())


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def test_ui_sign_in_settings_dashboard_and_sign_out_are_audited(database: Database) -> None:
    with database.begin() as conn:
        add_user(conn, "ada", PASSWORD, "admin")
    (topic_id,) = topics(database, "Nordlicht")
    app = create_app(database, Settings())
    with TestClient(app, follow_redirects=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
        assert token
        form = {"name": "ada", "csrf_token": token.group(1)}
        assert client.post("/signin", data=form | {"password": "wrong password"}).status_code == 401
        assert client.post("/signin", data=form | {"password": PASSWORD}).status_code == 303
        csrf = _csrf(client.get(f"/topics/{topic_id}").text)
        saved = client.post(
            "/settings/workspace",
            data={"timezone": "Europe/Berlin", "retention_days": "30", "csrf_token": csrf},
        )
        assert saved.status_code == 303
        assert client.post("/signout", data={"csrf_token": csrf}).status_code == 303
    log = _log(database)
    assert [(actor, action) for actor, action, _ in log] == [
        ("user ada", "sign-in-failed"),
        ("user ada", "sign-in"),
        ("user ada", "view-dashboard"),
        ("user ada", "change-settings"),
        ("user ada", "sign-out"),
    ]
    assert log[2][2] == str(topic_id) and log[3][2] == "workspace"
    dump = json.dumps([e.as_dict() for e in entries(database.engine.connect())])
    assert PASSWORD not in dump and "wrong password" not in dump


def test_cli_export_is_audited(workspace: Cli, database_url: str) -> None:
    assert workspace("export", "--format", "csv").exit_code == 0
    database = open_database(database_url)
    try:
        with database.begin() as conn:
            (entry,) = entries(conn)
    finally:
        database.close()
    assert entry.actor.startswith("cli ") and entry.action == "export"
    assert entry.details == {"format": "csv", "posts": "0"}


def _signed_in(client: TestClient, name: str) -> str:
    """Signs ``name`` in; the session's CSRF token."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
    assert token
    form = {"name": name, "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/signin", data=form).status_code == 303
    return _csrf(client.get("/settings").text)


def test_the_audit_page_is_for_admins_in_german_and_english(database: Database) -> None:
    with database.begin() as conn:
        add_user(conn, "ada", PASSWORD, "admin")
        add_user(conn, "vic", PASSWORD, "viewer")
    app = create_app(database, Settings())
    with TestClient(app, follow_redirects=False) as viewer:
        _signed_in(viewer, "vic")
        assert viewer.get("/audit").status_code == 403
        assert viewer.get("/api/v1/audit").status_code == 403
    with TestClient(app, follow_redirects=False, headers={"Accept-Language": "en"}) as admin:
        csrf = _signed_in(admin, "ada")
        page = admin.get("/audit")
        assert page.status_code == 200 and "Audit log" in page.text
        assert 'data-action="sign-in"' in page.text and "user vic" in page.text
        assert "/api/v1/audit?limit=10000&amp;format=csv" in page.text
        assert admin.get("/api/v1/audit", params={"format": "csv"}).status_code == 200
        refused = admin.post("/audit/retention", data={"days": "0", "csrf_token": csrf})
        assert refused.status_code == 422 and "1 to 36500 days" in refused.text
        saved = admin.post("/audit/retention", data={"days": "30", "csrf_token": csrf})
        assert saved.status_code == 303
        assert 'value="30"' in admin.get("/audit?notice=retention").text
        filtered = admin.get("/audit", params={"action": "sign-in", "actor": "user vic"})
        assert filtered.text.count('data-action="') == 1
    with TestClient(app, follow_redirects=False, headers={"Accept-Language": "de"}) as admin:
        _signed_in(admin, "ada")
        german = admin.get("/audit").text
        assert "Audit-Protokoll" in german and "Angemeldet" in german
    with database.begin() as conn:
        assert audit_retention(conn) == 30
        changed = entries(conn, action="change-settings")
    assert [(e.actor, e.target) for e in changed] == [("user ada", "retention")]
