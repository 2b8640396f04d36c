"""Authors of a topic: top by reach, engagement and activity; stance from their posts' sentiment.

These group the topic's posts in the period in SQL (O(posts)): rollups keep no authors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Connection, func, select

from horchposten.analytics.period import Period
from horchposten.store.rollups import NO_SENTIMENT, SENTIMENTS
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


def author_stats(
    conn: Connection, topic_id: int, period: Period, *, only: str | None = None
) -> dict[str, AuthorStats]:
    """Every author of the topic's posts in the period (or just ``only``, "source:handle"),
    summed in SQL per author and sentiment."""
    label = enrichments.c.data["label"].as_string()
    keys = (posts.c.source, posts.c.author_handle, label)
    query = (
        select(
            *keys,
            func.max(posts.c.author_name),
            func.max(posts.c.author_followers),
            func.count(),
            func.sum(
                func.coalesce(posts.c.likes, 0)
                + func.coalesce(posts.c.reposts, 0)
                + func.coalesce(posts.c.replies, 0)
            ),
        )
        .join(post_topics, post_topics.c.post_id == posts.c.id)
        .outerjoin(
            enrichments,
            (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment"),
        )
        .where(
            post_topics.c.topic_id == topic_id,
            posts.c.created_at >= period.start,
            posts.c.created_at < period.end,
            posts.c.author_handle.is_not(None),
        )
        .group_by(*keys)
    )
    if only is not None:
        source, _, handle = only.rpartition(":")
        query = query.where(posts.c.source == source, posts.c.author_handle == handle)
    found: dict[str, AuthorStats] = {}
    for source, handle, mood, name, followers, count, engagement in conn.execute(query):
        key = f"{source}:{handle}"
        stats = found.get(key)
        if stats is None:
            stats = found[key] = AuthorStats(source, handle, name)
        stats.followers = max(stats.followers, int(followers or 0))
        stats.posts += int(count)
        stats.engagement += int(engagement or 0)
        stats.sentiments[mood if mood in SENTIMENTS else NO_SENTIMENT] += int(count)
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
