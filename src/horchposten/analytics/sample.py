"""The bounded share of a period's posts that text and graph insights read.

Themes, voice of the customer and authority read post texts, which costs O(posts);
a year of a busy topic is hundreds of thousands. They read a bounded sample instead
and say so in their answers (``SampleInfo``): every n-th post by id, with n chosen
from the period's count in the rollups so that about ``size`` posts are read. It is
deterministic (the same answer twice), spread over the whole period rather than its
last days (the themes of a year are not those of its last week), and cheap: the
topic's index of matches already holds the post ids, so only the sampled posts are
read. All posts are read when the period has no more than ``size``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select

from horchposten.analytics.facts import facts
from horchposten.analytics.period import Period
from horchposten.store.schema import post_topics, posts

THEMES_SIZE = 5_000  # posts per period for themes, rising terms and voice of the customer
AUTHORITY_SIZE = 5_000  # posts whose replies and mentions make the authority graph


@dataclass(frozen=True)
class SampleInfo:
    read: int  # posts read
    posts: int  # the topic's posts in the period
    every: int  # 1: all of them; n: every n-th post by id


def period_posts(conn: Connection, topic_id: int, period: Period) -> int:
    """The topic's posts in the period, from the rollups (O(hours))."""
    return sum(f.posts for f in facts(conn, [topic_id], period, dims=(), by_time=False))


def spread(
    conn: Connection, columns: list[Any], topic_id: int, period: Period, size: int
) -> tuple[list[Any], SampleInfo]:
    """About ``size`` of the period's posts: every n-th by id, in id order."""
    total = period_posts(conn, topic_id, period)
    every = max(1, math.ceil(total / size))
    query = _in_period(select(*columns), topic_id, period).order_by(post_topics.c.post_id)
    if every > 1:
        query = query.where(post_topics.c.post_id % every == 0)
    rows = list(conn.execute(query))
    return rows, SampleInfo(len(rows), max(total, len(rows)), every)


def _in_period(query: Select[Any], topic_id: int, period: Period) -> Select[Any]:
    return query.join(post_topics, post_topics.c.post_id == posts.c.id).where(
        post_topics.c.topic_id == topic_id,
        posts.c.created_at >= period.start,
        posts.c.created_at < period.end,
    )
