"""``horchposten reenrich``: bring stored posts up to the installed models.

Every enrichment is stored with the version of the model that made it. After a
model upgrade, the posts whose stored version differs (or that have none) are
enriched again; topics whose queries read enrichments (``sentiment:``,
``emotion:`` …) are then matched again over the same posts, so their matches
follow the new labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from horchposten.backfill import backfill_topic
from horchposten.enrich.base import Enricher
from horchposten.errors import InputError
from horchposten.prepare import enrich, order_enrichers
from horchposten.query.ast import And, Field, Node, Not, Or, Title
from horchposten.query.parse import parse
from horchposten.store.database import Database
from horchposten.store.dialect import chunks
from horchposten.store.enrichments import (
    QUERIED,
    outdated_post_ids,
    stored_enrichments,
    write_enrichments,
)
from horchposten.store.rollups import move_sentiment, sentiment_label
from horchposten.store.rows import stored_post
from horchposten.store.schema import posts
from horchposten.store.topics import list_topics

BATCH = 500


@dataclass
class ReenrichReport:
    posts: int = 0  # posts enriched again
    enrichers: list[str] = field(default_factory=list)
    topics: dict[str, int] = field(default_factory=dict)  # re-matched topic -> matches now


def reenrich(
    database: Database,
    enrichers: Sequence[Enricher],
    *,
    only: Sequence[str] = (),
    since: datetime | None = None,
    everything: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ReenrichReport:
    """Enrich stored posts again where a model changed (or all of them with ``everything``)."""
    ordered = order_enrichers(enrichers)
    unknown = sorted(set(only) - {e.name for e in ordered})
    if unknown:
        names = ", ".join(e.name for e in ordered) or "none installed"
        raise InputError(f"There is no enricher {', '.join(unknown)}. Enrichers: {names}.")
    chosen = [e for e in ordered if not only or e.name in only]
    report = ReenrichReport(enrichers=[e.name for e in chosen])
    with database.begin() as conn:
        if everything:
            query = select(posts.c.id).order_by(posts.c.id)
            if since is not None:
                query = query.where(posts.c.created_at >= since)
            ids = list(conn.execute(query).scalars())
        else:
            ids = outdated_post_ids(conn, {e.name: e.version for e in chosen}, since)
    chosen_names = {e.name for e in chosen}
    for part in chunks(ids, BATCH):
        with database.begin() as conn:
            rows = conn.execute(select(posts).where(posts.c.id.in_(part))).all()
            results = enrich(ordered, [stored_post(row._mapping) for row in rows])
            if "sentiment" in chosen_names:
                _move_rollups(conn, rows, results)
            write_enrichments(
                conn,
                [
                    (row.id, name, version, data)
                    for row, found in zip(rows, results, strict=True)
                    for name, (version, data) in found.items()
                    if name in chosen_names
                ],
            )
        report.posts += len(part)
        if on_progress is not None:
            on_progress(report.posts, len(ids))
    if ids and chosen_names & set(QUERIED):
        report.topics = _rematch_topics(database, since)
    return report


def _move_rollups(conn: Connection, rows: Sequence[Row[Any]], results: Sequence[Any]) -> None:
    """Keep the rollups' sentiment split equal to the new sentiment results."""
    stored = stored_enrichments(conn, [row.id for row in rows], ("sentiment",))
    before = {row.id: sentiment_label(stored.get(row.id, {}).get("sentiment")) for row in rows}
    after = {
        row.id: sentiment_label(found["sentiment"][1]) if "sentiment" in found else before[row.id]
        for row, found in zip(rows, results, strict=True)
    }
    move_sentiment(conn, rows, before, after)


def _rematch_topics(database: Database, since: datetime | None) -> dict[str, int]:
    """Match topics that read enrichments again over the re-enriched span."""
    matched = {}
    with database.begin() as conn:
        for topic in list_topics(conn):
            if fields_read(parse(topic.query)) & set(QUERIED):
                matched[topic.name] = backfill_topic(conn, topic, since=since)
    return matched


def fields_read(node: Node) -> set[str]:
    """The names of the fields a query reads."""
    if isinstance(node, Field):
        return {node.name}
    if isinstance(node, And | Or):
        return set().union(*(fields_read(child) for child in node.children))
    if isinstance(node, Not | Title):
        return fields_read(node.child)
    return set()  # words, phrases, proximity and ranges read no enrichment
