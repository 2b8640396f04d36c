"""The embedded pipeline: cursors saved only with their batch, back-pressure, failing sources.

A scripted source stands in for a platform. It is registered through the same
plugin hook as every built-in source; nothing of ours is patched.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import select

from conftest import Cli
from horchposten.config import Settings
from horchposten.enrich.base import Earlier, EnrichSettings
from horchposten.enrich.duplicates import DuplicateEnricher
from horchposten.errors import NotConfigured, SourceError, StorageError
from horchposten.hookspecs import hookimpl
from horchposten.models import Post, Topic
from horchposten.pipeline import Batch, Pipeline, Stored
from horchposten.pipeline.bus.memory import MemoryBus
from horchposten.pipeline.driver import drive
from horchposten.pipeline.scheduler import SourceReport, follow
from horchposten.plugins import plugins
from horchposten.prepare import Preparer, order_enrichers
from horchposten.sources.base import Cursor, Page
from horchposten.store.database import Database, open_database
from horchposten.store.schema import enrichments
from horchposten.store.topics import add_topic, match_counts, remove_topic, update_topic


class ScriptedSettings(BaseModel):
    pages: list[list[dict[str, Any]]]
    fail_after: int | None = None


class ScriptedSource:
    kind = "scripted"

    def __init__(self, name: str, settings: ScriptedSettings) -> None:
        self.name = name
        self.settings = settings

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        for number in range(cursor.get("page", 0), len(self.settings.pages)):
            if self.settings.fail_after is not None and number >= self.settings.fail_after:
                raise SourceError("503 from scripted: the platform is down")
            yield Page(self.settings.pages[number], {"page": number + 1})

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return Post.model_validate({**raw, "source": "scripted"})


class ScriptedFactory:
    kind = "scripted"
    description = "Pages given in its settings (tests only)."
    settings_model = ScriptedSettings

    def __call__(self, name: str, settings: BaseModel, client: httpx.AsyncClient) -> ScriptedSource:
        return ScriptedSource(name, ScriptedSettings.model_validate(settings.model_dump()))

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return Post.model_validate({**raw, "source": "scripted"})

    def parse_payload(self, data: bytes, origin: str) -> Page:
        return Page([], {})


@hookimpl
def register_sources() -> list[ScriptedFactory]:
    return [ScriptedFactory()]


@pytest.fixture(autouse=True)
def scripted_plugin() -> Iterator[None]:
    module = sys.modules[__name__]
    plugins().manager.register(module)
    yield
    plugins().manager.unregister(module)


def _page(start: int, size: int = 3) -> list[dict[str, Any]]:
    return [
        {
            "id": str(i),
            "text": f"Nordlicht post {i}",
            "created_at": f"2026-11-20T{i % 24:02d}:00:00Z",
        }
        for i in range(start, start + size)
    ]


def _add(
    workspace: Cli, name: str, pages: list[list[dict[str, Any]]], fail_after: int | None
) -> None:
    settings = ["--set", f"pages={json.dumps(pages)}"]
    if fail_after is not None:
        settings += ["--set", f"fail_after={fail_after}"]
    result = workspace("source", "add", "scripted", name, *settings)
    assert result.exit_code == 0, result.output


def test_cursor_advances_only_with_stored_batches(workspace: Cli) -> None:
    _add(workspace, "flaky", [_page(0), _page(3), _page(6)], fail_after=2)
    first = workspace("run")
    assert first.exit_code == 0, first.output
    assert "503 from scripted" in first.output
    assert len(workspace("export").stdout.splitlines()) == 6
    # The outage is over: the next run resumes after page 2 and stores page 3 only.
    workspace("source", "remove", "flaky")
    _add(workspace, "flaky", [_page(0), _page(3), _page(6)], fail_after=None)
    assert len(workspace("export").stdout.splitlines()) == 6
    second = workspace("run")
    assert second.exit_code == 0, second.output
    assert len(workspace("export").stdout.splitlines()) == 9


def test_resume_reads_only_new_pages(workspace: Cli) -> None:
    _add(workspace, "steady", [_page(0), _page(3)], fail_after=None)
    workspace("run")
    again = workspace("run")
    row = next(line for line in again.output.splitlines() if "steady" in line)
    assert row.split("│")[2].strip() == "0"  # no items fetched: the cursor was at the end


def test_a_failing_source_becomes_unhealthy_and_others_keep_running(workspace: Cli) -> None:
    _add(workspace, "down", [_page(0)], fail_after=0)
    _add(workspace, "fine", [_page(100)], fail_after=None)
    for _ in range(3):
        assert workspace("run").exit_code == 0
    listing = workspace("source", "list").output
    down = next(line for line in listing.splitlines() if "down" in line)
    fine = next(line for line in listing.splitlines() if "fine" in line)
    assert "UNHEALTHY" in down and "503 from scripted" in down
    assert "ok" in fine
    assert len(workspace("export").stdout.splitlines()) == 3


def test_unmappable_items_are_problems_not_crashes(workspace: Cli) -> None:
    page = [*_page(0, 2), {"id": "bad", "text": "no date"}]
    _add(workspace, "mixed", [page], fail_after=None)
    result = workspace("run")
    assert result.exit_code == 0
    assert "field created_at is required but missing" in result.output
    assert len(workspace("export").stdout.splitlines()) == 2


def test_bounded_queues_hold_back_a_fast_producer(pipeline: Pipeline) -> None:
    produced = 0
    in_flight: list[int] = []
    stored = 0

    async def fast() -> AsyncIterator[Batch]:
        nonlocal produced
        for number in range(40):
            produced += 1
            in_flight.append(produced - stored)
            yield Batch([Post.model_validate(p) for p in _page(number * 2, 2)])

    def on_stored(event: Stored) -> None:
        nonlocal stored
        stored += 1

    total = asyncio.run(drive(pipeline, [fast()], MemoryBus(2), on_stored=on_stored))
    assert total.new == 80
    # Three topics of two (batches, prepared, stored) and the one being produced:
    # never more than that ahead of the store.
    assert max(in_flight) <= 2 + 2 + 2 + 1


class ShoutingEnricher:
    """Counts capital letters: a tiny enricher that exercises the seam end to end."""

    name = "shouting"
    version = "1"
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[dict[str, Any]]:
        return [{"capitals": sum(c.isupper() for c in post.content)} for post in batch]


def test_enrichers_run_in_order_and_store_their_versioned_fields(database: Database) -> None:
    pipeline = Pipeline(database, [ShoutingEnricher()])
    posts = [Post.model_validate(p) for p in _page(0, 2)]
    posts[1].text = "NORDLICHT rocks"
    asyncio.run(drive(pipeline, [_one(Batch(posts))], MemoryBus()))
    with database.begin() as conn:
        rows = conn.execute(
            select(enrichments.c.enricher, enrichments.c.version, enrichments.c.data).order_by(
                enrichments.c.post_id
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("shouting", "1", {"capitals": 1}),
        ("shouting", "1", {"capitals": 9}),
    ]


def test_enricher_order_follows_requires() -> None:
    class Needy(ShoutingEnricher):
        name = "needy"
        requires = ("shouting",)

    ordered = order_enrichers([Needy(), ShoutingEnricher()])
    assert [e.name for e in ordered] == ["shouting", "needy"]
    with pytest.raises(NotConfigured, match="require shouting, which no installed plugin"):
        order_enrichers([Needy()])


async def _one(batch: Batch) -> AsyncIterator[Batch]:
    yield batch


def test_follow_survives_a_pass_the_database_refuses(pipeline: Pipeline) -> None:
    """The first pass cannot reach the database; the follower reports it and goes on."""
    settings = Settings.model_validate({"pipeline": {"poll_interval": 0.01}})
    stop = asyncio.Event()
    errors: list[StorageError] = []
    passes: list[list[SourceReport]] = []

    def make_pipeline() -> Pipeline:
        if not errors:
            raise StorageError("The database at sqlite:///x refused the operation.")
        return pipeline

    def on_pass(reports: list[SourceReport]) -> None:
        passes.append(reports)
        stop.set()

    asyncio.run(follow(make_pipeline, settings, stop, on_pass, errors.append))
    assert [str(e) for e in errors] == ["The database at sqlite:///x refused the operation."]
    assert passes == [[]]


def test_topic_changes_reach_the_next_batch_without_a_restart(pipeline: Pipeline) -> None:
    numbers = iter(range(1000))

    def through(*texts: str) -> list[list[int]]:
        """One batch through prepare and store; the topic ids each post matched."""
        batch = Batch(
            [
                Post.model_validate(raw | {"text": text})
                for raw, text in zip(_page(next(numbers) * 10, len(texts)), texts, strict=True)
            ]
        )
        prepared = pipeline.prepare(batch)
        pipeline.store(prepared)
        return [item.topic_ids for item in prepared.items]

    assert through("Nordlicht eins") == [[]]
    # Another process (here: another engine on the same database) changes the topics.
    other = open_database(pipeline.database.url)
    try:
        with other.begin() as conn:
            topic_id = add_topic(conn, Topic(name="Nordlicht", query="nordlicht")).id
        assert through("Nordlicht zwei", "Kaffee drei") == [[topic_id], []]
        with other.begin() as conn:
            update_topic(conn, "Nordlicht", query="kaffee")
        assert through("Nordlicht vier", "Kaffee fünf") == [[], [topic_id]]
        with other.begin() as conn:
            assert match_counts(conn) == {topic_id: 2}
            remove_topic(conn, "Nordlicht")
        assert through("Kaffee sechs") == [[]]
    finally:
        other.close()


def test_a_batch_prepared_before_its_topic_was_removed_is_stored(pipeline: Pipeline) -> None:
    with pipeline.database.begin() as conn:
        add_topic(conn, Topic(name="Nordlicht", query="nordlicht"))
    batch = Batch([Post.model_validate(raw) for raw in _page(0)])
    prepared = pipeline.prepare(batch)
    assert all(item.topic_ids for item in prepared.items)
    with pipeline.database.begin() as conn:
        remove_topic(conn, "Nordlicht")
    assert pipeline.store(prepared).result.new == 3
    with pipeline.database.begin() as conn:
        assert match_counts(conn) == {}


class FixedLanguage:
    """Says every post is German, except posts about 'nothing', which it cannot tell."""

    name = "language"
    version = "test"
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[dict[str, Any]]:
        return [{"code": "und" if "nothing" in p.content else "de"} for p in batch]


class TopicCounter(ShoutingEnricher):
    """Sees what the earlier enrichers found, and which topics exist."""

    name = "counter"
    requires = ("language",)

    def __init__(self) -> None:
        self.topics: list[str] = []

    def set_topics(self, topics: Sequence[Topic]) -> None:
        self.topics = [topic.name for topic in topics]

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[dict[str, Any]]:
        return [{"topics": self.topics, "language": e["language"]["code"]} for e in earlier]


def test_detected_language_fills_a_missing_lang_and_enrichers_see_topics() -> None:
    counter = TopicCounter()
    preparer = Preparer(
        [Topic(id=1, name="Nordlicht", query="lang:de")], [counter, FixedLanguage()]
    )
    drafts = [
        {"id": "1", "text": "Nordlicht ist toll", "created_at": "2026-11-01T10:00:00Z"},
        {"id": "2", "text": "nothing", "created_at": "2026-11-01T10:00:00Z"},
        {"id": "3", "text": "Nordlicht", "lang": "en", "created_at": "2026-11-01T10:00:00Z"},
    ]
    prepared = preparer.prepare([Post.model_validate(d) for d in drafts])
    assert [item.row.lang for item in prepared] == ["de", None, "en"]
    assert [item.topic_ids for item in prepared] == [[1], [], []]
    assert prepared[0].enrichments["counter"] == ("1", {"topics": ["Nordlicht"], "language": "de"})
    preparer.set_topics([])
    assert counter.topics == []


def test_a_new_pipeline_remembers_recent_posts_for_near_duplicates(database: Database) -> None:
    text = "Mit dem Code NORDLICHT20 gibt es heute zwanzig Prozent auf alle Kaffeesorten im Shop"
    now = datetime.now(UTC).isoformat()
    first = Post.model_validate({"id": "1", "text": text, "created_at": now})
    pipeline = Pipeline(database, [DuplicateEnricher()])
    pipeline.store(pipeline.prepare(Batch([first])))
    # A restart: a new pipeline with a new, empty index, refilled from the store.
    restarted = Pipeline(database, [DuplicateEnricher()])
    copy = Post.model_validate({"id": "2", "text": "RT @bot: " + text, "created_at": now})
    [prepared] = restarted.prepare(Batch([copy])).items
    assert prepared.enrichments["duplicates"][1]["cluster"] == "files:1"


def test_store_announces_what_changed_in_a_stored_event(pipeline: Pipeline) -> None:
    with pipeline.database.begin() as conn:
        topic_id = add_topic(conn, Topic(name="Nordlicht", query="nordlicht")).id
    posts = [Post.model_validate(raw) for raw in _page(0, 2)]
    first = pipeline.store(pipeline.prepare(Batch(posts, source_name=None, size_hint=2)))
    hours = [datetime(2026, 11, 20, hour, tzinfo=UTC) for hour in (0, 1)]
    assert (first.new, first.edited, first.size_hint) == (["files:0", "files:1"], [], 2)
    assert first.buckets == [(topic_id, hours[0]), (topic_id, hours[1])]
    assert first.result.new == 2
    edited = Post.model_validate(_page(1, 1)[0] | {"text": "Nordlicht, bearbeitet"})
    again = pipeline.store(pipeline.prepare(Batch([edited], deleted=["files:0"])))
    assert (again.new, again.edited, again.result.deleted) == ([], ["files:1"], 1)
    # The edit moved hour 1's numbers, the deletion hour 0's.
    assert again.buckets == [(topic_id, hours[0]), (topic_id, hours[1])]
    unchanged = pipeline.store(pipeline.prepare(Batch([edited])))
    assert (unchanged.new, unchanged.edited, unchanged.buckets) == ([], [], [])


def test_stored_events_carry_the_enrichment_labels(database: Database) -> None:
    pipeline = Pipeline(database, plugins().enrichers(EnrichSettings()))
    post = Post.model_validate(_page(0, 1)[0] | {"text": "Ich liebe diesen Kaffee, wunderbar!"})
    event = pipeline.store(pipeline.prepare(Batch([post])))
    labels = event.labels["files:0"]
    assert set(labels) >= {"sentiment", "emotion", "toxicity"}
    assert labels["sentiment"] == "positive"
