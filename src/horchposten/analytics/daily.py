"""Daily totals of topics on SQLite: one index range per local day, no sort.

Summing a year of hourly ``total`` rows into local days with GROUP BY makes
SQLite sort every hour (8,760 per topic); here each local day's hours are summed
by a correlated subquery over the primary key instead, so a share-of-voice year
of five topics reads its 43,800 hours in index order and sorts nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from horchposten.analytics.period import Period, buckets

# The hours of one topic and local day, summed and packed into one value so that
# the index range is read once for all three sums.
_SQL = (
    "WITH days(n, s, e) AS (VALUES {days}), tp(id) AS (VALUES {topics}) "
    "SELECT tp.id, days.n, (SELECT sum(posts) || ' ' || sum(reach) || ' ' || sum(engagement) "
    "FROM rollups_marginal r WHERE r.topic_id = tp.id AND r.dimension = 'total' "
    "AND r.bucket >= days.s AND r.bucket < days.e) FROM days, tp"
)


def _stored(moment: datetime) -> str:
    """A UTC instant as the SQLite rollup tables hold it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def daily_totals(
    conn: Connection, topic_ids: Sequence[int], period: Period, zone: ZoneInfo
) -> Iterator[tuple[int, datetime, int, int, int]]:
    """(topic, local day start, posts, reach, engagement) of each non-empty topic and day
    of the (hour-aligned) period."""
    starts = list(buckets(period, "day", zone))
    edges = [max(start, period.start) for start in starts] + [period.end]
    days = [(n, _stored(edges[n]), _stored(edges[n + 1])) for n in range(len(starts))]
    if not days or not topic_ids:
        return
    sql = _SQL.format(
        days=", ".join("(?, ?, ?)" for _ in days), topics=", ".join("(?)" for _ in topic_ids)
    )
    params = tuple(value for day in days for value in day) + tuple(topic_ids)
    for topic_id, n, packed in conn.exec_driver_sql(sql, params):
        if packed:
            posts, reach, engagement = (int(part) for part in packed.split())
            if posts:
                yield int(topic_id), starts[n], posts, reach, engagement
