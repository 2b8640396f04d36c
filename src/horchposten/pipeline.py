"""The stages, as plain functions over batches, and the embedded runner that connects them.

    producer ─Batch─▶ [queue] ─▶ prepare (dedup, match, enrich) ─▶ [queue] ─▶ store

Queues are bounded, so a fast source waits for the database instead of filling
memory. ``store`` writes a batch and, in the same transaction, the cursor of
the source that produced it: a restart resumes exactly after the last stored batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from horchposten.enrich.base import Enricher
from horchposten.errors import NotConfigured
from horchposten.models import Post, Topic
from horchposten.query.match import PostTokens, TopicMatcher
from horchposten.store.authors import KnownAuthors
from horchposten.store.database import Database
from horchposten.store.posts import Prepared, StoreResult, store_batch
from horchposten.store.sources import save_cursor
from horchposten.store.topics import list_topics
from horchposten.text import document_of_tokens


@dataclass
class Batch:
    """Posts on their way through the pipeline, with the cursor that follows them."""

    posts: list[Post]
    source_name: str | None = None
    cursor: dict[str, Any] | None = None
    size_hint: int = 0  # units of progress this batch stands for (bytes, items)


def dedup(posts: Sequence[Post]) -> list[Post]:
    """Keep one post per key, the last one seen (the newest edit)."""
    return list({post.key: post for post in posts}.values())


def enrich(enrichers: Sequence[Enricher], posts: Sequence[Post]) -> list[dict[str, Any]]:
    """Each post's enrichments as ``{name: (version, fields)}``."""
    results: list[dict[str, Any]] = [{} for _ in posts]
    for enricher in enrichers:
        for result, fields in zip(results, enricher.enrich(posts), strict=True):
            result[enricher.name] = (enricher.version, fields)
    return results


def order_enrichers(enrichers: Sequence[Enricher]) -> list[Enricher]:
    """Order enrichers so each runs after the ones it requires."""
    ordered: list[Enricher] = []
    pending = list(enrichers)
    while pending:
        done = {e.name for e in ordered}
        ready = [e for e in pending if set(e.requires) <= done]
        if not ready:
            missing = {r for e in pending for r in e.requires} - done - {e.name for e in pending}
            names = ", ".join(sorted(e.name for e in pending))
            raise NotConfigured(
                f"The enrichers {names} cannot run: they require {', '.join(sorted(missing))}, "
                f"which no installed plugin provides (or they require each other). Install the "
                f"missing plugin or uninstall the one that needs it."
            )
        ordered += ready
        pending = [e for e in pending if e not in ready]
    return ordered


class Pipeline:
    """The stages bound to one workspace's topics, enrichers and database."""

    def __init__(self, database: Database, enrichers: Sequence[Enricher] = ()) -> None:
        self.database = database
        self.enrichers = order_enrichers(enrichers)
        with database.begin() as conn:
            self.topics: list[Topic] = list_topics(conn)
        self.matcher = TopicMatcher(self.topics)
        self.known_authors = KnownAuthors()

    def prepare(self, batch: Batch) -> list[Prepared]:
        posts = dedup(batch.posts)
        tokens = [PostTokens.of(post.content) for post in posts]
        enrichments = enrich(self.enrichers, posts)
        return [
            Prepared(
                post,
                self.matcher.match_tokens(post, post_tokens),
                extra,
                document_of_tokens(post_tokens.tokens),
            )
            for post, post_tokens, extra in zip(posts, tokens, enrichments, strict=True)
        ]

    def store(self, batch: Batch, prepared: Sequence[Prepared]) -> StoreResult:
        with self.database.begin() as conn:
            result = store_batch(conn, prepared, datetime.now(UTC), self.known_authors)
            if batch.source_name is not None and batch.cursor is not None:
                save_cursor(conn, batch.source_name, batch.cursor)
        self.known_authors.remember(result.authors)
        return result


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
