"""``horchposten query …``: check a query and try it on posts in files; no workspace needed."""

from __future__ import annotations

from typing import BinaryIO

import click

from horchposten.errors import RejectedInput
from horchposten.query.check import Checked, check
from horchposten.query.match import compile_query
from horchposten.sources.records import Reject, read_jsonl


@click.group("query")
def query_group() -> None:
    """Check topic queries and try them on interchange JSONL, without a workspace.

    Example: horchposten query check 'nordlicht AND (kaffee OR espresso)'
    """


def check_and_warn(query: str) -> Checked:
    """Refuse a broken query (``QueryError``); show the warnings of a valid one on stderr."""
    checked = check(query)
    for warning in checked.warnings:
        click.echo(f"warning: {warning.describe()}", err=True)
    return checked


@query_group.command("check")
@click.argument("query")
def query_check(query: str) -> None:
    """Print the canonical form of a valid query, or where it goes wrong (exit code 2).

    Example: horchposten query check 'lieferung AND (verspätet OR "kommt nicht")'
    """
    click.echo(check_and_warn(query).canonical)


@query_group.command("match")
@click.argument("query")
@click.argument("file", type=click.File("rb"), default="-")
def query_match(query: str, file: BinaryIO) -> None:
    """Print the id of each post in FILE (JSONL; default stdin) that the query matches.

    Lines that are no valid posts are reported with their numbers on stderr and
    skipped; the exit code is then 2.

    Example: horchposten export --since 7d | horchposten query match 'nordlicht AND NOT kaffee'
    """
    compiled = compile_query(query)
    bad = 0
    for line, record in read_jsonl(file):
        if isinstance(record, Reject):
            bad += 1
            click.echo(f"{file.name}, line {line}: {record.reason}", err=True)
        elif compiled.matches(record):
            click.echo(record.id)
    if bad:
        raise RejectedInput(
            f"Lines that are no interchange posts were skipped: {bad} in {file.name}, listed "
            f"above with their line numbers. Every other line was matched."
        )


def register(cli: click.Group) -> None:
    cli.add_command(query_group)
