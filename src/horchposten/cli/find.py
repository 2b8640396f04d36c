"""``horchposten search`` and ``export``: find posts again and take them elsewhere."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from horchposten.cli.output import posts_table, progress
from horchposten.cli.params import Since
from horchposten.cli.query import check_and_warn
from horchposten.cli.workspace import Workspace
from horchposten.export import FORMATS, write_posts
from horchposten.privacy.audit import cli_actor, record
from horchposten.privacy.pseudonyms import pseudonymise_post
from horchposten.query.match import CompiledQuery
from horchposten.store.search import iter_posts, search_posts
from horchposten.store.topics import get_topic
from horchposten.store.workspace_settings import pseudonym_key

WHERE_HELP = (
    "Only posts this query matches: the topic language with fields like "
    "sentiment:negative, author:NAME, likes:[10 TO *] (docs/query-language.md)."
)


@click.command("search")
@click.argument("words", default="")
@click.option("--topic", help="Only posts matched by this topic.")
@click.option("--where", help=WHERE_HELP)
@click.option("--since", type=Since(), help="Only posts since then: 7d, 12h, 30m, 2w or a date.")
@click.option("--lang", help="Only posts in this language (ISO 639-1).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option(
    "--json", "as_json", is_flag=True, help="Print interchange JSON Lines instead of a table."
)
@click.pass_obj
def search_command(
    workspace: Workspace,
    words: str,
    topic: str | None,
    since: datetime | None,
    lang: str | None,
    where: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search: posts containing all the words, newest first.

    Matching ignores case and accents, like topic queries: 'cafe' finds 'Café'.

    Example: horchposten search 'lieferung verspätet' --topic Nordlicht --since 7d --lang de

    Example: horchposten search --where 'nordlicht AND sentiment:negative AND likes:[10 TO *]'
    """
    condition = _where(where)
    with workspace.database.begin() as conn:
        topic_id = get_topic(conn, topic).id if topic else None
        found = search_posts(
            conn, words, topic_id=topic_id, since=since, lang=lang, where=condition, limit=limit
        )
    if as_json:
        for post in found:
            click.echo(json.dumps(post.to_interchange(), ensure_ascii=False))
        return
    if not found:
        workspace.console.print("No posts found.")
        return
    workspace.console.print(posts_table(found))
    workspace.console.print(f"{len(found)} posts shown (newest first, at most {limit}).")


@click.command("export")
@click.option("--topic", help="Only posts matched by this topic (default: all posts).")
@click.option("--where", help=WHERE_HELP)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--since", type=Since(), help="Only posts since then: 7d, 12h, 30m, 2w or a date.")
@click.option("--lang", help="Only posts in this language (ISO 639-1).")
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Authors as keyed pseudonyms (stable in this workspace); no names or links.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
@click.pass_obj
def export_command(
    workspace: Workspace,
    topic: str | None,
    fmt: str,
    since: datetime | None,
    lang: str | None,
    where: str | None,
    pseudonymise: bool,
    output: Path | None,
) -> None:
    """Write posts in the interchange format, oldest first, streaming.

    Example: horchposten export --topic Nordlicht --format csv -o nordlicht.csv

    Example: horchposten export --where 'toxicity:toxic OR disclosure:undisclosed' -o review.jsonl

    Example: horchposten export --topic Nordlicht --pseudonymise -o for-the-agency.jsonl
    """
    condition = _where(where)
    with workspace.database.begin() as conn:
        topic_id = get_topic(conn, topic).id if topic else None
        posts = iter_posts(conn, topic_id=topic_id, since=since, lang=lang, where=condition)
        if pseudonymise:
            key = pseudonym_key(conn)
            posts = (pseudonymise_post(post, key) for post in posts)
        if output is None:
            count = write_posts(posts, sys.stdout, fmt)
        else:
            with (
                output.open("w", encoding="utf-8", newline="") as out,
                progress(workspace.console) as bar,
            ):
                task = bar.add_task(f"Writing {output.name}", total=None)
                count = write_posts(bar.track(posts, task_id=task), out, fmt)
        exported = {"format": fmt, "since": since, "lang": lang, "where": where, "posts": count}
        exported["pseudonymise"] = pseudonymise or None
        record(
            conn,
            cli_actor(),
            "export",
            topic or "",
            {k: v for k, v in exported.items() if v is not None},
            now=datetime.now(UTC),
        )
    if output is not None:
        workspace.console.print(f"Wrote {count} posts to {output}.")


def _where(query: str | None) -> CompiledQuery | None:
    """The ``--where`` query compiled, after showing its warnings; a broken one stops here."""
    if query is None:
        return None
    return CompiledQuery(query, check_and_warn(query).node)


def register(cli: click.Group) -> None:
    cli.add_command(search_command)
    cli.add_command(export_command)
