"""Who may see a page or do an action: the one dependency every UI route uses.

``require_role("viewer")`` (or responder, analyst, admin) lets a request through
only for a signed-in user of at least that role, checks the CSRF token of every
request that changes something, and hands the route a ``Page``: the user, their
language, the workspace's time zone and ``page.gettext`` for messages.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from babel.support import Translations
from fastapi import Depends, Request

from horchposten.store.sessions import Session
from horchposten.store.users import Role, User, role_at_least
from horchposten.web.audit_trail import remember_actor
from horchposten.web.deps import CTX, Context
from horchposten.web.session_auth import (
    SAFE_METHODS,
    csrf_given,
    csrf_matches,
    session_of,
)
from horchposten.web.ui.i18n import LOCALE_COOKIE, choose_locale, translations

# Before sign-in there is no session: the sign-in and language forms carry a random
# token that must equal this cookie's (double submit), so no other site can post them.
SIGNIN_COOKIE = "hp_signin"


class SignInRequired(Exception):
    """No live session: the browser is sent to the sign-in page."""


class Refused(Exception):
    """Signed in, but the role or the CSRF token does not allow this request (403)."""

    def __init__(self, page: Page, reason: str) -> None:
        super().__init__(reason)
        self.page = page
        self.reason = reason


@dataclass(frozen=True)
class Page:
    """What a UI route knows about the request it answers."""

    request: Request
    user: User | None
    csrf_token: str
    locale: str
    zone: ZoneInfo

    @property
    def translations(self) -> Translations:
        return translations(self.locale)

    def gettext(self, message: str, **values: Any) -> str:
        """The message in the page's language, with ``%(name)s`` placeholders filled."""
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": n, **values}

    @property
    def me(self) -> User:
        """The signed-in user (pages behind ``require_role`` always have one)."""
        if self.user is None:
            raise SignInRequired()
        return self.user

    def can(self, role: Role) -> bool:
        return self.user is not None and role_at_least(self.user.role, role)


def page_for(request: Request, ctx: Context, session: Session | None) -> Page:
    """A ``Page`` for a signed-in user (``session``) or, with None, for a visitor."""
    user = session.user if session else None
    locale = choose_locale(
        user.locale if user else None,
        request.cookies.get(LOCALE_COOKIE),
        request.headers.get("accept-language"),
    )
    token = session.csrf_token if session else request.cookies.get(SIGNIN_COOKIE)
    return Page(request, user, token or secrets.token_urlsafe(32), locale, ctx.zone)


async def check_csrf(page: Page) -> bool:
    """True when a changing request repeats the page's CSRF token (safe methods need none)."""
    request = page.request
    if request.method in SAFE_METHODS:
        return True
    return csrf_matches(page.csrf_token, await csrf_given(request))


def require_role(role: Role) -> Callable[..., Awaitable[Page]]:
    """The dependency of every UI page and action: signed in, at least ``role``, CSRF checked."""

    async def dependency(request: Request, ctx: Context = CTX) -> Page:
        with ctx.database.begin() as conn:
            session = session_of(request, conn)
        if session is None:
            raise SignInRequired()
        page = page_for(request, ctx, session)
        remember_actor(request, f"user {session.user.name}")
        if not role_at_least(session.user.role, role):
            raise Refused(page, page.gettext("Your role may not open this page or do this."))
        if not await check_csrf(page):
            raise Refused(
                page, page.gettext("The form has expired. Reload the page and try again.")
            )
        return page

    return dependency


VIEWER = Depends(require_role("viewer"))
RESPONDER = Depends(require_role("responder"))
ANALYST = Depends(require_role("analyst"))
ADMIN = Depends(require_role("admin"))
