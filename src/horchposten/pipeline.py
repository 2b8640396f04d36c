"""The embedded runner: one process connects the stages with bounded asyncio queues.

    producer ─Batch─▶ [queue] ─▶ prepare (dedup, match, enrich) ─▶ [queue] ─▶ store

The CPU stages live in ``prepare.py``, the writes in ``store/posts.py``; this
module binds them to one workspace and drives batches through them.

Queues are bounded, so a fast source waits for the database instead of filling
memory. ``store`` writes a batch and, in the same transaction, the cursor of
the source that produced it: a restart resumes exactly after the last stored batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from horchposten.enrich.base import Enricher, EnrichSettings
from horchposten.enrich.duplicates import DuplicateEnricher
from horchposten.models import Post
from horchposten.prepare import Preparer
from horchposten.sources.base import LocalIds
from horchposten.store import local_ids
from horchposten.store.authors import KnownAuthors
from horchposten.store.database import Database
from horchposten.store.deletion import delete_posts
from horchposten.store.enrichments import recent_duplicate_bands
from horchposten.store.posts import Prepared, StoreResult, store_batch
from horchposten.store.sources import save_cursor
from horchposten.store.topics import list_topics, topic_ids, topics_revision

# How far back a new pipeline reloads posts into the near-duplicate index.
DUPLICATES_MEMORY = timedelta(days=7)


@dataclass
class Batch:
    """Posts on their way through the pipeline, with the cursor that follows them."""

    posts: list[Post]
    source_name: str | None = None
    cursor: dict[str, Any] | None = None
    size_hint: int = 0  # units of progress this batch stands for (bytes, items)
    topics_revision: int | None = None  # the topics it was matched against; None: unknown
    only_matching: bool = False  # store only posts some topic matches (a firehose)
    # Keys of posts the platform deleted, removed after ``posts`` in the same transaction.
    deleted: list[str] = field(default_factory=list)
    # Server-local ids of the posts and deletions (Mastodon), resolved in the store.
    local: LocalIds | None = None


class Pipeline:
    """The stages bound to one workspace's topics, enrichers and database."""

    def __init__(
        self,
        database: Database,
        enrichers: Sequence[Enricher] = (),
        enrich_settings: EnrichSettings | None = None,
    ) -> None:
        self.database = database
        # What a worker process needs to build the same enrichers for itself.
        self.enrich_settings = enrich_settings or EnrichSettings()
        with database.begin() as conn:
            # Read before the topics: a change in between is then noticed and reloaded.
            self.topics_revision = topics_revision(conn)
            self.preparer = Preparer(list_topics(conn), enrichers)
            _warm_duplicates(conn, self.preparer.enrichers)
        self.known_authors = KnownAuthors()

    def prepare(self, batch: Batch) -> list[Prepared]:
        self.reload_changed_topics()
        batch.topics_revision = self.topics_revision
        return self.preparer.prepare(batch.posts, only_matching=batch.only_matching)

    def reload_changed_topics(self) -> None:
        """Match from now on against topics added, edited or removed since the last batch."""
        with self.database.begin() as conn:
            revision = topics_revision(conn)
            if revision != self.topics_revision:
                self.topics_revision = revision
                self.preparer.set_topics(list_topics(conn))

    def store(self, batch: Batch, prepared: Sequence[Prepared]) -> StoreResult:
        with self.database.begin() as conn:
            # Only a topic change since the batch was matched can have removed a topic.
            if batch.topics_revision is None or batch.topics_revision != topics_revision(conn):
                _forget_removed_topics(conn, prepared)
            result = store_batch(conn, prepared, datetime.now(UTC), self.known_authors)
            deleted = list(batch.deleted)
            if batch.local is not None:
                local_ids.remember(conn, batch.local.scope, batch.local.seen)
                deleted += local_ids.resolve(conn, batch.local.scope, batch.local.deleted)
            if deleted:
                result.deleted = delete_posts(conn, deleted)
            if batch.source_name is not None and batch.cursor is not None:
                save_cursor(conn, batch.source_name, batch.cursor)
        self.known_authors.remember(result.authors)
        return result


def _warm_duplicates(conn: Connection, enrichers: Sequence[Enricher]) -> None:
    """Refill the near-duplicate index with recent stored posts, so a restart forgets none."""
    since = datetime.now(UTC) - DUPLICATES_MEMORY
    for enricher in enrichers:
        if isinstance(enricher, DuplicateEnricher):
            enricher.warm(recent_duplicate_bands(conn, since, version=enricher.version))


def _forget_removed_topics(conn: Connection, prepared: Sequence[Prepared]) -> None:
    """Drop matches of topics removed after the batch was prepared; they cannot be stored."""
    existing = topic_ids(conn)
    for item in prepared:
        if not existing.issuperset(item.topic_ids):
            item.topic_ids = [topic_id for topic_id in item.topic_ids if topic_id in existing]


OnStored = Callable[[Batch, StoreResult], None]


async def run_embedded(
    pipeline: Pipeline,
    producers: Sequence[AsyncIterator[Batch]],
    *,
    queue_size: int = 4,
    on_stored: OnStored | None = None,
    store_in_thread: bool = True,
) -> StoreResult:
    """Drive batches from all producers through prepare and store with back-pressure.

    With ``store_in_thread`` the database write runs in a worker thread, so network
    fetches go on while a batch commits. A CPU-bound producer (a file import) gains
    nothing from that and loses to GIL hand-overs, so it stores in the loop itself.
    """
    raw_queue: asyncio.Queue[Batch | None] = asyncio.Queue(queue_size)
    prepared_queue: asyncio.Queue[tuple[Batch, list[Prepared]] | None] = asyncio.Queue(queue_size)
    total = StoreResult()

    async def produce() -> None:
        async def drain(producer: AsyncIterator[Batch]) -> None:
            async for batch in producer:
                await raw_queue.put(batch)

        await asyncio.gather(*(drain(p) for p in producers))
        await raw_queue.put(None)

    async def prepare() -> None:
        while (batch := await raw_queue.get()) is not None:
            await prepared_queue.put((batch, pipeline.prepare(batch)))
        await prepared_queue.put(None)

    async def store() -> None:
        nonlocal total
        while (item := await prepared_queue.get()) is not None:
            batch, prepared = item
            if store_in_thread:
                result = await asyncio.to_thread(pipeline.store, batch, prepared)
            else:
                result = pipeline.store(batch, prepared)
            total += result
            if on_stored is not None:
                on_stored(batch, result)

    try:
        async with asyncio.TaskGroup() as group:
            for stage in (produce, prepare, store):
                group.create_task(stage())
    except ExceptionGroup as failure:
        # One stage failed and the others were cancelled; report the cause itself.
        raise failure.exceptions[0] from None
    return total
