"""Reach and earned media value: impressions per post, priced at the platform's ad CPM.

Impressions are the platform's view count where it gives one, else the author's
followers times the source's reach factor; "missing" is not zero, so a post with
neither adds no impressions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection

from horchposten.analytics.change import Change, RateChange, change, rate_change
from horchposten.analytics.facts import NO_FILTERS, Filters, post_rows
from horchposten.analytics.period import Period
from horchposten.analytics.settings import AnalyticsSettings
from horchposten.store.rollups import UNKNOWN_LANG


@dataclass
class SourceReach:
    posts: int = 0
    followers: int = 0
    impressions: float = 0.0
    viewed_posts: int = 0  # posts whose impressions are the platform's own view count
    value: float = 0.0


@dataclass(frozen=True)
class ReachChange:
    """The totals against the period of the same length just before."""

    posts: Change
    followers: Change
    impressions: RateChange
    value: RateChange

    @classmethod
    def between(cls, now: SourceReach, before: SourceReach) -> ReachChange:
        return cls(
            change(now.posts, before.posts),
            change(now.followers, before.followers),
            rate_change(now.impressions, before.impressions, 2),
            rate_change(now.value, before.value, 2),
        )


@dataclass
class EarnedMedia:
    currency: str
    total: SourceReach
    by_source: dict[str, SourceReach]
    change: ReachChange


def impressions(views: int | None, followers: int | None, factor: float) -> float:
    if views is not None:
        return float(views)
    return followers * factor if followers is not None else 0.0


def earned_media(
    conn: Connection,
    topic_id: int,
    period: Period,
    settings: AnalyticsSettings,
    filters: Filters = NO_FILTERS,
) -> EarnedMedia:
    """Impressions and their ad value per source and in total, and the totals' change
    against the period just before."""
    total, by_source = _tally(conn, topic_id, period, settings, filters)
    before, _ = _tally(conn, topic_id, period.previous(), settings, filters)
    return EarnedMedia(settings.currency, total, by_source, ReachChange.between(total, before))


def _tally(
    conn: Connection,
    topic_id: int,
    period: Period,
    settings: AnalyticsSettings,
    filters: Filters,
) -> tuple[SourceReach, dict[str, SourceReach]]:
    total = SourceReach()
    by_source: dict[str, SourceReach] = defaultdict(SourceReach)
    for row in post_rows(conn, [topic_id], period):
        if not filters.keep(row.source, row.lang or UNKNOWN_LANG):
            continue
        seen = impressions(row.views, row.author_followers, settings.factor(row.source))
        value = seen / 1000 * settings.cpm_of(row.source)
        for part in (total, by_source[row.source]):
            part.posts += 1
            part.followers += row.author_followers or 0
            part.impressions += seen
            part.viewed_posts += row.views is not None
            part.value += value
    for part in (total, *by_source.values()):
        part.impressions = round(part.impressions, 2)
        part.value = round(part.value, 2)
    return total, dict(by_source)
