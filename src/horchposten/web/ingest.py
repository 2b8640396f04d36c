"""``POST /ingest/{source}``: posts pushed to a ``webhook`` source, stored through the pipeline.

The body is one interchange object or a JSON array of them; the token of the
source comes as ``Authorization: Bearer TOKEN``. A batch is stored whole or
not at all: if any post is invalid, the answer lists every problem by its
index and nothing is stored, so the pusher can fix the batch and send it again
(storing is idempotent, so resending what was stored is harmless too).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from horchposten.config import Settings
from horchposten.errors import HorchpostenError, NotFound
from horchposten.models import Post
from horchposten.pipeline import Batch, Pipeline
from horchposten.runner import validate_source_settings
from horchposten.sources.records import explain
from horchposten.sources.webhook import KIND, WebhookSettings, read_body
from horchposten.store.database import Database
from horchposten.store.posts import StoreResult
from horchposten.store.sources import SourceRecord, get_source

MAX_BODY = 16 * 1024 * 1024  # bytes; a larger batch should be split


class Refused(Exception):
    """A request the endpoint answers with an error status and a sentence."""

    def __init__(self, status: int, message: str, problems: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.problems = problems or []


def create_app(
    settings: Settings, database: Database, make_pipeline: Callable[[], Pipeline]
) -> FastAPI:
    """The ingest app of one workspace; one pipeline, used by one request at a time."""
    app = FastAPI(title="Horchposten ingest", docs_url=None, redoc_url=None)
    lock = threading.Lock()
    pipelines: list[Pipeline] = []

    def store(posts: list[Post]) -> StoreResult:
        with lock:
            if not pipelines:
                pipelines.append(make_pipeline())
            pipeline = pipelines[0]
            batch = Batch(posts)
            return pipeline.store(batch, pipeline.prepare(batch))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        error: dict[str, Any] = {"status": exc.status, "message": str(exc)}
        if exc.problems:
            error["problems"] = exc.problems
        return JSONResponse({"error": error}, status_code=exc.status)

    @app.post("/ingest/{source}")
    async def ingest(source: str, request: Request) -> dict[str, int]:
        record = await run_in_threadpool(_webhook_source, database, source)
        _check_token(record, settings, request.headers.get("authorization", ""))
        body = await request.body()
        if len(body) > MAX_BODY:
            raise Refused(413, f"The body has {len(body):,} bytes; split it below {MAX_BODY:,}.")
        posts = _posts(body, record.name)
        result = await run_in_threadpool(store, posts)
        return {
            "received": len(posts),
            "new": result.new,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "matched": result.matched,
        }

    return app


def _webhook_source(database: Database, name: str) -> SourceRecord:
    try:
        with database.begin() as conn:
            record = get_source(conn, name)
    except NotFound:
        raise Refused(404, f"There is no source named '{name}'.") from None
    if record.kind != KIND:
        raise Refused(404, f"The source '{name}' is a {record.kind} source, not a webhook.")
    if not record.enabled:
        raise Refused(409, f"The source '{name}' is paused; resume it to accept posts.")
    return record


def _check_token(record: SourceRecord, settings: Settings, header: str) -> None:
    try:
        validated = validate_source_settings(
            record.kind, record.name, record.settings, settings.credentials
        )
    except HorchpostenError as exc:  # no token configured: refuse every push, say why
        raise Refused(503, f"The webhook '{record.name}' cannot accept posts: {exc}") from None
    if not isinstance(validated, WebhookSettings) or validated.token is None:
        raise Refused(503, f"The webhook '{record.name}' has no token configured.")
    expected = validated.token.get_secret_value().encode()
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise Refused(401, "Send the source's token as 'Authorization: Bearer TOKEN'.")
    if not hmac.compare_digest(given.strip().encode(), expected):
        raise Refused(401, f"The token for '{record.name}' is wrong; nothing was stored.")


def _posts(body: bytes, source: str) -> list[Post]:
    try:
        items = read_body(body, "The body")
    except HorchpostenError as exc:
        raise Refused(400, str(exc)) from None
    posts: list[Post] = []
    problems: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        try:
            posts.append(Post.model_validate({"source": source, **item}))
        except ValidationError as exc:
            problems.append({"index": index, "message": explain(exc)})
    if problems:
        raise Refused(
            422,
            f"{len(problems)} of {len(items)} posts are invalid; nothing was stored. "
            f"Fix them and send the batch again.",
            problems,
        )
    for post, item in zip(posts, items, strict=True):
        post.raw = item
    return posts
