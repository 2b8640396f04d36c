"""Credentials at rest on SQLite and PostgreSQL: stored encrypted, decrypted only when a
source is built, re-encrypted by ``secrets rotate``, never in an answer or a log."""

from __future__ import annotations

import asyncio
import json
import logging
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet

from conftest import FIXTURES, Cli
from horchposten.config import load_settings
from horchposten.errors import ConfigError, NotConfigured
from horchposten.privacy.audit import entries
from horchposten.privacy.secrets import KEY_ENV, decrypt, encrypt, load_key
from horchposten.sources.build import validate_source_settings
from horchposten.sources.webhook import WebhookSettings
from horchposten.store.database import open_database
from horchposten.store.sources import get_source
from horchposten.web.app import create_app
from horchposten.web.ingest import router

TOKEN = "s3cret-push-token-4711"
BATCH: list[dict[str, Any]] = json.loads((FIXTURES / "webhook/batch.json").read_bytes())


@pytest.fixture(autouse=True)
def no_key_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


def test_a_key_comes_from_the_environment_else_a_private_file(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured) as missing:
        load_key(tmp_path, {})
    assert KEY_ENV in str(missing.value) and str(tmp_path / "horchposten.key") in str(missing.value)
    made = load_key(tmp_path, {}, create=True)
    assert stat.S_IMODE((tmp_path / "horchposten.key").stat().st_mode) == 0o600
    assert load_key(tmp_path, {}) == made and made.value.decode() not in repr(made)
    other = Fernet.generate_key().decode()
    assert load_key(tmp_path, {KEY_ENV: other}).value == other.encode()
    with pytest.raises(ConfigError, match=KEY_ENV):
        load_key(tmp_path, {KEY_ENV: "too short"})
    stored = encrypt(made, TOKEN)
    assert TOKEN not in json.dumps(stored) and decrypt(made, stored, "token") == TOKEN
    with pytest.raises(ConfigError, match=f"cannot be decrypted with the key from {KEY_ENV}"):
        decrypt(load_key(tmp_path, {KEY_ENV: other}), stored, "token")


def _push(workspace: Cli, token: str) -> httpx.Response:
    settings = load_settings(workspace.config)
    database = open_database(settings.database_url)
    app = create_app(database, settings)
    app.include_router(router)

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://horch") as client:
            headers = {"Authorization": f"Bearer {token}"}
            return await client.post("/ingest/scraper", json=BATCH, headers=headers)

    try:
        return asyncio.run(send())
    finally:
        database.close()


def _stored_settings(workspace: Cli) -> dict[str, Any]:
    database = open_database(load_settings(workspace.config).database_url)
    try:
        with database.begin() as conn:
            return get_source(conn, "scraper").settings
    finally:
        database.close()


def test_a_credential_is_stored_encrypted_and_used_when_the_source_is_built(
    workspace: Cli, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    assert workspace("source", "add", "webhook", "scraper").exit_code == 0
    wrong = workspace("secrets", "set", "scraper", "password", input=TOKEN + "\n")
    assert wrong.exit_code == 1 and "it has: token" in wrong.output
    saved = workspace("secrets", "set", "scraper", "token", input=TOKEN + "\n")
    assert saved.exit_code == 0, saved.output
    assert TOKEN not in saved.output
    key_file = workspace.config.parent / "horchposten.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    settings = _stored_settings(workspace)
    assert set(settings["token"]) == {"$encrypted"} and TOKEN not in json.dumps(settings)
    built = validate_source_settings(
        "webhook", "scraper", settings, config_dir=workspace.config.parent
    )
    assert isinstance(built, WebhookSettings) and built.token is not None
    assert built.token.get_secret_value() == TOKEN and TOKEN not in repr(built)
    assert _push(workspace, TOKEN).status_code == 200
    refused = _push(workspace, "guess")
    assert refused.status_code == 401 and TOKEN not in refused.text
    listed = workspace("source", "list")
    assert TOKEN not in listed.output and "gAAAA" not in listed.output
    assert TOKEN not in caplog.text
    database = open_database(load_settings(workspace.config).database_url)
    try:
        with database.begin() as conn:
            (entry,) = entries(conn, action="change-source")
    finally:
        database.close()
    assert entry.target == "scraper" and entry.details == {"secret": "token"}


def test_rotate_re_encrypts_under_a_new_key_file(workspace: Cli) -> None:
    workspace("source", "add", "webhook", "scraper")
    workspace("secrets", "set", "scraper", "token", input=TOKEN + "\n")
    key_file = workspace.config.parent / "horchposten.key"
    old = key_file.read_bytes()
    before = _stored_settings(workspace)["token"]
    rotated = workspace("secrets", "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert "Re-encrypted 1 credentials" in rotated.output
    assert key_file.read_bytes() != old and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not key_file.with_name("horchposten.key.new").exists()
    after = _stored_settings(workspace)["token"]
    assert after != before
    assert Fernet(key_file.read_bytes().strip()).decrypt(after["$encrypted"]).decode() == TOKEN
    assert _push(workspace, TOKEN).status_code == 200


def test_rotate_with_the_key_in_the_environment_prints_the_new_key_once(
    workspace: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    workspace("source", "add", "webhook", "scraper")
    workspace("secrets", "set", "scraper", "token", input=TOKEN + "\n")
    assert not (workspace.config.parent / "horchposten.key").exists()
    rotated = workspace("secrets", "rotate")
    new = rotated.output.strip().splitlines()[-1]
    assert f"Set {KEY_ENV} to the new key" in rotated.output
    monkeypatch.setenv(KEY_ENV, new)
    assert _push(workspace, TOKEN).status_code == 200


def test_a_missing_key_names_both_places(workspace: Cli) -> None:
    workspace("source", "add", "webhook", "scraper")
    workspace("secrets", "set", "scraper", "token", input=TOKEN + "\n")
    (workspace.config.parent / "horchposten.key").unlink()
    refused = _push(workspace, TOKEN)
    message = refused.json()["error"]["message"]
    assert refused.status_code == 503 and KEY_ENV in message and "horchposten.key" in message
