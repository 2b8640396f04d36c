"""The counts every chart is made of: from the hourly rollups, or from posts when finer.

A whole-hour period is read from ``rollups_hourly`` (O(buckets)); minute charts and
periods that cut an hour fall back to the posts themselves, which is exact but
costs O(posts), so those are meant for short ranges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Select, func, select

from horchposten.analytics.daily import daily_totals
from horchposten.analytics.localdays import day_start, local_day, offset_pieces
from horchposten.analytics.period import Period
from horchposten.store.rollups import contribution, sentiment_label
from horchposten.store.schema import (
    enrichments,
    post_topics,
    posts,
    rollups_hourly,
    rollups_marginal,
)


@dataclass(frozen=True)
class Fact:
    """Posts, reach and engagement of one topic in one (hour or minute) slot."""

    topic_id: int
    moment: datetime
    source: str
    lang: str
    sentiment: str
    posts: int
    reach: int
    engagement: int


@dataclass(frozen=True)
class Filters:
    """Optional restrictions every analytic accepts."""

    sources: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()

    def keep(self, source: str, lang: str) -> bool:
        return (not self.sources or source in self.sources) and (
            not self.langs or lang in self.langs
        )


NO_FILTERS = Filters()


def _hour_aligned(moment: datetime) -> bool:
    return moment.minute == moment.second == moment.microsecond == 0


def whole_hours(period: Period) -> bool:
    """Whether the period starts and ends on the hour, so the hourly rollups answer it."""
    return _hour_aligned(period.start) and _hour_aligned(period.end)


Dimension = Literal["source", "lang", "sentiment"]
ALL_DIMENSIONS: tuple[Dimension, ...] = ("source", "lang", "sentiment")


def facts(
    conn: Connection,
    topic_ids: Sequence[int],
    period: Period,
    *,
    minutes: bool = False,
    filters: Filters = NO_FILTERS,
    dims: Sequence[Dimension] = ALL_DIMENSIONS,
    by_time: bool = True,
    day_zone: ZoneInfo | None = None,
) -> Iterator[Fact]:
    """Every non-empty slot of these topics in the period.

    Only the dimensions in ``dims`` (and the hour, with ``by_time``) are kept apart;
    the others are summed in SQL and left empty (""), so a year-long chart reads a
    few thousand grouped rows instead of every rollup row. With ``day_zone`` the hours
    are summed into that zone's local days in SQL too (``localdays.py``).
    """
    if minutes or not whole_hours(period):
        yield from _from_posts(conn, topic_ids, period, filters, dims, by_time)
        return
    marginal = len(dims) <= 1 and not filters.sources and not filters.langs
    if marginal and not dims and by_time and day_zone and conn.dialect.name == "sqlite":
        for topic_id, day, posts, reach, engagement in daily_totals(
            conn, topic_ids, period, day_zone
        ):
            yield Fact(topic_id, day, "", "", "", posts, reach, engagement)
        return
    pieces = [(period, 0)]
    if by_time and day_zone is not None:
        pieces = offset_pieces(period, day_zone)
    for piece, offset in pieces:
        query = _grouped(conn, marginal, topic_ids, piece, offset if day_zone else None, dims,
                         by_time, filters)  # fmt: skip
        for row in conn.execute(query):
            *key, posts, reach, engagement = row
            if day_zone is not None and by_time:
                key[1] = day_start(key[1], day_zone)
            if posts:
                yield _fact(key, dims, by_time, period, int(posts), int(reach), int(engagement))


def _grouped(
    conn: Connection,
    marginal: bool,
    topic_ids: Sequence[int],
    piece: Period,
    offset: int | None,
    dims: Sequence[Dimension],
    by_time: bool,
    filters: Filters,
) -> Select[Any]:
    """Sums per topic (, hour or local day at ``offset``) and dimension values in SQL."""
    t = (rollups_marginal if marginal else rollups_hourly).c
    when = []
    if by_time:
        when = [t.bucket if offset is None else local_day(t.bucket, offset, conn.dialect.name)]
    if marginal:
        keys = [t.topic_id, *when, *([t.value] if dims else [])]
    else:
        keys = [t.topic_id, *when, *(t[dim] for dim in dims)]
    query = select(*keys, func.sum(t.posts), func.sum(t.reach), func.sum(t.engagement)).where(
        t.topic_id.in_(topic_ids), t.bucket >= piece.start, t.bucket < piece.end
    )
    if marginal:
        query = query.where(t.dimension == (dims[0] if dims else "total"))
    if filters.sources:
        query = query.where(t.source.in_(filters.sources))
    if filters.langs:
        query = query.where(t.lang.in_(filters.langs))
    return query.group_by(*keys)


def _fact(
    key: Sequence[Any],
    dims: Sequence[Dimension],
    by_time: bool,
    period: Period,
    posts: int,
    reach: int,
    engagement: int,
) -> Fact:
    moment = key[1] if by_time else period.start
    named = dict(zip(dims, key[2 if by_time else 1 :], strict=True))
    return Fact(
        key[0],
        moment,
        named.get("source", ""),
        named.get("lang", ""),
        named.get("sentiment", ""),
        posts,
        reach,
        engagement,
    )


def _from_posts(
    conn: Connection,
    topic_ids: Sequence[int],
    period: Period,
    filters: Filters,
    dims: Sequence[Dimension],
    by_time: bool,
) -> Iterator[Fact]:
    totals: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in post_rows(conn, topic_ids, period):
        _, source, lang, amount = contribution(row)
        if not filters.keep(source, lang):
            continue
        minute = row.created_at.replace(second=0, microsecond=0)
        fields = row.sentiment if isinstance(row.sentiment, dict) else None
        named = {"source": source, "lang": lang, "sentiment": sentiment_label(fields)}
        key = (row.topic_id, *([minute] if by_time else []), *(named[d] for d in dims))
        total = totals[key]
        total[0] += amount.posts
        total[1] += amount.reach
        total[2] += amount.engagement
    for key, (count, reach, engagement) in totals.items():
        yield _fact(key, dims, by_time, period, count, reach, engagement)


def post_rows(conn: Connection, topic_ids: Sequence[int], period: Period) -> Iterator[Any]:
    """The topics' posts in the period, with the topic id and sentiment fields (or None)."""
    query = (
        select(post_topics.c.topic_id, posts, enrichments.c.data.label("sentiment"))
        .join(posts, posts.c.id == post_topics.c.post_id)
        .outerjoin(
            enrichments,
            (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment"),
        )
        .where(
            post_topics.c.topic_id.in_(topic_ids),
            posts.c.created_at >= period.start,
            posts.c.created_at < period.end,
        )
    )
    yield from conn.execute(query, execution_options={"yield_per": 2000})
