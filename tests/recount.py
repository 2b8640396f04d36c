"""The rollups as stored, and as a recount from the posts and their matches says they must be."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from horchposten.labels import SENTIMENTS
from horchposten.store.author_rollups import day_bucket, month_bucket
from horchposten.store.database import Database
from horchposten.store.rollups import SUMS, hour_bucket, marginals, sentiment_label
from horchposten.store.schema import (
    enrichments,
    post_topics,
    posts,
    rollups_authors,
    rollups_hourly,
    rollups_marginal,
)

Rollups = dict[tuple[int, datetime, str, str, str], tuple[int, ...]]  # SUMS


def stored_rollups(db: Database) -> Rollups:
    """The stored rollups, after checking that the marginal sums agree with them and the
    author rollups with a recount."""
    assert stored_author_rollups(db) == recounted_author_rollups(db), "rollups_authors is off"
    with db.begin() as conn:
        cube = [dict(r._mapping) for r in conn.execute(select(rollups_hourly))]
        expected = {_margin_key(r): _sums(r) for r in marginals(cube)}
        stored = {
            _margin_key(r._mapping): _sums(r._mapping)
            for r in conn.execute(select(rollups_marginal).where(rollups_marginal.c.posts != 0))
        }
        assert stored == expected, "rollups_marginal disagrees with rollups_hourly"
        rows = conn.execute(select(rollups_hourly).where(rollups_hourly.c.posts != 0))
        return {
            (r.topic_id, r.bucket, r.source, r.lang, r.sentiment): _sums(r._mapping) for r in rows
        }


def _sums(row: Any) -> tuple[int, ...]:
    return tuple(row[name] for name in SUMS)


def _margin_key(row: Any) -> tuple[Any, ...]:
    return (row["topic_id"], row["bucket"], row["dimension"], row["value"])


def _matched_posts(db: Database) -> list[Any]:
    """Every (topic, post) match with the post's columns and stored sentiment fields."""
    with db.begin() as conn:
        query = (
            select(post_topics.c.topic_id, posts, enrichments.c.data)
            .join(posts, posts.c.id == post_topics.c.post_id)
            .outerjoin(
                enrichments,
                (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment"),
            )
        )
        return list(conn.execute(query))


def recounted_rollups(db: Database) -> Rollups:
    """What the rollups must say, recomputed from the posts themselves."""
    totals: Rollups = {}
    for row in _matched_posts(db):
        mood = sentiment_label(row.data)
        key = (row.topic_id, hour_bucket(row.created_at), row.source, row.lang or "und", mood)
        adds = _recounted(row)
        old = totals.get(key, (0,) * len(adds))
        totals[key] = tuple(a + b for a, b in zip(old, adds, strict=True))
    return totals


def _recounted(row: Any) -> tuple[int, ...]:
    """One post's sums, written out here rather than taken from ``contribution``."""
    engagement = (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
    followers = row.author_followers or 0
    viewed = row.views is not None
    sums = (1, followers, engagement, row.views or 0, int(viewed), 0 if viewed else followers)
    assert len(sums) == len(SUMS)
    return sums


AuthorRollups = dict[tuple[int, str, datetime, str, str], tuple[int, ...]]


def stored_author_rollups(db: Database) -> AuthorRollups:
    with db.begin() as conn:
        return {
            (r.topic_id, r.span, r.start, r.source, r.handle): (
                r.posts, r.reach, r.engagement, *(getattr(r, label) for label in SENTIMENTS)
            )
            for r in conn.execute(select(rollups_authors))
        }  # fmt: skip


def recounted_author_rollups(db: Database) -> AuthorRollups:
    """The author rollups recomputed from the posts (authors without a handle left out)."""
    totals: AuthorRollups = {}
    for row in _matched_posts(db):
        if not row.author_handle:
            continue
        engagement = (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
        mood = sentiment_label(row.data)
        adds = (1, row.author_followers or 0, engagement, *(int(mood == s) for s in SENTIMENTS))
        for span, start in (
            ("day", day_bucket(row.created_at)),
            ("month", month_bucket(row.created_at)),
        ):
            key = (row.topic_id, span, start, row.source, row.author_handle)
            old = totals.get(key, (0,) * len(adds))
            totals[key] = tuple(a + b for a, b in zip(old, adds, strict=True))
    return totals
