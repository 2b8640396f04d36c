"""Users of the web UI: names, roles, argon2 password hashes and the UI language.

Roles are ordered: ``viewer`` < ``responder`` < ``analyst`` < ``admin``; a role may
do everything a lower one may. The REST API sees a signed-in user as a token of
the scope ``SCOPE_OF_ROLE`` gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, delete, func, select, update

from horchposten.errors import AlreadyExists, InputError, NotFound
from horchposten.store.schema import users
from horchposten.store.tokens import Scope

Role = Literal["viewer", "responder", "analyst", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "responder", "analyst", "admin")
SCOPE_OF_ROLE: dict[str, Scope] = {
    "viewer": "read",
    "responder": "read",
    "analyst": "write",
    "admin": "admin",
}
LOCALES = ("de", "en")
MIN_PASSWORD = 10

# argon2-cffi's defaults follow RFC 9106's second recommendation (argon2id, 64 MiB).
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    locale: str | None
    created_at: datetime
    last_login_at: datetime | None


def role_at_least(held: str, needed: Role) -> bool:
    return held in ROLES and ROLES.index(held) >= ROLES.index(needed)


def _check_role(role: str) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise InputError(f"There is no role '{role}'. Roles: {', '.join(ROLES)}.")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"The password has {len(password)} characters; it needs at least {MIN_PASSWORD}."
        )


def _user(row: Row[Any]) -> User:
    return User(
        int(row.id), row.name, _check_role(row.role), row.locale, row.created_at, row.last_login_at
    )


def add_user(conn: Connection, name: str, password: str, role: str) -> User:
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError("A user name needs 1 to 100 characters.")
    checked = _check_role(role)
    _check_password(password)
    if conn.execute(select(users.c.id).where(users.c.name == name)).first():
        raise AlreadyExists(
            f"A user named '{name}' already exists. Pick another name, or change the "
            f"password with 'horchposten user passwd {name}'."
        )
    now = datetime.now(UTC)
    user_id = conn.execute(
        users.insert()
        .values(name=name, password_hash=_hasher.hash(password), role=checked, created_at=now)
        .returning(users.c.id)
    ).scalar_one()
    return User(int(user_id), name, checked, None, now, None)


def list_users(conn: Connection) -> list[User]:
    return [_user(row) for row in conn.execute(select(users).order_by(users.c.name))]


def get_user(conn: Connection, name: str) -> User:
    row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        raise NotFound(f"There is no user named '{name}'. List them with 'horchposten user list'.")
    return _user(row)


def user_by_id(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def _admins(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).where(users.c.role == "admin")).scalar_one())


def remove_user(conn: Connection, name: str) -> None:
    """Delete a user and their sessions; the last admin cannot be removed."""
    user = get_user(conn, name)
    if user.role == "admin" and _admins(conn) == 1:
        raise InputError(f"'{name}' is the last admin; make another user admin first.")
    conn.execute(delete(users).where(users.c.id == user.id))


def set_role(conn: Connection, name: str, role: str) -> None:
    user = get_user(conn, name)
    checked = _check_role(role)
    if user.role == "admin" and checked != "admin" and _admins(conn) == 1:
        raise InputError(f"'{name}' is the last admin; make another user admin first.")
    conn.execute(update(users).where(users.c.id == user.id).values(role=checked))


def set_password(conn: Connection, name: str, password: str) -> None:
    user = get_user(conn, name)
    _check_password(password)
    conn.execute(
        update(users).where(users.c.id == user.id).values(password_hash=_hasher.hash(password))
    )


def set_locale(conn: Connection, user_id: int, locale: str | None) -> None:
    if locale is not None and locale not in LOCALES:
        raise InputError(f"There is no UI language '{locale}'. Languages: {', '.join(LOCALES)}.")
    conn.execute(update(users).where(users.c.id == user_id).values(locale=locale))


def verify_password(conn: Connection, name: str, password: str) -> User | None:
    """The user when the password is right, else None; re-hashes outdated parameters."""
    row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        # Hash anyway, so a wrong name takes as long as a wrong password.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    values: dict[str, object] = {"last_login_at": datetime.now(UTC)}
    if _hasher.check_needs_rehash(row.password_hash):
        values["password_hash"] = _hasher.hash(password)
    conn.execute(update(users).where(users.c.id == row.id).values(values))
    return _user(row)
