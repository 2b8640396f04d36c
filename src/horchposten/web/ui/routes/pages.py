"""The analysis pages: ``/`` (overview), ``/topics/…``, ``/mentions``, ``/query``.

Owned by the pages work: this module's ``router`` is mounted by ``ui.install``;
it may include further routers (``router.include_router(topics.router)``).
For now ``/`` is a placeholder overview.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from horchposten.web.ui.auth import VIEWER, Page
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(page: Page = VIEWER) -> Response:
    return render(page, "pages/overview.html")
