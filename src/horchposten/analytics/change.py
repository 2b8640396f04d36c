"""A figure against the period of the same length just before: absolute and % change."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """A count against the period before; ``percent`` is None when it was 0."""

    previous: int
    absolute: int
    percent: float | None


@dataclass(frozen=True)
class RateChange:
    """A ratio or amount (share, net sentiment, money) against the period before.

    ``absolute`` is None when either period has no value; ``percent`` is relative
    to the size of the previous value, None when that was 0 or missing.
    """

    previous: float | None
    absolute: float | None
    percent: float | None


def change(current: int, previous: int) -> Change:
    percent = None if previous == 0 else round(100 * (current - previous) / previous, 2)
    return Change(previous, current - previous, percent)


def rate_change(current: float | None, previous: float | None, digits: int = 4) -> RateChange:
    if current is None or previous is None:
        return RateChange(previous, None, None)
    difference = current - previous
    percent = None if previous == 0 else round(100 * difference / abs(previous), 2)
    return RateChange(previous, round(difference, digits), percent)
