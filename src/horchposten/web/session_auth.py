"""Signed-in browsers: the session cookie and the CSRF header, for UI pages and the API alike.

The web UI calls the same ``/api/v1`` as everyone else. A request without a
bearer token is accepted when it carries a live session cookie; a request that
changes something (any method but GET, HEAD, OPTIONS) must also repeat the
session's CSRF token in ``X-CSRF-Token`` (or, for plain forms, the ``csrf_token``
field), which a page of another site cannot read.
"""

from __future__ import annotations

import hmac

from fastapi import Request
from sqlalchemy import Connection

from horchposten.store.sessions import Session, find_session

SESSION_COOKIE = "hp_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_of(request: Request, conn: Connection) -> Session | None:
    """The live session named by the request's cookie, or None."""
    secret = request.cookies.get(SESSION_COOKIE)
    return None if not secret else find_session(conn, secret)


def csrf_matches(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


async def csrf_given(request: Request) -> str | None:
    """The CSRF token a request carries: the header, else a form field."""
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None
