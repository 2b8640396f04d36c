"""When the synthetic posts are written: growth, a daily and weekly rhythm, two bursts.

The window is cut into hours. Each hour's weight follows the local (CET) time of
day and the weekday (quieter on Saturdays and Sundays) and grows by ``GROWTH`` a
day, so each month is busier than the one before (about +27 % over 30 days) and a
comparison with the previous period shows a real change; two bursts multiply it: a
product launch (the new Polarbohne, from 09:00 about a third into the window) and a
wave of delivery complaints (from 07:00 at about 70%, over two and a half days). A post that
falls into a burst is attributed to it with the share of the hour's weight the
burst added.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

LOCAL_OFFSET = timedelta(hours=1)
HOURLY = (
    0.45, 0.28, 0.18, 0.14, 0.14, 0.22, 0.45, 0.85, 1.05, 1.1, 1.05, 1.05,
    1.2, 1.15, 1.0, 1.0, 1.1, 1.3, 1.55, 1.85, 2.05, 2.0, 1.6, 1.0,
)  # fmt: skip
WEEKDAY = (1.05, 1.05, 1.0, 1.0, 0.95, 0.75, 0.8)
# Daily growth of the rate: the audience of a brand that is gaining attention.
GROWTH = 0.008


@dataclass(frozen=True, slots=True)
class Burst:
    """Extra volume: ``peak`` times the normal rate at its start, decaying over ``hours``."""

    name: str
    start: int
    hours: int
    peak: float

    def extra(self, hour: int) -> float:
        since = hour - self.start
        if since < 0 or since >= self.hours:
            return 0.0
        return self.peak * math.exp(-3 * since / self.hours)


@dataclass(frozen=True, slots=True)
class Moment:
    """When a post is written and which burst, if any, it belongs to."""

    at: datetime
    burst: str | None


def plan_bursts(start: datetime, days: int) -> tuple[Burst, ...]:
    """The launch day and the delivery-problem wave inside a window of ``days`` days."""
    return (
        Burst("launch", _next_local_hour(start, int(days * 0.35) * 24, 9), 36, 5.0),
        Burst("delivery_wave", _next_local_hour(start, int(days * 0.7) * 24, 7), 60, 3.0),
    )


def _next_local_hour(start: datetime, hour: int, local: int) -> int:
    while (start + timedelta(hours=hour) + LOCAL_OFFSET).hour != local:
        hour += 1
    return hour


def sample_moments(rng: random.Random, count: int, end: datetime, days: int) -> list[Moment]:
    """``count`` moments in ``[end - days, end)``, in time order."""
    start = end - timedelta(days=days)
    bursts = plan_bursts(start, days)
    base, extra = _weights(start, days * 24, bursts)
    totals = [b + sum(e) for b, e in zip(base, extra, strict=True)]
    hours = rng.choices(range(len(totals)), weights=totals, k=count)
    seconds = sorted(hour * 3600 + rng.randrange(3600) for hour in hours)
    moments = []
    for second in seconds:
        hour = second // 3600
        moments.append(
            Moment(start + timedelta(seconds=second), _burst(rng, base[hour], extra[hour], bursts))
        )
    return moments


def _weights(
    start: datetime, hours: int, bursts: tuple[Burst, ...]
) -> tuple[list[float], list[tuple[float, ...]]]:
    base, extra = [], []
    for hour in range(hours):
        local = start + timedelta(hours=hour) + LOCAL_OFFSET
        growth = math.exp(-GROWTH * (hours - hour) / 24)  # 1 at the end of the window
        weight = HOURLY[local.hour] * WEEKDAY[local.weekday()] * growth
        base.append(weight)
        extra.append(tuple(weight * burst.extra(hour) for burst in bursts))
    return base, extra


def _burst(
    rng: random.Random, base: float, extra: tuple[float, ...], bursts: tuple[Burst, ...]
) -> str | None:
    roll = rng.random() * (base + sum(extra))
    for weight, burst in zip(extra, bursts, strict=True):
        if roll < weight:
            return burst.name
        roll -= weight
    return None
