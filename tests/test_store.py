"""Storage on SQLite and PostgreSQL: upserts, rollups kept in step, full text, migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from horchposten.backfill import backfill_topic
from horchposten.models import Post, Topic
from horchposten.store.database import Database, open_database
from horchposten.store.deletion import delete_posts
from horchposten.store.fulltext import include_name
from horchposten.store.posts import Prepared, store_batch
from horchposten.store.schema import (
    enrichments,
    metadata,
    post_topics,
    posts,
    rollups_hourly,
    rollups_marginal,
)
from horchposten.store.search import iter_posts, search_posts
from horchposten.store.topics import add_topic
from pgserver import PostgresServer
from recount import recounted_rollups, stored_rollups

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
            _post(
                "1",
                "Nordlicht ist super",
                author={"followers": 100},
                metrics={"likes": 2, "views": 900},
            ),
            [brand],
        ),
        Prepared.of(_post("2", "Bergquell ist teuer", hour=10), [rival]),
        Prepared.of(
            _post("3", "Nordlicht oder Bergquell?", hour=10, metrics={"replies": 4}), [brand, rival]
        ),
    ]
    assert _store(database, first) == (3, 0, 0, 4)
    assert _store(database, first) == (0, 0, 3, 0)
    assert stored_rollups(database) == recounted_rollups(database)
    nine = datetime(2026, 11, 20, 9, tzinfo=UTC)
    # posts, reach, engagement, views, viewed posts, followers of posts without views
    assert stored_rollups(database)[(brand, nine, "mastodon", "de", "none")] == (
        1,
        100,
        2,
        900,
        1,
        0,
    )

    # Post 1 is edited: more likes, no view count any more, moved to another hour and to
    # the rival topic.
    edited = Prepared.of(
        _post(
            "1", "Jetzt doch Bergquell", hour=11, author={"followers": 120}, metrics={"likes": 5}
        ),
        [rival],
    )
    assert _store(database, [edited]) == (0, 1, 0, 1)
    rollups = stored_rollups(database)
    assert rollups == recounted_rollups(database)
    assert (brand, datetime(2026, 11, 20, 9, tzinfo=UTC), "mastodon", "de", "none") not in rollups
    eleven = (rival, datetime(2026, 11, 20, 11, tzinfo=UTC), "mastodon", "de", "none")
    assert rollups[eleven] == (1, 120, 5, 0, 0, 120)
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


def test_nul_characters_are_dropped_so_every_database_stores_the_post(
    database: Database,
) -> None:
    post = _post("n\x001", "Nivea\x00 Creme", title="\x00Test", author={"name": "A\x00"})
    assert (post.id, post.text, post.title, post.author.name) == ("n1", "Nivea Creme", "Test", "A")
    assert _store(database, [Prepared.of(post)]) == (1, 0, 0, 0)
    with database.begin() as conn:
        assert list(iter_posts(conn)) == [post]


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
    assert stored_rollups(database) == recounted_rollups(database)


def _count(database: Database, table: Any) -> int:
    with database.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_deleting_posts_takes_their_matches_enrichments_text_and_rollups(
    database: Database,
) -> None:
    with database.begin() as conn:
        brand = add_topic(conn, Topic(name="brand", query="nordlicht")).id
        rival = add_topic(conn, Topic(name="rival", query="bergquell")).id
    assert brand is not None and rival is not None
    happy = {"sentiment": ("1", {"label": "positive", "score": 0.9})}
    _store(
        database,
        [
            Prepared.of(
                _post("1", "Nordlicht ist super", author={"handle": "a", "followers": 100}),
                [brand],
                happy,
            ),
            Prepared.of(
                _post("2", "Nordlicht und Bergquell", metrics={"likes": 3, "views": 50}),
                [brand, rival],
            ),
            Prepared.of(_post("3", "Bergquell ist teuer", hour=10), [rival]),
        ],
    )
    nine = datetime(2026, 11, 20, 9, tzinfo=UTC)
    assert stored_rollups(database)[(brand, nine, "mastodon", "de", "positive")] == (
        1, 100, 0, 0, 0, 100
    )  # fmt: skip

    with database.begin() as conn:
        assert delete_posts(conn, ["mastodon:1", "mastodon:2", "mastodon:unknown"]) == 2
    rollups = stored_rollups(database)
    assert rollups == recounted_rollups(database)
    # Only post 3 is left: one rival post at 10:00, and no emptied rollup rows are kept.
    ten = datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert rollups == {(rival, ten, "mastodon", "de", "none"): (1, 0, 0, 0, 0, 0)}
    assert _count(database, rollups_hourly) == 1
    assert _count(database, rollups_marginal) == 4  # total, source, lang, sentiment
    assert (_count(database, posts), _count(database, post_topics)) == (1, 1)
    assert _count(database, enrichments) == 0
    with database.begin() as conn:
        assert search_posts(conn, "nordlicht") == []
        assert [p.id for p in search_posts(conn, "bergquell")] == ["3"]
        # Deleting again, or keys never stored, changes nothing.
        assert delete_posts(conn, ["mastodon:1", "reddit:3"]) == 0
        assert delete_posts(conn, []) == 0
    assert stored_rollups(database) == rollups


def test_a_deleted_post_can_be_stored_again(database: Database) -> None:
    with database.begin() as conn:
        brand = add_topic(conn, Topic(name="brand", query="nordlicht")).id
    assert brand is not None
    item = Prepared.of(_post("1", "Nordlicht", metrics={"likes": 1}), [brand])
    _store(database, [item])
    with database.begin() as conn:
        assert delete_posts(conn, ["mastodon:1"]) == 1
    assert _store(database, [item]) == (1, 0, 0, 1)
    assert stored_rollups(database) == recounted_rollups(database)
    with database.begin() as conn:
        assert [p.id for p in search_posts(conn, "nordlicht")] == ["1"]


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
