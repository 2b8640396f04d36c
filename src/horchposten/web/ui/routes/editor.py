"""The query editor: live feedback while typing (positioned errors with the suggested fix,
matching stored posts, estimated daily volume), and saving the topic (analysts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from horchposten.web.ui.auth import ANALYST, VIEWER, Page
from horchposten.web.ui.routes.apicall import Answer, call, timed
from horchposten.web.ui.routes.dashboards import missing, topics
from horchposten.web.ui.routes.querytext import explained, localized
from horchposten.web.ui.templating import render

router = APIRouter(include_in_schema=False)
PREVIEW_DAYS = 30
LANGS = ("de", "en")


def _fields(form: Any) -> dict[str, Any]:
    """The editor's fields from a submitted form or (for feedback) the query string."""
    return {
        "name": str(form.get("name", "")).strip(),
        "original": str(form.get("original", "")),
        "query": str(form.get("query", "")),
        "langs": [str(v) for v in form.getlist("langs") if v in LANGS],
        "sources": [s for s in str(form.get("sources", "")).replace(",", " ").split() if s],
        "own_accounts": str(form.get("own_accounts", "")).replace(",", " ").split(),
    }


def _marked(query: str, error: dict[str, Any]) -> dict[str, str]:
    """The error's line split around its column, so the template can mark the spot."""
    lines = query.split("\n")
    line = lines[min(max(error["line"], 1), len(lines)) - 1]
    at = max(error["column"] - 1, 0)
    return {"before": line[:at], "at": line[at : at + 1] or " ", "after": line[at + 1 :]}


def _editor(topic: dict[str, Any] | None) -> dict[str, Any]:
    values = topic or {"name": "", "query": "", "langs": [], "sources": [], "own_accounts": []}
    # The topic's id: the API path to change it (a name may hold '/').
    return {"topic": values, "original": str(topic["id"]) if topic else "", "marked": None}


@router.get("/query")
async def new_topic(page: Page = VIEWER) -> Response:
    return render(page, "pages/query.html", **_editor(None))


@router.get("/topics/{topic_id:int}/edit")
async def edit_topic(topic_id: int, page: Page = VIEWER) -> Response:
    topic = next((t for t in await topics(page) if t["id"] == topic_id), None)
    if topic is None:
        return missing(page, topic_id)
    return render(page, "pages/query.html", **_editor(topic))


@router.get("/query/feedback")
async def feedback(page: Page = VIEWER) -> Response:
    """The check and preview of the query as typed so far (htmx, debounced); a GET, as it
    changes nothing."""
    form = _fields(page.request.query_params)
    if not form["query"].strip():
        return render(page, "pages/_query_feedback.html", empty=True)
    body = {
        "query": form["query"],
        "langs": form["langs"],
        "sources": form["sources"],
        "days": PREVIEW_DAYS,
        "limit": 5,
    }
    answer = await call(page.request, "POST", "/query/preview", json=body, csrf=page.csrf_token)
    return render(page, "pages/_query_feedback.html", **_feedback(page, form["query"], answer))


def _feedback(page: Page, query: str, answer: Answer) -> dict[str, Any]:
    if not answer.ok:
        return {"failure": answer.message}
    found: dict[str, Any] = answer.body
    marked = _marked(query, found["error"]) if found["error"] else None
    if found["error"]:
        found["error"] = localized(page, found["error"])
    found["warnings"] = [localized(page, w) for w in found["warning_details"]]
    newest = [timed(entry) for entry in found["newest"]]
    return {"preview": found, "newest": newest, "marked": marked, "days": PREVIEW_DAYS}


@router.post("/query/save")
async def save(page: Page = ANALYST) -> Response:
    """Create or change the topic through the API; its answer decides what the user sees."""
    form = _fields(await page.request.form())
    body = {k: form[k] for k in ("name", "query", "langs", "sources", "own_accounts")}
    if form["original"]:
        path = "/topics/" + quote(form["original"], safe="")
        answer = await call(page.request, "PATCH", path, json=body, csrf=page.csrf_token)
    else:
        answer = await call(page.request, "POST", "/topics", json=body, csrf=page.csrf_token)
    if answer.ok:
        return RedirectResponse(f"/topics/{answer.body['id']}", status_code=303)
    if answer.status == 409:
        return await _name_taken(page, body, form["original"])
    details = answer.body["error"]["details"] if isinstance(answer.body, dict) else []
    marked = _marked(form["query"], details[0]) if details and "column" in details[0] else None
    return render(
        page,
        "pages/query.html",
        status_code=answer.status,
        topic=body,
        original=form["original"],
        marked=marked,
        save_error=explained(page, answer),
    )


async def _name_taken(page: Page, body: dict[str, Any], original: str) -> Response:
    """The name belongs to another topic: say so in the page's language and link to that
    topic's editor (the API's message names a CLI command, no help in a browser)."""
    existing = next((t for t in await topics(page) if t["name"] == body["name"]), None)
    message = page.gettext(
        "A topic named “%(name)s” already exists. Choose another name, or edit that topic.",
        name=body["name"],
    )
    return render(
        page,
        "pages/query.html",
        status_code=409,
        topic=body,
        original=original,
        marked=None,
        save_error=message,
        existing=existing,
    )
