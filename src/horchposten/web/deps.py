"""What endpoints receive: the workspace's database connection, settings and the caller's token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.tokens import Scope, TokenInfo, allows, find_token

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
        return ZoneInfo(self.settings.workspace.timezone)


def context(request: Request) -> Context:
    found: Context = request.app.state.horchposten
    return found


def connection(ctx: Annotated[Context, Depends(context)]) -> Iterator[Connection]:
    """One transaction per request, committed when the endpoint returns without error."""
    with ctx.database.begin() as conn:
        yield conn


def require(scope: Scope) -> Callable[..., TokenInfo]:
    """A dependency that lets a request through only with a token of at least ``scope``."""

    def check(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        ctx: Annotated[Context, Depends(context)],
    ) -> TokenInfo:
        challenge = {"WWW-Authenticate": "Bearer"}
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
        return token

    return check


CONN = Depends(connection)
CTX = Depends(context)
READ = Depends(require("read"))
WRITE = Depends(require("write"))
