"""Reach and earned media value: impressions per post, priced at the platform's ad CPM.

Impressions are the platform's view count where it gives one, else the author's
followers times the source's reach factor; "missing" is not zero, so a post with
neither adds no impressions. A whole-hour period is summed from the rollups (their
``views`` and ``unviewed_reach`` columns, O(hours x sources)); a period that cuts an
hour reads its posts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from horchposten.analytics.change import Change, RateChange, change, rate_change
from horchposten.analytics.facts import NO_FILTERS, Filters, post_rows, whole_hours
from horchposten.analytics.period import Period
from horchposten.analytics.settings import AnalyticsSettings
from horchposten.store.rollups import UNKNOWN_LANG
from horchposten.store.schema import rollups_hourly, rollups_marginal


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
    by_source = (
        _from_rollups(conn, topic_id, period, settings, filters)
        if whole_hours(period)
        else _from_posts(conn, topic_id, period, settings, filters)
    )
    total = SourceReach()
    for part in by_source.values():
        total.posts += part.posts
        total.followers += part.followers
        total.impressions += part.impressions
        total.viewed_posts += part.viewed_posts
        total.value += part.value
    for part in (total, *by_source.values()):
        part.impressions = round(part.impressions, 2)
        part.value = round(part.value, 2)
    return total, dict(sorted(by_source.items()))


def _from_rollups(
    conn: Connection,
    topic_id: int,
    period: Period,
    settings: AnalyticsSettings,
    filters: Filters,
) -> dict[str, SourceReach]:
    """Per source: views + unviewed followers x factor, summed over the period's hours."""
    # Without a language filter the per-source margins hold the same sums in fewer rows.
    marginal = not filters.langs
    t = (rollups_marginal if marginal else rollups_hourly).c
    source = t.value if marginal else t.source
    query = (
        select(
            source,
            func.sum(t.posts),
            func.sum(t.reach),
            func.sum(t.views),
            func.sum(t.viewed_posts),
            func.sum(t.unviewed_reach),
        )
        .where(t.topic_id == topic_id, t.bucket >= period.start, t.bucket < period.end)
        .group_by(source)
    )
    if marginal:
        query = query.where(t.dimension == "source")
    else:
        query = query.where(t.lang.in_(filters.langs))
    if filters.sources:
        query = query.where(source.in_(filters.sources))
    found: dict[str, SourceReach] = {}
    for name, posts, followers, views, viewed, unviewed in conn.execute(query):
        if not posts:
            continue
        seen = int(views) + int(unviewed) * settings.factor(name)
        found[name] = SourceReach(
            int(posts), int(followers), seen, int(viewed), seen / 1000 * settings.cpm_of(name)
        )
    return found


def _from_posts(
    conn: Connection,
    topic_id: int,
    period: Period,
    settings: AnalyticsSettings,
    filters: Filters,
) -> dict[str, SourceReach]:
    by_source: dict[str, SourceReach] = defaultdict(SourceReach)
    for row in post_rows(conn, [topic_id], period):
        if not filters.keep(row.source, row.lang or UNKNOWN_LANG):
            continue
        seen = impressions(row.views, row.author_followers, settings.factor(row.source))
        part = by_source[row.source]
        part.posts += 1
        part.followers += row.author_followers or 0
        part.impressions += seen
        part.viewed_posts += row.views is not None
        part.value += seen / 1000 * settings.cpm_of(row.source)
    return by_source
