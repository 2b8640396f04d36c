"""Sentiment distribution, trend and net sentiment, per source and language, from the rollups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from horchposten.analytics.change import Change, RateChange, change, rate_change
from horchposten.analytics.facts import NO_FILTERS, Dimension, Fact, Filters, facts
from horchposten.analytics.period import Granularity, Period
from horchposten.analytics.volume import bucketed, check_granularity
from horchposten.labels import NO_SENTIMENT, SENTIMENTS

LABELS = (*SENTIMENTS, NO_SENTIMENT)


@dataclass
class Distribution:
    """Posts per label (negative, neutral, positive, none) and the net sentiment."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))

    @property
    def net(self) -> float | None:
        """(positive - negative) / (positive + negative); None without either."""
        pos, neg = self.counts["positive"], self.counts["negative"]
        return None if pos + neg == 0 else round((pos - neg) / (pos + neg), 4)

    def add(self, fact: Fact) -> None:
        self.counts[fact.sentiment] = self.counts.get(fact.sentiment, 0) + fact.posts


@dataclass
class SentimentPoint:
    start: datetime
    distribution: Distribution


@dataclass(frozen=True)
class SentimentChange:
    """Net sentiment and each label's posts against the period just before."""

    net: RateChange
    counts: dict[str, Change]

    @classmethod
    def between(cls, now: Distribution, before: Distribution) -> SentimentChange:
        return cls(
            rate_change(now.net, before.net),
            {label: change(now.counts[label], before.counts[label]) for label in LABELS},
        )


@dataclass
class SentimentReport:
    overall: Distribution
    trend: list[SentimentPoint]
    by_source: dict[str, Distribution]
    by_lang: dict[str, Distribution]
    change: SentimentChange


def sentiment(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    granularity: Granularity = "day",
    zone: ZoneInfo,
    filters: Filters = NO_FILTERS,
    breakdowns: bool = True,
) -> SentimentReport:
    """The topic's sentiment over the period, per bucket, and (with ``breakdowns``, which
    reads every rollup combination) per source and per language."""
    check_granularity(period, granularity)
    minutes = granularity == "minute"
    days = zone if granularity in ("day", "week") else None
    found = list(
        facts(
            conn,
            [topic_id],
            period,
            minutes=minutes,
            filters=filters,
            dims=("sentiment",),
            day_zone=days,
        )
    )
    overall = Distribution()
    trend = []
    for start, group in bucketed(found, period, granularity, zone).items():
        point = SentimentPoint(start, Distribution())
        for fact in group:
            point.distribution.add(fact)
            overall.add(fact)
        trend.append(point)
    by_source: dict[str, Distribution] = defaultdict(Distribution)
    by_lang: dict[str, Distribution] = defaultdict(Distribution)
    for dim, into in (("source", by_source), ("lang", by_lang)) if breakdowns else ():
        dims: tuple[Dimension, ...] = (dim, "sentiment")  # type: ignore[assignment]
        for fact in facts(
            conn, [topic_id], period, minutes=minutes, filters=filters, dims=dims, by_time=False
        ):
            into[getattr(fact, dim)].add(fact)
    before = Distribution()
    for fact in facts(
        conn, [topic_id], period.previous(), filters=filters, dims=("sentiment",), by_time=False
    ):
        before.add(fact)
    moved = SentimentChange.between(overall, before)
    return SentimentReport(overall, trend, dict(by_source), dict(by_lang), moved)
