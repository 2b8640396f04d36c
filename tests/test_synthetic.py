"""The synthetic demo posts: deterministic, valid interchange, realistic in shape."""

from __future__ import annotations

import random
import re
import statistics
import tomllib
from collections import Counter
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import pytest

from horchposten.demo.synthetic import generate_posts
from horchposten.models import Post, Topic
from horchposten.query.match import compile_query
from horchposten.query.subject import Subject

NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
SOURCES = {"mastodon", "bluesky", "reddit", "youtube", "feeds", "files"}


@pytest.fixture(scope="module")
def posts() -> list[Post]:
    return list(generate_posts(20_000, seed=7, now=NOW))


def test_same_seed_and_now_give_the_same_posts() -> None:
    first = [p.to_interchange() for p in generate_posts(2_000, seed=11, now=NOW)]
    again = [p.to_interchange() for p in generate_posts(2_000, seed=11, now=NOW)]
    other = [p.to_interchange() for p in generate_posts(2_000, seed=12, now=NOW)]
    assert first == again
    assert [p["text"] for p in first] != [p["text"] for p in other]


def test_generation_leaves_the_global_random_generator_alone() -> None:
    random.seed(1)
    expected = random.random()
    random.seed(1)
    list(generate_posts(300, now=NOW))
    assert random.random() == expected


def test_every_post_round_trips_through_the_interchange_format(posts: list[Post]) -> None:
    for post in posts:
        assert Post.model_validate(post.to_interchange()) == post


def test_ids_are_unique_per_source(posts: list[Post]) -> None:
    keys = [post.key for post in posts]
    assert len(set(keys)) == len(keys)
    assert {post.source for post in posts} == SOURCES


def test_ids_and_urls_look_native(posts: list[Post]) -> None:
    patterns = {
        "mastodon": r"\d{17,19}",
        "bluesky": r"at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/[2-7a-z]{13}",
        "reddit": r"t[13]_[0-9a-z]{6,8}",
        "youtube": r"[\w-]{11}|Ug[w-z][\w-]{16}4AaABAg(\.[\w-]{22})?",
        "feeds": r"https://[a-z-]+\.example/\d{4}/\d{2}/[\w-]+/",
        "files": r"\d{5,7}",
    }
    for post in posts:
        assert re.fullmatch(patterns[post.source], post.id), post.id
        assert post.url is not None
        assert re.match(r"https://[a-z.-]+\.example/", post.url), post.url


def test_replies_point_at_earlier_posts_of_their_thread(posts: list[Post]) -> None:
    seen: dict[str, Post] = {}
    for post in posts:
        if post.parent_key is not None:
            parent = seen[post.parent_key]
            root = seen[post.root_key or ""]
            assert root.parent_id is None
            assert parent.root_id in (None, post.root_id)
            assert parent.created_at <= post.created_at
            assert parent.source == post.source
        else:
            assert post.root_id is None
        seen[post.key] = post
    replies = sum(post.parent_id is not None for post in posts) / len(posts)
    assert 0.2 < replies < 0.3


def test_the_brand_answers_in_the_open(posts: list[Post]) -> None:
    by_key = {post.key: post for post in posts}
    answers = [
        post
        for post in posts
        if post.parent_key and (post.author.handle or "").startswith("nordlichtkaffee")
    ]
    assert len(answers) > 100
    for answer in answers:
        parent = by_key[answer.parent_key or ""]
        assert parent.author.handle != answer.author.handle
    assert any("Danke für das Feedback" in (post.text or "") for post in answers)


def test_about_sixty_percent_german(posts: list[Post]) -> None:
    langs = Counter(post.lang for post in posts)
    assert set(langs) == {"de", "en"}
    assert 0.55 < langs["de"] / len(posts) < 0.65


def test_lengths_are_realistic(posts: list[Post]) -> None:
    lengths = [len(post.content) for post in posts]
    assert 150 <= statistics.mean(lengths) <= 200
    assert sum(40 <= n <= 280 for n in lengths) / len(lengths) > 0.85
    assert sum(n > 400 for n in lengths) > 200
    assert max(lengths) <= 1_300


def test_timestamps_are_inside_the_window_and_in_order(posts: list[Post]) -> None:
    start = NOW - timedelta(days=30)
    times = [post.created_at for post in posts]
    assert times == sorted(times)
    assert all(start <= t < NOW and t.tzinfo == UTC for t in times)


def test_evenings_are_busier_than_nights(posts: list[Post]) -> None:
    local_hours = Counter((post.created_at + timedelta(hours=1)).hour for post in posts)
    evening = sum(local_hours[h] for h in range(18, 23))
    night = sum(local_hours[h] for h in range(1, 6))
    assert evening > 5 * night


def test_two_burst_days_stand_out(posts: list[Post]) -> None:
    per_day = Counter(post.created_at.date() for post in posts)
    typical = statistics.median(per_day.values())
    busiest = sorted(per_day.values(), reverse=True)
    assert busiest[0] > 2.5 * typical
    assert busiest[1] > 1.8 * typical


def test_most_texts_are_distinct_but_campaigns_repeat(posts: list[Post]) -> None:
    counts = Counter(post.content for post in posts)
    assert len(counts) / len(posts) > 0.9
    repeated = sum(n - 1 for n in counts.values() if n > 1)
    assert repeated > 0.005 * len(posts)
    for lang in ("de", "en"):
        assert len({post.content for post in posts if post.lang == lang}) > 2_000


def test_authors_are_stable_and_zipf_like(posts: list[Post]) -> None:
    accounts: dict[tuple[str, str], set[tuple[Any, ...]]] = {}
    for post in posts:
        if post.author.handle:
            identity = (post.author.name, post.author.followers, post.author.url)
            accounts.setdefault((post.source, post.author.handle), set()).add(identity)
    assert all(len(identities) == 1 for identities in accounts.values())
    followers = [
        next(iter(identities))[1]
        for identities in accounts.values()
        if next(iter(identities))[1] is not None
    ]
    assert statistics.median(followers) < 1_000
    assert 5 <= sum(n >= 10_000 for n in followers) < 0.05 * len(followers)
    assert max(followers) <= 500_000
    per_author = Counter((post.source, post.author.handle) for post in posts).most_common()
    assert per_author[0][1] > 10 * statistics.median(n for _, n in per_author)


def test_metrics_are_missing_where_the_platform_has_none(posts: list[Post]) -> None:
    for post in posts:
        metrics = post.metrics
        if post.source != "youtube":
            assert metrics.views is None
        if post.source == "feeds":
            assert metrics.likes is None and metrics.reposts is None and metrics.replies is None
        if post.source in ("mastodon", "bluesky"):
            assert None not in (metrics.likes, metrics.reposts, metrics.replies)
        if post.source in ("reddit", "youtube", "files"):
            assert metrics.reposts is None
    assert any(post.metrics.views for post in posts if post.source == "youtube")


def test_titles_where_the_platform_has_them(posts: list[Post]) -> None:
    for post in posts:
        if post.source in ("mastodon", "bluesky") or post.parent_id:
            assert post.title is None
            assert post.text
        if post.source in ("feeds",):
            assert post.title


@pytest.mark.parametrize(
    "needle",
    [
        "#Nordlicht", "#Kaffee", "#coffee", "@nordlichtkaffee", "@bergquell",
        "https://nordlicht-kaffee.example/", "utm_source=", "Nordlicht-Espresso",
        "Kaffeemaschine", "Straße", "schön", "Bohnenröstung", "Mara Lindqvist",
        "Bergquell Kaffee", "Röstwerk", "Polarbohne", "Nordlicht App", "Werbung",
        "Anzeige", "#ad", "Code ", "Polarlichter", "Bahn", "🙃", "Danke für das Feedback",
    ],
)  # fmt: skip
def test_the_material_is_there(posts: list[Post], needle: str) -> None:
    assert sum(needle in post.content for post in posts) >= 10


def test_arguments_are_checked() -> None:
    assert list(generate_posts(0, now=NOW)) == []
    with pytest.raises(ValueError, match="count"):
        generate_posts(-1)
    with pytest.raises(ValueError, match="days"):
        generate_posts(10, days=0)
    with pytest.raises(ValueError, match="timezone"):
        generate_posts(10, now=datetime(2026, 3, 1))


def test_short_windows_and_the_default_now() -> None:
    before = datetime.now(UTC)
    recent = list(generate_posts(200, days=1))
    assert all(before - timedelta(days=1) <= p.created_at <= datetime.now(UTC) for p in recent)


# The demo's topics, checked with the real query parser and matcher.


def _topics() -> list[dict[str, Any]]:
    text = files("horchposten.demo").joinpath("topics.toml").read_text(encoding="utf-8")
    topics: list[dict[str, Any]] = tomllib.loads(text)["topics"]
    return topics


def _topic(entry: dict[str, Any]) -> Topic:
    return Topic.model_validate({k: v for k, v in entry.items() if k != "description"})


@pytest.fixture(scope="module")
def tokens(posts: list[Post]) -> list[Subject]:
    return [Subject(post) for post in posts]


def test_topics_file_is_valid() -> None:
    entries = _topics()
    assert len({entry["name"] for entry in entries}) == len(entries) >= 6
    for entry in entries:
        assert entry["description"]
        compile_query(_topic(entry).query)
    assert any(entry.get("langs") == ["de"] for entry in entries)
    assert {"Nordlicht", "Bergquell", "Röstwerk", "Mara Lindqvist"} <= {e["name"] for e in entries}


@pytest.mark.parametrize("entry", _topics(), ids=lambda entry: entry["name"])
def test_every_topic_finds_some_posts_but_not_all(
    posts: list[Post], tokens: list[Subject], entry: dict[str, Any]
) -> None:
    topic = _topic(entry)
    query = compile_query(topic.query)
    hits = sum(
        topic.accepts(post) and query.matches_subject(words)
        for post, words in zip(posts, tokens, strict=True)
    )
    assert 0.003 * len(posts) < hits < 0.5 * len(posts)


def test_the_brand_topic_rejects_the_northern_lights(
    posts: list[Post], tokens: list[Subject]
) -> None:
    brand = next(_topic(entry) for entry in _topics() if entry["name"] == "Nordlicht")
    query = compile_query(brand.query)
    sky = [
        words
        for post, words in zip(posts, tokens, strict=True)
        if re.search("aurora|polarlicht", post.content, re.IGNORECASE)
    ]
    assert sum("nordlicht" in words.content.present for words in sky) >= 10
    assert not any(query.matches_subject(words) for words in sky)
