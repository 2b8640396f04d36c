"""The scheduled round of serve and run --follow: retention and the audit log's pruning."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from horchposten.privacy.audit import entries, record
from horchposten.privacy.housekeeping import house_round, keep_house
from horchposten.store.database import Database
from horchposten.store.workspace_settings import set_audit_retention, set_retention
from privacy_posts import NOW, days_since_october, fill, keys


def test_a_round_applies_the_retention_and_prunes_the_audit_log(database: Database) -> None:
    fill(database)
    with database.begin() as conn:
        set_retention(conn, 30)
        set_audit_retention(conn, 10)
        record(conn, "user anna", "export", "Nordlicht", now=NOW - timedelta(days=11))
        record(conn, "user anna", "export", "Bergquell", now=NOW - timedelta(days=9))

    house_round(database, NOW)

    assert keys(database) == {"mastodon:a2", "bluesky:a3", "mastodon:b2"}
    with database.begin() as conn:
        assert [entry.target for entry in entries(conn)] == ["Bergquell"]


def test_keep_house_runs_a_round_at_once_and_ends_with_its_stop(database: Database) -> None:
    fill(database)
    with database.begin() as conn:
        set_retention(conn, days_since_october())  # counted from the real now

    async def run_briefly() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(keep_house(database, stop, interval=3600))
        await asyncio.sleep(0.5)
        stop.set()
        await asyncio.wait_for(task, timeout=10)

    asyncio.run(run_briefly())
    assert keys(database) == {"mastodon:a2", "bluesky:a3", "mastodon:b2"}
