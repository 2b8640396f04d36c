"""The demo's admin: user ``demo`` with a fresh random password on every ``horchposten demo``."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, select

from horchposten.store.schema import users
from horchposten.store.users import add_user, set_password, set_role

DEMO_USER = "demo"


def reset_demo_admin(conn: Connection) -> tuple[str, str]:
    """Create (or re-key) the demo admin; returns its name and new password to print once."""
    password = secrets.token_urlsafe(12)
    if conn.execute(select(users.c.id).where(users.c.name == DEMO_USER)).first() is None:
        add_user(conn, DEMO_USER, password, "admin")
    else:
        set_role(conn, DEMO_USER, "admin")
        set_password(conn, DEMO_USER, password)
    return DEMO_USER, password
