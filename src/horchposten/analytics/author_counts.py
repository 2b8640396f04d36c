"""Per-author sums over a period, from the author rollups plus the posts at its edges.

Whole UTC months are read from the monthly rows of ``rollups_authors``, the whole
UTC days around them from the daily rows. A period edge inside a day is
counted from the posts: either the part of the day inside the period is added,
or, when that is the larger part, the whole day is read and the part outside
subtracted, so an edge never reads more than 12 hours of posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Select, and_, case, func, literal, or_, select, union_all

from horchposten.accounts import DOMAIN_SEPARATOR, short_form
from horchposten.analytics.period import Period
from horchposten.labels import SENTIMENTS
from horchposten.store.author_rollups import SUMS, day_bucket, month_bucket
from horchposten.store.dialect import chunks
from horchposten.store.schema import authors, enrichments, post_topics, posts, rollups_authors

Rank = Literal["reach", "engagement", "activity"]
DAY = timedelta(days=1)
HALF_DAY = timedelta(hours=12)


@dataclass(frozen=True)
class Pieces:
    """Rollup days [first, last) and post ranges (start, end, +1 or -1) that make a period."""

    first: datetime
    last: datetime
    edges: tuple[tuple[datetime, datetime, int], ...]


def pieces(period: Period) -> Pieces:
    start, end = period.start, period.end
    if end - start < 2 * DAY:  # short: the posts alone, no day arithmetic
        return Pieces(start, start, ((start, end, 1),))
    edges = []
    first = day_bucket(start)
    if start != first:
        if start - first <= HALF_DAY:
            edges.append((first, start, -1))
        else:
            first += DAY
            edges.append((start, first, 1))
    last = day_bucket(end)
    if end != last:
        if last + DAY - end <= HALF_DAY:
            edges.append((end, last + DAY, -1))
            last += DAY
        else:
            edges.append((last, end, 1))
    return Pieces(first, last, tuple(edges))


Author = tuple[str, str]  # (source, handle)


def spans(first: datetime, last: datetime) -> list[tuple[str, datetime, datetime]]:
    """The whole days [first, last) as (span, start, end): whole months as monthly rows,
    the days before and after them as daily rows."""
    months_from = first if first.day == 1 else _next_month(first)
    months_to = month_bucket(last)
    if months_from >= months_to:
        return [("day", first, last)] if first < last else []
    found = [("day", first, months_from), ("month", months_from, months_to)]
    found.append(("day", months_to, last))
    return [(span, a, b) for span, a, b in found if a < b]


def _next_month(moment: datetime) -> datetime:
    return month_bucket(month_bucket(moment) + timedelta(days=32))


def _from_rollups(
    topic_id: int, span: str, first: datetime, last: datetime, only: Author | None
) -> Any:
    table = rollups_authors
    query = select(table.c.source, table.c.handle, *(table.c[s] for s in SUMS)).where(
        table.c.topic_id == topic_id,
        table.c.span == span,
        table.c.start >= first,
        table.c.start < last,
    )
    if only is not None:
        query = query.where(table.c.source == only[0], table.c.handle == only[1])
    return query


def _from_posts(
    topic_id: int, start: datetime, end: datetime, sign: int, only: Author | None
) -> Select[Any]:
    label = enrichments.c.data["label"].as_string()
    engagement = (
        func.coalesce(posts.c.likes, 0)
        + func.coalesce(posts.c.reposts, 0)
        + func.coalesce(posts.c.replies, 0)
    )
    moods = (case((label == mood, sign), else_=0).label(mood) for mood in SENTIMENTS)
    query = (
        select(
            posts.c.source,
            posts.c.author_handle.label("handle"),
            literal(sign).label("posts"),
            (func.coalesce(posts.c.author_followers, 0) * sign).label("reach"),
            (engagement * sign).label("engagement"),
            *moods,
        )
        .join(post_topics, post_topics.c.post_id == posts.c.id)
        .outerjoin(
            enrichments,
            (enrichments.c.post_id == posts.c.id) & (enrichments.c.enricher == "sentiment"),
        )
        .where(
            post_topics.c.topic_id == topic_id,
            posts.c.created_at >= start,
            posts.c.created_at < end,
            posts.c.author_handle.is_not(None),
            posts.c.author_handle != "",
        )
    )
    if only is not None:
        query = query.where(posts.c.source == only[0], posts.c.author_handle == only[1])
    return query


def author_sums(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    by: Rank = "reach",
    limit: int | None = None,
    only: Author | None = None,
    leave_out: Sequence[str] = (),
) -> list[tuple[str, str, dict[str, int]]]:
    """(source, handle, sums) per author with posts in the period: the first ``limit`` by
    ``by`` (ties by source, handle), or just ``only`` (source, handle); the accounts of
    ``leave_out`` ("source:handle" keys, ``accounts.py``) in any spelling are left out."""
    found = pieces(period)
    parts = [_from_posts(topic_id, a, b, sign, only) for a, b, sign in found.edges]
    for span, a, b in spans(found.first, found.last):
        parts.append(_from_rollups(topic_id, span, a, b, only))
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    totals = [func.sum(rows.c[name]).label(name) for name in SUMS]
    query = (
        select(rows.c.source, rows.c.handle, *totals)
        .group_by(rows.c.source, rows.c.handle)
        .having(func.sum(rows.c.posts) > 0)
    )
    if leave_out:
        query = query.where(~or_(*(_spelled(rows.c.source, rows.c.handle, k) for k in leave_out)))
    if limit is not None:
        rank = {"reach": totals[1], "engagement": totals[2], "activity": totals[0]}[by]
        query = query.order_by(rank.desc(), rows.c.source, rows.c.handle).limit(limit)
    return [
        (source, handle, {name: int(value or 0) for name, value in zip(SUMS, sums, strict=True)})
        for source, handle, *sums in conn.execute(query)
    ]


def _spelled(source: Any, handle: Any, key: str) -> Any:
    """Rows of the account ``key``: its handle in any case, with or without '@' and domain."""
    written = func.lower(func.ltrim(handle, "@"))
    own_source, _, own_handle = key.partition(":")
    short = short_form(key).partition(":")[2]
    forms = or_(written == own_handle, written == short)
    separator = DOMAIN_SEPARATOR.get(own_source)
    if separator is not None:
        forms = or_(forms, written.startswith(short + separator, autoescape=True))
    return and_(source == own_source, forms)


def profiles(conn: Connection, found: Sequence[Author]) -> dict[Author, Any]:
    """The stored profiles (name, followers) of these authors."""
    known: dict[Author, Any] = {}
    for part in chunks(list(found), 100):
        # (source, handle) pairs, so the primary key finds each directly
        chosen = or_(*(and_(authors.c.source == s, authors.c.handle == h) for s, h in part))
        query = select(authors.c.source, authors.c.handle, authors.c.name, authors.c.followers)
        for row in conn.execute(query.where(chosen)):
            known[(row.source, row.handle)] = row
    return known
