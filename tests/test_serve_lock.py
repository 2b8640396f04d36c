"""One source scheduler per workspace, however its database URL is written."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from horchposten.config import Settings
from horchposten.store.database import open_database
from horchposten.web.collector import Collector, scheduler_lock_path


def test_the_same_sqlite_file_gets_the_same_lock_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = scheduler_lock_path("sqlite:///w/h.db")
    assert relative == scheduler_lock_path(f"sqlite:///{tmp_path}/w/h.db")
    assert relative != scheduler_lock_path("sqlite:///other/h.db")
    assert relative != scheduler_lock_path("postgresql://listener@localhost/h")


def test_a_second_collector_of_the_workspace_stays_off(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'h.db'}")
    lock = tmp_path / "scheduler.lock"

    async def both() -> tuple[bool, bool, bool]:
        first, second = Collector(database, Settings(), lock), Collector(database, Settings(), lock)
        async with first, second:
            running = first.running, second.running
        async with Collector(database, Settings(), lock) as third:  # the lock was released
            return (*running, third.running)

    try:
        assert asyncio.run(both()) == (True, False, True)
    finally:
        database.close()
