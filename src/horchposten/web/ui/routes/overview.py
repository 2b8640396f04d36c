"""``/``: a placeholder overview; the workspace overview page replaces this module."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from horchposten.web.ui.auth import VIEWER, Page
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(page: Page = VIEWER) -> Response:
    return render(page, "pages/overview.html")
