"""Hourly rollups per topic x source x language, updated by deltas in the post's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection

from horchposten.store.dialect import bulk_insert
from horchposten.store.schema import rollups_hourly

UNKNOWN_LANG = "und"


class RollupKey(NamedTuple):
    topic_id: int
    bucket: datetime
    source: str
    lang: str


class Contribution(NamedTuple):
    posts: int
    reach: int
    engagement: int


def hour_bucket(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def contribution(row: Any) -> tuple[datetime, str, str, Contribution]:
    """What one post row (a PostRow or a database Row) adds to each topic it matches."""
    engagement = (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
    return (
        hour_bucket(row.created_at),
        row.source,
        row.lang or UNKNOWN_LANG,
        Contribution(1, row.author_followers or 0, engagement),
    )


class RollupDelta:
    """Accumulates additions and removals, then writes them in one statement."""

    def __init__(self) -> None:
        self._totals: dict[RollupKey, list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(self, row: Any, topic_ids: Iterable[int], sign: int = 1) -> None:
        bucket, source, lang, amount = contribution(row)
        for topic_id in topic_ids:
            total = self._totals[RollupKey(topic_id, bucket, source, lang)]
            total[0] += sign * amount.posts
            total[1] += sign * amount.reach
            total[2] += sign * amount.engagement

    def write(self, conn: Connection) -> None:
        rows = [
            {
                **key._asdict(),
                "posts": posts,
                "reach": reach,
                "engagement": engagement,
            }
            for key, (posts, reach, engagement) in self._totals.items()
            if posts or reach or engagement
        ]
        bulk_insert(
            conn,
            rollups_hourly,
            rows,
            keys=RollupKey._fields,
            update=("posts", "reach", "engagement"),
            add=True,
        )
        self._totals.clear()
