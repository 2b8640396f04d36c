"""What endpoints receive: the workspace's database connection, settings and the caller's token.

The caller is an API token (``Authorization: Bearer``) or a signed-in web UI
session (cookie, plus the CSRF header for changes) whose role maps to a scope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.tokens import Scope, TokenInfo, allows, find_token
from horchposten.store.users import SCOPE_OF_ROLE
from horchposten.store.workspace_settings import effective
from horchposten.web.audit_trail import remember_actor
from horchposten.web.session_auth import (
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    csrf_given,
    csrf_matches,
    session_of,
)

bearer = HTTPBearer(
    auto_error=False,
    description="An API token from 'horchposten token create', as 'Authorization: Bearer hp_…'.",
)


@dataclass
class Context:
    """Held by the app for the lifetime of the server."""

    database: Database
    settings: Settings

    @property
    def zone(self) -> ZoneInfo:
        """The workspace's time zone: as set in the web UI, else the config file's."""
        with self.database.begin() as conn:
            return self.zone_in(conn)

    def zone_in(self, conn: Connection) -> ZoneInfo:
        """``zone``, read in a transaction the caller already holds."""
        return ZoneInfo(effective(conn, self.settings.workspace.timezone).timezone)


def context(request: Request) -> Context:
    found: Context = request.app.state.horchposten
    return found


def connection(ctx: Annotated[Context, Depends(context)]) -> Iterator[Connection]:
    """One transaction per request, committed when the endpoint returns without error."""
    with ctx.database.begin() as conn:
        yield conn


async def _session_token(request: Request, ctx: Context) -> TokenInfo | None:
    """A signed-in UI session as a token of its role's scope; None without a session cookie."""
    if SESSION_COOKIE not in request.cookies:
        return None
    with ctx.database.begin() as conn:
        session = session_of(request, conn)
    if session is None:
        raise HTTPException(401, "The session has expired or was ended; sign in again.")
    if request.method not in SAFE_METHODS and not csrf_matches(
        session.csrf_token, await csrf_given(request)
    ):
        raise HTTPException(
            403,
            f"A change from a signed-in browser must repeat the session's CSRF token in "
            f"the {CSRF_HEADER} header; reload the page and try again.",
        )
    user = session.user
    return TokenInfo(user.id, f"user {user.name}", SCOPE_OF_ROLE[user.role])


def require(scope: Scope) -> Callable[..., Awaitable[TokenInfo]]:
    """A dependency that lets a request through only with a token (or session) of ``scope``."""

    async def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        ctx: Annotated[Context, Depends(context)],
    ) -> TokenInfo:
        challenge = {"WWW-Authenticate": "Bearer"}
        signed_in = None if credentials is not None else await _session_token(request, ctx)
        if signed_in is not None:
            if not allows(signed_in.scope, scope):
                raise HTTPException(
                    403,
                    f"Your role allows '{signed_in.scope}'; this needs '{scope}'. "
                    "Ask an admin for another role.",
                )
            remember_actor(request, signed_in.name)
            return signed_in
        if credentials is None:
            raise HTTPException(
                401,
                "This endpoint needs an API token: 'Authorization: Bearer hp_…'. "
                "Create one with 'horchposten token create'.",
                challenge,
            )
        with ctx.database.begin() as conn:
            token = find_token(conn, credentials.credentials)
        if token is None:
            raise HTTPException(401, "The API token is not valid (unknown or revoked).", challenge)
        if not allows(token.scope, scope):
            raise HTTPException(
                403,
                f"The token '{token.name}' has the scope '{token.scope}'; "
                f"this needs '{scope}'. Create a token with --scope {scope}.",
            )
        remember_actor(request, f"token {token.name}")
        return token

    return check


CONN = Depends(connection)
CTX = Depends(context)
READ = Depends(require("read"))
WRITE = Depends(require("write"))
