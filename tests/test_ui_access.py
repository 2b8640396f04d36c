"""Every UI route, present and future, is behind the sign-in: found by walking the app's routes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from horchposten.config import Settings
from horchposten.store.database import open_database
from horchposten.store.sessions import find_session, start_session
from horchposten.store.users import get_user
from horchposten.web.app import create_app
from horchposten.web.session_auth import SESSION_COOKIE
from ui_server import UiServer

PUBLIC = {"/signin", "/locale", "/favicon.ico"}  # the icon: browsers ask for it anywhere


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        # FastAPI 0.165 wraps included routers; their prefix is on the include context.
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from _walk(included.routes, prefix + getattr(context, "prefix", ""))


def _ui_routes() -> list[tuple[str, str]]:
    database = open_database("sqlite:///:memory:", migrate=False)
    try:
        app = create_app(database, Settings())
    finally:
        database.close()
    found = []
    for full_path, route in _walk(app.routes):
        if full_path.startswith("/api/") or full_path in PUBLIC:
            continue
        path = re.sub(r"\{[^}]+\}", "1", full_path)
        found += [(method, path) for method in sorted(route.methods)]
    return found


ROUTES = _ui_routes()


def test_the_walk_finds_the_shell_routes() -> None:
    assert ("GET", "/settings") in ROUTES and ("POST", "/sources/1/pause") in ROUTES


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_without_a_session_every_ui_route_leads_to_sign_in(
    ui_server: UiServer, method: str, path: str
) -> None:
    answer = httpx.request(method, ui_server.url(path), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith("/signin?next=")
    htmx = httpx.request(
        method, ui_server.url(path), headers={"HX-Request": "true"}, follow_redirects=False
    )
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/signin")


# POST routes a viewer may use; every other change needs a higher role. Add to this set
# only for actions that change nothing shared (one's own language, signing out, previews).
VIEWER_MAY_POST = {"/signout", "/settings/language"}


@pytest.mark.parametrize(
    "path", [path for method, path in ROUTES if method == "POST" and path not in VIEWER_MAY_POST]
)
def test_a_viewer_may_not_change_anything(ui_server: UiServer, path: str) -> None:
    with ui_server.database.begin() as conn:
        secret = start_session(conn, get_user(conn, "viewer"))
        session = find_session(conn, secret)
    assert session is not None
    answer = httpx.post(
        ui_server.url(path),
        cookies={SESSION_COOKIE: secret},
        headers={"X-CSRF-Token": session.csrf_token},
        follow_redirects=False,
    )
    assert answer.status_code == 403, answer.text
