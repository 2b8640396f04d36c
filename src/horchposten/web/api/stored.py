"""What the API adds to a stored post besides the interchange format: its storage id,
sentiment label and topics, so a client can open its thread and show its mood."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, select

from horchposten.models import Post
from horchposten.store.enrichments import stored_enrichments
from horchposten.store.rollups import sentiment_label
from horchposten.store.schema import post_topics, topics

POST_EXAMPLE = {
    "id": "109876",
    "source": "mastodon",
    "text": "Nordlicht hat den Kundenservice verbessert.",
    "created_at": "2026-11-20T09:30:00Z",
    "lang": "de",
    "author": {"handle": "anna@example.social", "followers": 120},
}


class Annotation(BaseModel):
    post_id: int = Field(
        description="The storage id: `GET /posts/{post_id}/thread` opens its thread.",
        examples=[1234],
    )
    sentiment: str = Field(
        description="negative, neutral, positive, or none without a sentiment enrichment.",
        examples=["positive"],
    )
    topics: list[str] = Field(
        description="Names of the topics it matches.", examples=[["Nordlicht"]]
    )


class Entry(Annotation):
    post: dict[str, Any] = Field(
        description="The post in the interchange format (docs/interchange.md).",
        examples=[POST_EXAMPLE],
    )


def annotate(conn: Connection, post_ids: Sequence[int]) -> list[Annotation]:
    """Sentiment and topic names of each post, in the order given."""
    found = stored_enrichments(conn, post_ids, ("sentiment",))
    names: dict[int, list[str]] = {}
    if post_ids:
        query = (
            select(post_topics.c.post_id, topics.c.name)
            .join(topics, topics.c.id == post_topics.c.topic_id)
            .where(post_topics.c.post_id.in_(list(post_ids)))
            .order_by(topics.c.name)
        )
        for post_id, name in conn.execute(query):
            names.setdefault(int(post_id), []).append(name)
    return [
        Annotation(
            post_id=post_id,
            sentiment=sentiment_label(found.get(post_id, {}).get("sentiment")),
            topics=names.get(post_id, []),
        )
        for post_id in post_ids
    ]


def entries(conn: Connection, pairs: Sequence[tuple[int, Post]]) -> list[Entry]:
    """Each (storage id, post) pair with its annotation."""
    notes = annotate(conn, [post_id for post_id, _ in pairs])
    return [
        Entry(**note.model_dump(), post=post.to_interchange())
        for note, (_, post) in zip(notes, pairs, strict=True)
    ]
