"""The plugin seams. Built-in sources and enrichers register through them too."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from horchposten.enrich.base import Enricher, EnrichSettings
    from horchposten.sources.base import SourceFactory

hookspec = pluggy.HookspecMarker("horchposten")
hookimpl = pluggy.HookimplMarker("horchposten")


@hookspec
def register_sources() -> list[SourceFactory]:  # type: ignore[empty-body]
    """Return the source factories (connector kinds) this plugin provides."""


@hookspec
def register_enrichers(settings: EnrichSettings) -> list[Enricher]:  # type: ignore[empty-body]
    """Return the enrichers this plugin provides, set up for the workspace's ``[enrich]``."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add click commands to the ``horchposten`` command group."""
