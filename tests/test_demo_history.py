"""The demo's posts reach back 90 days with a believable trend, so the overview's
30-day change against the 30 days before is a real change for every topic, not "new"."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from horchposten.demo.run import DEMO_DAYS, DEMO_POSTS, demo_topics
from horchposten.demo.synthetic import generate_posts
from horchposten.models import Post
from horchposten.query.match import compile_query
from horchposten.query.subject import Subject

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
MONTH = timedelta(days=30)


@pytest.fixture(scope="module")
def posts() -> list[Post]:
    return list(generate_posts(DEMO_POSTS, now=NOW, days=DEMO_DAYS))


def _in(posts: list[Post], start: datetime, end: datetime) -> list[Post]:
    return [post for post in posts if start <= post.created_at < end]


def test_every_topic_has_posts_in_the_30_days_before_the_last_30(posts: list[Post]) -> None:
    windows = {"current": (NOW - MONTH, NOW), "previous": (NOW - 2 * MONTH, NOW - MONTH)}
    subjects = {
        name: [(p, Subject(p)) for p in _in(posts, start, end)]
        for name, (start, end) in windows.items()
    }
    for topic in demo_topics():
        query = compile_query(topic.query)
        counts = {
            name: sum(topic.accepts(p) and query.matches_subject(s) for p, s in window)
            for name, window in subjects.items()
        }
        assert counts["previous"] >= 10, topic.name  # a percentage, not "new"
        assert counts["current"] != counts["previous"], topic.name


def test_the_audience_grows_month_by_month(posts: list[Post]) -> None:
    months = [len(_in(posts, NOW - (n + 1) * MONTH, NOW - n * MONTH)) for n in (2, 1, 0)]
    assert months[0] > 0
    assert months[0] < months[1] < months[2]
    assert 1.1 < months[2] / months[1] < 1.6  # believable, not an explosion


def test_weekends_are_quieter_and_one_incident_stands_out(posts: list[Post]) -> None:
    per_day = Counter(post.created_at.date() for post in _in(posts, NOW - MONTH, NOW))
    weekdays = [n for day, n in per_day.items() if day.weekday() < 5]
    weekends = [n for day, n in per_day.items() if day.weekday() >= 5]
    assert statistics.mean(weekends) < 0.9 * statistics.mean(weekdays)
    busiest = sorted(per_day.values(), reverse=True)
    assert busiest[0] > 2 * statistics.median(per_day.values())
