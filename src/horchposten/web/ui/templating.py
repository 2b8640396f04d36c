"""Jinja2 for the UI: one environment, i18n, locale filters, and ``render``.

Templates live in ``templates/`` (``base.html`` is the layout; pages extend it).
Every template gets ``page``, ``user``, ``locale``, ``zone``, ``csrf_token``,
``_``/``gettext``/``ngettext`` in the page's language, ``static(path)`` and the
filters of ``formatting.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse

from horchposten import __version__
from horchposten.web.session_auth import CSRF_FIELD, CSRF_HEADER
from horchposten.web.ui import current
from horchposten.web.ui.auth import Page
from horchposten.web.ui.formatting import FILTERS
from horchposten.web.ui.i18n import LOCALES

TEMPLATES = Path(__file__).parent / "templates"


def static(path: str) -> str:
    """URL of a file under ``static/``; the version busts browser caches after an upgrade."""
    return f"/static/{path}?v={__version__}"


def _format(text: str, values: dict[str, Any]) -> Markup:
    # As Jinja's "newstyle" gettext: the translation is markup-safe, the values escaped.
    return Markup(text) % values if values else Markup(text)


def _gettext(message: str, **values: Any) -> Markup:
    return _format(current.page().translations.gettext(message), values)


def _ngettext(singular: str, plural: str, n: int, **values: Any) -> Markup:
    text = current.page().translations.ngettext(singular, plural, n)
    return _format(text, {"num": n, **values})


def csrf_field() -> Markup:
    """The hidden form field with the page's CSRF token (works in imported macros too)."""
    token = current.page().csrf_token
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        static=static,
        csrf_field=csrf_field,
        LOCALES=LOCALES,
        CSRF_FIELD=CSRF_FIELD,
        CSRF_HEADER=CSRF_HEADER,
    )
    env.filters.update(FILTERS)
    return env


ENVIRONMENT = _environment()


def render(
    page: Page,
    template: str,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **values: Any,
) -> HTMLResponse:
    """The template rendered for ``page`` as an HTML response."""
    context = {
        "request": page.request,
        "page": page,
        "user": page.user,
        "locale": page.locale,
        "zone": page.zone,
        "csrf_token": page.csrf_token,
        **values,
    }
    token = current.rendering.set(page)
    try:
        html = ENVIRONMENT.get_template(template).render(context)
    finally:
        current.rendering.reset(token)
    return HTMLResponse(html, status_code=status_code, headers=headers)
