"""The ``/privacy`` page for admins, in German and English, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.sessions import find_session, start_session
from horchposten.store.users import add_user, get_user, set_locale
from horchposten.store.workspace_settings import set_retention
from horchposten.web.app import create_app
from horchposten.web.session_auth import CSRF_FIELD, SESSION_COOKIE
from privacy_posts import days_since_october, fill, keys


class Browser:
    """A signed-in user's requests: the session cookie, and the CSRF token on changes."""

    def __init__(self, client: TestClient, database: Database, name: str) -> None:
        with database.begin() as conn:
            secret = start_session(conn, get_user(conn, name))
            session = find_session(conn, secret)
        assert session is not None
        self.client, self.csrf = client, session.csrf_token
        client.cookies.set(SESSION_COOKIE, secret)

    def get(self, path: str, **params: str) -> httpx.Response:
        return self.client.get(path, params=params or None, follow_redirects=False)

    def post(self, path: str, **form: str) -> httpx.Response:
        data = {CSRF_FIELD: self.csrf, **form}
        return self.client.post(path, data=data, follow_redirects=False)


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    fill(database)
    with database.begin() as conn:
        add_user(conn, "ada", "a long secret 1", "admin")
        add_user(conn, "vic", "a long secret 2", "analyst")
        set_locale(conn, get_user(conn, "ada").id, "de")
    with TestClient(create_app(database, Settings())) as test_client:
        yield test_client


def test_the_page_speaks_german_and_english(client: TestClient, database: Database) -> None:
    admin = Browser(client, database, "ada")
    german = admin.get("/privacy")
    assert german.status_code == 200
    assert "Autor oder Autorin löschen" in german.text and "Noch keine Löschungen." in german.text
    with database.begin() as conn:
        set_locale(conn, get_user(conn, "ada").id, "en")
    english = admin.get("/privacy")
    assert "Erase an author" in english.text and "No erasures yet." in english.text


def test_only_admins_open_it(client: TestClient, database: Database) -> None:
    analyst = Browser(client, database, "vic")
    assert analyst.get("/privacy").status_code == 403
    refused = analyst.post("/privacy/erase", author="anna@example.social", confirm="yes")
    assert refused.status_code == 403
    assert analyst.post("/privacy/access", author="anna@example.social").status_code == 403
    assert "mastodon:a1" in keys(database)


def test_an_admin_erases_after_confirming(client: TestClient, database: Database) -> None:
    admin = Browser(client, database, "ada")
    unconfirmed = admin.post("/privacy/erase", author="anna@example.social")
    assert unconfirmed.status_code == 422 and "Häkchen" in unconfirmed.text
    assert "mastodon:a1" in keys(database)
    blank = admin.post("/privacy/erase", author="  ", confirm="yes")
    assert blank.status_code == 422 and "Handle" in blank.text
    done = admin.post("/privacy/erase", author="anna@example.social", confirm="yes")
    assert done.status_code == 303 and done.headers["location"].startswith("/privacy?notice=")
    assert {"mastodon:a1", "mastodon:a2"}.isdisjoint(keys(database))
    page = admin.get(done.headers["location"])
    assert "der Beleg steht unten" in page.text and "user ada" in page.text
    assert "anna" not in page.text


def test_an_admin_downloads_an_access_report(client: TestClient, database: Database) -> None:
    admin = Browser(client, database, "ada")
    answer = admin.post("/privacy/access", author="ben@example.social", source="mastodon")
    assert answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as bundle:
        report = json.loads(bundle.read("access-report.json"))
    assert [post["key"] for post in report["posts"]] == ["mastodon:b1", "mastodon:b2"]


def test_the_page_shows_and_applies_retention(client: TestClient, database: Database) -> None:
    admin = Browser(client, database, "ada")
    assert "für immer" in admin.get("/privacy").text
    assert admin.post("/privacy/retention").status_code == 422
    with database.begin() as conn:
        set_retention(conn, days_since_october())
    page = admin.get("/privacy").text
    assert "Jetzt zur Löschung fällige Beiträge: 3." in page
    assert admin.post("/privacy/retention").status_code == 303
    assert len(keys(database)) == 3
