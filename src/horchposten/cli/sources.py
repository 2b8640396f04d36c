"""``horchposten source …``: add, list, test, pause, resume, remove and parse sources."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click

from horchposten.cli.output import sources_table
from horchposten.cli.params import KeyValue
from horchposten.cli.workspace import Workspace
from horchposten.errors import NotConfigured
from horchposten.plugins import plugins
from horchposten.sources.build import check_new_source, validate_source_settings
from horchposten.sources.guard import map_items, read_payload
from horchposten.sources.probe import reach_source
from horchposten.store.sources import (
    add_source,
    get_source,
    list_sources,
    remove_source,
    set_enabled,
)


@click.group("source")
def source_group() -> None:
    """Add, list and remove the sources 'horchposten run' fetches.

    Example: horchposten source add feeds techblog --url https://example.com/feed.xml
    """


@source_group.command("add")
@click.argument("kind")
@click.argument("name")
@click.option("--url", help="Shorthand for --set url=URL.")
@click.option(
    "--set", "values", multiple=True, type=KeyValue(), help="A setting KEY=VALUE; repeatable."
)
@click.pass_obj
def source_add(
    workspace: Workspace, kind: str, name: str, url: str | None, values: tuple[tuple[str, Any], ...]
) -> None:
    """Add a source of the given kind (see 'horchposten source kinds').

    Secrets are never stored in clear text: they come from the kind's variables
    (e.g. HORCHPOSTEN_REDDIT_SECRET), from [credentials.KIND] in the config file, or
    from a variable named with --set 'token={"$env": "MY_TOKEN"}' at run time.

    Example: horchposten source add feeds techcrunch --url https://techcrunch.com/feed/
    """
    settings = dict(values)
    if url:
        settings["url"] = url
    check_new_source(kind, name, settings)
    with workspace.database.begin() as conn:
        add_source(conn, name, kind, settings)
    workspace.console.print(f"Added {kind} source '{name}'. Fetch it with: horchposten run")
    try:
        validate_source_settings(kind, name, settings, workspace.settings.credentials)
    except NotConfigured as exc:
        workspace.console.print(f"Before it can run: {exc}")


@source_group.command("kinds")
@click.pass_obj
def source_kinds(workspace: Workspace) -> None:
    """List the source kinds and their settings.

    Example: horchposten source kinds
    """
    for kind, factory in sorted(plugins().source_factories().items()):
        fields = ", ".join(factory.settings_model.model_fields)
        workspace.console.print(f"[bold]{kind}[/]: {factory.description} Settings: {fields}.")


@source_group.command("list")
@click.pass_obj
def source_list(workspace: Workspace) -> None:
    """List sources with their health and last problem.

    Example: horchposten source list
    """
    with workspace.database.begin() as conn:
        records = list_sources(conn)
    if not records:
        workspace.console.print("No sources yet. Add one with: horchposten source add KIND NAME …")
        return
    workspace.console.print(sources_table(records))


@source_group.command("remove")
@click.argument("name")
@click.pass_obj
def source_remove(workspace: Workspace, name: str) -> None:
    """Remove a source; the posts it brought in stay stored.

    Example: horchposten source remove techcrunch
    """
    with workspace.database.begin() as conn:
        remove_source(conn, name)
    workspace.console.print(f"Removed source '{name}'.")


@source_group.command("pause")
@click.argument("name")
@click.pass_obj
def source_pause(workspace: Workspace, name: str) -> None:
    """Stop fetching a source until it is resumed; its cursor is kept.

    Example: horchposten source pause techcrunch
    """
    with workspace.database.begin() as conn:
        set_enabled(conn, name, enabled=False)
    workspace.console.print(f"Paused '{name}'. Resume it with: horchposten source resume {name}")


@source_group.command("resume")
@click.argument("name")
@click.pass_obj
def source_resume(workspace: Workspace, name: str) -> None:
    """Fetch a paused source again, from where it stopped.

    Example: horchposten source resume techcrunch
    """
    with workspace.database.begin() as conn:
        set_enabled(conn, name, enabled=True)
    workspace.console.print(f"Resumed '{name}'; the next run fetches it from where it stopped.")


@source_group.command("parse")
@click.argument("kind")
@click.argument("file", type=click.File("rb"))
@click.pass_obj
def source_parse(workspace: Workspace, kind: str, file: Any) -> None:
    """Map a saved raw payload of a source kind to interchange JSON Lines on stdout.

    Example: horchposten source parse feeds saved-feed.xml > posts.jsonl
    """
    factory = plugins().source_factory(kind)
    page = read_payload(factory, file.read(), file.name)
    posts, problems = map_items(factory, page.items)
    for post in posts:
        click.echo(json.dumps(post.to_interchange(), ensure_ascii=False))
    for problem in [f"{p.where}: {p.message}" for p in page.problems] + problems:
        click.echo(f"Problem: {problem}", err=True)


@source_group.command("test")
@click.argument("name")
@click.pass_obj
def source_test(workspace: Workspace, name: str) -> None:
    """Check a source's credentials and reachability; nothing is stored.

    Says exactly what is wrong, e.g. which variable holds a rejected secret.

    Example: horchposten source test techcrunch
    """
    settings = workspace.settings
    with workspace.database.begin() as conn:
        record = get_source(conn, name)
    result = asyncio.run(reach_source(record, settings))
    workspace.console.print(f"{record.kind} source '{name}': {result.detail}.")
    for problem in result.problems:
        workspace.console.print(f"Problem: {problem}")


def register(cli: click.Group) -> None:
    cli.add_command(source_group)
