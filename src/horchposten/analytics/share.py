"""Share of voice: each topic of a group (a brand and its rivals) against the group's total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from horchposten.analytics.change import RateChange, rate_change
from horchposten.analytics.facts import NO_FILTERS, Filters, facts
from horchposten.analytics.period import Granularity, Period
from horchposten.analytics.volume import bucketed, check_granularity


@dataclass(frozen=True)
class Share:
    posts: int
    reach: int
    share_posts: float  # 0..1 of the group's posts; 0 when the group has none
    share_reach: float


@dataclass
class ShareBucket:
    start: datetime
    topics: dict[int, Share] = field(default_factory=dict)


@dataclass(frozen=True)
class ShareChange:
    """A topic's shares against the period just before (absolute in shares, 0..1)."""

    share_posts: RateChange
    share_reach: RateChange


@dataclass
class ShareOfVoice:
    overall: dict[int, Share]
    buckets: list[ShareBucket]
    change: dict[int, ShareChange]


def _shares(posts: dict[int, int], reach: dict[int, int]) -> dict[int, Share]:
    all_posts, all_reach = sum(posts.values()), sum(reach.values())
    return {
        topic: Share(
            posts[topic],
            reach[topic],
            round(posts[topic] / all_posts, 4) if all_posts else 0.0,
            round(reach[topic] / all_reach, 4) if all_reach else 0.0,
        )
        for topic in posts
    }


def share_of_voice(
    conn: Connection,
    topic_ids: Sequence[int],
    period: Period,
    *,
    granularity: Granularity = "day",
    zone: ZoneInfo,
    filters: Filters = NO_FILTERS,
) -> ShareOfVoice:
    """Each topic's share of the group's posts and reach, per bucket and over the period."""
    check_granularity(period, granularity)
    minutes = granularity == "minute"
    days = zone if granularity in ("day", "week") else None
    found = list(
        facts(conn, topic_ids, period, minutes=minutes, filters=filters, dims=(), day_zone=days)
    )
    posts = dict.fromkeys(topic_ids, 0)
    reach = dict.fromkeys(topic_ids, 0)
    series = []
    for start, group in bucketed(found, period, granularity, zone).items():
        bucket_posts = dict.fromkeys(topic_ids, 0)
        bucket_reach = dict.fromkeys(topic_ids, 0)
        for fact in group:
            bucket_posts[fact.topic_id] += fact.posts
            bucket_reach[fact.topic_id] += fact.reach
        series.append(ShareBucket(start, _shares(bucket_posts, bucket_reach)))
    for bucket in series:
        for topic, share in bucket.topics.items():
            posts[topic] += share.posts
            reach[topic] += share.reach
    overall = _shares(posts, reach)
    before_posts, before_reach = _previous(conn, topic_ids, period, filters)
    moved = {
        topic: ShareChange(
            rate_change(now.share_posts, before_posts.get(topic)),
            rate_change(now.share_reach, before_reach.get(topic)),
        )
        for topic, now in overall.items()
    }
    return ShareOfVoice(overall, series, moved)


def _previous(
    conn: Connection, topic_ids: Sequence[int], period: Period, filters: Filters
) -> tuple[dict[int, float], dict[int, float]]:
    """The shares of posts and of reach over the period of the same length just before;
    empty where the group had no posts (or no reach) then, as a share of nothing is none."""
    posts = dict.fromkeys(topic_ids, 0)
    reach = dict.fromkeys(topic_ids, 0)
    for fact in facts(conn, topic_ids, period.previous(), filters=filters, dims=(), by_time=False):
        posts[fact.topic_id] += fact.posts
        reach[fact.topic_id] += fact.reach
    shares = _shares(posts, reach)
    return (
        {t: s.share_posts for t, s in shares.items()} if sum(posts.values()) else {},
        {t: s.share_reach for t, s in shares.items()} if sum(reach.values()) else {},
    )
