"""``horchposten import`` and ``run``: pull content in (``source …`` is in ``sources.py``)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from rich.markup import escape

from horchposten.cli.output import import_summary, progress, run_table
from horchposten.cli.params import KeyValue
from horchposten.cli.workspace import Workspace
from horchposten.errors import InputError, RejectedInput, StorageError
from horchposten.import_reader import ImportOptions
from horchposten.importer import import_file
from horchposten.pipeline import Stored
from horchposten.pipeline.scheduler import SourceReport, follow, run_pass
from horchposten.privacy.housekeeping import keep_house


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), help="Default: from the extension."
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    type=KeyValue(json_values=False),
    help="CSV: FIELD=COLUMN, e.g. --map text=Content --map author.handle=Username.",
)
@click.option("--timezone", help="CSV: zone for times written without one, e.g. Europe/Berlin.")
@click.option(
    "--source", default="files", show_default=True, help="Source name for records without one."
)
@click.option("--encoding", default="utf-8-sig", show_default=True, help="CSV text encoding.")
@click.option("--rejects", type=click.Path(path_type=Path), help="Where to write rejected lines.")
@click.pass_obj
def import_command(
    workspace: Workspace,
    file: Path,
    fmt: str | None,
    mappings: tuple[tuple[str, str], ...],
    timezone: str | None,
    source: str,
    encoding: str,
    rejects: Path | None,
) -> None:
    """Import posts from a JSON Lines (interchange format) or CSV file.

    Importing the same file again adds nothing; edited posts are updated in place.
    Bad lines go to FILE.rejects.jsonl with line number and reason, the good ones
    are stored, and the exit code is 2 when anything was rejected.

    Example: horchposten import export.csv --map text=Content --timezone Europe/Berlin
    """
    try:
        zone = ZoneInfo(timezone) if timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"--timezone {timezone!r} is not an IANA zone such as Europe/Berlin."
        ) from None
    options = ImportOptions(fmt, dict(mappings), zone, source, encoding, rejects)
    settings = workspace.settings
    total = file.stat().st_size if file.is_file() else 0
    with progress(workspace.console, bytes_total=True) as bar:
        task = bar.add_task(f"Importing {file.name}", total=total)
        report = import_file(
            workspace.pipeline(),
            file,
            options,
            batch_size=settings.pipeline.batch_size,
            queue_size=settings.pipeline.queue_size,
            on_progress=lambda size: bar.advance(task, size),
        )
    import_summary(workspace.console, report)
    if report.rejected:
        raise RejectedInput(
            f"{file.name}: {report.rejected} of {report.read} records were rejected; "
            f"every good one was stored."
        )


@click.command("run")
@click.option(
    "--follow",
    "keep_following",
    is_flag=True,
    help="Keep polling every pipeline.poll_interval seconds.",
)
@click.pass_obj
def run_command(workspace: Workspace, keep_following: bool) -> None:
    """Fetch every enabled source once (or keep polling with --follow).

    Ctrl-C stops cleanly after the batch being stored; the cursor of every stored
    batch is saved, so the next run resumes there.

    Example: horchposten run --follow
    """
    asyncio.run(_run(workspace, keep_following))


async def _run(workspace: Workspace, keep_following: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def interrupted() -> None:
        workspace.console.print("Stopping after the current batch …")
        stop.set()
        loop.remove_signal_handler(signal.SIGINT)  # a second Ctrl-C stops at once

    loop.add_signal_handler(signal.SIGINT, interrupted)
    console = workspace.console

    def show(reports: list[SourceReport]) -> None:
        if not reports:
            console.print(
                "No enabled sources to fetch. Add one with: horchposten source add KIND NAME …, "
                "or resume a paused one with: horchposten source resume NAME"
            )
            return
        console.print(run_table(reports))

    def failed(error: StorageError) -> None:
        interval = workspace.settings.pipeline.poll_interval
        console.print(
            f"[bold red]This pass failed:[/] {escape(str(error))} Trying again in {interval:g} s."
        )

    with progress(console) as bar:
        task = bar.add_task("Storing posts", total=None)

        def stored(event: Stored) -> None:
            bar.advance(task, event.size_hint)

        try:
            if keep_following:
                await asyncio.gather(
                    follow(workspace.pipeline, workspace.settings, stop, show, failed, stored),
                    keep_house(workspace.database, stop),
                )
            else:
                show(await run_pass(workspace.pipeline(), workspace.settings, stop, stored))
        finally:
            loop.remove_signal_handler(signal.SIGINT)


def register(cli: click.Group) -> None:
    for command in (import_command, run_command):
        cli.add_command(command)
