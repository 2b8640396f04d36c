"""Signing in and out, and the language switch (which also works before signing in)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from horchposten.privacy.audit import record
from horchposten.store.sessions import (
    SESSION_LIFETIME,
    count_attempt,
    end_session,
    forgive_attempt,
    issue_signin_token,
    signin_token_issued,
    start_session,
    use_signin_token,
)
from horchposten.store.users import set_locale, verify_password
from horchposten.web.deps import CTX, Context, context
from horchposten.web.session_auth import SESSION_COOKIE, csrf_matches, session_of
from horchposten.web.ui.auth import SIGNIN_COOKIE, VIEWER, Page, page_for
from horchposten.web.ui.i18n import LOCALE_COOKIE, LOCALES
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything else (another host, '//evil') becomes '/'."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def _set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    """HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def _signin_form(page: Page, status: int = 200, **values: object) -> Response:
    headers = {"Retry-After": str(values["wait"])} if status == 429 else None
    response = render(page, "signin.html", status_code=status, headers=headers, **values)
    if page.request.cookies.get(SIGNIN_COOKIE) != page.csrf_token:
        _set_cookie(response, page.request, SIGNIN_COOKIE, page.csrf_token)
    return response


def _with_token(page: Page, ctx: Context) -> Page:
    """``page`` with a form token this server issued: the cookie's, if it is one, else new."""
    with ctx.database.begin() as conn:
        if signin_token_issued(conn, page.csrf_token):
            return page
        token = issue_signin_token(conn)
    return Page(page.request, None, token, page.locale, page.zone)


@router.get("/signin")
def signin_page(
    request: Request, ctx: Annotated[Context, Depends(context)], next: str = "/"
) -> Response:
    with ctx.database.begin() as conn:
        session = session_of(request, conn)
    if session is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    page = _with_token(page_for(request, ctx, None), ctx)
    return _signin_form(page, next=safe_next(next), name="")


@router.post("/signin")
def signin(
    request: Request,
    ctx: Annotated[Context, Depends(context)],
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Sync on purpose: FastAPI runs it in a worker thread, so hashing (about 50 ms of CPU
    per try) never holds up the event loop and the other requests."""
    page = page_for(request, ctx, None)
    target = safe_next(next)
    # The form's token must repeat the cookie and be one this server issued: a cookie
    # alone could have been set by whoever can set cookies for this host.
    with ctx.database.begin() as conn:
        issued = signin_token_issued(conn, csrf_token)
    if (
        request.cookies.get(SIGNIN_COOKIE) is None
        or not csrf_matches(page.csrf_token, csrf_token)
        or not issued
    ):
        with ctx.database.begin() as conn:
            fresh = Page(request, None, issue_signin_token(conn), page.locale, page.zone)
        message = fresh.gettext("The form has expired. Please sign in again.")
        return _signin_form(fresh, 403, error=message, next=target, name=name)
    address = request.client.host if request.client else "unknown"
    with ctx.database.begin() as conn:
        attempt = count_attempt(conn, name, address)
    if attempt.wait:
        minutes = max(1, round(attempt.wait / 60))
        message = page.ngettext(
            "Too many failed sign-ins. Try again in %(num)d minute.",
            "Too many failed sign-ins. Try again in %(num)d minutes.",
            minutes,
        )
        wait = attempt.wait
        return _signin_form(page, 429, error=message, next=target, name=name, wait=wait)
    with ctx.database.begin() as conn:
        user = verify_password(conn, name, password)
        now = datetime.now(UTC)
        if user is None:
            record(conn, f"user {name}", "sign-in-failed", details={"address": address}, now=now)
        else:
            forgive_attempt(conn, name, attempt)
            use_signin_token(conn, csrf_token)
            secret = start_session(conn, user)
            record(conn, f"user {user.name}", "sign-in", details={"address": address}, now=now)
    if user is None:
        message = page.gettext("The user name or the password is wrong.")
        return _signin_form(page, 401, error=message, next=target, name=name)
    response = RedirectResponse(target, status_code=303)
    _set_cookie(response, request, SESSION_COOKIE, secret, int(SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/signout")
def signout(page: Page = VIEWER, ctx: Context = CTX) -> Response:
    secret = page.request.cookies.get(SESSION_COOKIE, "")
    with ctx.database.begin() as conn:
        end_session(conn, secret)
        record(conn, f"user {page.me.name}", "sign-out", now=datetime.now(UTC))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/locale")
def switch_locale(
    request: Request,
    ctx: Annotated[Context, Depends(context)],
    locale: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Remember the language: for a signed-in user in their settings, else in a cookie."""
    with ctx.database.begin() as conn:
        session = session_of(request, conn)
    page = page_for(request, ctx, session)
    if locale not in LOCALES or not csrf_matches(page.csrf_token, csrf_token):
        return RedirectResponse(safe_next(next), status_code=303)
    if session is not None:
        with ctx.database.begin() as conn:
            set_locale(conn, session.user.id, locale)
    response = RedirectResponse(safe_next(next), status_code=303)
    _set_cookie(response, request, LOCALE_COOKIE, locale, YEAR)
    return response
