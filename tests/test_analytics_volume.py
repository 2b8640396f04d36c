"""Volume, share of voice and sentiment on known posts, across the end of summer time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from analytics_posts import labelled, post, store, topics, utc
from horchposten.analytics.change import Change, RateChange
from horchposten.analytics.drilldown import PostFilter, posts_page
from horchposten.analytics.facts import Filters
from horchposten.analytics.localdays import offset_pieces
from horchposten.analytics.period import Period, buckets
from horchposten.analytics.sentiment import sentiment
from horchposten.analytics.share import share_of_voice
from horchposten.analytics.volume import volume
from horchposten.errors import InputError
from horchposten.models import Post
from horchposten.reenrich import reenrich
from horchposten.store.database import Database
from recount import recounted_rollups, stored_rollups

BERLIN = ZoneInfo("Europe/Berlin")
# Local days 24, 25 (25 hours long: clocks go back at 03:00 CEST) and 26 October 2026.
THREE_DAYS = Period(utc("2026-10-23T22:00"), utc("2026-10-25T23:00").replace(day=26))


@pytest.fixture
def dst(database: Database) -> tuple[Database, int, int]:
    brand, rival = topics(database, "Nordlicht", "Bergquell")
    store(
        database,
        [
            # 23:30 CEST on the 24th, the last local hour of that day.
            labelled(post("1", "2026-10-24T21:30", followers=100, likes=2), "positive", [brand]),
            # 00:30 CEST on the 25th.
            labelled(post("2", "2026-10-24T22:30", source="bluesky"), "negative", [brand]),
            # 23:30 CET on the 25th: a fixed +2 offset would put it on the 26th.
            labelled(post("3", "2026-10-25T22:30", lang="en", followers=50), "positive", [brand]),
            # 00:30 CET on the 26th.
            labelled(post("4", "2026-10-25T23:30", lang=None), None, [brand, rival]),
            labelled(post("5", "2026-10-25T10:00", followers=300), "neutral", [rival]),
            # In the three days before: one post, for the comparison.
            labelled(post("6", "2026-10-22T12:00"), "negative", [brand]),
        ],
    )
    return database, brand, rival


def test_local_days_and_hours_are_daylight_saving_correct(dst: tuple[Database, int, int]) -> None:
    database, brand, _ = dst
    with database.begin() as conn:
        days = volume(conn, brand, THREE_DAYS, granularity="day", zone=BERLIN)
        day_25 = Period(utc("2026-10-24T22:00"), utc("2026-10-25T23:00"))
        hours = volume(conn, brand, day_25, granularity="hour", zone=BERLIN)
    assert [b.start for b in days.buckets] == [
        utc("2026-10-23T22:00"),
        utc("2026-10-24T22:00"),
        utc("2026-10-25T23:00"),
    ]
    assert [b.totals.posts for b in days.buckets] == [1, 2, 1]
    assert (days.totals.posts, days.totals.reach, days.totals.engagement) == (4, 150, 2)
    assert len(hours.buckets) == 25
    assert [b.totals.posts for b in hours.buckets if b.totals.posts] == [1, 1]
    # Against the three days before (one post): +3, +300 %.
    assert (days.change.previous, days.change.absolute, days.change.percent) == (1, 3, 300.0)


def test_minute_buckets_count_posts_and_agree_with_the_rollups(
    dst: tuple[Database, int, int],
) -> None:
    database, brand, _ = dst
    with database.begin() as conn:
        minutes = volume(
            conn,
            brand,
            Period(utc("2026-10-25T22:00"), utc("2026-10-25T23:00")),
            granularity="minute",
            zone=BERLIN,
        )
        # A period that cuts an hour is counted from the posts, to the minute.
        cut = volume(
            conn, brand, Period(utc("2026-10-24T21:31"), utc("2026-10-25T23:31")), zone=BERLIN
        )
    assert len(minutes.buckets) == 60
    assert [b.start for b in minutes.buckets if b.totals.posts] == [utc("2026-10-25T22:30")]
    assert cut.totals.posts == 3


def test_split_by_source_and_language_and_weeks(dst: tuple[Database, int, int]) -> None:
    database, brand, _ = dst
    with database.begin() as conn:
        by_source = volume(conn, brand, THREE_DAYS, zone=BERLIN, split="source")
        by_lang = volume(conn, brand, THREE_DAYS, zone=BERLIN, split="lang")
        weeks = volume(conn, brand, THREE_DAYS, granularity="week", zone=BERLIN)
        german = volume(conn, brand, THREE_DAYS, zone=BERLIN, filters=Filters(langs=("de",)))
    assert [b.split for b in by_source.buckets] == [
        {"mastodon": 1},
        {"bluesky": 1, "mastodon": 1},
        {"mastodon": 1},
    ]
    assert by_lang.buckets[1].split == {"de": 1, "en": 1}
    assert by_lang.buckets[2].split == {"und": 1}
    # Monday 19 October 00:00 CEST and Monday 26 October 00:00 CET.
    assert [(b.start, b.totals.posts) for b in weeks.buckets] == [
        (utc("2026-10-18T22:00"), 3),
        (utc("2026-10-25T23:00"), 1),
    ]
    assert german.totals.posts == 2


def test_share_of_voice_by_volume_and_reach(dst: tuple[Database, int, int]) -> None:
    database, brand, rival = dst
    with database.begin() as conn:
        share = share_of_voice(conn, [brand, rival], THREE_DAYS, zone=BERLIN)
    assert share.overall[brand].posts == 4 and share.overall[rival].posts == 2
    assert share.overall[brand].share_posts == pytest.approx(4 / 6, abs=1e-4)
    assert (share.overall[brand].share_reach, share.overall[rival].share_reach) == (
        pytest.approx(150 / 450, abs=1e-4),
        pytest.approx(300 / 450, abs=1e-4),
    )
    day_25 = share.buckets[1].topics
    assert (day_25[brand].share_posts, day_25[rival].share_posts) == (0.6667, 0.3333)
    assert share.buckets[2].topics[rival].share_posts == 0.5
    # The three days before: only post 6 (brand, no followers), so the brand had all posts
    # and the group no reach at all.
    moved = share.change[brand].share_posts
    assert (moved.previous, moved.absolute, moved.percent) == (1.0, -0.3333, -33.33)
    moved = share.change[rival].share_posts
    assert (moved.previous, moved.absolute, moved.percent) == (0.0, 0.3333, None)
    assert share.change[brand].share_reach == RateChange(None, None, None)


def test_sentiment_distribution_trend_net_and_drill_down(dst: tuple[Database, int, int]) -> None:
    database, brand, _ = dst
    with database.begin() as conn:
        report = sentiment(conn, brand, THREE_DAYS, zone=BERLIN)
        negative, _ = posts_page(
            conn, PostFilter(brand, THREE_DAYS, sentiment="negative"), limit=10
        )
        unlabelled, _ = posts_page(conn, PostFilter(brand, THREE_DAYS, sentiment="none"), limit=10)
        english_positive, _ = posts_page(
            conn, PostFilter(brand, THREE_DAYS, langs=("en",), sentiment="positive"), limit=10
        )
    assert report.overall.counts == {"negative": 1, "neutral": 0, "positive": 2, "none": 1}
    assert report.overall.net == pytest.approx(1 / 3, abs=1e-4)  # (2 - 1) / (2 + 1)
    assert [p.distribution.net for p in report.trend] == [1.0, 0.0, None]
    assert report.by_source["bluesky"].counts["negative"] == 1
    assert report.by_lang["en"].net == 1.0
    assert [p.id for _, p in negative] == ["2"]
    assert [p.id for _, p in unlabelled] == ["4"]
    assert [p.id for _, p in english_positive] == ["3"]
    # Before: post 6 alone, negative, so net -1; now (2 - 1) / 3.
    assert report.change.net == RateChange(-1.0, 1.3333, 133.33)
    assert report.change.counts == {
        "negative": Change(1, 0, 0.0),
        "neutral": Change(0, 0, None),
        "positive": Change(0, 2, None),
        "none": Change(0, 1, None),
    }


def test_cursor_pages_through_the_posts_behind_a_number(dst: tuple[Database, int, int]) -> None:
    database, brand, _ = dst
    seen = []
    cursor = None
    with database.begin() as conn:
        while True:
            page, cursor = posts_page(conn, PostFilter(brand), limit=2, before_id=cursor)
            seen += [p.id for _, p in page]
            if cursor is None:
                break
    assert seen == ["6", "4", "3", "2", "1"]


def test_periods_refuse_nonsense() -> None:
    with pytest.raises(InputError, match="before it starts"):
        Period(utc("2026-10-25T00:00"), utc("2026-10-24T00:00"))
    day = list(buckets(Period(utc("2026-03-28T23:00"), utc("2026-03-29T22:00")), "hour", BERLIN))
    assert len(day) == 23  # the spring day is an hour short


class Cheerful:
    """A stand-in sentiment model of a newer version that finds every post positive."""

    name = "sentiment"
    version = "cheerful-2"
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[object]) -> list[dict[str, Any]]:
        return [{"label": "positive"} for _ in batch]


def test_reenrichment_moves_rollups_to_the_new_sentiment(dst: tuple[Database, int, int]) -> None:
    database, brand, _ = dst
    reenrich(database, [Cheerful()])
    with database.begin() as conn:
        report = sentiment(conn, brand, THREE_DAYS, zone=BERLIN)
    assert report.overall.counts == {"negative": 0, "neutral": 0, "positive": 4, "none": 0}
    assert stored_rollups(database) == recounted_rollups(database)


def test_periods_are_cut_where_the_utc_offset_changes() -> None:
    pieces = offset_pieces(THREE_DAYS, BERLIN)
    # Clocks go back at 03:00 CEST = 01:00 UTC on 25 October.
    assert pieces == [
        (Period(THREE_DAYS.start, utc("2026-10-25T01:00")), 7200),
        (Period(utc("2026-10-25T01:00"), THREE_DAYS.end), 3600),
    ]
    summer = Period(utc("2026-07-01T00:00"), utc("2026-07-08T00:00"))
    assert offset_pieces(summer, BERLIN) == [(summer, 7200)]
