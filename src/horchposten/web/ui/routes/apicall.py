"""Server-rendered fragments read ``/api/v1`` in-process, as the signed-in browser would.

The request's own credentials (the session cookie, or a bearer token) go along, so
the API applies the same roles and CSRF rule; nothing leaves the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from fastapi import Request

from horchposten.web.app import API_PREFIX


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return self.status < 400

    @property
    def message(self) -> str:
        """The API's error message (one error shape for every error)."""
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            return str(self.body["error"].get("message", ""))
        return ""


async def call(
    request: Request,
    method: str,
    path: str,
    *,
    params: Any = None,
    json: Any = None,
    csrf: str | None = None,
) -> Answer:
    """``method`` on ``/api/v1{path}`` with the caller's session; ``csrf`` for changes."""
    headers = {"Accept": "application/json"}
    for name in ("cookie", "authorization"):  # whichever credentials the caller showed
        if name in request.headers:
            headers[name] = request.headers[name]
    if csrf is not None:
        headers["X-CSRF-Token"] = csrf
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ui.internal") as client:
        answer = await client.request(
            method, API_PREFIX + path, params=params, json=json, headers=headers
        )
    body = answer.json() if answer.content else None
    return Answer(answer.status_code, body)


def timed(entry: dict[str, Any]) -> dict[str, Any]:
    """A post entry of the API with ``when``, its time as a datetime for the locale filters."""
    return {**entry, "when": datetime.fromisoformat(entry["post"]["created_at"])}
