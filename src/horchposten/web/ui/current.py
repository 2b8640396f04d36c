"""The page being rendered, for template helpers that templates import without context.

``{% from "partials/macros.html" import … %}`` gives macros no template context, so
``_()`` and the locale filters find the page here; ``templating.render`` sets it
around each rendering (a context variable: separate per thread and task).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from horchposten.web.ui.auth import Page

rendering: ContextVar[Page] = ContextVar("rendering")


def page() -> Page:
    return rendering.get()
