"""Numbers and dates per locale (Babel), as Jinja filters.

Dates are shown in the workspace's time zone. The filters take the locale and
zone from the page being rendered (``current.page()``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from horchposten.web.ui import current

MISSING = "\u2013"  # an en dash stands for a missing value


def _where() -> tuple[str, ZoneInfo]:
    page = current.page()
    return page.locale, page.zone


def number(value: float | int | None, digits: int = 0) -> str:
    """1234567.8 → '1.234.568' (de) or '1,234,568' (en); None → an en dash."""
    if value is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_where()[0])


def compact(value: float | int | None) -> str:
    """1234567 → '1,2 Mio.' (de) or '1.2M' (en)."""
    if value is None:
        return MISSING
    return format_compact_decimal(value, locale=_where()[0], fraction_digits=1)


def percent(value: float | None, digits: int = 0) -> str:
    """0.253 → '25 %' (de) or '25%' (en)."""
    if value is None:
        return MISSING
    locale = Locale.parse(_where()[0])
    pattern = locale.percent_formats[None].pattern  # "#,##0 %" in German, "#,##0%" in English
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return format_percent(value, format=pattern, locale=locale)


def date(value: datetime | None, style: str = "medium") -> str:
    if value is None:
        return MISSING
    locale, zone = _where()
    return format_date(value.astimezone(zone), format=style, locale=locale)


def date_time(value: datetime | None, style: str = "medium") -> str:
    """In the workspace's zone: '22.11.2026, 08:15:00' (de), 'Nov 22, 2026, 8:15:00 AM' (en)."""
    if value is None:
        return MISSING
    locale, zone = _where()
    return format_datetime(value, format=style, tzinfo=zone, locale=locale)


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in words: 'vor 3 Stunden' / '3 hours ago'."""
    if value is None:
        return MISSING
    reference = now or datetime.now(value.tzinfo)
    return format_timedelta(
        value - reference, add_direction=True, locale=_where()[0], threshold=1.0
    )


def _as_time(value: object) -> str | None:
    """An ISO date-time with a zone (as cursors keep them), in the page's language and zone."""
    if not isinstance(value, str) or len(value) < 16 or value[4:5] != "-":
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return date_time(moment, "short") if moment.tzinfo is not None else None


def cursor_parts(cursor: dict[str, Any]) -> list[tuple[str, str]]:
    """A source's cursor as (key, value) pairs a person can read; nested state is counted.

    The keys stay as the source wrote them; ``cursor_key`` in the sources page names them."""
    parts = []
    for key, value in cursor.items():
        if value is None or value == {} or value == []:
            continue
        if isinstance(value, dict | list):  # e.g. the comment feeds a feed source follows
            shown = current.page().ngettext("%(num)d entry", "%(num)d entries", len(value))
        else:
            shown = _as_time(value) or str(value)
        parts.append((key, shown))
    return parts


FILTERS: dict[str, Any] = {
    "cursor_parts": cursor_parts,
    "number": number,
    "compact": compact,
    "percent": percent,
    "date": date,
    "datetime": date_time,
    "ago": ago,
}
