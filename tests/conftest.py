"""Shared fixtures: workspaces on SQLite and on a real PostgreSQL server, a local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from horchposten.cli import cli
from horchposten.pipeline import Pipeline
from horchposten.store.database import Database, open_database

pytest_plugins = ["localserver", "pgserver", "ui_server"]

DATA = Path(__file__).parent.parent.parent / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test runs on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'horchposten.db'}"
    server = request.getfixturevalue("postgres_server")
    return str(server.create_database())


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_database(database_url)
    yield db
    db.close()


@pytest.fixture
def pipeline(database: Database) -> Pipeline:
    return Pipeline(database)


class Cli:
    """Runs ``horchposten`` commands against one workspace, like a user would."""

    command = cli

    def __init__(self, config: Path) -> None:
        self.config = config
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(
            cli,
            ["--config", str(self.config), *args],
            input=input,
            catch_exceptions=False,
            env={"COLUMNS": "200"},
        )


@pytest.fixture
def workspace(database_url: str, tmp_path: Path) -> Cli:
    """A workspace made by 'horchposten init' on the parametrised database."""
    run = Cli(tmp_path / "horchposten.toml")
    result = run("init", "--database-url", database_url)
    assert result.exit_code == 0, result.output
    return run
