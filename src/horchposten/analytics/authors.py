"""Authors of a topic: top by reach, engagement and activity; stance from their posts' sentiment.

These group the topic's posts in the period in SQL (O(posts)): rollups keep no authors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Select, and_, func, or_, select

from horchposten.analytics.period import Granularity, Period, buckets, floor_local
from horchposten.labels import NO_SENTIMENT, SENTIMENTS
from horchposten.store.dialect import chunks
from horchposten.store.schema import enrichments, post_topics, posts

Rank = Literal["reach", "engagement", "activity"]
Stance = Literal["advocate", "detractor", "neutral"]
# An author leans one way when at least this share of their labelled posts does.
STANCE_SHARE = 0.6


@dataclass
class AuthorStats:
    source: str
    handle: str
    name: str | None = None
    followers: int = 0  # the largest follower count seen in the period
    posts: int = 0
    engagement: int = 0
    sentiments: Counter[str] = field(default_factory=Counter)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.handle}"

    @property
    def stance(self) -> Stance:
        return stance(self.sentiments)


def stance(sentiments: Counter[str]) -> Stance:
    """Advocate or detractor when most of the author's positive/negative posts agree."""
    pos, neg = sentiments["positive"], sentiments["negative"]
    labelled = pos + neg + sentiments["neutral"]
    if labelled and pos / labelled >= STANCE_SHARE:
        return "advocate"
    if labelled and neg / labelled >= STANCE_SHARE:
        return "detractor"
    return "neutral"


def _in_topic(query: Select[Any], topic_id: int, period: Period) -> Select[Any]:
    return query.join(post_topics, post_topics.c.post_id == posts.c.id).where(
        post_topics.c.topic_id == topic_id,
        posts.c.created_at >= period.start,
        posts.c.created_at < period.end,
        posts.c.author_handle.is_not(None),
    )


ENGAGEMENT = func.sum(
    func.coalesce(posts.c.likes, 0)
    + func.coalesce(posts.c.reposts, 0)
    + func.coalesce(posts.c.replies, 0)
)


def author_stats(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    by: Rank = "reach",
    limit: int | None = None,
    only: str | None = None,
) -> dict[str, AuthorStats]:
    """The authors of the topic's posts in the period, ranked in SQL (the first ``limit``
    by ``by``, or just ``only``, "source:handle"), with their posts' sentiment."""
    who = (posts.c.source, posts.c.author_handle)
    followers, count, engagement = func.max(posts.c.author_followers), func.count(), ENGAGEMENT
    query = _in_topic(
        select(*who, func.max(posts.c.author_name), followers, count, engagement), topic_id, period
    ).group_by(*who)
    if only is not None:
        source, _, handle = only.rpartition(":")
        query = query.where(posts.c.source == source, posts.c.author_handle == handle)
    if limit is not None:
        rank = {"reach": followers, "engagement": engagement, "activity": count}[by]
        query = query.order_by(func.coalesce(rank, 0).desc(), *who).limit(limit)
    found: dict[str, AuthorStats] = {}
    for source, handle, name, most, n, engaged in conn.execute(query):
        found[f"{source}:{handle}"] = AuthorStats(
            source, handle, name, int(most or 0), int(n), int(engaged or 0)
        )
    _add_sentiments(conn, topic_id, period, found)
    return found


def _add_sentiments(
    conn: Connection, topic_id: int, period: Period, found: dict[str, AuthorStats]
) -> None:
    label = enrichments.c.data["label"].as_string()
    authors = sorted((a.source, a.handle) for a in found.values())
    for part in chunks(authors, 100):
        # (source, handle) pairs, so the author index finds their posts directly
        chosen = or_(*(and_(posts.c.source == s, posts.c.author_handle == h) for s, h in part))
        query = _in_topic(
            select(posts.c.source, posts.c.author_handle, label, func.count()), topic_id, period
        )
        query = query.outerjoin(
            enrichments,
            (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment"),
        ).where(chosen)
        for source, handle, mood, n in conn.execute(
            query.group_by(posts.c.source, posts.c.author_handle, label)
        ):
            stats = found.get(f"{source}:{handle}")
            if stats is not None:
                stats.sentiments[mood if mood in SENTIMENTS else NO_SENTIMENT] += int(n)


def top_authors(
    conn: Connection, topic_id: int, period: Period, *, by: Rank = "reach", limit: int = 10
) -> list[AuthorStats]:
    """The authors with the most followers, engagement or posts (ties by source, handle)."""
    stats = author_stats(conn, topic_id, period, by=by, limit=limit).values()
    return sorted(stats, key=lambda a: (-measure(a, by), a.source, a.handle))


def measure(author: AuthorStats, by: Rank) -> int:
    if by == "reach":
        return author.followers
    return author.engagement if by == "engagement" else author.posts


def author_trend(
    conn: Connection,
    topic_id: int,
    period: Period,
    author: str,
    *,
    granularity: Granularity = "day",
    zone: ZoneInfo,
) -> list[tuple[datetime, int]]:
    """An author's posts in the topic per local bucket (every bucket of the period listed)."""
    source, _, handle = author.rpartition(":")
    query = _in_topic(select(posts.c.created_at), topic_id, period).where(
        posts.c.source == source, posts.c.author_handle == handle
    )
    counts = dict.fromkeys(buckets(period, granularity, zone), 0)
    for (created,) in conn.execute(query):
        start = floor_local(created, granularity, zone)
        counts[start] = counts.get(start, 0) + 1
    return list(counts.items())
