"""A small workspace for the privacy tests: two authors on two sources, old and recent posts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from analytics_posts import labelled, store, topics
from horchposten.models import Post
from horchposten.store import local_ids
from horchposten.store.database import Database
from horchposten.store.posts import Prepared
from horchposten.store.schema import (
    authors,
    enrichments,
    post_topics,
    posts,
    rollups_authors,
    rollups_hourly,
    rollups_marginal,
)
from horchposten.store.schema import (
    local_ids as local_ids_table,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
OLD = "2026-09-01T10:15"  # older than 30 days at NOW
RECENT = "2026-11-20T09:30"


def days_since_october() -> int:
    """A retention in days that, counted from the real now, takes OLD posts and keeps RECENT."""
    return (datetime.now(UTC) - datetime(2026, 10, 1, tzinfo=UTC)).days


def authored(
    native_id: str, when: str, handle: str, source: str = "mastodon", text: str = "Nordlicht"
) -> Post:
    return Post.model_validate(
        {
            "id": native_id,
            "source": source,
            "text": text,
            "created_at": datetime.fromisoformat(when).replace(tzinfo=UTC),
            "lang": "de",
            "author": {"handle": handle, "name": f"Name of {handle}", "followers": 10},
            "metrics": {"likes": 3},
            "raw": {"id": native_id, "account": {"acct": handle}, "content": text},
        }
    )


def fill(database: Database) -> dict[str, int]:
    """Posts of anna (mastodon and bluesky) and ben, old and recent, in two topics."""
    brand, rival = topics(database, "Nordlicht", "Bergquell")
    items: list[Prepared] = [
        labelled(authored("a1", OLD, "anna@example.social"), "positive", [brand]),
        labelled(authored("a2", RECENT, "anna@example.social"), "negative", [brand, rival]),
        labelled(authored("a3", RECENT, "Anna", source="bluesky"), None, [rival]),
        labelled(authored("b1", OLD, "ben@example.social"), "neutral", [brand, rival]),
        labelled(authored("b2", RECENT, "ben@example.social"), "positive", [brand]),
        labelled(authored("n1", OLD, "nobody@example.social"), None, []),
    ]
    store(database, items)
    with database.begin() as conn:
        local_ids.remember(
            conn, "mastodon:https://example.social", {"101": "mastodon:a1", "102": "mastodon:b2"}
        )
    return {"brand": brand, "rival": rival}


def counts(database: Database) -> dict[str, Any]:
    """How many rows each table holds that hangs on posts."""
    with database.begin() as conn:

        def count(table: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

        return {
            "posts": count(posts),
            "post_topics": count(post_topics),
            "enrichments": count(enrichments),
            "local_ids": count(local_ids_table),
            "fulltext": conn.exec_driver_sql("SELECT count(*) FROM posts_fts").scalar_one(),
            "authors": count(authors),
            "rollups_authors": count(rollups_authors),
        }


def keys(database: Database) -> set[str]:
    with database.begin() as conn:
        return set(conn.execute(select(posts.c.key)).scalars())


def rollup_tables(database: Database) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of the three rollup tables, as stored."""
    with database.begin() as conn:
        return {
            table.name: {tuple(row) for row in conn.execute(select(table))}
            for table in (rollups_hourly, rollups_marginal, rollups_authors)
        }
