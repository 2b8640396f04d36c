"""Users, sessions and the sign-in limit; ``horchposten user …``; serving with workers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from conftest import Cli
from horchposten.errors import AlreadyExists, InputError
from horchposten.store.database import Database
from horchposten.store.schema import login_failures
from horchposten.store.schema import sessions as sessions_table
from horchposten.store.sessions import (
    FAILURE_WINDOW,
    MAX_FAILURES_PER_NAME,
    clear_failures,
    count_attempt,
    find_session,
    forgive_attempt,
    retry_after,
    start_session,
)
from horchposten.store.users import (
    add_user,
    list_users,
    remove_user,
    set_role,
    verify_password,
)
from ui_server import free_port


def test_passwords_are_argon2_hashes_and_verify(database: Database) -> None:
    with database.begin() as conn:
        anna = add_user(conn, "anna", "a long secret 1", "analyst")
        stored = conn.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
        assert stored.startswith("$argon2id$") and "a long secret" not in stored
        assert verify_password(conn, "anna", "a long secret 1") == anna
        assert verify_password(conn, "anna", "a long secret 2") is None
        assert verify_password(conn, "nobody", "a long secret 1") is None
        with pytest.raises(AlreadyExists):
            add_user(conn, "anna", "another secret", "viewer")
        with pytest.raises(InputError, match="at least 10"):
            add_user(conn, "bert", "short", "viewer")
        with pytest.raises(InputError, match="no role 'owner'"):
            add_user(conn, "bert", "long enough 1", "owner")


def test_the_last_admin_stays(database: Database) -> None:
    with database.begin() as conn:
        add_user(conn, "ada", "a long secret 1", "admin")
        with pytest.raises(InputError, match="last admin"):
            remove_user(conn, "ada")
        with pytest.raises(InputError, match="last admin"):
            set_role(conn, "ada", "viewer")
        add_user(conn, "bob", "a long secret 1", "admin")
        remove_user(conn, "ada")
        assert [u.name for u in list_users(conn)] == ["bob"]


def test_sessions_end_when_they_expire_or_the_user_goes(database: Database) -> None:
    with database.begin() as conn:
        ada = add_user(conn, "ada", "a long secret 1", "admin")
        carl = add_user(conn, "carl", "a long secret 1", "viewer")
        live = start_session(conn, ada)
        old = start_session(conn, carl)
        found = find_session(conn, live)
        assert found is not None and found.user == ada and len(found.csrf_token) > 30
        assert find_session(conn, live + "x") is None
        past = datetime.now(UTC) - timedelta(seconds=1)
        conn.execute(update(sessions_table).values(expires_at=past))
        assert find_session(conn, live) is None
        conn.execute(update(sessions_table).values(expires_at=past + timedelta(days=1)))
        remove_user(conn, "carl")  # the session goes with the user (ON DELETE CASCADE)
        assert find_session(conn, old) is None
        assert find_session(conn, live) is not None


def test_sign_in_failures_are_limited_per_name_and_per_address(database: Database) -> None:
    now = datetime.now(UTC)
    with database.begin() as conn:
        for _ in range(MAX_FAILURES_PER_NAME - 1):
            assert count_attempt(conn, "Anna", "10.0.0.1").wait == 0
        assert retry_after(conn, "anna", "10.0.0.1") == 0
        assert count_attempt(conn, "anna", "10.0.0.1").wait == 0  # the fifth is counted
        refused = count_attempt(conn, "ANNA ", "10.0.0.9")  # names count case-blind
        assert 0 < refused.wait <= FAILURE_WINDOW.total_seconds() + 1 and refused.ids == ()
        assert retry_after(conn, "anna", "10.0.0.9", now=now) > 0
        assert retry_after(conn, "bert", "10.0.0.9") == 0
        later = datetime.now(UTC) + FAILURE_WINDOW + timedelta(seconds=1)
        assert retry_after(conn, "anna", "10.0.0.1", now=later) == 0
        for number in range(20):
            count_attempt(conn, f"user{number}", "10.0.0.2")
        assert count_attempt(conn, "fresh", "10.0.0.2").wait > 0
        clear_failures(conn, "anna")
        assert retry_after(conn, "anna", "10.0.0.1") == 0
        # A right password forgives the attempt it came with, for the address too.
        right = count_attempt(conn, "cem", "10.0.0.3")
        forgive_attempt(conn, "cem", right)
        assert conn.execute(select(func.count()).select_from(login_failures)).scalar_one() == (
            MAX_FAILURES_PER_NAME * 2 + 20 * 2 - MAX_FAILURES_PER_NAME
        )


def test_user_commands(workspace: Cli) -> None:
    env_password = {"HORCHPOSTEN_PASSWORD": "from the environment"}
    added = workspace.runner.invoke(
        workspace.command,
        ["--config", str(workspace.config), "user", "add", "ada", "--admin"],
        env=env_password,
    )
    assert added.exit_code == 0, added.output
    assert "from the environment" not in added.output
    typed = workspace(
        "user", "add", "vic", "--role", "viewer", input="typed secret 1\ntyped secret 1\n"
    )
    assert typed.exit_code == 0, typed.output
    assert "typed secret" not in typed.output
    listed = workspace("user", "list")
    assert re.search(r"ada\s+│\s+admin", listed.output) and re.search(
        r"vic\s+│\s+viewer", listed.output
    )
    short = workspace("user", "passwd", "vic", input="short\nshort\n")
    assert short.exit_code == 1 and "at least 10" in short.output
    changed = workspace("user", "passwd", "vic", input="new secret 12\nnew secret 12\n")
    assert changed.exit_code == 0, changed.output
    last = workspace("user", "remove", "ada")
    assert last.exit_code == 1 and "last admin" in last.output
    assert workspace("user", "remove", "vic").exit_code == 0
    assert "vic" not in workspace("user", "list").output


def test_demo_without_serving_prints_a_working_admin(tmp_path: Path) -> None:
    run = Cli(tmp_path / "unused.toml")
    result = run("demo", "--dir", str(tmp_path / "demo"), "--no-serve")
    assert result.exit_code == 0, result.output
    password = re.search(r"User\s+demo\s+│\s+│ Password\s+(\S+)", result.output)
    assert password is not None
    again = run("demo", "--dir", str(tmp_path / "demo"), "--no-serve")
    new_password = re.search(r"Password\s+(\S+)", again.output)
    assert new_password is not None and new_password.group(1) != password.group(1)
    from horchposten.store.database import open_database

    database = open_database(f"sqlite:///{tmp_path / 'demo' / 'horchposten.db'}")
    with database.begin() as conn:
        assert verify_password(conn, "demo", new_password.group(1)) is not None
        assert verify_password(conn, "demo", password.group(1)) is None
    database.close()


def test_serve_with_workers_shares_sessions_through_the_database(workspace: Cli) -> None:
    workspace.runner.invoke(
        workspace.command,
        ["--config", str(workspace.config), "user", "add", "ada", "--admin"],
        env={"HORCHPOSTEN_PASSWORD": "a long secret 1"},
    )
    port = free_port()
    command = [sys.executable, "-m", "horchposten", "--config", str(workspace.config), "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ | {"COLUMNS": "200"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as client:
            for _ in range(200):
                try:
                    form = client.get("/signin")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise AssertionError("the server did not start")
            token = client.cookies["hp_signin"]
            signed_in = client.post(
                "/signin", data={"name": "ada", "password": "a long secret 1", "csrf_token": token}
            )
            assert signed_in.status_code == 303, form.text
            # Whichever worker answers knows the session: it lives in the database.
            for _ in range(20):
                assert client.get("/settings").status_code == 200
                assert client.get("/api/v1/topics").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
        output = b"".join(stream.read() for stream in (server.stdout, server.stderr) if stream)
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()
    assert b"Serving the web UI" in output


def test_token_list_and_revoke(workspace: Cli) -> None:
    created = workspace("token", "create", "nightly-export", "--scope", "read")
    secret = created.output.strip().splitlines()[-1]
    listed = workspace("token", "list")
    assert "nightly-export" in listed.output and secret not in listed.output
    token_id = re.search(r"(\d+)\s+│\s+nightly-export", listed.output)
    assert token_id is not None
    assert workspace("token", "revoke", token_id.group(1)).exit_code == 0
    assert "nightly-export" not in workspace("token", "list").output
    again = workspace("token", "revoke", token_id.group(1))
    assert again.exit_code == 1 and "no API token" in again.output
