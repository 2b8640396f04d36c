"""Authors of a topic: top by reach, engagement and activity; stance from their posts' sentiment.

The sums come from the daily author rollups (``author_counts.py``), so a list costs
O(authors x days) rather than O(posts); an author's trend reads their posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from horchposten.analytics.author_counts import Rank, author_sums, profiles
from horchposten.analytics.period import Granularity, Period, buckets, floor_local
from horchposten.labels import NO_SENTIMENT, SENTIMENTS
from horchposten.store.schema import post_topics, posts

__all__ = ["AuthorStats", "Rank", "author_stats", "author_trend", "stance", "top_authors"]

Stance = Literal["advocate", "detractor", "neutral"]
# An author leans one way when at least this share of their labelled posts does.
STANCE_SHARE = 0.6


@dataclass
class AuthorStats:
    source: str
    handle: str
    name: str | None = None
    followers: int = 0  # from the author's stored profile (the latest seen)
    posts: int = 0
    engagement: int = 0
    sentiments: Counter[str] = field(default_factory=Counter)
    reach: int = 0  # followers summed over the author's posts in the period

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


def author_stats(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    by: Rank = "reach",
    limit: int | None = None,
    only: str | None = None,
    leave_out: Sequence[str] = (),
) -> dict[str, AuthorStats]:
    """The authors of the topic's posts in the period, ranked in SQL (the first ``limit``
    by ``by``, or just ``only``, "source:handle"), with their posts' sentiment; the
    accounts of ``leave_out`` (a topic's own accounts) are not listed."""
    author = None
    if only is not None:
        source, _, handle = only.rpartition(":")
        author = (source, handle)
    sums = author_sums(conn, topic_id, period, by=by, limit=limit, only=author, leave_out=leave_out)
    known = profiles(conn, [(source, handle) for source, handle, _ in sums])
    found: dict[str, AuthorStats] = {}
    for source, handle, counts in sums:
        profile = known.get((source, handle))
        moods: Counter[str] = Counter({m: counts[m] for m in SENTIMENTS if counts[m]})
        if counts["posts"] > moods.total():
            moods[NO_SENTIMENT] = counts["posts"] - moods.total()
        found[f"{source}:{handle}"] = AuthorStats(
            source,
            handle,
            profile.name if profile else None,
            int(profile.followers or 0) if profile else 0,
            counts["posts"],
            counts["engagement"],
            moods,
            counts["reach"],
        )
    return found


def top_authors(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    by: Rank = "reach",
    limit: int = 10,
    leave_out: Sequence[str] = (),
) -> list[AuthorStats]:
    """The authors with the most reach, engagement or posts (ties by source, handle),
    but for the accounts of ``leave_out``."""
    stats = author_stats(conn, topic_id, period, by=by, limit=limit, leave_out=leave_out)
    return sorted(stats.values(), key=lambda a: (-measure(a, by), a.source, a.handle))


def measure(author: AuthorStats, by: Rank) -> int:
    if by == "reach":
        return author.reach
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
    query = (
        select(posts.c.created_at)
        .join(post_topics, post_topics.c.post_id == posts.c.id)
        .where(
            post_topics.c.topic_id == topic_id,
            posts.c.created_at >= period.start,
            posts.c.created_at < period.end,
            posts.c.source == source,
            posts.c.author_handle == handle,
        )
    )
    counts = dict.fromkeys(buckets(period, granularity, zone), 0)
    for (created,) in conn.execute(query):
        start = floor_local(created, granularity, zone)
        counts[start] = counts.get(start, 0) + 1
    return list(counts.items())
