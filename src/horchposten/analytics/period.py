"""Time ranges and buckets in the workspace's zone, correct across daylight-saving changes.

Buckets are cut in local wall-clock time (a Berlin day is 23, 24 or 25 hours long)
and carried as aware UTC instants, so hourly UTC rollups add up into them exactly
for every whole-hour zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from horchposten.errors import InputError

Granularity = Literal["minute", "hour", "day", "week"]
GRANULARITIES: tuple[Granularity, ...] = ("minute", "hour", "day", "week")


@dataclass(frozen=True)
class Period:
    """The half-open range [start, end) in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InputError("A period needs times with a time zone, e.g. 2026-11-01T00:00:00Z.")
        if self.end <= self.start:
            raise InputError(
                f"The period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()}); give an end after the start."
            )

    def previous(self) -> Period:
        """The period of the same length just before this one, for comparisons."""
        return Period(self.start - (self.end - self.start), self.start)


def floor_local(moment: datetime, granularity: Granularity, zone: ZoneInfo) -> datetime:
    """The start (as UTC) of the local bucket that holds ``moment``."""
    local = moment.astimezone(zone)
    if granularity == "minute":
        local = local.replace(second=0, microsecond=0)
    elif granularity == "hour":
        local = local.replace(minute=0, second=0, microsecond=0)
    else:
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if granularity == "week":  # ISO weeks start on Monday
            local -= timedelta(days=local.weekday())
        # Rebuild from the wall clock so the day's own UTC offset applies.
        local = datetime(local.year, local.month, local.day, tzinfo=zone)
    return local.astimezone(UTC)


def _next_local(start: datetime, granularity: Granularity, zone: ZoneInfo) -> datetime:
    if granularity in ("minute", "hour"):  # fixed lengths in absolute time
        return start + (timedelta(minutes=1) if granularity == "minute" else timedelta(hours=1))
    local = start.astimezone(zone)
    days = 7 if granularity == "week" else 1
    following = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone)
    return following.astimezone(UTC)


def buckets(period: Period, granularity: Granularity, zone: ZoneInfo) -> Iterator[datetime]:
    """Every bucket start (UTC) that overlaps the period, in order."""
    current = floor_local(period.start, granularity, zone)
    while current < period.end:
        yield current
        current = _next_local(current, granularity, zone)


def bucket_count(period: Period, granularity: Granularity) -> int:
    """An upper bound of the buckets, to refuse charts too fine for their range."""
    size = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}[granularity]
    return int((period.end - period.start).total_seconds() // size) + 2
