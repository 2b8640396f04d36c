"""The API's interactive documentation, for signed-in users only.

Swagger UI at ``/docs`` and ReDoc at ``/redoc`` are pages of the web UI: without
a session they lead to sign-in like every other page (FastAPI served them to
anyone). The OpenAPI document itself stays at ``/openapi.json`` for clients.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from horchposten.web.ui.auth import VIEWER, Page

router = APIRouter(include_in_schema=False)
TITLE = "Horchposten API"


@router.get("/docs")
def swagger_ui(page: Page = VIEWER) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=TITLE)


@router.get("/redoc")
def redoc(page: Page = VIEWER) -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title=TITLE)
