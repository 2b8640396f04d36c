"""Retention on SQLite and PostgreSQL: old posts and what derives from them go, rollups stay."""

from __future__ import annotations

from datetime import timedelta

from horchposten.privacy.retention import apply_retention, plan_retention, run_retention
from horchposten.store.database import Database
from horchposten.store.workspace_settings import set_retention
from privacy_posts import NOW, counts, fill, keys, rollup_tables


def test_without_a_retention_setting_nothing_is_deleted(database: Database) -> None:
    fill(database)
    before = counts(database)
    assert run_retention(database, NOW) is None
    assert counts(database) == before


def test_retention_deletes_exactly_the_old_posts_and_keeps_the_rollups(
    database: Database,
) -> None:
    fill(database)
    with database.begin() as conn:
        set_retention(conn, 30)
        plan = plan_retention(conn, 30, NOW)
    assert plan.posts == 3 and not plan.applied
    assert dict(plan.by_source) == {"mastodon": 3}
    assert dict(plan.by_topic) == {"Nordlicht": 2, "Bergquell": 1}
    rollups, before = rollup_tables(database), counts(database)

    done = run_retention(database, NOW)

    assert done is not None and done.applied
    assert (done.posts, done.by_source, done.by_topic) == (3, plan.by_source, plan.by_topic)
    assert keys(database) == {"mastodon:a2", "bluesky:a3", "mastodon:b2"}
    after = counts(database)
    assert after["posts"] == before["posts"] - 3
    # a1 and b1 matched 3 topics in all, n1 none; each old post had one full-text row
    assert after["post_topics"] == before["post_topics"] - 3
    assert after["fulltext"] == before["fulltext"] - 3
    assert after["enrichments"] == before["enrichments"] - 2  # n1 had no sentiment
    assert after["local_ids"] == 1  # a1's went, b2's stays
    # aggregates survive the posts they count: rollups and author rollups are unchanged
    assert rollup_tables(database) == rollups
    assert run_retention(database, NOW).posts == 0  # type: ignore[union-attr]


def test_retention_works_in_chunks_of_their_own(database: Database) -> None:
    fill(database)
    with database.begin() as conn:
        set_retention(conn, 1)
    done = apply_retention(database, 1, NOW + timedelta(days=30), chunk=2)
    assert done.posts == 6 and keys(database) == set()
