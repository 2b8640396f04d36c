"""Engagement counts the way each platform reports them, ``None`` where it does not.

mastodon, bluesky: likes, reposts, replies. reddit: score as likes, comment count
on submissions. youtube: views, likes and comment count on videos; likes on
comments. feeds: nothing. files (a forum export): likes, where the forum shows them.
"""

from __future__ import annotations

import random

Counts = dict[str, int | None]
"""The interchange ``metrics`` object; absent keys mean the platform does not say."""


def metrics_for(
    rng: random.Random, source: str, followers: int | None, *, video: bool, reply: bool
) -> Counts:
    """Plausible counts for a post by an author with ``followers``."""
    if source in ("mastodon", "bluesky"):
        return _social(rng, followers or 0, reply)
    if source == "reddit":
        score = int(rng.lognormvariate(0.8 if reply else 2.2, 1.3))
        comments = None if reply else int(score * 0.3 * rng.lognormvariate(0, 0.7))
        return {"likes": score, "replies": comments}
    if source == "youtube":
        return _video(rng, followers or 0) if video else _comment(rng, reply)
    if source == "files":
        return {"likes": int(rng.lognormvariate(0.3, 1.0)) if rng.random() < 0.6 else None}
    return {}


def _social(rng: random.Random, followers: int, reply: bool) -> Counts:
    reach = followers * (0.3 if reply else 1.0) + 20
    likes = int(reach * 0.01 * rng.lognormvariate(0, 1.1))
    replies = int(likes * 0.1 * rng.lognormvariate(0, 0.8)) + (0 if reply else rng.randint(0, 2))
    return {
        "likes": likes,
        "reposts": int(likes * 0.2 * rng.lognormvariate(0, 0.7)),
        "replies": replies,
    }


def _video(rng: random.Random, subscribers: int) -> Counts:
    views = int(subscribers * 0.1 * rng.lognormvariate(0, 1.0)) + rng.randint(40, 900)
    return {
        "views": views,
        "likes": int(views * 0.03 * rng.lognormvariate(0, 0.4)),
        "replies": int(views * 0.002 * rng.lognormvariate(0, 0.6)),
    }


def _comment(rng: random.Random, reply: bool) -> Counts:
    likes = int(rng.lognormvariate(0.5, 1.4))
    return {"likes": likes, "replies": None if reply else int(rng.lognormvariate(-0.5, 1.0))}
