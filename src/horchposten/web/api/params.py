"""Query parameters shared by the analytics endpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Path, Query

from horchposten.analytics.facts import Filters
from horchposten.analytics.period import Period
from horchposten.errors import InputError

DEFAULT_DAYS = 30
# Times outside this range are refused: date arithmetic near year 1 or 9999
# (the default start, the previous period) would overflow into a server error.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _checked(name: str, value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise InputError(f"{name} needs a time zone, e.g. 2026-11-01T00:00:00Z.")
    if not EARLIEST <= value < LATEST:
        raise InputError(
            f"{name} {value.isoformat()} is outside the times this API reads "
            "(1970 to 2199); give a time in that range."
        )
    return value


def _next_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def period(
    since: Annotated[
        datetime | None,
        Query(
            description="Start (inclusive), with a time zone. Default: 30 days before `until`.",
            examples=["2026-10-01T00:00:00+02:00"],
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        Query(
            description="End (exclusive), with a time zone. Default: the next full hour.",
            examples=["2026-11-01T00:00:00+01:00"],
        ),
    ] = None,
) -> Period:
    end = _checked("until", until) or _next_hour(datetime.now(UTC))
    return Period(_checked("since", since) or end - timedelta(days=DEFAULT_DAYS), end)


def filters(
    source: Annotated[
        list[str] | None, Query(description="Only these sources.", examples=[["mastodon"]])
    ] = None,
    lang: Annotated[
        list[str] | None,
        Query(description="Only these languages ('und' for unknown).", examples=[["de"]]),
    ] = None,
) -> Filters:
    return Filters(tuple(source or ()), tuple(lang or ()))


PERIOD = Depends(period)
FILTERS = Depends(filters)


# A topic's id in paths: names are free text, and one with '/' or '..' cannot be a path
# segment. A name still works where it does not look like an id (older clients).
TopicRef = Annotated[
    str,
    Path(
        description="The topic's `id`; older clients may give its name instead, unless the "
        "name is made only of digits.",
        examples=["3"],
    ),
]
