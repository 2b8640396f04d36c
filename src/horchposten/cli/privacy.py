"""``horchposten privacy …``: retention, erasure of one person, access report (docs/privacy.md)."""

from __future__ import annotations

import getpass
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from horchposten.cli.output import when
from horchposten.cli.workspace import Workspace
from horchposten.errors import InputError
from horchposten.privacy.access import access_report, write_bundle, write_json
from horchposten.privacy.erasure import Receipt, erase_author, list_receipts
from horchposten.privacy.person import Subject
from horchposten.privacy.retention import (
    RetentionReport,
    apply_retention,
    plan_retention,
    retention_days,
)
from horchposten.privacy.suppression import list_suppressed
from horchposten.store.workspace_settings import MAX_RETENTION_DAYS


@click.group("privacy")
def privacy_group() -> None:
    """Retention, erasure of one person and access reports (docs/privacy.md).

    Example: horchposten privacy erase --author anna@mastodon.social
    """


def _counts(title: str, counts: Counter[str]) -> Table:
    table = Table(title, "Posts")
    for name, count in sorted(counts.items()):
        table.add_row(name, str(count))
    return table


def _retention_summary(console: Console, report: RetentionReport) -> None:
    verb = "Deleted" if report.applied else "Would delete"
    console.print(
        f"{verb} {report.posts} posts older than {report.days} days "
        f"(created before {when(report.cutoff)}), with their matches, enrichments, "
        "full-text entries and raw payloads; rollups are kept."
    )
    if report.posts:
        console.print(_counts("Source", report.by_source))
        console.print(_counts("Topic", report.by_topic))


@privacy_group.command("retention")
@click.option("--dry-run", "mode", flag_value="dry-run", help="Only say what would be deleted.")
@click.option("--apply", "mode", flag_value="apply", help="Delete the posts now.")
@click.option(
    "--days",
    type=click.IntRange(1, MAX_RETENTION_DAYS),
    help="Use this many days instead of the workspace's retention setting.",
)
@click.pass_obj
def retention(workspace: Workspace, mode: str | None, days: int | None) -> None:
    """Delete posts older than the workspace's retention, keeping the rollups.

    Example: horchposten privacy retention --dry-run
    """
    if mode is None:
        raise InputError("Say --dry-run to see what would be deleted, or --apply to delete it.")
    now = datetime.now(UTC)
    database = workspace.database
    with database.begin() as conn:
        chosen = days or retention_days(conn)
        if chosen is None:
            raise InputError(
                "This workspace keeps posts for ever: set 'Keep posts for (days)' under "
                "Settings → Workspace in the web UI, or give --days N."
            )
        plan = plan_retention(conn, chosen, now) if mode == "dry-run" else None
    report = plan or apply_retention(database, chosen, now)
    _retention_summary(workspace.console, report)


def _actor() -> str:
    try:
        return f"cli {getpass.getuser()}"
    except (KeyError, OSError):  # no login name in some containers
        return "cli"


def _receipt_lines(receipt: Receipt) -> str:
    where = receipt.source or "every source"
    return (
        f"Receipt {receipt.id}: {receipt.posts} posts on {where} erased at "
        f"{when(receipt.erased_at)} by {receipt.actor}; {receipt.author_profiles} author "
        f"profiles, {receipt.author_rollups} author rollup rows; handle digest "
        f"{receipt.handle_digest[:16]}…"
    )


@privacy_group.command("erase")
@click.option("--author", "handle", required=True, help="The author's handle as stored.")
@click.option("--source", help="Only on this source (default: every source).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def erase(workspace: Workspace, handle: str, source: str | None, yes: bool) -> None:
    """Erase every post of one author, keep a receipt and drop their later posts.

    Example: horchposten privacy erase --author anna@mastodon.social --source mastodon
    """
    subject = Subject.of(handle, source)
    where = f"on {subject.source}" if subject.source else "on every source"
    if not yes and not click.confirm(
        f"Erase every post of '{subject.handle}' {where} and drop their later posts?"
    ):
        raise InputError("Nothing was erased.")
    receipt = erase_author(workspace.database, subject, _actor(), datetime.now(UTC))
    workspace.console.print(_receipt_lines(receipt))
    if receipt.posts:
        workspace.console.print(_counts("Source", Counter(receipt.by_source)))
        workspace.console.print(_counts("Topic", Counter(receipt.by_topic)))


@privacy_group.command("access")
@click.option("--author", "handle", required=True, help="The author's handle as stored.")
@click.option("--source", help="Only on this source (default: every source).")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="A .zip bundle, a .json file, or - for JSON on stdout.",
)
@click.pass_obj
def access(workspace: Workspace, handle: str, source: str | None, output: str) -> None:
    """Write everything stored about one author (GDPR Art. 15) as a ZIP or JSON.

    Example: horchposten privacy access --author anna@mastodon.social -o anna.zip
    """
    subject = Subject.of(handle, source)
    with workspace.database.begin() as conn:
        report = access_report(conn, subject, datetime.now(UTC))
    if output == "-":
        write_json(report, sys.stdout)
        return
    path = Path(output)
    if path.suffix == ".json":
        with path.open("w", encoding="utf-8") as out:
            write_json(report, out)
    else:
        with path.open("wb") as binary:
            write_bundle(report, binary)
    workspace.console.print(
        f"Wrote {len(report['posts'])} posts and {len(report['author_profiles'])} author "
        f"profiles to {path}."
    )


@privacy_group.command("receipts")
@click.pass_obj
def receipts(workspace: Workspace) -> None:
    """List erasure receipts and how many later posts the suppression list dropped.

    Example: horchposten privacy receipts
    """
    with workspace.database.begin() as conn:
        found = list_receipts(conn)
        dropped = Counter[int]()
        for entry in list_suppressed(conn):
            if entry.receipt_id is not None:
                dropped[entry.receipt_id] += entry.dropped
    if not found:
        workspace.console.print("No erasures yet.")
        return
    table = Table("Receipt", "Erased", "By", "Source", "Posts", "Later posts dropped")
    for receipt in found:
        table.add_row(
            str(receipt.id),
            when(receipt.erased_at),
            receipt.actor,
            receipt.source or "every source",
            str(receipt.posts),
            str(dropped[receipt.id]),
        )
    workspace.console.print(table)


def register(cli: click.Group) -> None:
    cli.add_command(privacy_group)
