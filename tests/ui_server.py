"""The real app served by uvicorn on a free loopback port, and Chromium pages signed in per role.

Pytest plugin (listed in conftest.py). Fixtures:

- ``ui_demo`` (session): a demo workspace made once by ``run_demo`` (5,000 posts,
  demo topics, a feeds source reading a local file).
- ``ui_server`` (module): a copy of that workspace with one user per role, served
  by uvicorn in a thread. ``ui_server.url("/sources")``, ``ui_server.database``,
  ``ui_server.settings``, ``ui_server.password(role)``; users are named after
  their role ("admin", "analyst", "responder", "viewer").
- ``browser`` (module): headless Debian Chromium (/usr/bin/chromium) through
  Playwright; tests using it skip, with the reason, when Chromium is missing
  (and fail under ``CI=true``).
- ``signed_in(role, locale="en")``: a new browser page with that role signed in,
  the browser asking for ``locale`` (Accept-Language).
- ``screenshot(page, lang)``: saves test-artifacts/screenshots/<test>-<lang>.png.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from horchposten.config import Settings, load_settings
from horchposten.demo.run import run_demo
from horchposten.store.database import Database, open_database
from horchposten.store.users import ROLES, add_user
from horchposten.web.app import create_app
from pgserver import require_or_skip

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts" / "screenshots"


def password_of(role: str) -> str:
    return f"{role}-password-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class UiServer:
    base: str
    database: Database
    settings: Settings
    directory: Path

    def url(self, path: str = "/") -> str:
        return self.base + path

    @staticmethod
    def password(role: str) -> str:
        return password_of(role)


@pytest.fixture(scope="session")
def ui_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("ui-demo")
    run_demo(directory)
    return directory


@pytest.fixture(scope="module")
def ui_server(ui_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    directory = tmp_path_factory.mktemp("ui-workspace")
    shutil.copy(ui_demo / "horchposten.toml", directory / "horchposten.toml")
    shutil.copy(ui_demo / "horchposten.db", directory / "horchposten.db")
    settings = load_settings(directory / "horchposten.toml")
    database = open_database(settings.database_url)
    with database.begin() as conn:
        for role in ROLES:
            add_user(conn, role, password_of(role), role)
    app = create_app(database, settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    yield UiServer(f"http://127.0.0.1:{port}", database, settings, directory)
    server.should_exit = True
    thread.join(timeout=10)
    database.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module: Playwright's sync API keeps an event loop running in this thread while it
    is started, and ``asyncio.run`` in later tests would refuse to run beside it."""
    if not CHROMIUM.exists():
        require_or_skip(
            f"browser tests need Debian's chromium at {CHROMIUM}; install it with "
            "'apt-get install chromium' (scripts/check does when run as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(locale="en")``: a fresh browser context (no cookies) and page."""
    contexts = []

    def make(locale: str = "en") -> Any:
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, server: UiServer, name: str, password: str) -> None:
    page.goto(server.url("/signin"))
    page.get_by_label("User name", exact=False).or_(page.get_by_label("Benutzername")).fill(name)
    page.locator("#password").fill(password)
    page.locator("form[action='/signin'] button[type=submit]").click()


@pytest.fixture
def signed_in(ui_server: UiServer, new_page: Callable[..., Any]) -> Callable[..., Any]:
    def make(role: str, locale: str = "en") -> Any:
        page = new_page(locale)
        sign_in(page, ui_server, role, password_of(role))
        page.wait_for_url(ui_server.url("/"))
        return page

    return make


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    def save(page: Any, lang: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
