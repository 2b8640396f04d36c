"""Retroactive matching decides exactly like live matching, on SQLite and PostgreSQL.

Posts go through the live pipeline (with a sentiment enricher, so ``sentiment:``
has data) while topics exist; then every topic is back-filled from the stored
posts through the full-text prefilter. The matches must not change.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from horchposten.backfill import backfill_topic
from horchposten.enrich.base import Earlier
from horchposten.models import Post, Topic
from horchposten.pipeline import Batch, Pipeline
from horchposten.query import compile_query
from horchposten.store.database import Database
from horchposten.store.schema import post_topics, posts
from horchposten.store.topics import add_topic
from test_query import QUERIES, TEXTS

_IDS = itertools.count()


class HashSentiment:
    """A stand-in sentiment enricher: a label that depends on the text only."""

    name = "sentiment"
    version = "test"
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[dict[str, Any]]:
        labels = ("negative", "neutral", "positive")
        return [{"label": labels[len(post.content) % 3]} for post in batch]


POSTS = st.builds(
    dict,
    text=TEXTS.filter(str.strip),
    title=st.none() | TEXTS,
    lang=st.sampled_from([None, "de", "en"]),
    source=st.sampled_from(["mastodon", "reddit", "files"]),
    author=st.builds(
        dict,
        handle=st.sampled_from([None, "nivea", "@Nivea", "dove"]),
        followers=st.none() | st.integers(0, 5),
    ),
    metrics=st.builds(dict, likes=st.none() | st.integers(0, 5)),
    url=st.sampled_from([None, "https://www.reddit.com/r/de/comments/x/", "https://nivea.de/a"]),
    parent_id=st.sampled_from([None, "p1"]),
    engagement_type=st.sampled_from([None, "comment", "repost"]),
    rating=st.none() | st.sampled_from([1, 2.5, 5]),
    created_at=st.sampled_from(
        [datetime(2026, 11, 1, 8, 0, tzinfo=UTC), datetime(2026, 11, 1, 17, 45, tzinfo=UTC)]
    ),
)


def _matched(database: Database, topic_id: int, run: int) -> set[str]:
    """The topic's matches among this example's posts (earlier examples' posts stay stored)."""
    query = (
        select(posts.c.native_id)
        .join(post_topics, post_topics.c.post_id == posts.c.id)
        .where(post_topics.c.topic_id == topic_id, posts.c.native_id.startswith(f"{run}-"))
    )
    with database.begin() as conn:
        return set(conn.execute(query).scalars())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queries=st.lists(QUERIES, min_size=1, max_size=3), drafts=st.lists(POSTS, max_size=8))
def test_retroactive_matches_equal_live_matches(
    database: Database, queries: list[str], drafts: list[dict[str, Any]]
) -> None:
    # The database lives for all examples of one run: fresh names and ids each time.
    run = next(_IDS)
    with database.begin() as conn:
        topics = [
            add_topic(conn, Topic(name=f"t{run}-{i}", query=query))
            for i, query in enumerate(queries)
        ]
    batch = [Post.model_validate(draft | {"id": f"{run}-{i}-"}) for i, draft in enumerate(drafts)]
    pipeline = Pipeline(database, [HashSentiment()])
    pipeline.store(pipeline.prepare(Batch(batch)))
    sentiment = HashSentiment().enrich(batch, [{} for _ in batch])
    for topic in topics:
        assert topic.id is not None
        live = _matched(database, topic.id, run)
        compiled = compile_query(topic.query)
        expected = {
            post.id
            for post, extra in zip(batch, sentiment, strict=True)
            if compiled.matches(post, {"sentiment": extra})
        }
        assert live == expected
        with database.begin() as conn:
            backfill_topic(conn, topic)
        assert _matched(database, topic.id, run) == live, topic.query
