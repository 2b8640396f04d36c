"""The API's interactive documentation, for signed-in users and token holders only.

Swagger UI at ``/docs`` and ReDoc at ``/redoc`` need the ``read`` scope like the
API they describe (a session cookie or a token); FastAPI served them to anyone.
The OpenAPI document itself stays at ``/openapi.json`` for clients and tools.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from horchposten.web.deps import READ

router = APIRouter(include_in_schema=False)
TITLE = "Horchposten API"


@router.get("/docs")
def swagger_ui(_: object = READ) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=TITLE)


@router.get("/redoc")
def redoc(_: object = READ) -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title=TITLE)
