"""API tokens: created once and shown once; only a SHA-256 digest is stored.

Scopes are ordered: ``read`` < ``write`` < ``admin``; a token allows its own
scope and every lower one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Connection, delete, select, update

from horchposten.errors import InputError, NotFound
from horchposten.store.schema import api_tokens

Scope = Literal["read", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "write", "admin")
PREFIX = "hp_"


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    scope: Scope


@dataclass(frozen=True)
class TokenListing:
    id: int
    name: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def allows(held: str, needed: Scope) -> bool:
    return held in SCOPES and SCOPES.index(held) >= SCOPES.index(needed)


def create_token(conn: Connection, name: str, scope: str) -> tuple[str, TokenInfo]:
    """A new token: its secret (to show once) and what is stored about it."""
    if scope not in SCOPES:
        raise InputError(f"There is no scope '{scope}'. Scopes: {', '.join(SCOPES)}.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token_id = conn.execute(
        api_tokens.insert()
        .values(name=name, digest=digest(secret), scope=scope, created_at=datetime.now(UTC))
        .returning(api_tokens.c.id)
    ).scalar_one()
    return secret, TokenInfo(int(token_id), name, scope)


def find_token(conn: Connection, secret: str) -> TokenInfo | None:
    """The token with this secret, or None; notes when it was last used."""
    row = conn.execute(
        select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.scope).where(
            api_tokens.c.digest == digest(secret)
        )
    ).first()
    if row is None:
        return None
    conn.execute(
        update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=datetime.now(UTC))
    )
    return TokenInfo(int(row.id), row.name, row.scope)


def list_tokens(conn: Connection) -> list[TokenListing]:
    """Every token without its secret (which is not stored), newest first."""
    rows = conn.execute(
        select(
            api_tokens.c.id,
            api_tokens.c.name,
            api_tokens.c.scope,
            api_tokens.c.created_at,
            api_tokens.c.last_used_at,
        ).order_by(api_tokens.c.created_at.desc(), api_tokens.c.id.desc())
    )
    return [TokenListing(int(r.id), r.name, r.scope, r.created_at, r.last_used_at) for r in rows]


def revoke_token(conn: Connection, token_id: int) -> None:
    """Delete a token; requests with its secret get 401 from now on."""
    if conn.execute(delete(api_tokens).where(api_tokens.c.id == token_id)).rowcount == 0:
        raise NotFound(f"There is no API token with the id {token_id}; it may be revoked already.")
