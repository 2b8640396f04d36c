"""Authors on known posts: top lists, stance from sentiment, PageRank authority, earned media."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from analytics_posts import labelled, post, store, topics, utc
from horchposten.analytics.authors import author_stats, author_trend, top_authors
from horchposten.analytics.change import Change, RateChange
from horchposten.analytics.facts import Filters
from horchposten.analytics.influence import authority, mentions
from horchposten.analytics.period import Period
from horchposten.analytics.reach import earned_media
from horchposten.analytics.settings import AnalyticsSettings
from horchposten.store.database import Database

NOVEMBER = Period(utc("2026-11-01T00:00"), utc("2026-11-08T00:00"))


@pytest.fixture
def conversation(database: Database) -> tuple[Database, int]:
    (brand,) = topics(database, "Nordlicht")

    def at(n: str, **extra: object) -> object:
        return post(n, f"2026-11-0{1 + int(n) % 5}T10:00", **extra)  # type: ignore[arg-type]

    store(
        database,
        [
            labelled(
                at("1", handle="anna", followers=5000, likes=1, views=20_000), "positive", [brand]
            ),
            labelled(at("2", handle="anna", followers=5000, likes=3), "positive", [brand]),
            labelled(
                at("3", handle="ben", followers=100, likes=40, parent="1"), "negative", [brand]
            ),
            labelled(
                at("4", handle="ben", followers=100, parent="1", text="@anna Nordlicht"),
                "negative",
                [brand],
            ),
            labelled(at("5", handle="ben", followers=100), "neutral", [brand]),
            labelled(
                at("6", handle="cara", followers=None, parent="2", text="@ben Nordlicht"),
                None,
                [brand],
            ),
            labelled(
                at("7", handle="dora", source="bluesky", followers=800, parent="x"),
                "neutral",
                [brand],
            ),
            # The week before November, for the comparison.
            labelled(post("8", "2026-10-30T10:00", handle="anna", followers=5000), None, [brand]),
        ],
    )
    return database, brand


def test_top_authors_by_reach_engagement_and_activity(conversation: tuple[Database, int]) -> None:
    database, brand = conversation
    with database.begin() as conn:
        by = {
            rank: top_authors(conn, brand, NOVEMBER, by=rank, limit=2)
            for rank in ("reach", "engagement", "activity")
        }
        stats = author_stats(conn, brand, NOVEMBER)
    assert [a.key for a in by["reach"]] == ["mastodon:anna", "bluesky:dora"]
    assert [(a.key, a.engagement) for a in by["engagement"]] == [
        ("mastodon:ben", 40),
        ("mastodon:anna", 4),
    ]
    assert [(a.key, a.posts) for a in by["activity"]] == [("mastodon:ben", 3), ("mastodon:anna", 2)]
    # anna: 2 of 2 positive; ben: 2 of 3 negative (>= 60 %); cara has no label; dora neutral.
    stances = {key: a.stance for key, a in stats.items()}
    assert stances == {
        "mastodon:anna": "advocate",
        "mastodon:ben": "detractor",
        "mastodon:cara": "neutral",
        "bluesky:dora": "neutral",
    }


def test_an_authors_trend_in_local_days(conversation: tuple[Database, int]) -> None:
    database, brand = conversation
    with database.begin() as conn:
        trend = author_trend(conn, brand, NOVEMBER, "mastodon:anna", zone=ZoneInfo("Europe/Berlin"))
    # Local days 1 to 8 November (the period ends at 01:00 on the 8th); anna wrote on 2 and 3.
    assert [start for start, _ in trend][:2] == [utc("2026-10-31T23:00"), utc("2026-11-01T23:00")]
    assert [n for _, n in trend] == [0, 1, 1, 0, 0, 0, 0, 0]


def test_pagerank_authority_over_replies_and_mentions(conversation: tuple[Database, int]) -> None:
    database, brand = conversation
    with database.begin() as conn:
        ranked, sample = authority(conn, brand, NOVEMBER)
        # Bounded to every other post (by id): posts 2, 4 and 6 make the graph.
        bounded, half = authority(conn, brand, NOVEMBER, size=4)
    assert (sample.read, sample.posts, sample.every) == (7, 7, 1)
    assert (half.read, half.posts, half.every) == (3, 7, 2)
    # ben (4) points at anna (reply to 1 and @anna), cara (6) at anna (reply to 2) and ben.
    assert [(a.author, a.in_links) for a in bounded[:2]] == [
        ("mastodon:anna", 2), ("mastodon:ben", 1)
    ]  # fmt: skip
    # ben replies to anna twice (once also with @anna: weight 3); cara replies to anna's
    # post 2 and mentions ben; nobody points at cara or dora.
    assert [a.author for a in ranked[:2]] == ["mastodon:anna", "mastodon:ben"]
    assert [a.in_links for a in ranked[:2]] == [2, 1]
    assert sum(a.score for a in ranked) == pytest.approx(1.0, abs=1e-4)
    assert ranked[-1].score < ranked[1].score
    assert mentions("hi @anna and @bob@example.social, mail a@b.de") == [
        "anna",
        "bob@example.social",
    ]


def test_earned_media_value_from_views_or_followers(conversation: tuple[Database, int]) -> None:
    database, brand = conversation
    settings = AnalyticsSettings(
        reach_factor=0.1, reach_factors={"bluesky": 0.5}, cpm=5.0, cpms={"bluesky": 10.0}
    )
    with database.begin() as conn:
        report = earned_media(conn, brand, NOVEMBER, settings)
    # mastodon: 20,000 views + 5,000 x 0.1 + 3 x 100 x 0.1 + cara unknown = 20,530 impressions.
    mastodon = report.by_source["mastodon"]
    assert (mastodon.posts, mastodon.impressions, mastodon.viewed_posts) == (6, 20_530.0, 1)
    assert mastodon.value == pytest.approx(20_530 / 1000 * 5, abs=0.01)
    # bluesky: 800 x 0.5 = 400 impressions at a CPM of 10.
    assert (report.by_source["bluesky"].impressions, report.by_source["bluesky"].value) == (400, 4)
    assert report.total.value == pytest.approx(102.65 + 4, abs=0.01)
    # The week before: anna's one post, 5,000 x 0.1 = 500 impressions, worth 2.50.
    moved = report.change
    assert (moved.posts, moved.followers) == (Change(1, 6, 600.0), Change(5000, 6100, 122.0))
    assert moved.impressions == RateChange(500.0, 20_430.0, 4086.0)
    assert moved.value == RateChange(2.5, 104.15, 4166.0)
    assert report.currency == "EUR"


def test_earned_media_from_rollups_equals_the_posts_and_follows_filters(
    conversation: tuple[Database, int],
) -> None:
    database, brand = conversation
    settings = AnalyticsSettings(reach_factor=0.1, reach_factors={"bluesky": 0.5}, cpm=5.0)
    # The same posts in a period that cuts an hour: read from the posts, not the rollups.
    cut = Period(utc("2026-11-01T00:30"), utc("2026-11-07T23:30"))
    with database.begin() as conn:
        hourly = earned_media(conn, brand, NOVEMBER, settings)
        by_posts = earned_media(conn, brand, cut, settings)
        bluesky = earned_media(conn, brand, NOVEMBER, settings, Filters(sources=("bluesky",)))
        german = earned_media(conn, brand, NOVEMBER, settings, Filters(langs=("de",)))
        english = earned_media(conn, brand, NOVEMBER, settings, Filters(langs=("en",)))
    sums = [(r.total, r.by_source) for r in (hourly, by_posts, german)]
    assert sums[0] == sums[1] == sums[2]
    assert hourly.change == german.change
    assert (hourly.total.posts, hourly.total.followers, hourly.total.impressions) == (
        7, 10_800 + 300 + 0, 20_930.0
    )  # fmt: skip
    assert list(bluesky.by_source) == ["bluesky"]
    assert (bluesky.total.posts, bluesky.total.impressions, bluesky.total.value) == (1, 400.0, 2.0)
    assert (english.total.posts, english.by_source) == (0, {})
