"""Plugins come in through entry points and hooks; a broken one is reported, not skipped."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from horchposten.cli import cli
from horchposten.enrich.base import EnrichSettings
from horchposten.hookspecs import hookimpl
from horchposten.plugins import Plugins, plugins
from horchposten.store.schema import enrichments


@pytest.fixture
def broken_distribution(tmp_path: Path) -> Iterator[None]:
    """An installed distribution whose 'horchposten' entry point cannot be imported."""
    info = tmp_path / "horchposten_broken-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: horchposten-broken\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text("[horchposten]\nbroken = horchposten_missing_module\n")
    sys.path.insert(0, str(tmp_path))
    yield
    sys.path.remove(str(tmp_path))


def test_a_plugin_that_fails_to_load_is_reported(broken_distribution: None) -> None:
    loaded = Plugins()
    [failure] = loaded.load_failures
    assert failure.plugin == "broken"
    assert "No module named 'horchposten_missing_module'" in failure.error
    assert {"feeds", "files", "hackernews"} <= set(loaded.source_factories())  # built-ins work


@click.command("hello")
def hello() -> None:
    """Say hello from a plugin.

    Example: horchposten hello
    """
    click.echo("hello from a plugin")


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(hello)


def test_plugins_add_commands() -> None:
    module = sys.modules[__name__]
    plugins().manager.register(module)
    try:
        result = CliRunner().invoke(cli, ["hello"])
        assert result.exit_code == 0, result.output
        assert result.output == "hello from a plugin\n"
        assert "hello" in CliRunner().invoke(cli, ["--help"]).output
    finally:
        plugins().manager.unregister(module)
        cli.commands.pop("hello", None)


def test_every_builtin_enricher_version_fits_the_stored_column() -> None:
    for settings in (EnrichSettings(), EnrichSettings(tier="accurate")):
        for enricher in plugins().enrichers(settings):
            assert len(enricher.version) <= enrichments.c.version.type.length, enricher.name
