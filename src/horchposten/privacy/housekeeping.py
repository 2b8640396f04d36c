"""Privacy's scheduled duties in the long-running processes: retention and the audit log's own.

``serve`` (in the process that runs the source scheduler) and ``run --follow``
call ``keep_house``: once at start and then every ``interval`` seconds it
deletes posts past the workspace's retention (rollups kept) and audit entries
past theirs. Both are idempotent, so a missed or repeated round costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from horchposten.errors import HorchpostenError
from horchposten.privacy.audit import prune_audit
from horchposten.privacy.retention import run_retention
from horchposten.store.database import Database

log = logging.getLogger("horchposten.privacy")

HOURLY = 3600.0


def house_round(database: Database, now: datetime) -> None:
    """One round: retention, then the audit log's retention; a failure waits for the next."""
    try:
        run_retention(database, now)
        pruned = prune_audit(database, now)
    except HorchpostenError as exc:
        log.warning("Retention did not run this round and is tried again later: %s", exc)
        return
    if pruned:
        log.info("Audit log: %d entries past their retention deleted.", pruned)


async def keep_house(database: Database, stop: asyncio.Event, interval: float = HOURLY) -> None:
    """Run ``house_round`` now and every ``interval`` seconds until ``stop`` is set."""
    while not stop.is_set():
        await asyncio.to_thread(house_round, database, datetime.now(UTC))
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            continue
