"""``horchposten demo``: a workspace with bundled data, run end to end, offline.

The demo's posts are generated once, relative to the moment the demo folder was
made, and written to a JSONL file that goes through the real import; a bundled
blog feed with a comment feed goes through the real feeds source. Running the
demo again reuses the folder and stores nothing twice.
"""

from __future__ import annotations

import asyncio
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

from horchposten.analytics.overview import TopicOverview, topic_overview
from horchposten.backfill import backfill_topic
from horchposten.config import Settings, default_config_text, load_settings
from horchposten.demo.synthetic import generate_posts
from horchposten.import_reader import ImportOptions
from horchposten.importer import ImportReport, import_file
from horchposten.models import Post, Topic
from horchposten.pipeline import Pipeline
from horchposten.pipeline.scheduler import SourceReport, run_pass
from horchposten.plugins import plugins
from horchposten.sources.feeds import file_uri
from horchposten.store.database import Database, open_database
from horchposten.store.search import search_posts
from horchposten.store.sources import add_source, list_sources
from horchposten.store.topics import add_topic, list_topics

DEMO_POSTS = 5000
DEMO_DAYS = 90  # three months, so the last 30 days compare with the 30 before
FEED_SOURCE = "kaffeesatz-blog"
BUNDLED = files("horchposten.demo")


@dataclass
class DemoResult:
    directory: Path
    config: Path
    imported: ImportReport
    fetched: list[SourceReport]
    overviews: list[TopicOverview] = field(default_factory=list)
    examples: dict[str, list[Post]] = field(default_factory=dict)


def _anchor(directory: Path) -> datetime:
    """The demo's 'now', fixed when the folder is made, so re-runs add nothing."""
    marker = directory / "demo-anchor.txt"
    if not marker.exists():
        marker.write_text(datetime.now(UTC).replace(microsecond=0).isoformat(), encoding="utf-8")
    return datetime.fromisoformat(marker.read_text(encoding="utf-8").strip())


def _write_posts(path: Path, anchor: datetime) -> None:
    if path.exists():
        return
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        for post in generate_posts(DEMO_POSTS, now=anchor, days=DEMO_DAYS):
            out.write(json.dumps(post.to_interchange(), ensure_ascii=False) + "\n")
    partial.replace(path)


def _write_feeds(directory: Path, anchor: datetime) -> Path:
    """The bundled blog and its comment feed, dated relative to the anchor."""
    feeds = directory / "feeds"
    feeds.mkdir(exist_ok=True)
    days = {f"day_{n}": format_datetime(anchor - timedelta(days=n, hours=3)) for n in range(15)}
    for name in ("blog.rss", "blog-comments-412.rss"):
        template = BUNDLED.joinpath(name).read_text(encoding="utf-8")
        text = template.replace("{base}", file_uri(feeds))
        for key, value in days.items():
            text = text.replace("{" + key + "}", value)
        (feeds / name).write_text(text, encoding="utf-8")
    return feeds / "blog.rss"


def demo_topics() -> list[Topic]:
    data = tomllib.loads(BUNDLED.joinpath("topics.toml").read_text(encoding="utf-8"))
    return [
        Topic(
            name=entry["name"],
            query=entry["query"],
            langs=entry.get("langs", []),
            sources=entry.get("sources", []),
            entities=entry.get("entities", []),
            own_accounts=entry.get("own_accounts", []),
        )
        for entry in data["topics"]
    ]


def _ensure_setup(database: Database, feed: Path) -> None:
    with database.begin() as conn:
        existing = {topic.name for topic in list_topics(conn)}
        for topic in demo_topics():
            if topic.name not in existing:
                backfill_topic(conn, add_topic(conn, topic))
        if FEED_SOURCE not in {source.name for source in list_sources(conn)}:
            add_source(conn, FEED_SOURCE, "feeds", {"url": str(feed)})


def run_demo(directory: Path, on_progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """Set up (once) and run the demo; ``on_progress(done, total)`` reports import bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "horchposten.toml"
    if not config.exists():
        config.write_text(default_config_text(), encoding="utf-8")
    settings = load_settings(config)
    anchor = _anchor(directory)
    posts_file = directory / "demo-posts.jsonl"
    _write_posts(posts_file, anchor)
    feed = _write_feeds(directory, anchor)
    database = open_database(settings.database_url)
    try:
        _ensure_setup(database, feed)
        pipeline = Pipeline(database, plugins().enrichers(settings.enrich), settings.enrich)
        total = posts_file.stat().st_size
        done = 0

        def advance(size: int) -> None:
            nonlocal done
            done += size
            if on_progress is not None:
                on_progress(done, total)

        imported = import_file(pipeline, posts_file, ImportOptions(), on_progress=advance)
        fetched = asyncio.run(run_pass(pipeline, settings, asyncio.Event()))
        result = DemoResult(directory, config, imported, fetched)
        _summarise(database, settings, anchor, result)
    finally:
        database.close()
    return result


def _summarise(
    database: Database, settings: Settings, anchor: datetime, result: DemoResult
) -> None:
    zone = ZoneInfo(settings.workspace.timezone)
    with database.begin() as conn:
        for topic in list_topics(conn):
            result.overviews.append(topic_overview(conn, topic, now=anchor, days=7, zone=zone))
            result.examples[topic.name] = search_posts(conn, "", topic_id=topic.id, limit=2)
