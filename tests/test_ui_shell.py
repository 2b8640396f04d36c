"""The web UI's shell in a real Chromium: sign-in, language, roles, CSRF, sources, settings."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from playwright.sync_api import expect

from horchposten.pipeline import Pipeline
from horchposten.pipeline.scheduler import run_pass
from horchposten.store.workspace_settings import effective
from ui_server import UiServer, sign_in

FEED = "kaffeesatz-blog"


def _csrf(page: Any) -> str:
    token: str = page.locator("meta[name=csrf-token]").get_attribute("content")
    return token


def test_sign_in_says_when_the_password_is_wrong_and_rate_limits(
    ui_server: UiServer, new_page: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = new_page("en")
    sign_in(page, ui_server, "admin", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("The user name or the password is wrong.")
    screenshot(page, "en")
    german = new_page("de")
    for _ in range(5):
        sign_in(german, ui_server, "nobody", "guess-guess-guess")
        expect(german.get_by_role("alert")).to_contain_text("falsch")
    sign_in(german, ui_server, "nobody", "guess-guess-guess")
    expect(german.get_by_role("alert")).to_contain_text("Zu viele fehlgeschlagene Anmeldungen")
    screenshot(german, "de")
    # The form's token is one the server issued (a made-up one is refused with 403).
    token = next(c["value"] for c in german.context.cookies() if c["name"] == "hp_signin")
    refused = httpx.post(
        ui_server.url("/signin"),
        data={"name": "nobody", "password": "x", "csrf_token": token},
        cookies={"hp_signin": token},
    )
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    # The right password still works for another user from the same address, and
    # sign-in leads back to the page that asked for it.
    page.goto(ui_server.url("/sources?x=1"))
    page.wait_for_url(re.compile(r"/signin\?next="))
    page.locator("#name").fill("admin")
    page.locator("#password").fill(ui_server.password("admin"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(ui_server.url("/sources?x=1"))


def test_language_switch_changes_the_interface(
    signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("responder", "de")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Einstellungen")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "de"
    screenshot(page, "de")
    page.get_by_role("button", name="English").click()
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "en")
    # Stored for the user: a new page of the same session stays English.
    page.goto(page.url)
    expect(nav.get_by_role("link", name="Sources")).to_be_visible()
    page.get_by_role("button", name="Deutsch").click()
    expect(nav.get_by_role("link", name="Quellen")).to_be_visible()


def test_a_viewer_sees_no_edit_controls_and_the_server_refuses_edits(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("viewer")
    page.goto(ui_server.url("/sources"))
    expect(page.locator(f"tr[data-source='{FEED}']")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Pause|Resume|Test"))).to_have_count(0)
    screenshot(page, "en")
    page.goto(ui_server.url("/settings"))
    expect(page.get_by_role("heading", name="Your language")).to_be_visible()
    expect(page.get_by_role("heading", name="Users and roles")).to_have_count(0)
    token = _csrf(page)
    headers = {"X-CSRF-Token": token}
    assert page.request.post(ui_server.url(f"/sources/{FEED}/pause"), headers=headers).status == 403
    denied = page.request.post(
        ui_server.url("/settings/users"),
        form={"name": "eve", "role": "admin", "password": "long-enough-1", "csrf_token": token},
    )
    assert denied.status == 403
    # The same session reads the REST API, and may not write through it.
    assert page.request.get(ui_server.url("/api/v1/topics")).status == 200
    created = page.request.post(
        ui_server.url("/api/v1/topics"), headers=headers, data={"name": "X", "query": "x"}
    )
    assert created.status == 403
    assert created.json()["error"]["code"] == "forbidden"


def test_changes_without_the_csrf_token_are_refused(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("admin")
    assert page.request.post(ui_server.url(f"/sources/{FEED}/pause")).status == 403
    wrong = page.request.post(
        ui_server.url(f"/sources/{FEED}/pause"), headers={"X-CSRF-Token": "forged"}
    )
    assert wrong.status == 403
    api = page.request.post(ui_server.url("/api/v1/topics"), data={"name": "X", "query": "x"})
    assert api.status == 403
    assert "CSRF" in api.json()["error"]["message"]
    with_token = page.request.post(
        ui_server.url("/api/v1/topics"),
        headers={"X-CSRF-Token": _csrf(page)},
        data={"name": "Kaffee", "query": "kaffee"},
    )
    assert with_token.status == 201, with_token.text()
    # An htmx action with a stale token is refused, and the page says so.
    page.goto(ui_server.url("/sources"))
    page.evaluate("""() => document.body.setAttribute('hx-headers', '{"X-CSRF-Token": "stale"}')""")
    page.locator(f"tr[data-source='{FEED}']").get_by_role("button", name="Pause").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The form has expired. Reload the page and try again."
    )
    expect(page.locator(f"tr[data-source='{FEED}']").get_by_text("Healthy")).to_be_visible()


def _fetched(server: UiServer) -> set[str]:
    """The sources one 'run' pass fetches (in a thread: Playwright's loop owns this one)."""
    pipeline = Pipeline(server.database)
    with ThreadPoolExecutor(1) as thread:
        reports = thread.submit(
            asyncio.run, run_pass(pipeline, server.settings, asyncio.Event())
        ).result()
    return {report.name for report in reports}


def test_sources_can_be_paused_resumed_and_tested(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("analyst")
    page.goto(ui_server.url("/sources"))
    row = page.locator(f"tr[data-source='{FEED}']")
    expect(row.get_by_text("Healthy")).to_be_visible()
    expect(row).to_contain_text("Last fetch" and "ago")
    row.get_by_role("button", name="Pause").click()
    expect(row.get_by_text("Paused")).to_be_visible()
    assert FEED not in _fetched(ui_server)  # 'run' no longer fetches it
    row.get_by_role("button", name="Resume").click()
    expect(row.get_by_text("Healthy")).to_be_visible()
    assert FEED in _fetched(ui_server)
    row.get_by_role("button", name="Test").click()
    expect(row.get_by_role("status")).to_contain_text("Test: reached it")
    screenshot(page, "en")
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", name="Quellen")).to_be_visible()
    screenshot(page, "de")


def test_admin_manages_users_and_tokens(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("admin")
    page.goto(ui_server.url("/settings"))
    users = page.locator("#users")
    users.get_by_label("User name").fill("carla")
    users.get_by_label("Role", exact=True).select_option("analyst")
    users.get_by_label("Password", exact=True).fill("short")
    users.get_by_role("button", name="Add user").click()
    expect(page.locator("#users").get_by_role("alert")).to_contain_text("at least 10")
    page.locator("#users").get_by_label("Password", exact=True).fill("carla-password-1")
    page.locator("#users").get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status")).to_have_text("The user was added.")
    expect(page.locator("tr[data-user='carla']")).to_be_visible()

    tokens = page.locator("#tokens")
    tokens.get_by_label("Name").fill("dashboard-script")
    tokens.get_by_label("Scope").select_option("read")
    tokens.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-secret").inner_text()
    assert secret.startswith("hp_")
    screenshot(page, "en")
    page.get_by_role("button", name="Deutsch").click()  # from the answer to the form's POST
    expect(page.get_by_role("heading", name="API-Tokens")).to_be_visible()
    page.get_by_role("button", name="English").click()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(ui_server.url("/api/v1/topics"), headers=bearer).status_code == 200
    page.goto(ui_server.url("/settings"))
    expect(page.locator("#new-secret")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Revoke dashboard-script").click()
    expect(page.get_by_role("status")).to_have_text("The token was revoked.")
    assert httpx.get(ui_server.url("/api/v1/topics"), headers=bearer).status_code == 401

    page.locator("tr[data-user='carla']").get_by_role("button", name="Remove carla").click()
    expect(page.locator("tr[data-user='carla']")).to_have_count(0)
    page.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("heading", name="Benutzer und Rollen")).to_be_visible()
    screenshot(page, "de")
    page.get_by_role("button", name="English").click()  # the admin's choice is kept per user


def test_keyboard_users_can_skip_to_the_content_and_reach_every_control(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("admin")
    page.goto(ui_server.url("/settings"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    # Every form control on the page has a label (visible or for screen readers).
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
            .map((el) => el.outerHTML)"""
    )
    assert unlabelled == []


def test_admin_sets_the_workspace_time_zone_and_retention(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("admin")
    page.goto(ui_server.url("/settings"))
    # The browser stops a value out of range; the server refuses it too.
    refused = page.request.post(
        ui_server.url("/settings/workspace"),
        form={"timezone": "Mars/Olympus", "retention_days": "0", "csrf_token": _csrf(page)},
    )
    assert refused.status == 422 and "36500" in refused.text()
    workspace = page.locator("#workspace")
    workspace.get_by_label("Time zone").select_option("America/New_York")
    workspace.get_by_label("Keep posts for (days)").fill("400")
    workspace.get_by_role("button", name="Save workspace settings").click()
    expect(page.get_by_role("status")).to_have_text("The workspace settings are saved.")
    expect(page.locator("html")).to_have_attribute("data-timezone", "America/New_York")
    with ui_server.database.begin() as conn:
        saved = effective(conn, ui_server.settings.workspace.timezone)
    assert (saved.timezone, saved.retention_days) == ("America/New_York", 400)
    # The API's day buckets follow the zone saved here.
    topic = page.request.get(ui_server.url("/api/v1/topics")).json()[0]["name"]
    volume = page.request.get(ui_server.url(f"/api/v1/topics/{topic}/volume?granularity=day"))
    assert volume.status == 200, volume.text()
    assert volume.json()["timezone"] == "America/New_York"
    assert all(b["start"].endswith(("T05:00:00Z", "T04:00:00Z")) for b in volume.json()["buckets"])
    page.locator("#workspace").get_by_label("Time zone").select_option("Europe/Berlin")
    page.locator("#workspace").get_by_label("Keep posts for (days)").fill("")
    page.locator("#workspace").get_by_role("button", name="Save workspace settings").click()
    expect(page.locator("html")).to_have_attribute("data-timezone", "Europe/Berlin")
