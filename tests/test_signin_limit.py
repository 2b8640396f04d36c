"""Signing in: the limit under parallel guesses through a real server, and the form's
CSRF token bound to the server; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.sessions import MAX_FAILURES_PER_NAME
from horchposten.store.users import add_user
from horchposten.web.app import create_app
from ui_server import free_port

GUESSES = 30


@pytest.fixture
def server(database: Database) -> Iterator[str]:
    with database.begin() as conn:
        add_user(conn, "ada", "the right password 1", "admin")
    port = free_port()
    config = uvicorn.Config(create_app(database, Settings()), port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        assert thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(server: str) -> None:
    form = httpx.get(server + "/signin")
    token = form.cookies["hp_signin"]
    start = threading.Barrier(GUESSES)

    def guess(number: int) -> int:
        with httpx.Client(base_url=server, cookies={"hp_signin": token}, timeout=60) as client:
            start.wait()
            data = {"name": "ada", "password": f"guess {number}", "csrf_token": token}
            return client.post("/signin", data=data).status_code

    with ThreadPoolExecutor(GUESSES) as pool:
        statuses = list(pool.map(guess, range(GUESSES)))
    # 401: the password was checked and wrong; 429: refused before checking.
    assert statuses.count(401) == MAX_FAILURES_PER_NAME, statuses
    assert statuses.count(429) == GUESSES - MAX_FAILURES_PER_NAME
    right = {"name": "ada", "password": "the right password 1", "csrf_token": token}
    refused = httpx.post(server + "/signin", data=right, cookies={"hp_signin": token})
    assert refused.status_code == 429


def test_the_sign_in_form_needs_a_token_the_server_issued(database: Database) -> None:
    with database.begin() as conn:
        add_user(conn, "ada", "the right password 1", "admin")
    right = {"name": "ada", "password": "the right password 1"}
    with TestClient(create_app(database, Settings())) as client:
        # A cookie and a form field that agree, chosen by someone who could set the cookie.
        client.cookies.set("hp_signin", "chosen-by-an-attacker")
        forged = client.post("/signin", data=right | {"csrf_token": "chosen-by-an-attacker"})
        assert forged.status_code == 403
        assert "hp_session" not in client.cookies
        token = forged.cookies["hp_signin"]  # the 403 page issued a real one
        client.cookies.clear()
        client.cookies.set("hp_signin", token)
        assert token != "chosen-by-an-attacker"
        signed_in = client.post(
            "/signin", data=right | {"csrf_token": token}, follow_redirects=False
        )
        assert signed_in.status_code == 303 and "hp_session" in client.cookies
    with TestClient(create_app(database, Settings())) as other:
        # A used token is gone, even with its cookie.
        other.cookies.set("hp_signin", token)
        again = other.post("/signin", data=right | {"csrf_token": token})
        assert again.status_code == 403


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_are_for_signed_in_users_only(database: Database, path: str) -> None:
    with database.begin() as conn:
        add_user(conn, "ada", "the right password 1", "viewer")
    with TestClient(create_app(database, Settings())) as client:
        anonymous = client.get(path, follow_redirects=False)
        assert anonymous.status_code == 303
        assert anonymous.headers["location"] == f"/signin?next={path}"
        token = client.get("/signin").cookies["hp_signin"]
        right = {"name": "ada", "password": "the right password 1", "csrf_token": token}
        assert client.post("/signin", data=right).status_code == 200  # redirected home
        assert "swagger-ui" in client.get(path).text or "redoc" in client.get(path).text
