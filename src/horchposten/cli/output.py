"""How results look in the terminal: tables, summaries and progress bars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import Console
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from horchposten.cli.invocation import horchposten_command
from horchposten.demo.run import DemoResult
from horchposten.importer import ImportReport
from horchposten.models import Post, Topic
from horchposten.pipeline.scheduler import SourceReport
from horchposten.store.sources import SourceRecord


def progress(console: Console, *, bytes_total: bool = False) -> Progress:
    """A progress bar that stays silent when output is not a terminal."""
    columns = [TextColumn("{task.description}"), BarColumn(), TaskProgressColumn()]
    if not bytes_total:
        columns.append(MofNCompleteColumn())
    return Progress(
        *columns, TimeRemainingColumn(), console=console, disable=not console.is_terminal
    )


def import_summary(console: Console, report: ImportReport) -> None:
    stored = report.stored
    console.print(
        f"{report.path.name}: {report.accepted} accepted ({stored.new} new, {stored.updated} "
        f"updated), {report.duplicates} duplicates, {report.rejected} rejected; "
        f"{stored.matched} topic matches."
    )
    if report.rejects_path is not None:
        console.print(
            f"Each rejected record is in {report.rejects_path} with its line number and the "
            f"reason. Fix those lines in {report.path.name} and import it again: what is "
            f"already stored is skipped as a duplicate."
        )


def topics_table(topics: Sequence[Topic], counts: dict[int, int]) -> Table:
    table = Table("Topic", "Query", "Languages", "Sources", "Matched posts")
    for topic in topics:
        table.add_row(
            topic.name,
            topic.query,
            ", ".join(topic.langs) or "all",
            ", ".join(topic.sources) or "all",
            str(counts.get(topic.id or 0, 0)),
        )
    return table


def sources_table(records: Sequence[SourceRecord]) -> Table:
    table = Table("Source", "Kind", "Target", "Health", "Last fetch", "Last problem")
    for record in records:
        target = str(record.settings.get("url") or record.settings.get("path") or "")
        health = "paused" if not record.enabled else ("ok" if record.healthy else "UNHEALTHY")
        health += _quota(record.cursor.get("quota"))
        last = when(record.last_fetch_at)
        table.add_row(record.name, record.kind, target, health, last, record.last_error or "")
    return table


def when(moment: datetime | None) -> str:
    """A stored time as the tables and messages show it (UTC, to the minute); or "never"."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def _quota(saved: object) -> str:
    """A source that counts an API quota (YouTube) keeps today's use in its cursor."""
    if not isinstance(saved, dict) or not {"used", "budget", "day"} <= set(saved):
        return ""
    return f"\nquota {saved['used']:,}/{saved['budget']:,} on {saved['day']}"


def run_table(reports: Sequence[SourceReport]) -> Table:
    table = Table("Source", "Items", "New", "Updated", "Unchanged", "Matches", "Problems")
    for report in reports:
        problems = report.error or "; ".join(report.problems[:3])
        if len(report.problems) > 3 and not report.error:
            problems += f" (+{len(report.problems) - 3} more)"
        stored = report.stored
        table.add_row(
            report.name,
            str(report.items),
            str(stored.new),
            str(stored.updated),
            str(stored.unchanged),
            str(stored.matched),
            problems,
        )
    return table


def posts_table(posts: Sequence[Post], width: int = 90, title: str | None = None) -> Table:
    table = Table("When (UTC)", "Source", "Lang", "Author", "Text", title=title)
    for post in posts:
        text = " ".join(post.content.split())
        table.add_row(
            post.created_at.strftime("%Y-%m-%d %H:%M"),
            post.source,
            post.lang or "",
            post.author.handle or post.author.name or "",
            text if len(text) <= width else text[: width - 1] + "…",
        )
    return table


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] for v in values)


def demo_summary(console: Console, result: DemoResult) -> None:
    console.rule("Horchposten demo")
    console.print(f"Workspace: {result.directory}")
    import_summary(console, result.imported)
    console.print(run_table(result.fetched))
    table = Table(
        "Topic", "Posts", "Last 7 days", "Languages", "Reach", "Engagement",
        title="What was matched",
    )  # fmt: skip
    for overview in result.overviews:
        days = list(overview.daily.values())
        total = sum(overview.languages.values()) or 1
        languages = " ".join(
            f"{lang} {n * 100 // total}%" for lang, n in overview.languages.most_common(2)
        )
        table.add_row(
            overview.topic.name,
            f"{overview.posts:,}",
            f"{sparkline(days)} {sum(days):,}",
            languages,
            f"{overview.reach:,}",
            f"{overview.engagement:,}",
        )
    console.print(table)
    for name, posts in result.examples.items():
        if posts:
            console.print(posts_table(posts, width=70, title=f"Latest in '{name}'"))
    command = f"{horchposten_command()} --config {result.config}"
    console.print(
        "\nTry next (in another terminal while the demo serves):\n"
        f"  {command} search 'lieferung' --since 7d\n"
        f"  {command} topic list\n"
        f"  {command} export --format csv -o demo.csv",
        soft_wrap=True,
    )


def sign_in_block(console: Console, url: str | None, user: str, password: str) -> None:
    """The demo's last words: where to go and how to sign in, impossible to miss."""
    lines = [f"Open      {url}"] if url else []
    lines += [f"User      {user}", f"Password  {password}"]
    if url:
        lines.append("Ctrl-C stops the server.")
    console.print(Panel("\n".join(lines), title="Sign in to the demo", expand=False))
