"""What ``horchposten serve`` switches on and off, said once at start-up with the reason.

A source whose credentials are missing or whose settings no longer validate is
switched off here, loudly, instead of failing quietly on every pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from horchposten.config import Settings
from horchposten.errors import HorchpostenError
from horchposten.plugins import plugins
from horchposten.sources.build import validate_record
from horchposten.store.database import Database
from horchposten.store.sources import SourceRecord, list_sources

log = logging.getLogger("horchposten.serve")


@dataclass(frozen=True)
class Component:
    kind: str  # "source", "enricher", "plugin"
    name: str
    on: bool
    reason: str


def source_state(record: SourceRecord, settings: Settings) -> Component:
    if not record.enabled:
        reason = f"paused; resume it with: horchposten source resume {record.name}"
        return Component("source", record.name, False, reason)
    try:
        validate_record(record, settings)
    except HorchpostenError as exc:
        return Component("source", record.name, False, str(exc))
    return Component("source", record.name, True, record.kind)


def components(database: Database, settings: Settings) -> list[Component]:
    """Every source, enricher and plugin of the workspace, on or off."""
    with database.begin() as conn:
        records = list_sources(conn)
    found = [source_state(record, settings) for record in records]
    found += [
        Component("enricher", enricher.name, True, f"version {enricher.version}")
        for enricher in plugins().enrichers(settings.enrich)
    ]
    found += [
        Component("plugin", failure.plugin, False, f"failed to load: {failure.error}")
        for failure in plugins().load_failures
    ]
    return found


def log_components(database: Database, settings: Settings, *, ingest: bool) -> None:
    found = components(database, settings)
    if not ingest:
        log.info("Source scheduler: off (--no-ingest); this process serves only.")
    if not any(c.kind == "source" for c in found):
        log.info("Sources: none yet; add one with: horchposten source add KIND NAME …")
    for component in found:
        state = "on " if component.on else "off"
        line = f"{component.kind.capitalize()} {state} {component.name}: {component.reason}"
        (log.info if component.on else log.warning)(line)
