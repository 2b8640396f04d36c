"""``/settings``: one's own UI language for everyone; users, API tokens and workspace for admins.

Changes redirect back to the page with a notice (so reloading does not repeat
them), except a new API token, whose secret is shown once on the answer itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection

from horchposten.errors import AlreadyExists, HorchpostenError, InputError
from horchposten.store.sessions import end_sessions_of
from horchposten.store.tokens import SCOPES, create_token, list_tokens, revoke_token
from horchposten.store.users import (
    MIN_PASSWORD,
    ROLES,
    add_user,
    get_user,
    list_users,
    remove_user,
    set_locale,
    set_password,
    set_role,
)
from horchposten.store.workspace_settings import (
    effective,
    pseudonymise_authors,
    set_pseudonymise_authors,
    set_retention,
    set_timezone,
)
from horchposten.web.deps import CTX, Context
from horchposten.web.ui.auth import ADMIN, VIEWER, Page
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)
ZONES = sorted(available_timezones())


def _notices(page: Page) -> dict[str, str]:
    return {
        "language": page.gettext("Your language is saved."),
        "user-added": page.gettext("The user was added."),
        "user-changed": page.gettext("The role was changed."),
        "user-removed": page.gettext("The user was removed."),
        "password": page.gettext("The password was changed; their sessions were ended."),
        "token-revoked": page.gettext("The token was revoked."),
        "workspace": page.gettext("The workspace settings are saved."),
    }


def _page(
    page: Page, ctx: Context, status: int = 200, notice: str | None = None, **values: Any
) -> Response:
    admin: dict[str, Any] = {}
    with ctx.database.begin() as conn:
        if page.can("admin"):
            admin = {
                "users": list_users(conn),
                "tokens": list_tokens(conn),
                "workspace": effective(conn, ctx.settings.workspace.timezone),
                "pseudonymise_authors": pseudonymise_authors(conn),
            }
    return render(
        page,
        "settings/page.html",
        status_code=status,
        notice=_notices(page).get(notice or ""),
        roles=ROLES,
        scopes=SCOPES,
        zones=ZONES,
        **admin,
        **values,
    )


def _done(notice: str, anchor: str) -> Response:
    return RedirectResponse(f"/settings?notice={notice}#{anchor}", status_code=303)


@router.get("/settings")
def settings_page(page: Page = VIEWER, ctx: Context = CTX, notice: str | None = None) -> Response:
    return _page(page, ctx, notice=notice)


@router.post("/settings/language")
def save_language(
    locale: Annotated[str, Form()], page: Page = VIEWER, ctx: Context = CTX
) -> Response:
    """'' follows the browser; 'de' or 'en' fixes the language for this user."""
    with ctx.database.begin() as conn:
        set_locale(conn, page.me.id, locale or None)
    response = _done("language", "language")
    response.delete_cookie("hp_lang", path="/")
    return response


def _attempt(
    page: Page,
    ctx: Context,
    anchor: str,
    change: Callable[[Connection], object],
    messages: Mapping[type[HorchpostenError], str] | None = None,
) -> Response | None:
    """Run ``change(conn)``; on our error, the settings page with its message (422).

    ``messages`` gives the translated text for the errors this change can expect.
    """
    try:
        with ctx.database.begin() as conn:
            change(conn)
    except HorchpostenError as exc:
        message = next(
            (text for kind, text in (messages or {}).items() if isinstance(exc, kind)), str(exc)
        )
        return _page(page, ctx, 422, error=message, error_at=anchor)
    return None


def _last_admin(page: Page) -> dict[type[HorchpostenError], str]:
    return {InputError: page.gettext("This is the last admin; make another user admin first.")}


def _short_password(page: Page) -> str:
    return page.gettext("The password needs at least %(count)d characters.", count=MIN_PASSWORD)


@router.post("/settings/users")
def add(
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()],
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    entered = {"name": name, "role": role}
    if len(password) < MIN_PASSWORD:
        return _page(page, ctx, 422, error=_short_password(page), error_at="users", entered=entered)
    messages = {
        AlreadyExists: page.gettext("A user named '%(name)s' already exists.", name=name),
        InputError: page.gettext("Give a name of 1 to 100 characters and one of the roles."),
    }
    failed = _attempt(
        page, ctx, "users", lambda conn: add_user(conn, name, password, role), messages
    )
    return failed or _done("user-added", "users")


@router.post("/settings/users/{name}/role")
def change_role(
    name: str, role: Annotated[str, Form()], page: Page = ADMIN, ctx: Context = CTX
) -> Response:
    failed = _attempt(
        page, ctx, "users", lambda conn: set_role(conn, name, role), _last_admin(page)
    )
    return failed or _done("user-changed", "users")


@router.post("/settings/users/{name}/password")
def change_password(
    name: str,
    password: Annotated[str, Form()],
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    if len(password) < MIN_PASSWORD:
        return _page(page, ctx, 422, error=_short_password(page), error_at="users")

    def change(conn: Connection) -> None:
        set_password(conn, name, password)
        end_sessions_of(conn, get_user(conn, name).id)

    return _attempt(page, ctx, "users", change) or _done("password", "users")


@router.post("/settings/users/{name}/remove")
def remove(name: str, page: Page = ADMIN, ctx: Context = CTX) -> Response:
    if page.me.name == name:
        message = page.gettext("You cannot remove yourself; ask another admin.")
        return _page(page, ctx, 422, error=message, error_at="users")
    failed = _attempt(page, ctx, "users", lambda conn: remove_user(conn, name), _last_admin(page))
    return failed or _done("user-removed", "users")


@router.post("/settings/tokens")
def new_token(
    name: Annotated[str, Form()],
    scope: Annotated[str, Form()],
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    created: list[str] = []
    if not name.strip():
        message = page.gettext("Give the token a name that says who uses it.")
        return _page(page, ctx, 422, error=message, error_at="tokens")
    failed = _attempt(
        page, ctx, "tokens", lambda conn: created.append(create_token(conn, name.strip(), scope)[0])
    )
    return failed or _page(page, ctx, new_secret=created[0], new_token_name=name)


@router.post("/settings/tokens/{token_id}/revoke")
def revoke(token_id: int, page: Page = ADMIN, ctx: Context = CTX) -> Response:
    failed = _attempt(page, ctx, "tokens", lambda conn: revoke_token(conn, token_id))
    return failed or _done("token-revoked", "tokens")


@router.post("/settings/workspace")
def save_workspace(
    timezone: Annotated[str, Form()],
    retention_days: Annotated[str, Form()] = "",
    pseudonymise_authors: Annotated[str, Form()] = "",
    page: Page = ADMIN,
    ctx: Context = CTX,
) -> Response:
    days = retention_days.strip()
    if timezone.strip() not in ZONES or (days and not (days.isdigit() and 0 < int(days) <= 36_500)):
        message = page.gettext(
            "Choose a time zone from the list, and give the retention as 1 to 36500 days "
            "or leave it empty."
        )
        return _page(page, ctx, 422, error=message, error_at="workspace")

    def change(conn: Connection) -> None:
        set_timezone(conn, timezone.strip())
        set_retention(conn, int(days) if days else None)
        set_pseudonymise_authors(conn, pseudonymise_authors == "on")

    return _attempt(page, ctx, "workspace", change) or _done("workspace", "workspace")
