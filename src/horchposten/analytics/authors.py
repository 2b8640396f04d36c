"""Authors of a topic: top by reach, engagement and activity; stance from their posts' sentiment.

These read the topic's posts in the period (O(posts)), since rollups keep no authors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Connection

from horchposten.analytics.facts import post_rows
from horchposten.analytics.period import Period
from horchposten.store.rollups import sentiment_label

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


def author_stats(conn: Connection, topic_id: int, period: Period) -> dict[str, AuthorStats]:
    """Every author of the topic's posts in the period, by "source:handle"."""
    found: dict[str, AuthorStats] = {}
    for row in post_rows(conn, [topic_id], period):
        if not row.author_handle:
            continue
        key = f"{row.source}:{row.author_handle}"
        stats = found.get(key)
        if stats is None:
            stats = found[key] = AuthorStats(row.source, row.author_handle, row.author_name)
        stats.followers = max(stats.followers, row.author_followers or 0)
        stats.posts += 1
        stats.engagement += (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
        fields = row.sentiment if isinstance(row.sentiment, dict) else None
        stats.sentiments[sentiment_label(fields)] += 1
    return found


def top_authors(
    conn: Connection, topic_id: int, period: Period, *, by: Rank = "reach", limit: int = 10
) -> list[AuthorStats]:
    """The authors with the most followers, engagement or posts (ties by handle)."""
    stats = author_stats(conn, topic_id, period).values()
    return sorted(stats, key=lambda a: (-measure(a, by), a.key))[:limit]


def measure(author: AuthorStats, by: Rank) -> int:
    if by == "reach":
        return author.followers
    return author.engagement if by == "engagement" else author.posts
