"""``horchposten topic …``: define what to listen for."""

from __future__ import annotations

import click
from pydantic import ValidationError
from rich.panel import Panel

from horchposten.backfill import backfill_topic
from horchposten.cli.output import posts_table, progress, topics_table
from horchposten.cli.workspace import Workspace
from horchposten.errors import InputError
from horchposten.models import Topic
from horchposten.query.parse import parse
from horchposten.store.search import search_posts
from horchposten.store.topics import add_topic, get_topic, list_topics, match_counts, remove_topic

# How the topic's fields are spelled on the command line.
OPTIONS = {"name": "NAME", "query": "--query", "langs": "--lang", "sources": "--source"}


@click.group("topic")
def topic_group() -> None:
    """Create, list, show and remove topics (saved boolean queries).

    Example: horchposten topic add Nordlicht --query 'nordlicht OR "nordlicht kaffee"'
    """


@topic_group.command("add")
@click.argument("name")
@click.option(
    "--query", "-q", required=True, help='Boolean query: words, "phrases", AND, OR, NOT, ( ).'
)
@click.option(
    "--lang", "langs", multiple=True, help="Only posts in this language (ISO 639-1); repeatable."
)
@click.option(
    "--source", "sources", multiple=True, help="Only posts from this source kind; repeatable."
)
@click.pass_obj
def topic_add(
    workspace: Workspace, name: str, query: str, langs: tuple[str, ...], sources: tuple[str, ...]
) -> None:
    """Save a topic and match it against the posts already stored.

    Example: horchposten topic add Lieferung --query 'lieferung AND (verspätet OR "kommt nicht")'
    """
    parse(query)  # a broken query fails here, before anything is saved
    try:
        topic = Topic(name=name, query=query, langs=list(langs), sources=list(sources))
    except ValidationError as exc:
        problem = exc.errors()[0]
        option = OPTIONS.get(str(problem["loc"][0]), str(problem["loc"][0]))
        reason = problem["msg"].removeprefix("Value error, ")
        raise InputError(f"The topic was not saved: {option}: {reason}.") from None
    with workspace.database.begin() as conn, progress(workspace.console) as bar:
        saved = add_topic(conn, topic)
        task = bar.add_task("Matching stored posts", total=None)
        matched = backfill_topic(
            conn, saved, lambda done, total: bar.update(task, completed=done, total=total)
        )
    workspace.console.print(f"Saved topic '{saved.name}'. Stored posts matching it: {matched}.")


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
    workspace.console.print(
        Panel(f"{topic.query}\n\n{filters}\nmatched posts: {count}", title=topic.name)
    )
    if recent:
        workspace.console.print(posts_table(recent))


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


def register(cli: click.Group) -> None:
    cli.add_command(topic_group)
