"""The rollups as stored, and as a recount from the posts and their matches says they must be."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from horchposten.store.database import Database
from horchposten.store.rollups import hour_bucket, marginals, sentiment_label
from horchposten.store.schema import (
    enrichments,
    post_topics,
    posts,
    rollups_hourly,
    rollups_marginal,
)

Rollups = dict[tuple[int, datetime, str, str, str], tuple[int, int, int]]


def stored_rollups(db: Database) -> Rollups:
    """The stored rollups, after checking that the marginal sums agree with them."""
    with db.begin() as conn:
        cube = [dict(r._mapping) for r in conn.execute(select(rollups_hourly))]
        expected = {
            _margin_key(r): (r["posts"], r["reach"], r["engagement"]) for r in marginals(cube)
        }
        stored = {
            _margin_key(r._mapping): (r.posts, r.reach, r.engagement)
            for r in conn.execute(select(rollups_marginal).where(rollups_marginal.c.posts != 0))
        }
        assert stored == expected, "rollups_marginal disagrees with rollups_hourly"
        rows = conn.execute(select(rollups_hourly).where(rollups_hourly.c.posts != 0))
        return {
            (r.topic_id, r.bucket, r.source, r.lang, r.sentiment): (r.posts, r.reach, r.engagement)
            for r in rows
        }


def _margin_key(row: Any) -> tuple[Any, ...]:
    return (row["topic_id"], row["bucket"], row["dimension"], row["value"])


def recounted_rollups(db: Database) -> Rollups:
    """What the rollups must say, recomputed from the posts themselves."""
    totals: Rollups = {}
    with db.begin() as conn:
        query = (
            select(post_topics.c.topic_id, posts, enrichments.c.data)
            .join(posts, posts.c.id == post_topics.c.post_id)
            .outerjoin(
                enrichments,
                (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment"),
            )
        )
        for row in conn.execute(query):
            mood = sentiment_label(row.data)
            key = (row.topic_id, hour_bucket(row.created_at), row.source, row.lang or "und", mood)
            engagement = (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
            n, reach, eng = totals.get(key, (0, 0, 0))
            totals[key] = (n + 1, reach + (row.author_followers or 0), eng + engagement)
    return totals
