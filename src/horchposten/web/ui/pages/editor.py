"""The query editor: live feedback while typing (positioned errors with the suggested fix,
matching stored posts, estimated daily volume), and saving the topic."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from horchposten.web.ui.pages.apicall import Answer, call
from horchposten.web.ui.pages.dashboards import topics
from horchposten.web.ui.pages.render import render

router = APIRouter()
PREVIEW_DAYS = 30
LANGS = ("de", "en")


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {
        "name": str(form.get("name", "")).strip(),
        "original": str(form.get("original", "")),
        "query": str(form.get("query", "")),
        "langs": [str(v) for v in form.getlist("langs") if v in LANGS],
        "sources": [s for s in str(form.get("sources", "")).replace(",", " ").split() if s],
        "csrf": str(form.get("csrf_token", "")) or request.headers.get("X-CSRF-Token", ""),
    }


def _marked(query: str, error: dict[str, Any]) -> dict[str, str]:
    """The error's line split around its column, so the template can mark the spot."""
    lines = query.split("\n")
    line = lines[min(error["line"], len(lines)) - 1] if lines else ""
    at = max(error["column"] - 1, 0)
    return {"before": line[:at], "at": line[at : at + 1] or " ", "after": line[at + 1 :]}


def _editor(topic: dict[str, Any] | None) -> dict[str, Any]:
    values = topic or {"name": "", "query": "", "langs": [], "sources": []}
    return {"topic": values, "original": topic["name"] if topic else "", "langs": LANGS}


@router.get("/query", response_class=HTMLResponse, include_in_schema=False)
async def new_topic(request: Request) -> HTMLResponse:
    return render(request, "pages/query.html", _editor(None))


@router.get("/topics/{topic_id:int}/edit", response_class=HTMLResponse, include_in_schema=False)
async def edit_topic(request: Request, topic_id: int) -> HTMLResponse:
    topic = next((t for t in await topics(request) if t["id"] == topic_id), None)
    if topic is None:
        return render(request, "pages/missing.html", {"topic_id": topic_id}, status=404)
    return render(request, "pages/query.html", _editor(topic))


@router.post("/query/feedback", response_class=HTMLResponse, include_in_schema=False)
async def feedback(request: Request) -> HTMLResponse:
    """The check and preview of the query as typed so far (htmx, debounced)."""
    form = await _form(request)
    if not form["query"].strip():
        return render(request, "pages/_query_feedback.html", {"empty": True})
    body = {
        "query": form["query"],
        "langs": form["langs"],
        "sources": form["sources"],
        "days": PREVIEW_DAYS,
        "limit": 5,
    }
    answer = await call(request, "POST", "/query/preview", json=body, csrf=form["csrf"])
    return render(request, "pages/_query_feedback.html", _feedback(form["query"], answer))


def _feedback(query: str, answer: Answer) -> dict[str, Any]:
    if not answer.ok:
        return {"failure": answer.message}
    found: dict[str, Any] = answer.body
    marked = _marked(query, found["error"]) if found["error"] else None
    return {"preview": found, "marked": marked, "days": PREVIEW_DAYS}


@router.post("/query/save", include_in_schema=False)
async def save(request: Request) -> Response:
    """Create or change the topic through the API; its answer decides what the user sees."""
    form = await _form(request)
    body = {"name": form["name"], "query": form["query"], "langs": form["langs"]}
    body["sources"] = form["sources"]
    if form["original"]:
        path = "/topics/" + quote(form["original"], safe="")
        answer = await call(request, "PATCH", path, json=body, csrf=form["csrf"])
    else:
        answer = await call(request, "POST", "/topics", json=body, csrf=form["csrf"])
    if answer.ok:
        return RedirectResponse(f"/topics/{answer.body['id']}", status_code=303)
    error = answer.body["error"] if isinstance(answer.body, dict) else {}
    details = error.get("details") or []
    marked = _marked(form["query"], details[0]) if details and "column" in details[0] else None
    topic = {k: form[k] for k in ("name", "query", "langs", "sources")}
    context = _editor(topic) | {"original": form["original"], "save_error": answer.message}
    return render(request, "pages/query.html", context | {"marked": marked}, status=answer.status)
