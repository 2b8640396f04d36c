"""Migrations keep what is stored: upgrading a filled 0001 database, and back down."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import column, select, table

from horchposten.store.database import MIGRATIONS, Database
from horchposten.store.schema import (
    UTCDateTime,
    enrichments,
    post_topics,
    posts,
    rollups_hourly,
    rollups_marginal,
    topics,
)
from recount import (
    recounted_author_rollups,
    recounted_rollups,
    stored_author_rollups,
    stored_rollups,
)

CREATED = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def _migrate(database: Database, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _fill_0001(database: Database) -> None:
    with database.begin() as conn:
        conn.execute(
            topics.insert().values(
                id=1, name="Nordlicht", query="nordlicht", langs=[], sources=[], created_at=CREATED
            )
        )
        conn.execute(
            posts.insert().values(
                id=7,
                key="files:1",
                source="files",
                native_id="1",
                text="Nordlicht",
                created_at=CREATED,
                first_seen_at=CREATED,
                updated_at=CREATED,
            )
        )
        conn.execute(post_topics.insert().values(topic_id=1, post_id=7, matched_at=CREATED))
        # The 0001 shape of the rollups (0004 added the sentiment dimension).
        rollups_0001 = table(
            "rollups_hourly",
            column("bucket", UTCDateTime),
            *(column(name) for name in ("topic_id", "source", "lang")),
            *(column(name) for name in ("posts", "reach", "engagement")),
        )
        conn.execute(
            rollups_0001.insert().values(
                topic_id=1,
                bucket=CREATED,
                source="files",
                lang="und",
                posts=1,
                reach=0,
                engagement=0,
            )
        )


def test_upgrade_keeps_topics_matches_and_rollups(database_url: str) -> None:
    database = Database(database_url)
    try:
        _migrate(database, "0001")
        _fill_0001(database)
        database.migrate()
        assert database.is_current()
        with database.begin() as conn:
            topic = conn.execute(select(topics)).one()
            assert topic.updated_at == topic.created_at == CREATED
            assert topic.entities == []
            assert conn.execute(select(post_topics.c.post_id)).scalars().all() == [7]
            rollups = conn.execute(select(rollups_hourly)).all()
            assert [(r.bucket, r.sentiment, r.posts) for r in rollups] == [(CREATED, "none", 1)]
            margins = conn.execute(
                select(rollups_marginal.c.dimension, rollups_marginal.c.value)
                .where(rollups_marginal.c.posts == 1)
                .order_by(rollups_marginal.c.dimension)
            ).all()
            assert [tuple(m) for m in margins] == [
                ("lang", "und"),
                ("sentiment", "none"),
                ("source", "files"),
                ("total", ""),
            ]
            post = conn.execute(select(posts.c.rating, posts.c.engagement_type)).one()
            assert tuple(post) == (None, None)
        _migrate(database, "0001", down=True)
        _migrate(database, "head")
        with database.begin() as conn:
            assert conn.execute(select(post_topics.c.post_id)).scalars().all() == [7]
    finally:
        database.close()


def test_0005_fills_the_author_rollups_by_a_recount(database_url: str) -> None:
    database = Database(database_url)
    try:
        _migrate(database, "0004")
        with database.begin() as conn:
            conn.execute(
                topics.insert().values(
                    id=1,
                    name="Nordlicht",
                    query="nordlicht",
                    langs=[],
                    sources=[],
                    entities=[],
                    created_at=CREATED,
                    updated_at=CREATED,
                )
            )
            conn.execute(
                posts.insert().values(
                    id=7, key="files:1", source="files", native_id="1", text="Nordlicht",
                    created_at=CREATED, first_seen_at=CREATED, updated_at=CREATED,
                    author_handle="anna", author_followers=40, likes=3,
                )
            )  # fmt: skip
            conn.execute(post_topics.insert().values(topic_id=1, post_id=7, matched_at=CREATED))
            conn.execute(
                enrichments.insert().values(
                    post_id=7, enricher="sentiment", version="1", data={"label": "positive"}
                )
            )
        _migrate(database, "head")
        rollups = stored_author_rollups(database)
        day = CREATED.replace(hour=0)
        month = day.replace(day=1)
        assert rollups == {
            (1, "day", day, "files", "anna"): (1, 40, 3, 0, 0, 1),
            (1, "month", month, "files", "anna"): (1, 40, 3, 0, 0, 1),
        }
        assert rollups == recounted_author_rollups(database)
        _migrate(database, "0004", down=True)
        _migrate(database, "head")
        assert stored_author_rollups(database) == rollups
    finally:
        database.close()


def test_0008_fills_the_earned_media_sums_by_a_recount(database_url: str) -> None:
    database = Database(database_url)
    try:
        _migrate(database, "0007")
        with database.begin() as conn:
            conn.execute(
                topics.insert().values(
                    id=1, name="Nordlicht", query="nordlicht", langs=[], sources=[], entities=[],
                    created_at=CREATED, updated_at=CREATED,
                )
            )  # fmt: skip
            for post_id, followers, views in ((7, 40, 500), (8, 70, None)):
                conn.execute(
                    posts.insert().values(
                        id=post_id, key=f"files:{post_id}", source="files",
                        native_id=str(post_id), text="Nordlicht", created_at=CREATED,
                        first_seen_at=CREATED, updated_at=CREATED, author_followers=followers,
                        views=views,
                    )
                )  # fmt: skip
                conn.execute(
                    post_topics.insert().values(topic_id=1, post_id=post_id, matched_at=CREATED)
                )
            # The 0007 shape of the rollups: the two posts' counts, no view sums yet.
            conn.execute(
                table("rollups_hourly", column("bucket", UTCDateTime), *(column(n) for n in (
                    "topic_id", "source", "lang", "sentiment", "posts", "reach", "engagement"
                ))).insert().values(
                    topic_id=1, bucket=CREATED, source="files", lang="und", sentiment="none",
                    posts=2, reach=110, engagement=0,
                )
            )  # fmt: skip
        _migrate(database, "head")
        rollups = stored_rollups(database)
        # posts, reach, engagement, views, viewed posts, followers of the posts without views
        assert rollups == {(1, CREATED, "files", "und", "none"): (2, 110, 0, 500, 1, 70)}
        assert rollups == recounted_rollups(database)
        _migrate(database, "0007", down=True)
        _migrate(database, "head")
        assert stored_rollups(database) == rollups
    finally:
        database.close()
