"""The period a page shows, from its query string: a preset or custom days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PRESETS = {"7d": 7, "30d": 30, "90d": 90, "12m": 365}


@dataclass(frozen=True)
class Chosen:
    range: str  # a PRESETS key or "custom"
    since: str  # yyyy-mm-dd for the date fields; empty for a preset
    until: str
    start: datetime  # the period itself, [start, end)
    end: datetime


def _next_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def chosen(
    range_: str | None, since: str | None, until: str | None, zone: ZoneInfo, now: datetime
) -> Chosen:
    """Custom days run from the first day's start to the last day's end in the workspace
    zone (both days included); a preset is that many days up to the next full hour."""
    first, last = _day(since), _day(until)
    if first is not None and last is not None and first <= last:
        start = datetime.combine(first, time(), zone)
        end = datetime.combine(last + timedelta(days=1), time(), zone)
        return Chosen("custom", first.isoformat(), last.isoformat(), start, end)
    preset = range_ if range_ in PRESETS else "30d"
    end = _next_hour(now.astimezone(UTC))
    return Chosen(preset, "", "", end - timedelta(days=PRESETS[preset]), end)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def moment(value: str | None, zone: ZoneInfo, *, end: bool = False) -> str | None:
    """An ISO time with a zone for the API: a bare day is that day's start in the workspace
    zone (the day after, for an end, so the end day is included); a full time passes."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return parsed.isoformat()
    day = parsed.date() + (timedelta(days=1) if end and len(value) <= 10 else timedelta())
    return datetime.combine(day, time(), zone).isoformat()
