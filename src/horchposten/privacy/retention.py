"""Retention: posts older than the workspace's ``retention_days`` are deleted for good.

With each post go its topic matches, enrichments, full-text document, raw payload
and server-local ids; the rollups stay, so charts of past periods keep their
counts (``store/deletion.py`` ``purge_posts``). Deletion runs in chunks of its own
transaction, so a large store is never locked for long and an interrupted run
simply continues next time. ``run_retention`` is what a scheduler calls.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from horchposten.store.database import Database
from horchposten.store.deletion import purge_posts
from horchposten.store.rollups import topic_matches
from horchposten.store.schema import post_topics, posts, topics
from horchposten.store.workspace_settings import stored

CHUNK = 1000  # posts per transaction: a few hundred milliseconds of writing at most

log = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    """What retention deletes (a dry run) or deleted: posts older than ``cutoff``."""

    days: int
    cutoff: datetime
    applied: bool
    posts: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_topic: Counter[str] = field(default_factory=Counter)


def retention_days(conn: Connection) -> int | None:
    """The workspace's setting (web UI, ``/settings``); None keeps posts for ever."""
    days = stored(conn).get("retention_days")
    return int(days) if days is not None else None


def cutoff_of(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


def plan_retention(conn: Connection, days: int, now: datetime) -> RetentionReport:
    """What ``apply_retention`` would delete now, counted per source and per topic."""
    cutoff = cutoff_of(days, now)
    report = RetentionReport(days, cutoff, applied=False)
    old = posts.c.created_at < cutoff
    per_source = select(posts.c.source, func.count()).where(old).group_by(posts.c.source)
    report.by_source.update({row[0]: row[1] for row in conn.execute(per_source)})
    per_topic = (
        select(topics.c.name, func.count())
        .select_from(post_topics.join(posts, posts.c.id == post_topics.c.post_id).join(topics))
        .where(old)
        .group_by(topics.c.name)
    )
    report.by_topic.update({row[0]: row[1] for row in conn.execute(per_topic)})
    report.posts = sum(report.by_source.values())
    return report


def apply_retention(
    database: Database, days: int, now: datetime, chunk: int = CHUNK
) -> RetentionReport:
    """Delete the posts older than ``days`` before ``now``, ``chunk`` posts per transaction."""
    report = RetentionReport(days, cutoff_of(days, now), applied=True)
    while True:
        with database.begin() as conn:
            deleted = _delete_chunk(conn, report, chunk)
        if deleted < chunk:
            return report


def _delete_chunk(conn: Connection, report: RetentionReport, chunk: int) -> int:
    query = (
        select(posts.c.id, posts.c.source)
        .where(posts.c.created_at < report.cutoff)
        .order_by(posts.c.created_at)
        .limit(chunk)
    )
    rows = conn.execute(query).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    names = {row[0]: row[1] for row in conn.execute(select(topics.c.id, topics.c.name))}
    for topic_ids in topic_matches(conn, ids).values():
        report.by_topic.update(names[topic_id] for topic_id in topic_ids)
    report.by_source.update(row.source for row in rows)
    report.posts += purge_posts(conn, ids)
    return len(rows)


def run_retention(database: Database, now: datetime) -> RetentionReport | None:
    """Apply the workspace's retention now; None when it keeps posts for ever."""
    with database.begin() as conn:
        days = retention_days(conn)
    if days is None:
        return None
    report = apply_retention(database, days, now)
    log.info(
        "Retention deleted %d posts older than %d days (per source: %s); rollups kept.",
        report.posts,
        days,
        dict(report.by_source),
    )
    return report
