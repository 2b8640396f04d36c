"""Storage on SQLite and PostgreSQL: upserts, rollups kept in step, full text, migrations."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from horchposten.backfill import backfill_topic
from horchposten.models import Post, Topic
from horchposten.store.database import Database, open_database
from horchposten.store.fulltext import include_name
from horchposten.store.posts import Prepared, store_batch
from horchposten.store.rollups import hour_bucket
from horchposten.store.schema import metadata, post_topics, posts, rollups_hourly
from horchposten.store.search import iter_posts, search_posts
from horchposten.store.topics import add_topic
from pgserver import PostgresServer

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _post(native_id: str, text: str, hour: int = 9, **extra: object) -> Post:
    return Post.model_validate(
        {
            "id": native_id,
            "source": "mastodon",
            "text": text,
            "created_at": datetime(2026, 11, 20, hour, 30, tzinfo=UTC),
            "lang": "de",
            **extra,
        }
    )


def _rollups(db: Database) -> dict[tuple[int, datetime, str, str], tuple[int, int, int]]:
    with db.begin() as conn:
        rows = conn.execute(select(rollups_hourly).where(rollups_hourly.c.posts != 0))
        return {
            (r.topic_id, r.bucket, r.source, r.lang): (r.posts, r.reach, r.engagement) for r in rows
        }


def _recomputed(db: Database) -> dict[tuple[int, datetime, str, str], tuple[int, int, int]]:
    """What the rollups must say, recomputed from the posts themselves."""
    totals: dict[tuple[int, datetime, str, str], tuple[int, int, int]] = {}
    with db.begin() as conn:
        query = select(post_topics.c.topic_id, posts).join(
            posts, posts.c.id == post_topics.c.post_id
        )
        for row in conn.execute(query):
            key = (row.topic_id, hour_bucket(row.created_at), row.source, row.lang or "und")
            engagement = (row.likes or 0) + (row.reposts or 0) + (row.replies or 0)
            n, reach, eng = totals.get(key, (0, 0, 0))
            totals[key] = (n + 1, reach + (row.author_followers or 0), eng + engagement)
    return totals


def _store(db: Database, items: list[Prepared]) -> tuple[int, int, int, int]:
    with db.begin() as conn:
        result = store_batch(conn, items, NOW)
    return result.new, result.updated, result.unchanged, result.matched


def test_upsert_is_idempotent_and_rollups_follow_edits(database: Database) -> None:
    with database.begin() as conn:
        brand = add_topic(conn, Topic(name="brand", query="nordlicht")).id
        rival = add_topic(conn, Topic(name="rival", query="bergquell")).id
    assert brand is not None and rival is not None
    first = [
        Prepared.of(
            _post("1", "Nordlicht ist super", author={"followers": 100}, metrics={"likes": 2}),
            [brand],
        ),
        Prepared.of(_post("2", "Bergquell ist teuer", hour=10), [rival]),
        Prepared.of(
            _post("3", "Nordlicht oder Bergquell?", hour=10, metrics={"replies": 4}), [brand, rival]
        ),
    ]
    assert _store(database, first) == (3, 0, 0, 4)
    assert _store(database, first) == (0, 0, 3, 0)
    assert _rollups(database) == _recomputed(database)
    assert _rollups(database)[(brand, datetime(2026, 11, 20, 9, tzinfo=UTC), "mastodon", "de")] == (
        1,
        100,
        2,
    )

    # Post 1 is edited: more likes, moved to another hour and to the rival topic.
    edited = Prepared.of(
        _post(
            "1", "Jetzt doch Bergquell", hour=11, author={"followers": 120}, metrics={"likes": 5}
        ),
        [rival],
    )
    assert _store(database, [edited]) == (0, 1, 0, 1)
    rollups = _rollups(database)
    assert rollups == _recomputed(database)
    assert (brand, datetime(2026, 11, 20, 9, tzinfo=UTC), "mastodon", "de") not in rollups
    assert rollups[(rival, datetime(2026, 11, 20, 11, tzinfo=UTC), "mastodon", "de")] == (1, 120, 5)
    with database.begin() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == 3


def test_rating_and_engagement_type_round_trip_and_edits_update_them(database: Database) -> None:
    review = _post("r1", "Guter Kaffee, schnelle Lieferung", rating=4.5)
    comment = _post("c1", "Stimmt!", parent_id="r1", engagement_type="comment")
    assert _store(database, [Prepared.of(review), Prepared.of(comment)]) == (2, 0, 0, 0)
    with database.begin() as conn:
        assert list(iter_posts(conn)) == [review, comment]
    changed = review.model_copy(update={"rating": 3.0})
    assert _store(database, [Prepared.of(changed), Prepared.of(comment)]) == (0, 1, 1, 0)
    with database.begin() as conn:
        assert [p.rating for p in iter_posts(conn)] == [3.0, None]


def test_full_text_ignores_case_and_accents(database: Database) -> None:
    _store(
        database,
        [
            Prepared.of(_post("1", "Im Café Müller gibt es Nordlicht-Espresso")),
            Prepared.of(_post("2", "Cafe muller, closed today")),
            Prepared.of(_post("3", "Nichts davon")),
        ],
    )
    with database.begin() as conn:
        found = search_posts(conn, "CAFE Müller")
        assert sorted(p.id for p in found) == ["1", "2"]
        assert [p.id for p in search_posts(conn, "espresso")] == ["1"]
        assert search_posts(conn, "espresso", lang="en") == []


def test_backfill_matches_stored_posts_like_the_live_matcher(database: Database) -> None:
    _store(
        database,
        [
            Prepared.of(_post("1", "Nordlicht Kaffee ist lecker")),
            Prepared.of(_post("2", "Nordlicht im Norden gesehen, kein Kaffee")),
            Prepared.of(_post("3", "Kaffee von Bergquell")),
        ],
    )
    with database.begin() as conn:
        topic = add_topic(conn, Topic(name="t", query='"nordlicht kaffee" OR bergquell'))
        assert backfill_topic(conn, topic) == 2
    assert _rollups(database) == _recomputed(database)


def test_migrations_build_exactly_the_declared_schema(database: Database) -> None:
    assert database.is_current()
    with database.begin() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_postgres_plans_each_duplicate_check_with_its_values(
    postgres_server: PostgresServer,
) -> None:
    """Server-side prepared statements made PostgreSQL scan all posts per duplicate check."""
    database = open_database(postgres_server.create_database())
    connection = database.engine.raw_connection()
    try:
        assert connection.driver_connection.prepare_threshold is None  # type: ignore[union-attr]
    finally:
        connection.close()
        database.close()
