"""Known posts for the analytics tests: stored with their topics and sentiment, counted by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from horchposten.models import Post, Topic
from horchposten.store.database import Database
from horchposten.store.posts import Prepared, store_batch
from horchposten.store.topics import add_topic

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def post(
    native_id: str,
    when: str,
    *,
    text: str = "Nordlicht",
    source: str = "mastodon",
    lang: str | None = "de",
    handle: str | None = None,
    followers: int | None = None,
    likes: int | None = None,
    views: int | None = None,
    parent: str | None = None,
    engagement_type: str | None = None,
) -> Post:
    return Post.model_validate(
        {
            "id": native_id,
            "source": source,
            "text": text,
            "created_at": utc(when),
            "lang": lang,
            "author": {"handle": handle, "followers": followers},
            "metrics": {"likes": likes, "views": views},
            "parent_id": parent,
            "engagement_type": engagement_type,
        }
    )


def labelled(item: Post, sentiment: str | None, topics: list[int]) -> Prepared:
    extra: dict[str, tuple[str, dict[str, Any]]] = {}
    if sentiment is not None:
        extra["sentiment"] = ("test-1", {"label": sentiment, "score": 0.9})
    return Prepared.of(item, topics, extra)


def store(database: Database, items: list[Prepared]) -> None:
    with database.begin() as conn:
        store_batch(conn, items, NOW)


def topics(database: Database, *names: str) -> list[int]:
    with database.begin() as conn:
        found = [add_topic(conn, Topic(name=name, query=name.lower())).id for name in names]
    return [topic_id for topic_id in found if topic_id is not None]
