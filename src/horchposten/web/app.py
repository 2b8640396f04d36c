"""The FastAPI app of a workspace: ``create_app`` composes it from routers.

Other parts (e.g. an ingest webhook) add their routers with ``extra_routers`` or
``app.include_router`` on the returned app; the database and settings they need
are on ``app.state.horchposten`` (``web.deps.Context``).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from horchposten import __version__
from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.web import errors
from horchposten.web.api import (
    audit,
    charts,
    export,
    insights,
    overview,
    posts,
    preview,
    privacy,
    threads,
    topics,
)
from horchposten.web.api.answers import AnswerCache
from horchposten.web.audit_trail import AuditTrail
from horchposten.web.deps import Context

API_PREFIX = "/api/v1"
ROUTERS = (
    topics.router,
    preview.router,
    posts.router,
    threads.router,
    overview.router,
    charts.router,
    insights.router,
    export.router,
    privacy.router,
    audit.router,
)
DESCRIPTION = """Horchposten's REST API: topics, posts, analytics and exports of one workspace.

Every request needs an API token (`horchposten token create --scope read|write|admin`)
as `Authorization: Bearer hp_…`, or the session cookie of the web UI (with the
`X-CSRF-Token` header on changes). Errors always have the shape
`{"error": {"status", "code", "message", "details"}}`.
"""


def create_app(
    database: Database,
    settings: Settings,
    *,
    extra_routers: Sequence[APIRouter] = (),
    close_database: bool = False,
    ui: bool = True,
    services: Sequence[AbstractAsyncContextManager[Any]] = (),
) -> FastAPI:
    """The API (and, with ``ui``, the web UI) over this database.

    With ``close_database`` the app closes the database on shutdown. ``services``
    (e.g. the source scheduler) run for the app's lifetime: entered at start-up,
    left in reverse order at shutdown, before the database closes.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What start-up loaded lives as long as the process: out of the collector's way, a
        # full collection no longer walks it, which took ~100 ms pauses out of year-long
        # charts (benchmarks/bench_analytics.py, share of voice p95 about 140 -> 50 ms).
        gc.freeze()
        async with AsyncExitStack() as stack:
            for service in services:
                await stack.enter_async_context(service)
            yield
        if close_database:
            database.close()

    app = FastAPI(
        title="Horchposten",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # pages of the web UI (web.ui.routes.docs), for signed-in users only
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.horchposten = Context(database, settings)
    app.state.answers = AnswerCache()
    errors.install(app)
    app.add_middleware(AuditTrail)
    for router in (*ROUTERS, *extra_routers):
        app.include_router(router, prefix=API_PREFIX)
    if ui:
        from horchposten.web.ui import install  # the UI's templates load only when served

        install(app)
    return app
