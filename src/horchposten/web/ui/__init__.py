"""The web UI: server-rendered pages (Jinja2 + htmx) over the workspace's app.

``install(app)`` adds the UI's routers, its static files at ``/static``, its
error pages and security headers to an app made by ``web.app.create_app``.
The analysis pages hang off ``routes/pages.py``'s router; see docs/web-ui.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from horchposten.web.ui import errors
from horchposten.web.ui.routes import audit, docs, pages, privacy, settings, signin, sources
from horchposten.web.ui.security import SecurityHeaders

STATIC = Path(__file__).parent / "static"
ROUTERS = [
    signin.router,
    pages.router,
    sources.router,
    settings.router,
    privacy.router,
    docs.router,
    audit.router,
]


async def favicon() -> FileResponse:
    """Browsers ask for ``/favicon.ico`` whatever the page links to."""
    return FileResponse(STATIC / "icons" / "favicon.ico", media_type="image/x-icon")


def install(app: FastAPI) -> None:
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    app.add_middleware(SecurityHeaders, skip_prefixes=errors.API_PATHS)
