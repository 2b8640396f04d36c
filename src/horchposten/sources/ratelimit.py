"""The platforms' rate headers, read once and obeyed before the next request.

Three spellings are in use: Reddit's ``X-Ratelimit-Remaining/-Reset`` (reset in
seconds), Mastodon's ``X-RateLimit-Remaining/-Reset`` (reset as an ISO time)
and the IETF draft ``RateLimit-Remaining/-Reset`` that Bluesky sends (reset as
a Unix time). A reset value is read by its form, so one parser serves all three.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from horchposten.errors import SourceError

# A number this large is a Unix time, not a delay (10**9 s is 2001-09-09).
UNIX_TIME_FROM = 1e9


@dataclass(frozen=True)
class RateState:
    """What the platform said about the budget left in the current window."""

    remaining: float
    reset_at: datetime


def read_rate_headers(headers: Mapping[str, str], now: datetime) -> RateState | None:
    """The budget from the response headers; None when the platform sent none."""
    lowered = {name.lower(): value for name, value in headers.items()}
    for prefix in ("x-ratelimit-", "ratelimit-"):
        remaining = _number(lowered.get(prefix + "remaining"))
        reset_at = reset_time(lowered.get(prefix + "reset"), now)
        if remaining is not None and reset_at is not None:
            return RateState(remaining, reset_at)
    return None


def reset_time(value: str | None, now: datetime) -> datetime | None:
    """A reset header as a moment: seconds from now, a Unix time, or an ISO time."""
    if value is None:
        return None
    number = _number(value)
    if number is not None:
        if number >= UNIX_TIME_FROM:
            return datetime.fromtimestamp(number, UTC)
        return now + timedelta(seconds=number)
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class RateLimiter:
    """Holds back the next request of one source while the platform's budget is spent.

    A wait longer than ``max_wait`` seconds is not slept through: the pass stops
    with a ``SourceError`` saying when the budget comes back, and the next pass
    resumes from the saved cursor.
    """

    def __init__(
        self,
        platform: str,
        *,
        max_wait: float = 900.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.platform = platform
        self.max_wait = max_wait
        self.state: RateState | None = None
        self._sleep = sleep

    def update(self, headers: Mapping[str, str]) -> None:
        self.state = read_rate_headers(headers, _now()) or self.state

    def seconds_to_reset(self) -> float | None:
        if self.state is None:
            return None
        return max(0.0, (self.state.reset_at - _now()).total_seconds())

    async def wait(self) -> None:
        """Sleep until the window resets if the last answer said nothing is left."""
        if self.state is None or self.state.remaining >= 1:
            return
        delay = self.seconds_to_reset() or 0.0
        if delay > self.max_wait:
            at = self.state.reset_at.strftime("%H:%M:%S UTC")
            raise SourceError(
                f"{self.platform}'s rate limit for this client is spent until {at}; "
                f"this pass stops here and the next one resumes from the saved cursor."
            )
        await self._sleep(delay)
        self.state = None


def _now() -> datetime:
    return datetime.now(UTC)
