"""A real HTTP server on 127.0.0.1 for connector tests; pytest plugin with fixture ``local_server``.

Routes are keyed by path (``/feed.xml``) or by absolute ``http://`` URL. A client
from ``server.client()`` uses the server as its HTTP proxy, so recorded payloads
keep their real links (``http://techcrunch.com/...``) and are still answered
locally; ``https://`` URLs cannot be proxied this way, register those by path.

A handler registered for a path answers every request to that path whatever its
query, so a test can stand in for a search API that filters by time or pages.
The server answers conditional requests (ETag / If-None-Match, Last-Modified /
If-Modified-Since) with 304, can fail the next N requests on purpose, and
records every request for assertions.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest


@dataclass(frozen=True)
class Route:
    status: int
    headers: dict[str, str]
    body: bytes


# A handler gets the request and returns status, headers and body.
Handler = Callable[["RecordedRequest"], tuple[int, dict[str, str], bytes]]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # the route key: a path, or an absolute URL for proxied requests
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def query(self) -> dict[str, str]:
        """The query parameters, decoded; the last one wins when a name repeats."""
        return dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))


class LocalServer:
    """A threaded ``http.server`` serving registered routes; use it as a context manager."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._routes: dict[str, Route] = {}
        self._handlers: dict[str, Handler] = {}
        self._failures: list[Route] = []
        self._lock = threading.Lock()
        self._httpd = _Server(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    @property
    def base(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base + path

    def client(self, **options: Any) -> httpx.AsyncClient:
        """An AsyncClient that sends every http:// request through this server."""
        options.setdefault("timeout", 5.0)
        return httpx.AsyncClient(proxy=self.base, trust_env=False, **options)

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/octet-stream",
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Serve ``body`` at ``path`` (or absolute URL); an ETag is added unless given."""
        data = body.encode() if isinstance(body, str) else body
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        all_headers = {"Content-Type": content_type, "ETag": etag, **(headers or {})}
        with self._lock:
            self._routes[path] = Route(status, all_headers, data)

    def handle(self, path: str, handler: Handler) -> None:
        """Answer every request to ``path`` (any query) with ``handler``."""
        with self._lock:
            self._handlers[path] = handler

    def handler(self, path: str) -> Handler:
        with self._lock:
            return self._handlers[path]

    def fail_next(self, count: int, *, status: int = 503, retry_after: str | None = None) -> None:
        """Answer the next ``count`` requests, whatever their path, with ``status``."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        with self._lock:
            self._failures.extend(
                Route(status, headers, b"failing on purpose") for _ in range(count)
            )

    def requests_to(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def respond(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one request; called from the handler threads."""
        path = self._route_key(target)
        request = RecordedRequest(method, path, headers, body)
        with self._lock:
            self.requests.append(request)
            if self._failures:
                route = self._failures.pop(0)
                return route.status, route.headers, route.body
            handler = self._handlers.get(path.split("?", 1)[0])
            route = self._routes.get(path, Route(404, {}, f"no route for {path}".encode()))
        if handler is not None and path not in self._routes:
            return handler(request)
        if route.status == 200 and _not_modified(route.headers, headers):
            kept = {k: v for k, v in route.headers.items() if k in ("ETag", "Last-Modified")}
            return 304, kept, b""
        return route.status, route.headers, route.body

    def _route_key(self, target: str) -> str:
        # Proxied requests carry an absolute URL; those for this server map to their path.
        parts = urlsplit(target)
        if parts.scheme and self.base.endswith("//" + parts.netloc):
            return target[len(self.base) :] or "/"
        return target


def _not_modified(route: Mapping[str, str], request: Mapping[str, str]) -> bool:
    """RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since only counts without it."""
    if "if-none-match" in request:
        tags = [tag.strip().removeprefix("W/") for tag in request["if-none-match"].split(",")]
        etag = route.get("ETag", "").removeprefix("W/")
        return "*" in tags or (bool(etag) and etag in tags)
    if "if-modified-since" in request and "Last-Modified" in route:
        try:
            since = parsedate_to_datetime(request["if-modified-since"])
            modified = parsedate_to_datetime(route["Last-Modified"])
        except (TypeError, ValueError):
            return False
        return modified <= since
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: LocalServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        status, out_headers, payload = self.server.owner.respond(
            self.command, self.path, headers, body
        )
        self.send_response(status)
        for name, value in out_headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if status != 304:
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; the server records requests instead."""


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A started LocalServer, shut down after the test."""
    with LocalServer() as server:
        yield server
