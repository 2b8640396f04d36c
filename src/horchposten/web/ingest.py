"""``POST /ingest/{source}``: posts pushed to a ``webhook`` source, stored through the pipeline.

A router that ``horchposten serve`` mounts beside the API (at the root, not
under ``/api/v1``: pushers are configured with ``/ingest/NAME``). The body is
one interchange object or a JSON array of them; the source's own token comes
as ``Authorization: Bearer TOKEN`` (not an API token: a pusher may store only
posts, and only into its source). A batch is stored whole or not at all: if
any post is invalid, the answer lists every problem by its index in
``details`` and nothing is stored, so the pusher can fix the batch and send it
again (storing is idempotent, so resending what was stored is harmless too).
Errors have the API's one shape (``web/errors.py``).
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from horchposten.config import Settings
from horchposten.errors import HorchpostenError, NotFound
from horchposten.models import Post, ahead_of_clock
from horchposten.pipeline import Batch, Pipeline
from horchposten.pipeline.bus.memory import MemoryBus
from horchposten.pipeline.driver import drive
from horchposten.sources.build import validate_record
from horchposten.sources.records import explain
from horchposten.sources.webhook import KIND, WebhookSettings, read_body
from horchposten.store.database import Database
from horchposten.store.posts import StoreResult
from horchposten.store.sources import SourceRecord, get_source
from horchposten.web.deps import Context, context
from horchposten.web.errors import ErrorBody, error_response

MAX_BODY = 16 * 1024 * 1024  # bytes; a larger batch should be split
_CREATING = threading.Lock()


class Refused(Exception):
    """A push the endpoint answers with an error status and a sentence."""

    def __init__(self, status: int, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.details = details or []


class Ingested(BaseModel):
    received: int
    new: int
    updated: int
    unchanged: int
    matched: int


class _Store:
    """One pipeline per app, built on the first push, driven for one request at a time.

    A push is one batch through the one driver; it runs in a thread of its own
    (with its own event loop), so enriching a large push never stalls the app's loop.
    """

    def __init__(self, database: Database, settings: Settings) -> None:
        self.pipeline = Pipeline(database, enrich_settings=settings.enrich)
        self.queue_size = settings.pipeline.queue_size
        self.lock = threading.Lock()

    def __call__(self, posts: list[Post], source: str) -> StoreResult:
        with self.lock:
            return asyncio.run(self._drive(Batch(posts, source_name=source, size_hint=len(posts))))

    async def _drive(self, batch: Batch) -> StoreResult:
        async def one() -> AsyncIterator[Batch]:
            yield batch

        return await drive(self.pipeline, [one()], MemoryBus(self.queue_size))


router = APIRouter(tags=["ingest"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in [
        (400, "the body is no interchange post"),
        (401, "the source's token is missing or wrong"),
        (404, "no webhook source of that name"),
        (409, "the source is paused"),
        (413, "the body is too large"),
        (422, "some posts are invalid; details lists them by index"),
        (503, "the source has no token configured"),
    ]
}


@router.post("/ingest/{source}", response_model=Ingested, responses=_ERRORS)
async def ingest(
    source: str, request: Request, ctx: Annotated[Context, Depends(context)]
) -> Ingested | JSONResponse:
    """Store the posts pushed to the webhook source ``source`` (one object or an array)."""
    try:
        record = await run_in_threadpool(_webhook_source, ctx.database, source)
        _check_token(record, ctx.settings, request.headers.get("authorization", ""))
        posts = _posts(await _body(request, MAX_BODY), record.name)
    except Refused as refused:
        challenge = {"WWW-Authenticate": "Bearer"} if refused.status == 401 else None
        return error_response(refused.status, str(refused), refused.details, challenge)
    result = await run_in_threadpool(_store_of(request, ctx), posts, record.name)
    return Ingested(
        received=len(posts),
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        matched=result.matched,
    )


async def _body(request: Request, limit: int) -> bytes:
    """The body, read as it streams in; a 413 as soon as it passes ``limit`` bytes.

    A chunked body announces no length, so the limit is checked on what arrived:
    at most ``limit`` bytes and one chunk are ever held, however much is sent.
    """
    too_large = f"The body is larger than {limit:,} bytes; split it into smaller batches."
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(413, too_large)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413, too_large)
    return bytes(body)


def _store_of(request: Request, ctx: Context) -> _Store:
    state = request.app.state
    with _CREATING:
        if getattr(state, "horchposten_ingest", None) is None:
            state.horchposten_ingest = _Store(ctx.database, ctx.settings)
    found: _Store = state.horchposten_ingest
    return found


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
        validated = validate_record(record, settings)
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
    now = datetime.now(UTC)
    for index, item in enumerate(items):
        try:
            # The route names the source: a pusher may write into its own source only.
            post = Post.model_validate({**item, "source": source})
        except ValidationError as exc:
            problems.append({"index": index, "message": explain(exc)})
            continue
        future = ahead_of_clock(post, now)
        if future is not None:
            problems.append({"index": index, "message": future})
        posts.append(post)
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
