"""Summing hourly rollups into local days inside the database.

A period is cut where the zone's UTC offset changes (twice a year in Berlin); inside
each piece, an hour's local day is its UTC start shifted by that piece's offset, so
SQL can group by it and a year-long day chart reads 365 rows instead of 8,760.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, literal_column

from horchposten.analytics.period import Period

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _offset(moment: datetime, zone: ZoneInfo) -> int:
    found = moment.astimezone(zone).utcoffset()
    return int(found.total_seconds()) if found is not None else 0


def offset_pieces(period: Period, zone: ZoneInfo) -> list[tuple[Period, int]]:
    """The period cut into pieces of one UTC offset (seconds), hour by hour where it changes."""
    pieces = []
    start = moment = period.start
    offset = _offset(start, zone)
    while moment < period.end:
        following = min(moment + DAY, period.end)
        if _offset(following - HOUR, zone) == offset:
            moment = following
            continue
        while _offset(moment, zone) == offset:  # the change lies within this day
            moment += HOUR
        pieces.append((Period(start, moment), offset))
        start, offset = moment, _offset(moment, zone)
    pieces.append((Period(start, period.end), offset))
    return pieces


def local_day(bucket: Any, offset: int, dialect: str) -> ColumnElement[Any]:
    """SQL for the local date of a UTC hour ``bucket`` column at this offset."""
    if dialect == "sqlite":
        return func.date(bucket, literal_column(f"'{offset:+d} seconds'"))
    shifted = bucket.op("AT TIME ZONE")(literal_column("'UTC'")) + literal_column(
        f"interval '{offset} seconds'"
    )
    return func.date(shifted)


@lru_cache(maxsize=4096)
def day_start(day: date | str, zone: ZoneInfo) -> datetime:
    """The UTC instant local midnight of ``day`` begins."""
    found = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(found.year, found.month, found.day, tzinfo=zone).astimezone(UTC)
