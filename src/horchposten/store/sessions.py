"""Web UI sessions and the sign-in rate limit, both kept in the database.

A session's cookie holds a random secret; the database keeps only its SHA-256
digest, the user and a CSRF token. Sessions live in the database (not in signed
cookies) so signing out, removing a user or changing a role takes effect at
once, in every server worker, and no signing key has to be guarded.

Failed sign-ins are rows keyed by user name and by client address; a key with
too many failures within the window is refused until the oldest ages out. An
attempt is counted as a failure before its password is checked, under a lock,
and forgiven when the password is right: checking after counting let 50
parallel guesses through the limit of 5 (each saw the count before the others
had recorded theirs).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, select, text

from horchposten.store.schema import login_failures, sessions, signin_tokens
from horchposten.store.users import User, user_by_id

SESSION_LIFETIME = timedelta(days=14)
SIGNIN_TOKEN_LIFETIME = timedelta(hours=2)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(conn: Connection, user: User) -> str:
    """A new session for ``user``; returns the secret for the cookie (stored only hashed)."""
    secret = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(delete(sessions).where(sessions.c.expires_at < now))
    conn.execute(
        sessions.insert().values(
            digest=_digest(secret),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    return secret


def find_session(conn: Connection, secret: str) -> Session | None:
    """The live session with this cookie secret, or None."""
    row = conn.execute(select(sessions).where(sessions.c.digest == _digest(secret))).first()
    if row is None or row.expires_at <= datetime.now(UTC):
        return None
    user = user_by_id(conn, int(row.user_id))
    return None if user is None else Session(user, row.csrf_token, row.expires_at)


def end_session(conn: Connection, secret: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.digest == _digest(secret)))


def end_sessions_of(conn: Connection, user_id: int) -> None:
    """Sign a user out everywhere (after a password change)."""
    conn.execute(delete(sessions).where(sessions.c.user_id == user_id))


def issue_signin_token(conn: Connection) -> str:
    """A token for the sign-in form (and its cookie); the database keeps its digest."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(delete(signin_tokens).where(signin_tokens.c.expires_at < now))
    values = {"digest": _digest(token), "expires_at": now + SIGNIN_TOKEN_LIFETIME}
    conn.execute(signin_tokens.insert().values(**values))
    return token


def signin_token_issued(conn: Connection, token: str) -> bool:
    """Whether this server issued ``token`` and it has not expired or been used."""
    row = conn.execute(
        select(signin_tokens.c.expires_at).where(signin_tokens.c.digest == _digest(token))
    ).first()
    return row is not None and row.expires_at > datetime.now(UTC)


def use_signin_token(conn: Connection, token: str) -> None:
    """A successful sign-in ends its form token."""
    conn.execute(delete(signin_tokens).where(signin_tokens.c.digest == _digest(token)))


def _keys(name: str, address: str) -> dict[str, int]:
    return {
        f"name:{name.strip().lower()}": MAX_FAILURES_PER_NAME,
        f"address:{address}": MAX_FAILURES_PER_ADDRESS,
    }


def retry_after(conn: Connection, name: str, address: str, now: datetime | None = None) -> int:
    """Seconds until a sign-in for ``name`` from ``address`` may be tried; 0 when it may now."""
    now = now or datetime.now(UTC)
    since = now - FAILURE_WINDOW
    wait = 0
    for key, limit in _keys(name, address).items():
        recent = select(login_failures.c.at).where(
            login_failures.c.key == key, login_failures.c.at > since
        )
        count = conn.execute(select(func.count()).select_from(recent.subquery())).scalar_one()
        if count < limit:
            continue
        # Refused until enough failures age out that one more try stays within the limit.
        times = conn.execute(recent.order_by(login_failures.c.at.desc())).scalars().all()
        freed_at = times[limit - 1] + FAILURE_WINDOW
        wait = max(wait, int((freed_at - now).total_seconds()) + 1)
    return wait


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt as counted: ``wait`` seconds before one may be tried (0: this
    one is counted and its password may be checked); ``ids`` are its failure rows."""

    wait: int
    ids: tuple[int, ...] = ()


# Any number the other advisory locks of the workspace database do not use.
_SIGNIN_LOCK = 0x6870_7369_676E


def count_attempt(conn: Connection, name: str, address: str) -> Attempt:
    """Count an attempt as a failure before checking its password, unless the limit is
    reached; one at a time, so parallel attempts cannot all see the same count.

    Call it in a transaction of its own, committed before the password is checked.
    """
    now = datetime.now(UTC)
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SIGNIN_LOCK})
    # On SQLite this first write takes the database's write lock until commit.
    conn.execute(delete(login_failures).where(login_failures.c.at < now - FAILURE_WINDOW))
    wait = retry_after(conn, name, address, now)
    if wait:
        return Attempt(wait)
    insert = login_failures.insert().returning(login_failures.c.id)
    ids = [
        int(conn.execute(insert.values(key=key, at=now)).scalar_one())
        for key in _keys(name, address)
    ]
    return Attempt(0, tuple(ids))


def forgive_attempt(conn: Connection, name: str, attempt: Attempt) -> None:
    """The password was right: forget the name's failures and this attempt's count."""
    clear_failures(conn, name)
    conn.execute(delete(login_failures).where(login_failures.c.id.in_(attempt.ids)))


def clear_failures(conn: Connection, name: str) -> None:
    """A successful sign-in forgets the name's failures (the address keeps its count)."""
    key = next(iter(_keys(name, "")))
    conn.execute(delete(login_failures).where(login_failures.c.key == key))
