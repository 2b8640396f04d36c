"""Pseudonymous authors on SQLite and PostgreSQL: in exports (CLI and API) on request,
and at ingest in a workspace that keeps only pseudonyms."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from conftest import Cli
from horchposten.config import Settings, load_settings
from horchposten.models import Post
from horchposten.pipeline import Batch, Pipeline
from horchposten.privacy.audit import entries
from horchposten.privacy.pseudonyms import pseudonym
from horchposten.store.database import Database, open_database
from horchposten.store.tokens import create_token
from horchposten.store.users import add_user
from horchposten.store.workspace_settings import (
    pseudonym_key,
    pseudonymise_authors,
    set_pseudonymise_authors,
)
from horchposten.web.app import create_app

AUTHORS = [("anna", "Anna A."), ("ben", "Ben B."), ("anna", "Anna A.")]


def _posts() -> list[dict[str, Any]]:
    return [
        {
            "id": str(number),
            "source": "mastodon",
            "text": f"Nordlicht Akku {number}",
            "created_at": f"2026-11-0{number + 1}T10:00:00Z",
            "url": f"https://social.example/@{handle}/{number}",
            "author": {
                "handle": handle,
                "name": name,
                "followers": 10 * (number + 1),
                "url": f"https://social.example/@{handle}",
            },
        }
        for number, (handle, name) in enumerate(AUTHORS)
    ]


def test_a_pseudonym_is_stable_for_a_key_and_reveals_nothing() -> None:
    key, other = b"k" * 32, b"o" * 32
    assert pseudonym(key, "anna") == pseudonym(key, "anna") != pseudonym(key, "ben")
    assert pseudonym(key, "anna") != pseudonym(other, "anna")
    assert re.fullmatch(r"anon-[0-9a-f]{20}", pseudonym(key, "anna"))


def _import(workspace: Cli, tmp_path: Path) -> None:
    lines = tmp_path / "posts.jsonl"
    lines.write_text("".join(json.dumps(p) + "\n" for p in _posts()), encoding="utf-8")
    assert workspace("topic", "add", "Nordlicht", "--query", "nordlicht").exit_code == 0
    assert workspace("import", str(lines)).exit_code == 0


def _exported(workspace: Cli, *args: str) -> list[dict[str, Any]]:
    result = workspace("export", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_pseudonymise_replaces_authors_and_links(workspace: Cli, tmp_path: Path) -> None:
    _import(workspace, tmp_path)
    plain = _exported(workspace)
    assert [p["author"]["handle"] for p in plain] == ["anna", "ben", "anna"]
    hidden = _exported(workspace, "--pseudonymise")
    handles = [p["author"]["handle"] for p in hidden]
    assert handles[0] == handles[2] != handles[1] and handles[0].startswith("anon-")
    assert _exported(workspace, "--pseudonymise") == hidden  # stable in the workspace
    text = json.dumps(hidden)
    assert not any(word in text for word in ("anna", "Anna", "ben", "Ben", "social.example"))
    assert [p["author"]["followers"] for p in hidden] == [10, 20, 30]
    assert [p["text"] for p in hidden] == [p["text"] for p in plain]

    settings = load_settings(workspace.config)
    database = open_database(settings.database_url)
    try:
        with database.begin() as conn:
            token = create_token(conn, "agency", "read")[0]
            exports = entries(conn, action="export")
        assert exports[0].details["pseudonymise"] == "True"
        with TestClient(create_app(database, settings)) as client:
            answer = client.get(
                "/api/v1/topics/Nordlicht/export",
                params={"pseudonymise": "true", "since": "2026-01-01T00:00:00Z"},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert answer.status_code == 200, answer.text
        api = [json.loads(line) for line in answer.text.splitlines()]
        assert [p["author"]["handle"] for p in api] == handles
        assert "social.example" not in answer.text
    finally:
        database.close()


def test_a_workspace_can_store_authors_only_as_pseudonyms(database: Database) -> None:
    with database.begin() as conn:
        assert not pseudonymise_authors(conn)
        set_pseudonymise_authors(conn, True)
        key = pseudonym_key(conn)
    pipeline = Pipeline(database)
    batch = Batch([Post.model_validate(p) for p in _posts()])
    assert pipeline.store(pipeline.prepare(batch)).result.new == 3
    with database.begin() as conn:
        stored = conn.exec_driver_sql(
            "SELECT author_handle, author_name, author_url, url, raw FROM posts ORDER BY id"
        ).all()
        authors = conn.exec_driver_sql("SELECT handle, name, url FROM authors").all()
        assert pseudonym_key(conn) == key
    assert [row[0] for row in stored] == [pseudonym(key, h) for h, _ in AUTHORS]
    assert all(row[1:] == (None, None, None, None) for row in stored)
    assert sorted(authors) == sorted({(pseudonym(key, h), None, None) for h, _ in AUTHORS})


def test_the_workspace_form_switches_pseudonyms_at_ingest(database: Database) -> None:
    with database.begin() as conn:
        add_user(conn, "ada", "a long secret 1", "admin")
    with TestClient(create_app(database, Settings()), follow_redirects=False) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text)
        assert token
        form = {"name": "ada", "password": "a long secret 1", "csrf_token": token.group(1)}
        assert client.post("/signin", data=form).status_code == 303
        page = client.get("/settings").text
        assert 'name="pseudonymise_authors" value="on" aria' in page  # not checked yet
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert csrf
        fields = {"timezone": "Europe/Berlin", "csrf_token": csrf.group(1)}
        saved = client.post("/settings/workspace", data=fields | {"pseudonymise_authors": "on"})
        assert saved.status_code == 303
        assert 'value="on" checked' in client.get("/settings").text
        with database.begin() as conn:
            assert pseudonymise_authors(conn)
        client.post("/settings/workspace", data=fields)
        with database.begin() as conn:
            assert not pseudonymise_authors(conn)
