"""How the UI answers when a page cannot be shown: sign-in redirect, 403 and 404 pages.

API paths keep the JSON error shape of ``web/errors.py``; everything else gets HTML.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from horchposten.web import errors as api_errors
from horchposten.web.session_auth import session_of
from horchposten.web.ui.auth import Refused, SignInRequired, page_for
from horchposten.web.ui.templating import render

API_PATHS = ("/api/", "/openapi.json", "/docs", "/redoc", "/ingest/")


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


async def _signin_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = request.headers.get("HX-Current-URL") or "/"
    location = f"/signin?next={quote(target, safe='/')}"
    if _is_htmx(request):  # htmx would swap a redirect's page into a fragment; navigate instead
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def _refused(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, Refused):
        raise exc
    return render(exc.page, "error.html", status_code=403, status=403, message=exc.reason)


async def _http(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, HTTPException):
        raise exc
    if request.url.path.startswith(API_PATHS):
        return api_errors.error_response(exc.status_code, str(exc.detail), headers=exc.headers)
    ctx = request.app.state.horchposten
    with ctx.database.begin() as conn:
        session = session_of(request, conn)
    page = page_for(request, ctx, session)
    messages = {
        404: page.gettext("There is no page at this address."),
        405: page.gettext("This address cannot be used this way."),
    }
    message = messages.get(exc.status_code, str(exc.detail))
    return render(
        page, "error.html", status_code=exc.status_code, status=exc.status_code, message=message
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, _signin_required)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(HTTPException, _http)
