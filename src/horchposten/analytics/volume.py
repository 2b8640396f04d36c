"""Volume over time in local buckets, split by source or language, against the previous period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from horchposten.analytics.change import Change, change
from horchposten.analytics.facts import NO_FILTERS, Fact, Filters, facts
from horchposten.analytics.period import Granularity, Period, bucket_count, buckets, floor_local
from horchposten.errors import InputError

Split = Literal["source", "lang", "sentiment"]
MAX_BUCKETS = 10_000


@dataclass
class Totals:
    posts: int = 0
    reach: int = 0
    engagement: int = 0

    def add(self, fact: Fact) -> None:
        self.posts += fact.posts
        self.reach += fact.reach
        self.engagement += fact.engagement


@dataclass
class Bucket:
    start: datetime
    totals: Totals = field(default_factory=Totals)
    split: dict[str, int] = field(default_factory=dict)  # posts per source/lang/sentiment


@dataclass
class Volume:
    buckets: list[Bucket]
    totals: Totals
    change: Change


def check_granularity(period: Period, granularity: Granularity) -> None:
    if bucket_count(period, granularity) > MAX_BUCKETS:
        raise InputError(
            f"A {granularity} chart of this period has more than {MAX_BUCKETS:,} buckets; "
            "choose a coarser granularity or a shorter period."
        )


def bucketed(
    found: list[Fact], period: Period, granularity: Granularity, zone: ZoneInfo
) -> dict[datetime, list[Fact]]:
    """The facts grouped by local bucket, with every bucket of the period present."""
    grouped: dict[datetime, list[Fact]] = {
        start: [] for start in buckets(period, granularity, zone)
    }
    for fact in found:
        grouped.setdefault(floor_local(fact.moment, granularity, zone), []).append(fact)
    return grouped


def volume(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    granularity: Granularity = "day",
    zone: ZoneInfo,
    split: Split | None = None,
    filters: Filters = NO_FILTERS,
) -> Volume:
    """Posts, reach and engagement per local bucket, and the change against the period before."""
    check_granularity(period, granularity)
    minutes = granularity == "minute"
    dims = (split,) if split else ()
    days = zone if granularity in ("day", "week") else None
    found = list(
        facts(conn, [topic_id], period, minutes=minutes, filters=filters, dims=dims, day_zone=days)
    )
    series = []
    grand = Totals()
    for start, group in bucketed(found, period, granularity, zone).items():
        bucket = Bucket(start)
        for fact in group:
            bucket.totals.add(fact)
            grand.add(fact)
            if split is not None:
                name = getattr(fact, split)
                bucket.split[name] = bucket.split.get(name, 0) + fact.posts
        series.append(bucket)
    earlier = facts(conn, [topic_id], period.previous(), filters=filters, dims=(), by_time=False)
    before = sum(fact.posts for fact in earlier)
    return Volume(series, grand, change(grand.posts, before))


def split_totals(found: list[Fact], split: Split) -> dict[str, int]:
    """Posts per source, language or sentiment over all the facts."""
    totals: dict[str, int] = defaultdict(int)
    for fact in found:
        totals[getattr(fact, split)] += fact.posts
    return dict(totals)
