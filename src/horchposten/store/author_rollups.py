"""Per-author daily and monthly rollups per topic, by deltas in the posts' transaction.

``RollupDelta`` feeds every addition and removal here too, so storing, editing,
re-enriching, back-filling and deleting keep ``rollups_authors`` equal to a
recount exactly as they do ``rollups_hourly``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, delete

from horchposten.labels import SENTIMENTS
from horchposten.store.dialect import bulk_insert
from horchposten.store.schema import rollups_authors

# posts, reach, engagement, then one count per sentiment label
SUMS = ("posts", "reach", "engagement", *SENTIMENTS)


class AuthorKey(NamedTuple):
    topic_id: int
    span: str  # "day" or "month"
    start: datetime
    source: str
    handle: str


def day_bucket(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def month_bucket(moment: datetime) -> datetime:
    return day_bucket(moment).replace(day=1)


class AuthorDelta:
    """Accumulates per-author changes; posts without an author handle are not counted."""

    def __init__(self) -> None:
        self._totals: dict[AuthorKey, list[int]] = defaultdict(lambda: [0] * len(SUMS))

    def add(
        self,
        row: Any,
        topic_ids: Iterable[int],
        sign: int,
        sentiment: str,
        amounts: tuple[int, int, int],
    ) -> None:
        if not row.author_handle:
            return
        moods = tuple(int(sentiment == label) for label in SENTIMENTS)
        spans = (("day", day_bucket(row.created_at)), ("month", month_bucket(row.created_at)))
        for topic_id in topic_ids:
            for span, start in spans:
                key = AuthorKey(topic_id, span, start, row.source, row.author_handle)
                total = self._totals[key]
                for index, amount in enumerate((*amounts, *moods)):
                    total[index] += sign * amount

    def write(self, conn: Connection) -> None:
        rows = [
            {**key._asdict(), **dict(zip(SUMS, sums, strict=True))}
            for key, sums in self._totals.items()
            if any(sums)
        ]
        bulk_insert(conn, rollups_authors, rows, keys=AuthorKey._fields, update=SUMS, add=True)
        keys = AuthorKey._fields
        lowered = [{f"k_{k}": row[k] for k in keys} for row in rows if row["posts"] < 0]
        if lowered:
            # Rows a subtraction left at zero posts are dropped rather than kept as zeros.
            where = and_(
                *(rollups_authors.c[k] == bindparam(f"k_{k}") for k in AuthorKey._fields),
                rollups_authors.c.posts == 0,
            )
            conn.execute(delete(rollups_authors).where(where), lowered)
        self._totals.clear()
