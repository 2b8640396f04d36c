"""Re-matching stored posts after a topic changed, and previews, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from horchposten.backfill import backfill_topic, preview_topic
from horchposten.models import Post, Topic
from horchposten.store.database import Database
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.posts import Prepared, store_batch
from horchposten.store.schema import post_topics, posts, rollups_hourly
from horchposten.store.topics import add_topic, update_topic
from recount import recounted_rollups, stored_rollups

DAY = datetime(2026, 11, 20, tzinfo=UTC)


def _post(native_id: str, text: str, at: datetime, lang: str = "de", **extra: object) -> Post:
    return Post.model_validate(
        {"id": native_id, "source": "mastodon", "text": text, "created_at": at, "lang": lang}
        | extra
    )


def _store(db: Database, posts_: list[Post], topic_ids: list[int] | None = None) -> None:
    with db.begin() as conn:
        store_batch(conn, [Prepared.of(p, topic_ids or []) for p in posts_], DAY)


def _matched(db: Database, topic_id: int) -> list[str]:
    with db.begin() as conn:
        query = (
            select(posts.c.native_id)
            .join(post_topics, post_topics.c.post_id == posts.c.id)
            .where(post_topics.c.topic_id == topic_id)
            .order_by(posts.c.native_id)
        )
        return list(conn.execute(query).scalars())


def _rollups_equal_a_recount(db: Database) -> bool:
    with db.begin() as conn:
        empty = select(func.count()).select_from(rollups_hourly).where(rollups_hourly.c.posts == 0)
        assert conn.execute(empty).scalar_one() == 0
    return stored_rollups(db) == recounted_rollups(db)


POSTS = [
    # Two posts share the 10:00 bucket on the 21st, one before and one after 10:15.
    _post("1", "Nordlicht ist super", DAY.replace(hour=9), author={"followers": 10}),
    _post("2", "Nordlicht Kaffee, lecker", DAY.replace(day=21, hour=10, minute=5)),
    _post(
        "3",
        "Nordlicht liefert spät",
        DAY.replace(day=21, hour=10, minute=40),
        metrics={"likes": 7, "views": 30},
    ),
    _post("4", "Kaffee ohne Marke", DAY.replace(day=22, hour=8), author={"followers": 5}),
    _post("5", "Nordlicht Kaffee again", DAY.replace(day=22, hour=9), lang="en"),
]


@pytest.fixture
def nordlicht(database: Database) -> Topic:
    """A topic on 'nordlicht' whose posts were matched live."""
    with database.begin() as conn:
        topic = add_topic(conn, Topic(name="Nordlicht", query="nordlicht"))
    assert topic.id is not None
    _store(database, [p for p in POSTS if "Nordlicht" in (p.text or "")], [topic.id])
    _store(database, [p for p in POSTS if "Nordlicht" not in (p.text or "")])
    return topic


def test_backfill_replaces_the_matches_of_an_edited_topic(
    database: Database, nordlicht: Topic
) -> None:
    assert nordlicht.id is not None
    assert _matched(database, nordlicht.id) == ["1", "2", "3", "5"]
    with database.begin() as conn:
        edited = update_topic(conn, "Nordlicht", query="kaffee", langs=["de"])
        assert backfill_topic(conn, edited) == 2
    assert _matched(database, nordlicht.id) == ["2", "4"]
    assert _rollups_equal_a_recount(database)


def test_backfill_since_rematches_only_the_newer_posts(
    database: Database, nordlicht: Topic
) -> None:
    assert nordlicht.id is not None
    since = DAY.replace(day=21, hour=10, minute=15)
    with database.begin() as conn:
        edited = update_topic(conn, "Nordlicht", query="kaffee")
        progress: list[tuple[int, int]] = []
        found = backfill_topic(conn, edited, lambda *done: progress.append(done), since=since)
    # Posts 1 and 2 are older and keep their match; 3 and 5 are re-decided, 4 is new.
    assert found == 2
    assert progress == [(2, 2)]
    assert _matched(database, nordlicht.id) == ["1", "2", "4", "5"]
    assert _rollups_equal_a_recount(database)
    # Posts 2 and 3 shared an hour: only post 3's part of it was taken back.
    ten = (nordlicht.id, DAY.replace(day=21, hour=10), "mastodon", "de", "none")
    assert stored_rollups(database)[ten] == (1, 0, 0, 0, 0, 0)


def test_backfill_twice_changes_nothing(database: Database, nordlicht: Topic) -> None:
    before = stored_rollups(database)
    with database.begin() as conn:
        assert backfill_topic(conn, nordlicht) == 4
        assert backfill_topic(conn, nordlicht, since=DAY.replace(day=21)) == 3
    assert stored_rollups(database) == before
    assert _rollups_equal_a_recount(database)


def test_preview_counts_and_shows_the_newest_matches_without_writing(
    database: Database, nordlicht: Topic
) -> None:
    assert nordlicht.id is not None
    unsaved = Topic(name="test", query="kaffee")
    with database.begin() as conn:
        preview = preview_topic(conn, unsaved, limit=2)
    assert preview.matches == 3
    assert [post.id for post in preview.newest] == ["5", "4"]
    assert preview.start == DAY.replace(hour=9)  # the oldest stored post
    assert preview.per_day == pytest.approx(3 / preview.days)
    assert _matched(database, nordlicht.id) == ["1", "2", "3", "5"]
    assert _rollups_equal_a_recount(database)


def test_preview_window_and_filters(database: Database) -> None:
    now = datetime.now(UTC)
    _store(
        database,
        [
            _post("old", "Nordlicht damals", now - timedelta(days=4)),
            _post("en", "Nordlicht in English", now - timedelta(days=3), lang="en"),
            _post("day", "Nordlicht gestern", now - timedelta(days=1)),
            _post("hour", "Nordlicht eben", now - timedelta(hours=1)),
        ],
    )
    since = now - timedelta(days=2)
    with database.begin() as conn:
        german = preview_topic(conn, Topic(name="t", query="nordlicht", langs=["de"]))
        recent = preview_topic(conn, Topic(name="t", query="nordlicht"), since=since)
        nothing = preview_topic(conn, Topic(name="t", query="bergquell"), since=since)
    assert [post.id for post in german.newest] == ["hour", "day", "old"]
    assert german.per_day == pytest.approx(3 / 4, rel=0.01)  # since the oldest post
    assert [post.id for post in recent.newest] == ["hour", "day"]
    assert recent.per_day == pytest.approx(2 / 2, rel=0.01)
    assert (nothing.matches, nothing.newest, nothing.per_day) == (0, [], 0.0)


def test_preview_of_an_empty_store(database: Database) -> None:
    with database.begin() as conn:
        preview = preview_topic(conn, Topic(name="t", query="nordlicht"))
    assert (preview.matches, preview.start, preview.days, preview.per_day) == (0, None, 0.0, 0.0)


def test_stored_enrichments_are_read_back_by_name(database: Database) -> None:
    labelled = Prepared.of(
        POSTS[0], enrichments={"sentiment": ("1", {"label": "positive", "score": 0.9})}
    )
    other = Prepared.of(POSTS[1], enrichments={"language": ("1", {"label": "de"})})
    unlabelled = Prepared.of(POSTS[2], enrichments={"sentiment": ("1", {"score": 0.1})})
    with database.begin() as conn:
        store_batch(conn, [labelled, other, unlabelled], DAY)
        ids = dict(conn.execute(select(posts.c.native_id, posts.c.id)).all())
        assert stored_enrichments(conn, list(ids.values())) == {
            ids["1"]: {"sentiment": {"label": "positive", "score": 0.9}},
            ids["3"]: {"sentiment": {"score": 0.1}},
        }
        assert stored_enrichments(conn, []) == {}
