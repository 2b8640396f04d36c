"""Rendering this package's templates (until the shell's renderer is merged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)
