"""Writes the audit log for the requests worth auditing, in one place.

The routes' own access checks name the caller (``remember_actor``); after a request
that succeeded, ``AuditTrail`` matches its method and path against ``RULES`` and
records who viewed a topic's posts, exported, or changed a setting, topic, source or
user. The web UI reads ``/api/v1`` in-process, so its explorer and exports are
audited by the API's rules. Only names and filter parameters are kept; post text,
form bodies (passwords, credentials) and tokens never reach the log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from horchposten.privacy.audit import record

if TYPE_CHECKING:  # deps imports remember_actor from here
    from horchposten.web.deps import Context

ACTOR_KEY = "audit_actor"
# Filters that say what was looked at; a cursor (the next page of the same list) is
# left out so reading on does not fill the log.
VIEW_PARAMS = ("topic", "query", "q", "author", "source", "lang", "since", "until")
EXPORT_PARAMS = ("format", "source", "lang", "since", "until", "pseudonymise")


@dataclass(frozen=True)
class Rule:
    methods: frozenset[str]
    path: re.Pattern[str]
    action: str
    params: tuple[str, ...]
    # The target when the path names none: the value of this query parameter.
    target_param: str
    skip_if: Callable[[dict[str, str]], bool]


def _rule(
    methods: str,
    path: str,
    action: str,
    params: tuple[str, ...] = (),
    target_param: str = "",
    skip_if: Callable[[dict[str, str]], bool] = lambda _query: False,
) -> Rule:
    return Rule(frozenset(methods.split()), re.compile(path), action, params, target_param, skip_if)


CHANGES = "POST PUT PATCH DELETE"
RULES = (
    _rule(
        "GET",
        r"/api/v1/posts",
        "view-posts",
        params=VIEW_PARAMS,
        target_param="topic",
        skip_if=lambda query: "cursor" in query,
    ),
    _rule("GET", r"/api/v1/posts/(?P<target>[^/]+)(/thread)?", "view-post"),
    _rule("GET", r"/api/v1/topics/(?P<target>[^/]+)/authors/[^/]+", "view-author"),
    _rule("GET", r"/api/v1/topics/(?P<target>[^/]+)/export", "export", params=EXPORT_PARAMS),
    _rule("GET", r"/api/v1/audit", "view-audit", params=("format", "action", "actor")),
    _rule("PUT", r"/api/v1/audit/(?P<target>retention)", "change-settings"),
    _rule(CHANGES, r"/api/v1/topics(/(?P<target>[^/]+))?", "change-topic"),
    _rule("GET", r"/topics/(?P<target>\d+)", "view-dashboard"),
    _rule("GET", r"/audit", "view-audit", params=("action", "actor")),
    _rule("POST", r"/audit/(?P<target>retention)", "change-settings"),
    _rule("POST", r"/settings/(?P<target>.+)", "change-settings"),
    _rule("POST", r"/sources/(?P<target>[^/]+)/(pause|resume)", "change-source"),
)


def remember_actor(request: Request, actor: str) -> None:
    """Called by the access checks once they know who is asking."""
    request.state.audit_actor = actor


def match(method: str, path: str, query: dict[str, str]) -> tuple[str, str, dict[str, str]] | None:
    """(action, target, details) for a request worth auditing, else None."""
    for rule in RULES:
        found = rule.path.fullmatch(path)
        if method not in rule.methods or found is None or rule.skip_if(query):
            continue
        target = found.groupdict().get("target") or query.get(rule.target_param, "")
        details = {k: query[k] for k in rule.params if query.get(k)}
        if method != "GET":
            details["method"] = method
        return rule.action, unquote(target), details
    return None


class AuditTrail:
    """ASGI middleware: records a matched request once it has answered below 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # One dict shared with the routes' Request.state, even where scopes are copied.
        state = scope.setdefault("state", {})
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        actor = state.get(ACTOR_KEY)
        if actor is None or status >= 400:
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        found = match(scope["method"], scope["path"], query)
        if found is not None:
            ctx: Context = scope["app"].state.horchposten
            await run_in_threadpool(_write, ctx, actor, *found)


def _write(ctx: Context, actor: str, action: str, target: str, details: dict[str, str]) -> None:
    with ctx.database.begin() as conn:
        record(conn, actor, action, target, details, now=datetime.now(UTC))
