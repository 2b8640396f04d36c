"""A storage error says what the database refused and never shows where the database is."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from horchposten.config import Settings
from horchposten.errors import StorageError
from horchposten.store.database import Database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app


def test_the_api_error_names_no_connection_string(database: Database) -> None:
    with database.begin() as conn:
        token = create_token(conn, "reader", "read")[0]
        cascade = " CASCADE" if database.dialect == "postgresql" else ""
        conn.execute(text(f"DROP TABLE topics{cascade}"))  # a database that lost a table
    client = TestClient(create_app(database, Settings()), raise_server_exceptions=False)

    answer = client.get("/api/v1/topics", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 500
    message = answer.json()["error"]["message"]
    assert message.startswith("The database refused the operation (")
    url = database.engine.url
    for secret in (database.url, str(url), url.host, url.database, url.username):
        if secret:
            assert secret not in message, secret


def test_a_refused_value_is_not_blamed_on_reachability(database: Database) -> None:
    try:
        with database.begin() as conn:
            conn.execute(text("INSERT INTO topics (id, name) VALUES (1, NULL)"))
    except StorageError as exc:
        message = str(exc)
    assert "a value did not fit the database" in message
    assert "reachable" not in message
    assert database.url not in message
