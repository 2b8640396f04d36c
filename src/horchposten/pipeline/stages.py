"""The stages as plain functions over batches: normalise, prepare, store.

    raw page ─normalise─▶ Batch ─prepare─▶ PreparedBatch ─store─▶ Stored

``Preparing`` needs a database only to read the topics and to refill the
near-duplicate index, so a worker process can hold its own; ``Pipeline`` binds
both CPU and write stages to one workspace. ``store`` writes a batch and, in the
same transaction, the cursor of the source that produced it: a restart resumes
exactly after the last stored batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cached_property

from sqlalchemy import Connection

from horchposten.enrich.base import Enricher, EnrichSettings
from horchposten.enrich.duplicates import DuplicateEnricher
from horchposten.pipeline.messages import Batch, PreparedBatch, Stored
from horchposten.plugins import plugins
from horchposten.prepare import Preparer, collector_paused
from horchposten.privacy.pseudonyms import pseudonymised
from horchposten.privacy.suppression import drop_suppressed
from horchposten.sources.guard import map_items
from horchposten.store import local_ids
from horchposten.store.authors import KnownAuthors
from horchposten.store.database import Database
from horchposten.store.deletion import delete_posts
from horchposten.store.enrichments import recent_duplicate_bands
from horchposten.store.posts import Prepared, StoreResult, store_batch
from horchposten.store.sources import save_cursor
from horchposten.store.topics import list_topics, topic_ids, topics_revision

__all__ = ["Pipeline", "Preparing", "normalise", "stored_event"]

# The first stage: a page's raw items mapped to posts behind the mapping seam's one guard.
normalise = map_items

# How far back a new pipeline reloads posts into the near-duplicate index.
DUPLICATES_MEMORY = timedelta(days=7)


class Preparing:
    """The prepare stage: dedup, enrich, match and rows, against the workspace's current topics."""

    def __init__(self, database: Database, enrichers: Sequence[Enricher]) -> None:
        self.database = database
        with database.begin() as conn:
            # Read before the topics: a change in between is then noticed and reloaded.
            self.topics_revision = topics_revision(conn)
            self.preparer = Preparer(list_topics(conn), enrichers)
            _warm_duplicates(conn, self.preparer.enrichers)

    def __call__(self, batch: Batch) -> PreparedBatch:
        self.reload_changed_topics()
        batch.topics_revision = self.topics_revision
        items = self.preparer.prepare(batch.posts, only_matching=batch.only_matching)
        return PreparedBatch(batch, items)

    def reload_changed_topics(self) -> None:
        """Match from now on against topics added, edited or removed since the last batch."""
        with self.database.begin() as conn:
            revision = topics_revision(conn)
            if revision != self.topics_revision:
                self.topics_revision = revision
                self.preparer.set_topics(list_topics(conn))


class Pipeline:
    """The stages bound to one workspace's topics, enrichers and database.

    With ``enrich_settings`` (and no ``enrichers``) the enrichers are those of the
    settings, which a worker process can build for itself; with ``enrichers``
    alone the prepare stage stays in this process. The prepare stage here is
    set up on first use: when a worker prepares, this process never loads the
    models, reads the topics or refills the near-duplicate index.
    """

    def __init__(
        self,
        database: Database,
        enrichers: Sequence[Enricher] | None = None,
        enrich_settings: EnrichSettings | None = None,
    ) -> None:
        self.database = database
        no_enrichers = enrichers is None and enrich_settings is None
        self.enrichers = () if no_enrichers else enrichers
        self.enrich_settings = enrich_settings
        self.known_authors = KnownAuthors()

    @cached_property
    def preparing(self) -> Preparing:
        enrichers = self.enrichers
        if enrichers is None:
            enrichers = plugins().enrichers(self.enrich_settings)
        return Preparing(self.database, enrichers)

    def prepare(self, batch: Batch) -> PreparedBatch:
        return self.preparing(batch)

    def store(self, prepared: PreparedBatch) -> Stored:
        """Posts, deletions, local ids, rollups and the cursor: one transaction."""
        batch, items = prepared.batch, prepared.items
        touched: set[tuple[int, datetime]] = set()
        # As in prepare: the batch's objects live until it commits, so a collection finds nothing.
        with collector_paused(), self.database.begin() as conn:
            # Only a topic change since the batch was matched can have removed a topic.
            if batch.topics_revision is None or batch.topics_revision != topics_revision(conn):
                _forget_removed_topics(conn, items)
            now = datetime.now(UTC)
            # Erased authors' posts go first (the check compares real handles), then a
            # workspace that keeps only pseudonyms replaces the authors of the rest.
            kept, suppressed = drop_suppressed(conn, items, now)
            result = store_batch(conn, pseudonymised(conn, kept), now, self.known_authors, touched)
            result.suppressed = suppressed
            deleted = list(batch.deleted)
            if batch.local is not None:
                local_ids.remember(conn, batch.local.scope, batch.local.seen)
                deleted += local_ids.resolve(conn, batch.local.scope, batch.local.deleted)
            if deleted:
                result.deleted = delete_posts(conn, deleted, touched)
            if batch.source_name is not None and batch.cursor is not None:
                save_cursor(conn, batch.source_name, batch.cursor)
        self.known_authors.remember(result.authors)
        return stored_event(batch, items, result, touched)


def stored_event(
    batch: Batch,
    items: Sequence[Prepared],
    result: StoreResult,
    touched: set[tuple[int, datetime]],
) -> Stored:
    """The ``Stored`` event of a committed batch: what changed, for alerts and progress."""
    changed = set(result.new_keys) | set(result.edited_keys)
    labels = {
        item.row.key: {
            name: found["label"]
            for name, (_version, found) in item.enrichments.items()
            if isinstance(found.get("label"), str)
        }
        for item in items
        if item.row.key in changed
    }
    return Stored(
        batch.source_name,
        batch.size_hint,
        result,
        sorted(touched),
        list(result.new_keys),
        list(result.edited_keys),
        labels,
    )


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
