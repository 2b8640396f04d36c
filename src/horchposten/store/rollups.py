"""Hourly rollups per topic x source x language x sentiment, by deltas in the posts' transaction.

The same deltas keep the per-author daily rollups (``author_rollups.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, and_, bindparam, delete, select

from horchposten.labels import NO_SENTIMENT, SENTIMENTS
from horchposten.store.author_rollups import AuthorDelta
from horchposten.store.dialect import bulk_insert, chunks
from horchposten.store.schema import post_topics, rollups_hourly, rollups_marginal

UNKNOWN_LANG = "und"


class RollupKey(NamedTuple):
    topic_id: int
    bucket: datetime
    source: str
    lang: str
    sentiment: str


class Contribution(NamedTuple):
    posts: int
    reach: int
    engagement: int
    # What earned media's impressions are summed from (``analytics/reach.py``): the
    # platform's view counts where it gives one, else the followers the reach factor scales.
    views: int
    viewed_posts: int
    unviewed_reach: int


# The summed columns of both rollup tables, in ``Contribution`` order.
SUMS = Contribution._fields


def hour_bucket(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def sentiment_label(fields: Mapping[str, Any] | None) -> str:
    """The rollup's sentiment of a post from its stored ``sentiment`` enrichment fields."""
    label = fields.get("label") if fields else None
    return label if label in SENTIMENTS else NO_SENTIMENT


def contribution(row: Any) -> tuple[datetime, str, str, Contribution]:
    """What one post row (a PostRow or a database Row) adds to each topic it matches."""
    engagement = (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
    followers = row.author_followers or 0
    viewed = row.views is not None
    return (
        hour_bucket(row.created_at),
        row.source,
        row.lang or UNKNOWN_LANG,
        Contribution(
            1, followers, engagement, row.views or 0, int(viewed), 0 if viewed else followers
        ),
    )


class RollupDelta:
    """Accumulates additions and removals, then writes them in one statement."""

    def __init__(self, touched: set[tuple[int, datetime]] | None = None) -> None:
        self._totals: dict[RollupKey, list[int]] = defaultdict(lambda: [0] * len(SUMS))
        self._authors = AuthorDelta()
        # (topic id, hour) buckets changed, for the pipeline's Stored event.
        self.touched: set[tuple[int, datetime]] = set() if touched is None else touched

    def add(
        self, row: Any, topic_ids: Iterable[int], sign: int = 1, sentiment: str = NO_SENTIMENT
    ) -> None:
        bucket, source, lang, amount = contribution(row)
        for topic_id in topic_ids:
            self.touched.add((topic_id, bucket))
            total = self._totals[RollupKey(topic_id, bucket, source, lang, sentiment)]
            for index, value in enumerate(amount):
                total[index] += sign * value
        self._authors.add(
            row, topic_ids, sign, sentiment, (amount.posts, amount.reach, amount.engagement)
        )

    def write(self, conn: Connection) -> None:
        rows = [
            {**key._asdict(), **dict(zip(SUMS, sums, strict=True))}
            for key, sums in self._totals.items()
            if any(sums)
        ]
        bulk_insert(
            conn,
            rollups_hourly,
            rows,
            keys=RollupKey._fields,
            update=SUMS,
            add=True,
        )
        bulk_insert(
            conn,
            rollups_marginal,
            marginals(rows),
            keys=("topic_id", "bucket", "dimension", "value"),
            update=SUMS,
            add=True,
        )
        _prune(conn, [row for row in rows if row["posts"] < 0])
        self._authors.write(conn)
        self._totals.clear()


DIMENSIONS = ("source", "lang", "sentiment")


def _prune(conn: Connection, lowered: list[dict[str, Any]]) -> None:
    """Drop the rollup rows that subtractions left at zero posts, so none are kept as zeros."""
    if not lowered:
        return
    for table, keys, params in (
        (rollups_hourly, RollupKey._fields, lowered),
        (rollups_marginal, ("topic_id", "bucket", "dimension", "value"), marginals(lowered)),
    ):
        conn.execute(
            _delete_empty(table, keys), [{f"k_{k}": row[k] for k in keys} for row in params]
        )


def _delete_empty(table: Table, keys: Iterable[str]) -> Any:
    where = and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys), table.c.posts == 0)
    return delete(table).where(where)


def marginals(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rollup rows summed per single dimension and in total ("total", "")."""
    sums: dict[tuple[int, datetime, str, str], list[int]] = defaultdict(lambda: [0] * len(SUMS))
    for row in rows:
        for dimension, value in (("total", ""), *((d, row[d]) for d in DIMENSIONS)):
            total = sums[(row["topic_id"], row["bucket"], dimension, value)]
            for index, name in enumerate(SUMS):
                total[index] += row[name]
    return [
        {"topic_id": t, "bucket": b, "dimension": d, "value": v,
         **dict(zip(SUMS, summed, strict=True))}
        for (t, b, d, v), summed in sums.items()
        if any(summed)
    ]  # fmt: skip


def move_sentiment(
    conn: Connection, rows: Iterable[Any], before: Mapping[int, str], after: Mapping[int, str]
) -> None:
    """Move the rollup contributions of re-enriched ``posts`` rows to their new sentiment."""
    changed = {row.id: row for row in rows if before.get(row.id) != after.get(row.id)}
    if not changed:
        return
    topics = topic_matches(conn, list(changed))
    deltas = RollupDelta()
    for post_id, row in changed.items():
        matched = topics.get(post_id, set())
        deltas.add(row, matched, -1, before.get(post_id, NO_SENTIMENT))
        deltas.add(row, matched, 1, after.get(post_id, NO_SENTIMENT))
    deltas.write(conn)


def topic_matches(conn: Connection, post_ids: Sequence[int]) -> dict[int, set[int]]:
    """The ids of the topics each of these posts matches (posts without a match left out)."""
    found: dict[int, set[int]] = {}
    for part in chunks(post_ids):
        query = select(post_topics.c.post_id, post_topics.c.topic_id).where(
            post_topics.c.post_id.in_(part)
        )
        for post_id, topic_id in conn.execute(query).all():
            found.setdefault(post_id, set()).add(topic_id)
    return found
