"""The daily author rollups follow every change and equal a recount, on SQLite and PostgreSQL;
top-author lists read them and count a period's edges from the posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from analytics_posts import labelled, post, store, topics, utc
from horchposten.analytics.author_counts import pieces, spans
from horchposten.analytics.authors import author_stats, top_authors
from horchposten.analytics.period import Period
from horchposten.backfill import backfill_topic
from horchposten.models import Post
from horchposten.reenrich import reenrich
from horchposten.store.database import Database
from horchposten.store.deletion import delete_posts
from horchposten.store.topics import update_topic
from recount import recounted_author_rollups, stored_author_rollups, stored_rollups

DAY1, DAY2 = utc("2026-11-01T00:00"), utc("2026-11-02T00:00")
NOVEMBER = DAY1


def _rollups_equal_a_recount(database: Database) -> dict[Any, tuple[int, ...]]:
    """The daily author rollups, after checking all of them against a recount."""
    stored_rollups(database)  # checks rollups_authors against a recount as well
    found = stored_author_rollups(database)
    assert found == recounted_author_rollups(database)
    days = {(t, start, s, h): v for (t, span, start, s, h), v in found.items() if span == "day"}
    # Every post here is from November 2026: an author's month sums their days.
    months: dict[Any, tuple[int, ...]] = {}
    for (topic, _, source, handle), sums in days.items():
        old = months.get((topic, "month", NOVEMBER, source, handle), (0,) * len(sums))
        months[(topic, "month", NOVEMBER, source, handle)] = tuple(
            a + b for a, b in zip(old, sums, strict=True)
        )
    assert {k: v for k, v in found.items() if k[1] == "month"} == months
    return days


def test_author_rollups_follow_stores_edits_deletes_and_backfills(database: Database) -> None:
    brand, rival = topics(database, "Nordlicht", "Bergquell")
    anna = {"handle": "anna", "followers": 100}
    store(
        database,
        [
            labelled(post("1", "2026-11-01T09:00", likes=2, **anna), "positive", [brand]),
            labelled(post("2", "2026-11-01T23:30", **anna), "negative", [brand, rival]),
            labelled(post("3", "2026-11-02T08:00", handle="ben", followers=7), None, [brand]),
            labelled(post("4", "2026-11-02T08:00"), "neutral", [brand]),  # no handle: not counted
        ],
    )
    rollups = _rollups_equal_a_recount(database)
    # (posts, reach, engagement, negative, neutral, positive)
    assert rollups == {
        (brand, DAY1, "mastodon", "anna"): (2, 200, 2, 1, 0, 1),
        (rival, DAY1, "mastodon", "anna"): (1, 100, 0, 1, 0, 0),
        (brand, DAY2, "mastodon", "ben"): (1, 7, 0, 0, 0, 0),
    }

    # Post 2 moves to the next day, to ben, and out of the rival topic.
    store(
        database,
        [labelled(post("2", "2026-11-02T00:30", handle="ben", followers=9), None, [brand])],
    )
    rollups = _rollups_equal_a_recount(database)
    assert rollups == {
        (brand, DAY1, "mastodon", "anna"): (1, 100, 2, 0, 0, 1),
        # an edit without a new sentiment result keeps the stored "negative"
        (brand, DAY2, "mastodon", "ben"): (2, 16, 0, 1, 0, 0),
    }

    # Re-enrichment moves the sentiment counts only.
    reenrich(database, [Gloomy()], only=["sentiment"], everything=True)
    rollups = _rollups_equal_a_recount(database)
    assert rollups == {
        (brand, DAY1, "mastodon", "anna"): (1, 100, 2, 1, 0, 0),
        (brand, DAY2, "mastodon", "ben"): (2, 16, 0, 2, 0, 0),
    }

    # A topic re-matched from 2 November on takes back its later matches, then adds them.
    with database.begin() as conn:
        topic = update_topic(conn, "Nordlicht", query="nichts")
        assert backfill_topic(conn, topic, since=DAY2) == 0
    assert _rollups_equal_a_recount(database) == {
        (brand, DAY1, "mastodon", "anna"): (1, 100, 2, 1, 0, 0)
    }

    with database.begin() as conn:
        assert delete_posts(conn, ["mastodon:1", "mastodon:3"]) == 2
    assert _rollups_equal_a_recount(database) == {}


class Gloomy:
    """A stand-in sentiment model of a newer version that finds every post negative."""

    name = "sentiment"
    version = "gloomy-2"
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[object]) -> list[dict[str, Any]]:
        return [{"label": "negative"} for _ in batch]


def test_period_edges_inside_a_day_are_added_or_taken_away_from_the_posts() -> None:
    day = timedelta(days=1)
    # Edges at 06:00 and 20:00: the day is read whole and the outside hours subtracted.
    near = pieces(Period(utc("2026-11-01T06:00"), utc("2026-11-04T20:00")))
    assert (near.first, near.last) == (DAY1, DAY1 + 4 * day)
    assert near.edges == (
        (DAY1, utc("2026-11-01T06:00"), -1),
        (utc("2026-11-04T20:00"), DAY1 + 4 * day, -1),
    )
    # Edges at 15:00 and 05:00: the inside hours are added to the whole days between.
    far = pieces(Period(utc("2026-11-01T15:00"), utc("2026-11-04T05:00")))
    assert (far.first, far.last) == (DAY2, DAY1 + 3 * day)
    assert far.edges == (
        (utc("2026-11-01T15:00"), DAY2, 1),
        (DAY1 + 3 * day, utc("2026-11-04T05:00"), 1),
    )
    # Under two days: the posts alone.
    short = pieces(Period(utc("2026-11-01T15:00"), utc("2026-11-02T05:00")))
    assert short.first == short.last and len(short.edges) == 1


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # anna writes on 1 Nov at 05:00 and 10:00, on 4 Nov at 03:00 and 22:00; ben on 2 Nov.
        ("2026-11-01T06:00", "2026-11-04T20:00", {"mastodon:anna": 2, "mastodon:ben": 1}),
        ("2026-11-01T15:00", "2026-11-04T05:00", {"mastodon:anna": 1, "mastodon:ben": 1}),
        ("2026-11-01T00:00", "2026-11-05T00:00", {"mastodon:anna": 4, "mastodon:ben": 1}),
        ("2026-11-04T04:00", "2026-11-04T23:00", {"mastodon:anna": 1}),
    ],
)
def test_top_authors_count_exactly_the_posts_in_the_period(
    database: Database, start: str, end: str, expected: dict[str, int]
) -> None:
    (brand,) = topics(database, "Nordlicht")
    store(
        database,
        [
            labelled(post("1", "2026-11-01T05:00", handle="anna", followers=10), None, [brand]),
            labelled(post("2", "2026-11-01T10:00", handle="anna", followers=10), None, [brand]),
            labelled(post("3", "2026-11-02T12:00", handle="ben", followers=3), None, [brand]),
            labelled(post("4", "2026-11-04T03:00", handle="anna", followers=10), None, [brand]),
            labelled(post("5", "2026-11-04T22:00", handle="anna", followers=10), None, [brand]),
        ],
    )
    period = Period(utc(start), utc(end))
    with database.begin() as conn:
        found = {key: a.posts for key, a in author_stats(conn, brand, period).items()}
        ranked = top_authors(conn, brand, period, by="reach", limit=1)
    assert found == expected
    assert ranked[0].key == "mastodon:anna"
    assert ranked[0].reach == 10 * expected["mastodon:anna"]


def test_whole_months_are_read_from_the_monthly_rows() -> None:
    assert spans(utc("2026-10-20T00:00"), utc("2027-01-01T00:00")) == [
        ("day", utc("2026-10-20T00:00"), NOVEMBER),
        ("month", NOVEMBER, utc("2027-01-01T00:00")),
    ]
    assert spans(NOVEMBER, utc("2026-11-20T00:00")) == [("day", NOVEMBER, utc("2026-11-20T00:00"))]
    # No whole month inside: the days alone.
    assert spans(utc("2026-11-02T00:00"), utc("2026-12-03T00:00")) == [
        ("day", utc("2026-11-02T00:00"), utc("2026-12-03T00:00"))
    ]


def test_top_authors_over_months_count_exactly_the_posts_in_the_period(
    database: Database,
) -> None:
    (brand,) = topics(database, "Nordlicht")
    at = ("2026-10-20T05:00", "2026-10-20T10:00", "2026-11-15T10:00", "2026-12-31T23:00")
    store(
        database,
        [
            *(labelled(post(str(n), when, handle="anna", followers=10), "positive", [brand])
              for n, when in enumerate(at)),
            labelled(post("9", "2027-01-02T10:00", handle="anna", followers=10), None, [brand]),
        ],
    )  # fmt: skip
    # From 06:00 on 20 October to the new year: the 05:00 and the January post are outside.
    period = Period(utc("2026-10-20T06:00"), utc("2027-01-01T00:00"))
    with database.begin() as conn:
        (anna,) = author_stats(conn, brand, period).values()
    assert (anna.posts, anna.reach, anna.sentiments) == (3, 30, {"positive": 3})
