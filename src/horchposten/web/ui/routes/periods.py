"""The period a page shows, from its query string: a preset or custom days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PRESETS = {"7d": 7, "30d": 30, "90d": 90, "12m": 365}


@dataclass(frozen=True)
class Chosen:
    range: str  # a PRESETS key or "custom"
    since: str  # yyyy-mm-dd for the date fields; empty for a preset
    until: str


def chosen(range_: str | None, since: str | None, until: str | None) -> Chosen:
    """What the period picker shows; the browser computes the same period (common.js)."""
    start, end = _day(since), _day(until)
    if start is not None and end is not None and start < end:
        return Chosen("custom", start.isoformat(), end.isoformat())
    return Chosen(range_ if range_ in PRESETS else "30d", "", "")


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
