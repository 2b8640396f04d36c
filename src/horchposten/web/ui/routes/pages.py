"""The analysis pages: ``/`` (overview), ``/topics/…`` (dashboard), ``/mentions``
(explorer and threads), ``/query`` (the query editor).

They read everything through ``/api/v1`` like any other client: charts in the
browser with ``fetch`` (static/js/pages/), server-rendered fragments through
``apicall`` with the signed-in user's own session.
"""

from __future__ import annotations

from fastapi import APIRouter

from horchposten.web.ui.routes import dashboards, editor, mentions

router = APIRouter(include_in_schema=False)
router.include_router(dashboards.router)
router.include_router(mentions.router)
router.include_router(editor.router)
