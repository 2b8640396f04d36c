"""One stored post with its thread: the posts it answers, and the replies to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy import Connection, select

from horchposten.errors import NotFound
from horchposten.models import Post
from horchposten.store.rows import stored_post
from horchposten.store.schema import posts
from horchposten.web.api.stored import Entry, entries
from horchposten.web.deps import CONN, READ
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["posts"], responses=ERROR_RESPONSES)

# Deep threads are cut here: a UI shows a handful of ancestors and pages on by opening one.
MAX_ANCESTORS = 20
MAX_REPLIES = 200

PostId = Annotated[
    int, Path(ge=1, le=2**62, description="The storage id (`post_id`).", examples=[1234])
]


class ThreadOut(BaseModel):
    post: Entry
    ancestors: list[Entry] = Field(
        description=f"The posts it answers, the thread's start first (at most {MAX_ANCESTORS}); "
        "parents not stored are left out."
    )
    replies: list[Entry] = Field(
        description=f"Stored replies to it, oldest first (at most {MAX_REPLIES})."
    )


def _by_id(conn: Connection, post_id: int) -> tuple[int, Post]:
    row = conn.execute(select(posts).where(posts.c.id == post_id)).first()
    if row is None:
        raise NotFound(f"There is no stored post with the id {post_id}; it may have been deleted.")
    return post_id, stored_post(row._mapping)


def _ancestors(conn: Connection, post: Post) -> list[tuple[int, Post]]:
    found: list[tuple[int, Post]] = []
    seen = {post.key}
    parent = post.parent_key
    while parent is not None and parent not in seen and len(found) < MAX_ANCESTORS:
        seen.add(parent)
        row = conn.execute(select(posts).where(posts.c.key == parent)).first()
        if row is None:
            break
        found.append((int(row.id), stored_post(row._mapping)))
        parent = found[-1][1].parent_key
    return found[::-1]


def _replies(conn: Connection, post: Post) -> list[tuple[int, Post]]:
    query = (
        select(posts)
        .where(posts.c.parent_key == post.key)
        .order_by(posts.c.created_at, posts.c.id)
        .limit(MAX_REPLIES)
    )
    return [(int(row.id), stored_post(row._mapping)) for row in conn.execute(query)]


@router.get("/posts/{post_id}", summary="Read a post")
def post_get(post_id: PostId, _: object = READ, conn: Connection = CONN) -> Entry:
    """One stored post with its sentiment and topics; its link on the platform is `post.url`."""
    return entries(conn, [_by_id(conn, post_id)])[0]


@router.get("/posts/{post_id}/thread", summary="A post's thread")
def post_thread(post_id: PostId, _: object = READ, conn: Connection = CONN) -> ThreadOut:
    """The post, the chain of stored posts it answers up to the thread's start, and the
    stored replies to it. Open a reply's thread to read further down."""
    found = _by_id(conn, post_id)
    return ThreadOut(
        post=entries(conn, [found])[0],
        ancestors=entries(conn, _ancestors(conn, found[1])),
        replies=entries(conn, _replies(conn, found[1])),
    )
