"""The analysis pages in a real Chromium over the demo workspace: query editor, dashboard,
mentions explorer with threads, overview; German and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from ui_server import UiServer

CHARTS = ("volume", "sentiment", "share", "authors", "themes", "sources", "langs", "earned")


def _dashboard_of(page: Any, server: UiServer, name: str) -> None:
    page.goto(server.url("/"))
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_selector("body[data-dashboard=ready]", state="attached")


def test_query_editor_shows_the_error_at_its_position_then_saves_the_topic(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("analyst")
    page.goto(ui_server.url("/query"))
    page.get_by_label("Name").fill("Espresso")
    page.get_by_label("Query", exact=True).fill("nordlicht AND (espresso OR")
    error = page.locator(".query-error")
    expect(error).to_contain_text("Error at line 1, column 25")
    expect(error.locator("mark")).to_have_text("O")
    expect(error).to_contain_text("Suggested fix:")
    screenshot(page, "en")
    page.get_by_label("Query", exact=True).fill("nordlicht AND (espresso OR crema)")
    expect(page.locator(".query-ok")).to_contain_text("The query is valid.")
    assert int(page.locator("#preview-matches").inner_text().replace(",", "")) > 0
    expect(page.locator("#preview-per-day")).to_have_text(re.compile(r"^\d[\d,.]*$"))
    expect(page.locator("#feedback .mention").first).to_be_visible()
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url(re.compile(r"/topics/\d+(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Espresso")
    page.wait_for_selector("body[data-dashboard=ready]", state="attached")
    # Editing: a broken query is refused with its position, a fixed one saved.
    page.get_by_role("link", name="Edit query").click()
    query = page.get_by_label("Query", exact=True)
    expect(query).to_have_value("nordlicht AND (espresso OR crema)")
    query.fill("espresso AND")
    page.get_by_role("button", name="Save topic").click()
    expect(page.locator("#save-error")).to_contain_text("column")
    expect(page.locator("#save-error mark")).to_be_visible()
    page.get_by_label("Query", exact=True).fill("espresso AND crema")
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url(re.compile(r"/topics/\d+$"))
    expect(page.locator(".query code")).to_have_text("espresso AND crema")


def test_dashboard_draws_every_chart_with_a_table_and_drills_down(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("viewer")
    _dashboard_of(page, ui_server, "Nordlicht")
    expect(page.locator("figure[data-chart-ready=error]")).to_have_count(0)
    for name in CHARTS:
        figure = page.locator(f"figure[data-dash-chart={name}]")
        expect(figure.locator("canvas").first).to_be_attached()
        assert figure.locator(".chart-table tbody tr").count() > 0, name
    expect(page.locator("#kpi-change")).to_have_text(re.compile(r"[\d%]|new"))
    expect(page.locator("#voice-quotes li").first).to_be_visible()
    screenshot(page, "en")
    for period in ("7 days", "12 months"):
        page.get_by_role("button", name=period).click()
        page.wait_for_selector("body[data-dashboard=ready]", state="attached")
        expect(page.locator("figure[data-chart-ready=error]")).to_have_count(0)
    page.get_by_label("From", exact=True).fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-08")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_selector("body[data-dashboard=ready]", state="attached")
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-11-01")
    days = page.locator("figure[data-dash-chart=volume] .chart-table tbody tr")
    expect(days).to_have_count(8)  # both days included
    # The first cell of a table row opens the posts behind it.
    table = page.locator("figure[data-dash-chart=sources] .chart-table")
    table.locator("summary").click()
    link = table.locator("tbody a").first
    source = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/mentions\?"))
    expect(page.locator(".mention").first).to_be_visible()
    badges = page.locator(".mention .badge.source").all_inner_texts()
    assert badges and set(badges) == {source}


def test_dashboard_and_overview_in_german(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("responder", "de")
    page.wait_for_selector("body[data-overview=ready]", state="attached")
    expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    rows = page.locator("#overview-table tbody tr")
    assert rows.count() >= 3
    expect(rows.first.locator(".sparkline canvas")).to_be_attached()
    screenshot(page, "de-overview")
    _dashboard_of(page, ui_server, "Nordlicht")
    expect(page.get_by_role("heading", name="Stimmung")).to_be_visible()
    expect(page.get_by_role("heading", name="Stimme der Kundschaft")).to_be_visible()
    expect(page.locator("figure[data-chart-ready=error]")).to_have_count(0)
    screenshot(page, "de")
    page.goto(ui_server.url("/mentions?topic=Nordlicht"))
    expect(page.get_by_role("heading", name="Erwähnungen", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Filtern")).to_be_visible()
    expect(page.locator(".mention time").first).to_have_text(re.compile(r"^\d\d\.\d\d\.\d\d"))
    screenshot(page, "de-mentions")
    page.goto(ui_server.url("/query"))
    page.get_by_label("Abfrage", exact=True).fill("bergquell AND")
    expect(page.locator(".query-error")).to_contain_text("Fehler in Zeile 1, Spalte 11")
    page.get_by_label("Abfrage", exact=True).fill("bergquell")
    expect(page.locator(".query-ok")).to_contain_text("Die Abfrage ist gültig.")
    expect(page.locator(".estimate")).to_contain_text("Geschätztes Volumen pro Tag")
    screenshot(page, "de-query")


def test_mentions_explorer_filters_scrolls_and_opens_threads(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("viewer")
    page.goto(ui_server.url("/mentions"))
    page.get_by_label("Topic").select_option("Nordlicht")
    page.get_by_label("Sentiment").select_option("negative")
    page.get_by_role("button", name="Filter").click()
    mentions = page.locator(".mention")
    expect(mentions.first).to_be_visible()
    first_page = mentions.count()
    assert first_page == 50
    assert set(page.locator(".mention").evaluate_all("m => m.map(e => e.dataset.sentiment)")) == {
        "negative"
    }
    # Scrolling to the end loads the next cursor page.
    page.locator(".more").scroll_into_view_if_needed()
    expect(mentions).not_to_have_count(first_page)
    screenshot(page, "en")
    # The query language narrows further; a bad query says where it goes wrong.
    page.get_by_label("Search with the query language").fill("preis OR teuer")
    page.get_by_role("button", name="Filter").click()
    expect(mentions.first).to_be_visible()
    texts = " ".join(mentions.all_inner_texts()).lower()
    assert "preis" in texts or "teuer" in texts
    page.get_by_label("Search with the query language").fill("preis AND (")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("alert")).to_contain_text("column")
    # A reply's thread shows the post it answers.
    reply = _a_reply(page, ui_server)
    page.goto(ui_server.url(f"/mentions?author={reply['author']}"))
    article = page.locator(f".mention[data-post-id='{reply['post_id']}']")
    article.get_by_role("link", name="Thread").click()
    panel = page.locator("#thread-panel .thread")
    expect(panel.locator(".ancestors .mention").first).to_be_visible()
    expect(panel.locator(".focus .mention")).to_have_attribute(
        "data-post-id", str(reply["post_id"])
    )
    if reply["url"]:
        expect(panel.locator(".focus a.original")).to_have_attribute("href", reply["url"])
    screenshot(page, "en-thread")


def _a_reply(page: Any, server: UiServer) -> dict[str, Any]:
    """A stored reply whose parent is stored too, found through the API."""
    cursor = None
    for _ in range(40):
        params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
        body = page.request.get(server.url("/api/v1/posts"), params=params).json()
        for post, note in zip(body["posts"], body["annotations"], strict=True):
            if post["parent_id"] and post["author"]["handle"]:
                thread = page.request.get(
                    server.url(f"/api/v1/posts/{note['post_id']}/thread")
                ).json()
                if thread["ancestors"]:
                    author = f"{post['source']}:{post['author']['handle']}"
                    return {"post_id": note["post_id"], "author": author, "url": post["url"]}
        cursor = body["next_cursor"]
    raise AssertionError("the demo has no stored reply with a stored parent")


def test_a_viewer_may_preview_a_query_but_not_save_it(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("viewer")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(ui_server.url("/query"))
    page.get_by_label("Query", exact=True).fill("bergquell")
    expect(page.locator(".query-ok")).to_be_visible()
    previews = [url for url in asked if "/query/feedback" in url]
    assert previews and not any("csrf" in url for url in previews)  # a secret stays out
    expect(page.get_by_role("button", name="Save topic")).to_have_count(0)
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    refused = page.request.post(
        ui_server.url("/query/save"),
        form={"name": "Sneaky", "query": "x", "csrf_token": token},
    )
    assert refused.status == 403


def test_query_messages_in_german_at_their_position(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("analyst", "de")
    page.goto(ui_server.url("/query"))
    page.get_by_label("Name").fill("Espresso")
    query = page.get_by_label("Abfrage", exact=True)
    query.fill("nordlicht AND (espresso OR crema")
    error = page.locator(".query-error")
    expect(error).to_contain_text(
        "Fehler in Zeile 1, Spalte 15: Diese Klammer „(“ wird nie geschlossen."
    )
    expect(error.locator("mark")).to_have_text("(")
    expect(error.locator(".fix")).to_have_text(
        "Vorschlag: Ergänzen Sie die schließende Klammer „)“."
    )
    assert "never" not in error.inner_text()
    screenshot(page, "de-query-error")
    # A warning, with its position and fix, in German too.
    query.fill("nordlicht or espresso")
    warning = page.locator(".query-ok .warning")
    expect(warning).to_contain_text(
        "Zeile 1, Spalte 11: „or“ wird als Wort gesucht; nur großgeschriebenes OR ist ein Operator."
    )
    expect(warning).to_contain_text("Schreiben Sie OR, wenn Sie den Operator meinen.")
    screenshot(page, "de-query-warning")
    # Saving a broken query: the refusal is German as well.
    query.fill("espresso NEAR/500 crema")
    page.get_by_role("button", name="Thema speichern").click()
    expect(page.locator("#save-error")).to_contain_text(
        "Fehler in Zeile 1, Spalte 10: Der Abstand 500 ist zu groß; erlaubt sind 0 bis 100."
    )
    # The mentions explorer's query search shows its errors in German.
    page.goto(ui_server.url("/mentions?query=akku%20AND"))
    expect(page.locator("p.error")).to_contain_text(
        "Auf „AND“ am Ende muss noch ein Suchbegriff folgen."
    )
    screenshot(page, "de-mentions-query-error")


def test_a_topic_named_with_a_slash_draws_its_charts_and_saves(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    # The demo's own topic: its name as an API path segment once gave 404 on every chart.
    page = signed_in("analyst")
    _dashboard_of(page, ui_server, "Lieferprobleme / delivery issues")
    expect(page.locator("figure[data-chart-ready=error]")).to_have_count(0)
    for name in CHARTS:
        expect(page.locator(f"figure[data-dash-chart={name}] canvas").first).to_be_attached()
    page.get_by_role("link", name="Edit query").click()
    query = page.get_by_label("Query", exact=True)
    query.fill(query.input_value() + " AND NOT gutschein")
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url(re.compile(r"/topics/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lieferprobleme / delivery issues")
    expect(page.locator(".query code")).to_contain_text("NOT gutschein")
