"""``horchposten topic …``: define what to listen for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import click
from pydantic import ValidationError
from rich.markup import escape
from rich.panel import Panel
from sqlalchemy import Connection

from horchposten.backfill import backfill_topic, preview_topic
from horchposten.cli.output import posts_table, progress, topics_table, when
from horchposten.cli.params import Entity, Since
from horchposten.cli.query import check_and_warn
from horchposten.cli.workspace import Workspace
from horchposten.errors import InputError
from horchposten.models import EntityKind, EntityTerm, Topic
from horchposten.store.search import search_posts
from horchposten.store.topics import (
    add_topic,
    get_topic,
    list_topics,
    match_counts,
    remove_topic,
    update_topic,
)

# How the topic's fields are spelled on the command line.
OPTIONS = {
    "name": "NAME",
    "query": "--query",
    "langs": "--lang",
    "sources": "--source",
    "entities": "--brand/--product/--person",
    "own_accounts": "--own-account",
}
OWN_ACCOUNT_HELP = (
    "The brand's own account, SOURCE:HANDLE (e.g. bluesky:nordlichtkaffee.bsky.social); "
    "influencer rankings leave it out. Repeatable."
)


# Kind, option, parameter name, example.
_ENTITY_OPTIONS: tuple[tuple[EntityKind, str, str, str], ...] = (
    ("brand", "--brand", "brands", "Nivea|NIVEA Men"),
    ("product", "--product", "products", "Nivea Creme|blaue Dose"),
    ("person", "--person", "people", "Vincent Warnery|V. Warnery"),
)


def _entity_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--brand``, ``--product`` and ``--person``: the topic's entity dictionary."""
    for kind, option, plural, example in reversed(_ENTITY_OPTIONS):
        command = click.option(
            option,
            plural,
            multiple=True,
            type=Entity(kind),
            help=f"A {kind} to recognise: name, then aliases after '|': '{example}'; repeatable.",
        )(command)
    return command


@click.group("topic")
def topic_group() -> None:
    """Create, try, edit, list, show and remove topics (saved boolean queries).

    Example: horchposten topic add Nordlicht --query 'nordlicht OR "nordlicht kaffee"'
    """


@topic_group.command("add")
@click.argument("name")
@click.option(
    "--query",
    "-q",
    required=True,
    help="The query (docs/query-language.md); check it with 'horchposten query check'.",
)
@click.option(
    "--lang", "langs", multiple=True, help="Only posts in this language (ISO 639-1); repeatable."
)
@click.option(
    "--source", "sources", multiple=True, help="Only posts from this source kind; repeatable."
)
@_entity_options
@click.option("--own-account", "own_accounts", multiple=True, help=OWN_ACCOUNT_HELP)
@click.pass_obj
def topic_add(
    workspace: Workspace,
    name: str,
    query: str,
    langs: tuple[str, ...],
    sources: tuple[str, ...],
    brands: tuple[EntityTerm, ...],
    products: tuple[EntityTerm, ...],
    people: tuple[EntityTerm, ...],
    own_accounts: tuple[str, ...],
) -> None:
    """Save a topic and match it against the posts already stored.

    Example: horchposten topic add Nivea --query 'nivea OR #nivea' --brand 'Nivea|NIVEA Men'
    --own-account mastodon:nivea_de
    """
    check_and_warn(query)  # a broken query fails here, before anything is saved
    with _checked_fields():
        topic = Topic(
            name=name,
            query=query,
            langs=list(langs),
            sources=list(sources),
            entities=[*brands, *products, *people],
            own_accounts=list(own_accounts),
        )
    with workspace.database.begin() as conn:
        saved = add_topic(conn, topic)
        matched = _rematch(workspace, conn, saved)
    workspace.console.print(f"Saved topic '{saved.name}'. Stored posts matching it: {matched}.")


@topic_group.command("edit")
@click.argument("name")
@click.option("--query", "-q", help="The new boolean query.")
@click.option(
    "--lang", "langs", multiple=True, help="Replace the languages (ISO 639-1); repeatable."
)
@click.option("--source", "sources", multiple=True, help="Replace the source kinds; repeatable.")
@click.option("--all-langs", is_flag=True, help="Drop the language filter: posts in any language.")
@click.option("--all-sources", is_flag=True, help="Drop the source filter: posts from any source.")
@click.option("--rename", "new_name", help="A new name for the topic.")
@_entity_options
@click.option("--clear-entities", is_flag=True, help="Empty the topic's dictionary of entities.")
@click.option(
    "--own-account", "own_accounts", multiple=True, help="Replace the own accounts; repeatable."
)
@click.option("--no-own-accounts", is_flag=True, help="Forget the topic's own accounts.")
@click.option(
    "--no-backfill",
    is_flag=True,
    help="Save only: stored posts keep their matches until 'horchposten topic backfill'.",
)
@click.pass_obj
def topic_edit(
    workspace: Workspace,
    name: str,
    query: str | None,
    langs: tuple[str, ...],
    sources: tuple[str, ...],
    all_langs: bool,
    all_sources: bool,
    new_name: str | None,
    brands: tuple[EntityTerm, ...],
    products: tuple[EntityTerm, ...],
    people: tuple[EntityTerm, ...],
    clear_entities: bool,
    own_accounts: tuple[str, ...],
    no_own_accounts: bool,
    no_backfill: bool,
) -> None:
    """Change a topic's query, filters, name or entities, then match the stored posts again.

    Options not given stay as they are; --brand, --product and --person together
    replace the whole dictionary of entities.

    Example: horchposten topic edit Nordlicht --query 'nordlicht AND NOT polarlicht' --lang de
    """
    entities = _new_entities([*brands, *products, *people], clear_entities)
    new_langs = _new_filter(list(langs), all_langs, "--lang", "--all-langs")
    new_sources = _new_filter(list(sources), all_sources, "--source", "--all-sources")
    new_own = _new_filter(list(own_accounts), no_own_accounts, "--own-account", "--no-own-accounts")
    if (
        query is None
        and new_langs is None
        and new_sources is None
        and new_name is None
        and entities is None
        and new_own is None
    ):
        raise click.UsageError(
            "Nothing to change: give --query, --lang, --all-langs, --source, --all-sources, "
            "--rename, --own-account, --no-own-accounts, --brand, --product, --person or "
            "--clear-entities."
        )
    if query is not None:
        check_and_warn(query)  # a broken query fails here, before anything is saved
    with workspace.database.begin() as conn:
        with _checked_fields(rename=True):
            topic = update_topic(
                conn,
                name,
                query=query,
                langs=new_langs,
                sources=new_sources,
                new_name=new_name,
                entities=entities,
                own_accounts=new_own,
            )
        matching_changed = query is not None or new_langs is not None or new_sources is not None
        matched = _rematch(workspace, conn, topic) if matching_changed and not no_backfill else None
    if matched is not None:
        workspace.console.print(f"Saved topic '{topic.name}'. Stored posts matching it: {matched}.")
    elif matching_changed:
        workspace.console.print(
            f"Saved topic '{topic.name}'. Stored posts keep the matches of the old version "
            f"until you run: horchposten topic backfill '{topic.name}'"
        )
    else:
        workspace.console.print(f"Saved topic '{topic.name}'; its matches stay as they are.")


def _new_filter(given: list[str], clear: bool, option: str, clear_option: str) -> list[str] | None:
    """The language or source filter ``topic edit`` saves, or ``None`` to keep the current one."""
    if clear and given:
        raise click.UsageError(
            f"{clear_option} drops the filter; give it without {option}, or leave it out "
            f"to replace the filter with the {option} values."
        )
    return [] if clear else given or None


def _new_entities(given: list[EntityTerm], clear: bool) -> list[EntityTerm] | None:
    """The dictionary ``topic edit`` saves, or ``None`` to keep the current one."""
    if clear and given:
        raise click.UsageError(
            "--clear-entities empties the dictionary; give it without --brand, --product "
            "and --person, or leave it out to replace the dictionary with them."
        )
    return [] if clear else given or None


@topic_group.command("backfill")
@click.argument("name")
@click.option(
    "--since",
    type=Since(),
    help="Only posts since then: 30d, 12h, 2w or a date (default: all posts).",
)
@click.pass_obj
def topic_backfill(workspace: Workspace, name: str, since: datetime | None) -> None:
    """Match the stored posts against a topic again, replacing its earlier matches.

    Example: horchposten topic backfill Nordlicht --since 30d
    """
    with workspace.database.begin() as conn:
        topic = get_topic(conn, name)
        matched = _rematch(workspace, conn, topic, since)
    span = f" since {when(since)}" if since else ""
    workspace.console.print(
        f"Re-matched '{topic.name}'. Stored posts{span} matching it: {matched}."
    )


@topic_group.command("test")
@click.argument("query")
@click.option("--since", type=Since(), help="Only posts since then: 30d, 12h, 2w or a date.")
@click.option(
    "--lang", "langs", multiple=True, help="Only posts in this language (ISO 639-1); repeatable."
)
@click.option(
    "--source", "sources", multiple=True, help="Only posts from this source kind; repeatable."
)
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.pass_obj
def topic_test(
    workspace: Workspace,
    query: str,
    since: datetime | None,
    langs: tuple[str, ...],
    sources: tuple[str, ...],
    limit: int,
) -> None:
    """Try a query on the stored posts without saving anything: count, rate, newest matches.

    Example: horchposten topic test 'lieferung AND (verspätet OR "kommt nicht")' --since 30d
    """
    check_and_warn(query)
    with _checked_fields():
        topic = Topic(name="test", query=query, langs=list(langs), sources=list(sources))
    with workspace.database.begin() as conn:
        preview = preview_topic(conn, topic, since=since, limit=limit)
    if preview.start is None:
        workspace.console.print("No posts are stored yet; import or fetch some first.")
        return
    workspace.console.print(
        f"Stored posts matching since {when(preview.start)}: {preview.matches}, about "
        f"{preview.per_day:.1f} per day over {preview.days:.1f} days. Nothing was saved."
    )
    if preview.newest:
        workspace.console.print(posts_table(preview.newest, title="Newest matches"))


@topic_group.command("list")
@click.pass_obj
def topic_list(workspace: Workspace) -> None:
    """List every topic with its filters and matched posts.

    Example: horchposten topic list
    """
    with workspace.database.begin() as conn:
        topics, counts = list_topics(conn), match_counts(conn)
    if not topics:
        workspace.console.print(
            "No topics yet. Add one with: horchposten topic add NAME --query '…'"
        )
        return
    workspace.console.print(topics_table(topics, counts))


@topic_group.command("show")
@click.argument("name")
@click.option("--limit", default=10, show_default=True, help="How many recent matches to show.")
@click.pass_obj
def topic_show(workspace: Workspace, name: str, limit: int) -> None:
    """Show a topic's query, filters, match count and most recent matches.

    Example: horchposten topic show Nordlicht --limit 5
    """
    with workspace.database.begin() as conn:
        topic = get_topic(conn, name)
        count = match_counts(conn).get(topic.id or 0, 0)
        recent = search_posts(conn, "", topic_id=topic.id, limit=limit)
    langs, sources = ", ".join(topic.langs) or "all", ", ".join(topic.sources) or "all"
    filters = f"languages: {langs}; sources: {sources}"
    filters += f"\nown accounts: {', '.join(topic.own_accounts) or 'none'}"
    workspace.console.print(
        Panel(
            f"{topic.query}\n\n{filters}\nmatched posts: {count}{_entity_lines(topic)}",
            title=topic.name,
        )
    )
    if recent:
        workspace.console.print(posts_table(recent))


def _entity_lines(topic: Topic) -> str:
    lines = [
        f"\n  {term.kind} {term.name}" + (f": {', '.join(term.aliases)}" if term.aliases else "")
        for term in topic.entities
    ]
    return escape("\nentities:" + "".join(lines)) if lines else "\nentities: none"


@topic_group.command("remove")
@click.argument("name")
@click.pass_obj
def topic_remove(workspace: Workspace, name: str) -> None:
    """Remove a topic with its matches and rollups; the posts stay stored.

    Example: horchposten topic remove Nordlicht
    """
    with workspace.database.begin() as conn:
        remove_topic(conn, name)
    workspace.console.print(f"Removed topic '{name}'. Its posts stay stored.")


@contextmanager
def _checked_fields(*, rename: bool = False) -> Iterator[None]:
    """Invalid topic fields become an error that names the option to fix."""
    try:
        yield
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = str(problem["loc"][0])
        option = "--rename" if rename and field == "name" else OPTIONS.get(field, field)
        reason = problem["msg"].removeprefix("Value error, ")
        raise InputError(f"The topic was not saved: {option}: {reason}.") from None


def _rematch(
    workspace: Workspace, conn: Connection, topic: Topic, since: datetime | None = None
) -> int:
    """``backfill_topic`` with a progress bar."""
    with progress(workspace.console) as bar:
        task = bar.add_task("Matching stored posts", total=None)
        return backfill_topic(
            conn,
            topic,
            lambda done, total: bar.update(task, completed=done, total=total),
            since=since,
        )


def register(cli: click.Group) -> None:
    cli.add_command(topic_group)
