"""A topic at a glance, read from the hourly rollups only (cost: O(buckets), not O(posts))."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from horchposten.models import Topic
from horchposten.store.schema import rollups_hourly


@dataclass
class TopicOverview:
    topic: Topic
    posts: int = 0
    reach: int = 0
    engagement: int = 0
    daily: dict[date, int] = field(default_factory=dict)
    languages: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)


def topic_overview(
    conn: Connection, topic: Topic, *, now: datetime, days: int, zone: ZoneInfo
) -> TopicOverview:
    """Totals over all time plus posts per local day for the last ``days`` days."""
    overview = TopicOverview(topic)
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=days - 1)
    overview.daily = {first_day + timedelta(days=n): 0 for n in range(days)}
    query = select(rollups_hourly).where(rollups_hourly.c.topic_id == topic.id)
    for row in conn.execute(query):
        overview.posts += row.posts
        overview.reach += row.reach
        overview.engagement += row.engagement
        overview.languages[row.lang] += row.posts
        overview.sources[row.source] += row.posts
        local_day = row.bucket.astimezone(zone).date()
        if local_day in overview.daily:
            overview.daily[local_day] += row.posts
    return overview
