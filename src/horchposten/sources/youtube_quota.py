"""YouTube Data API quota: what each call costs, what was spent today, when to stop.

Google counts units per project per day and resets at midnight Pacific time
(search.list costs 100 units, list calls on comments and videos 1). The count
travels in the cursor, so it survives restarts and ``source list`` can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
COSTS = {"search": 100, "commentThreads": 1, "comments": 1, "videos": 1}


class QuotaSpent(Exception):
    """The next call would pass the daily budget; the pass stops cleanly."""


@dataclass
class Quota:
    day: str
    used: int
    budget: int  # what this source may spend a day (the daily quota less the reserve)

    @classmethod
    def from_cursor(cls, saved: Any, budget: int, now: datetime) -> Quota:
        today = now.astimezone(PACIFIC).date().isoformat()
        if isinstance(saved, dict) and saved.get("day") == today:
            return cls(today, int(saved.get("used") or 0), budget)
        return cls(today, 0, budget)

    def spend(self, call: str) -> None:
        """Count a call before it is made; raise ``QuotaSpent`` if it does not fit."""
        cost = COSTS[call]
        if self.used + cost > self.budget:
            raise QuotaSpent(call)
        self.used += cost

    def saved(self) -> dict[str, Any]:
        return {"day": self.day, "used": self.used, "budget": self.budget}

    def describe(self) -> str:
        return f"{self.used:,} of {self.budget:,} quota units spent today (Pacific time)"
