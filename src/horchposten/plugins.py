"""Loads built-in and third-party plugins into one pluggy manager.

Third-party plugins come in through the ``horchposten`` entry-point group. A
plugin that fails to load is reported in ``load_failures``, never skipped
silently; the CLI prints those failures.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

import pluggy

from horchposten import hookspecs
from horchposten.enrich.base import Enricher, EnrichSettings
from horchposten.errors import NotFound

if TYPE_CHECKING:  # for annotations only: sources build themselves through plugins()
    from horchposten.sources.base import SourceFactory

log = logging.getLogger(__name__)

BUILTIN_PLUGINS = (
    "horchposten.sources.files",
    "horchposten.sources.feeds",
    "horchposten.sources.hackernews",
    "horchposten.sources.mastodon",
    "horchposten.sources.reddit",
    "horchposten.sources.youtube",
    "horchposten.sources.bluesky",
    "horchposten.sources.jetstream",
    "horchposten.sources.webhook",
    "horchposten.enrich.language",
    "horchposten.enrich.duplicates",
    "horchposten.enrich.entities",
    "horchposten.enrich.disclosure",
    "horchposten.enrich.text_enrichers",
)


@dataclass(frozen=True)
class LoadFailure:
    plugin: str
    error: str


class Plugins:
    """The plugin manager plus what failed to load."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager("horchposten")
        self.manager.add_hookspecs(hookspecs)
        self.load_failures: list[LoadFailure] = []
        for module_name in BUILTIN_PLUGINS:
            self.manager.register(importlib.import_module(module_name), name=module_name)
        for entry_point in entry_points(group="horchposten"):
            try:
                self.manager.register(entry_point.load(), name=entry_point.name)
            except Exception as exc:  # a broken plugin must not stop the product
                failure = LoadFailure(entry_point.name, f"{type(exc).__name__}: {exc}")
                log.warning("Plugin %s failed to load: %s", failure.plugin, failure.error)
                self.load_failures.append(failure)

    def source_factories(self) -> dict[str, SourceFactory]:
        factories: dict[str, SourceFactory] = {}
        for batch in self.manager.hook.register_sources():
            for factory in batch:
                factories[factory.kind] = factory
        return factories

    def source_factory(self, kind: str) -> SourceFactory:
        factories = self.source_factories()
        if kind not in factories:
            known = ", ".join(sorted(factories))
            raise NotFound(f"There is no source kind '{kind}'. Known kinds: {known}.")
        return factories[kind]

    def enrichers(self, settings: EnrichSettings | None = None) -> list[Enricher]:
        found: list[Enricher] = []
        for batch in self.manager.hook.register_enrichers(settings=settings or EnrichSettings()):
            found.extend(batch)
        return found


@cache
def plugins() -> Plugins:
    """The process-wide plugin manager, built on first use."""
    return Plugins()
