"""Settings: file plus environment; wrong values name the key, the value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from horchposten.config import default_config_text, load_settings
from horchposten.errors import ConfigError, NotFound


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "horchposten.toml"
    path.write_text(default_config_text(), encoding="utf-8")
    return path


def test_defaults_and_relative_sqlite_path(config: Path) -> None:
    settings = load_settings(config, {})
    assert settings.workspace.timezone == "Europe/Berlin"
    assert settings.database_url == f"sqlite:///{config.parent / 'horchposten.db'}"


def test_environment_overrides_the_file(config: Path) -> None:
    settings = load_settings(config, {"HORCHPOSTEN_PIPELINE_BATCH_SIZE": "250"})
    assert settings.pipeline.batch_size == 250


def test_postgres_url_gets_the_shipped_driver(config: Path) -> None:
    env = {"HORCHPOSTEN_DATABASE_URL": "postgresql://listener@db.internal:5432/hp"}
    url = load_settings(config, env).database_url
    assert url == "postgresql+psycopg://listener@db.internal:5432/hp"


@pytest.mark.parametrize(
    ("env", "key", "value", "expected"),
    [
        (
            {"HORCHPOSTEN_PIPELINE_BATCH_SIZE": "lots"},
            "pipeline.batch_size",
            "lots",
            "valid integer",
        ),
        (
            {"HORCHPOSTEN_WORKSPACE_TIMEZONE": "Mars/Olympus"},
            "workspace.timezone",
            "Mars/Olympus",
            "IANA time zone",
        ),
        ({"HORCHPOSTEN_DATABASE_URL": "mysql://x"}, "database.url", "mysql://x", "PostgreSQL URL"),
        (
            {"HORCHPOSTEN_PIPELINE_QUEUE_SIZE": "0"},
            "pipeline.queue_size",
            "0",
            "greater than or equal to 1",
        ),
    ],
)
def test_bad_values_name_key_value_and_expectation(
    config: Path, env: dict[str, str], key: str, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env)
    message = str(caught.value)
    assert caught.value.key == key
    assert repr(value) in message
    assert expected in message
    assert f"HORCHPOSTEN_{key.replace('.', '_').upper()}" in message


def test_unknown_key_lists_known_ones(config: Path) -> None:
    config.write_text("[pipeline]\nbatchsize = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, {})
    assert caught.value.key == "pipeline.batchsize"
    assert "known here: batch_size, poll_interval, queue_size" in str(caught.value)
    assert str(config) in str(caught.value)


def test_invalid_toml_and_missing_file(config: Path) -> None:
    config.write_text("[pipeline\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config, {})
    with pytest.raises(NotFound, match="Run 'horchposten init'"):
        load_settings(config.parent / "nope.toml", {})


def test_secrets_come_from_the_environment(config: Path) -> None:
    config.write_text('[database]\nurl = {"$env" = "HP_DB"}\n', encoding="utf-8")
    settings = load_settings(config, {"HP_DB": "postgresql://u@h/db"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    with pytest.raises(ConfigError, match="HP_DB is not set"):
        load_settings(config, {})
