"""Export: a topic's posts as JSON Lines, CSV or Parquet, streamed in chunks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Annotated, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import Connection, select

from horchposten.analytics.drilldown import PostFilter, filtered
from horchposten.analytics.period import Period
from horchposten.export import flatten, write_posts
from horchposten.models import Post
from horchposten.privacy.pseudonyms import pseudonymise_post
from horchposten.sources.records import CSV_FIELDS
from horchposten.store.rows import stored_post
from horchposten.store.schema import posts
from horchposten.store.topics import topic_at
from horchposten.store.workspace_settings import pseudonym_key
from horchposten.web.api.params import PERIOD, TopicRef
from horchposten.web.deps import CONN, CTX, READ, Context
from horchposten.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["export"], responses=ERROR_RESPONSES)

Format = Literal["jsonl", "csv", "parquet"]
MEDIA = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
}
CHUNK = 1000


def _posts(ctx: Context, where: PostFilter, pseudonyms: bytes | None) -> Iterator[list[Post]]:
    """Chunks of posts oldest first, read in their own transaction while the response streams;
    with ``pseudonyms`` (the workspace's key) authors become pseudonyms."""
    with ctx.database.begin() as conn:
        query = filtered(conn, select(posts), where).order_by(posts.c.id)
        chunk: list[Post] = []
        for row in conn.execute(query.execution_options(yield_per=CHUNK)):
            post = stored_post(row._mapping)
            chunk.append(post if pseudonyms is None else pseudonymise_post(post, pseudonyms))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _text(chunks: Iterator[list[Post]], fmt: Format) -> Iterator[bytes]:
    first = True
    for chunk in chunks:
        out = io.StringIO()
        write_posts(chunk, out, fmt, header=first)
        first = False
        yield out.getvalue().encode()
    if first and fmt == "csv":  # no posts: still a header
        out = io.StringIO()
        write_posts([], out, fmt)
        yield out.getvalue().encode()


SCHEMA = pa.schema([(name, pa.string()) for name in CSV_FIELDS])


def _parquet(chunks: Iterator[list[Post]]) -> Iterator[bytes]:
    """One row group per chunk; every column as text, as in the CSV export."""
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, SCHEMA) as writer:
        for chunk in chunks:
            rows = [flatten(post) for post in chunk]
            columns = {name: [str(row[name]) for row in rows] for name in CSV_FIELDS}
            writer.write_table(pa.table(columns, schema=SCHEMA))
            yield sink.getvalue()
            sink.seek(0)
            sink.truncate()
    yield sink.getvalue()


@router.get(
    "/topics/{ref}/export",
    summary="Export a topic's posts",
    response_class=StreamingResponse,
    responses={200: {"content": {m: {} for m in MEDIA.values()}, "description": "The posts."}},
)
def topic_export(
    ref: TopicRef,
    format: Annotated[Format, Query(description="jsonl, csv or parquet.")] = "jsonl",
    source: Annotated[list[str] | None, Query(examples=[["mastodon"]])] = None,
    lang: Annotated[list[str] | None, Query(examples=[["de"]])] = None,
    period: Period = PERIOD,
    pseudonymise: Annotated[
        bool, Query(description="Authors as keyed pseudonyms; no names or links.")
    ] = False,
    _: object = READ,
    conn: Connection = CONN,
    ctx: Context = CTX,
) -> StreamingResponse:
    """All the topic's posts in the period, oldest first, streamed in chunks so a large
    export never sits in memory."""
    topic = topic_at(conn, ref)
    where = PostFilter(topic.id, period, tuple(source or ()), tuple(lang or ()))
    chunks = _posts(ctx, where, pseudonym_key(conn) if pseudonymise else None)
    body = _parquet(chunks) if format == "parquet" else _text(chunks, format)
    filename = f"{topic.id}.{format}"
    return StreamingResponse(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
