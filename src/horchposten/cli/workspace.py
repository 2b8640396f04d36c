"""The workspace a command works on: its settings, database and console."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from rich.console import Console

from horchposten.config import Settings, find_config, load_settings
from horchposten.pipeline import Pipeline
from horchposten.store.database import Database, open_database


class Workspace:
    """Loaded lazily, so ``--help`` and ``init`` work without a config file."""

    def __init__(self, config_path: str | Path | None, console: Console) -> None:
        self.config_path = find_config(config_path)
        self.console = console
        self._database: Database | None = None

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_path)

    @property
    def database(self) -> Database:
        if self._database is None:
            self._database = open_database(self.settings.database_url)
        return self._database

    def pipeline(self) -> Pipeline:
        return Pipeline(self.database, enrich_settings=self.settings.enrich)

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None
