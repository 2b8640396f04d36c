"""The shared chart helper (static/js/charts.js) in Chromium, and the UI's security headers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from ui_server import UiServer

SPEC = {
    "kind": "line",
    "x": {"type": "time", "values": ["2026-11-20", "2026-11-21", "2026-11-22"], "label": "Tag"},
    "series": [
        {"name": "Beiträge", "values": [1234, 56, 7]},
        {"name": "Vorperiode", "values": [1000, 40, 9], "ghost": True},
    ],
    "link": "/mentions?day={x}&series={series}",
}


def _add_figure(page: Any, figure_id: str, spec: dict[str, Any] | None, **data: str) -> Any:
    """Put a chart figure, as the ``chart`` macro writes it, into the page and load it."""
    page.evaluate(
        """([id, spec, data]) => {
            const figure = document.createElement("figure");
            figure.className = "chart";
            figure.id = id;
            figure.dataset.chart = "";
            Object.assign(figure.dataset, data);
            figure.innerHTML = '<figcaption>Test</figcaption>' +
                '<div class="chart-canvas" style="height: 240px" role="img"></div>';
            if (spec) {
                const script = document.createElement("script");
                script.type = "application/json";
                script.className = "chart-spec";
                script.textContent = JSON.stringify(spec);
                figure.append(script);
            }
            document.querySelector("main").append(figure);
            window.Horchposten.charts.load(figure);
        }""",
        [figure_id, spec, data],
    )
    figure = page.locator(f"#{figure_id}")
    expect(figure).to_have_attribute("data-chart-ready", "true")
    return figure


def test_a_chart_comes_with_its_table_in_the_page_language(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("viewer", "de")
    figure = _add_figure(page, "volume", SPEC)
    expect(figure.locator(".chart-canvas canvas")).to_have_count(1)
    figure.get_by_text("Als Tabelle anzeigen").click()
    table = figure.get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_text(["Tag", "Beiträge", "Vorperiode"])
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("20.11.2026")  # German date
    expect(rows.first).to_contain_text("1.234")  # German thousands separator
    screenshot(page, "de")


def test_day_buckets_sent_in_utc_are_shown_as_days(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    # The API sends a Berlin day's start as the UTC moment before it ("…T23:00:00Z").
    page = signed_in("viewer", "de")
    days = ["2026-11-19T23:00:00Z", "2026-11-20T23:00:00Z"]
    spec = {"kind": "line", "series": [{"name": "Beiträge", "values": [3, 4]}]}
    spec["x"] = {"type": "time", "values": days, "label": "Tag", "granularity": "day"}
    figure = _add_figure(page, "days", spec)
    figure.get_by_text("Als Tabelle anzeigen").click()
    first = figure.get_by_role("table").locator("tbody tr").first
    expect(first).to_contain_text("20.11.2026")
    expect(first).not_to_contain_text(":00")  # a day, not a moment


def test_a_chart_reads_the_api_with_the_session_and_says_when_there_is_no_data(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("viewer", "en")
    page.evaluate(
        """() => { window.Horchposten.charts.adapters.topicNames = (topics) => ({
            kind: "bar",
            x: {type: "category", values: topics.map((t) => t.name), label: "Topic"},
            series: [{name: "Languages", values: topics.map((t) => t.langs.length)}],
        }); }"""
    )
    figure = _add_figure(page, "topics", None, chartSrc="/api/v1/topics", chartAdapter="topicNames")
    figure.get_by_text("Show as table").click()
    names = [topic["name"] for topic in httpx_topics(ui_server, page)]
    expect(figure.locator("tbody th")).to_have_text(names)
    empty = _add_figure(
        page, "empty", {"kind": "line", "x": {"type": "time", "values": []}, "series": []}
    )
    expect(empty).to_contain_text("No data for this period.")


def httpx_topics(server: UiServer, page: Any) -> list[dict[str, Any]]:
    response = page.request.get(server.url("/api/v1/topics"))
    assert response.status == 200
    topics: list[dict[str, Any]] = json.loads(response.text())
    assert topics  # the demo has topics, so the chart is not trivially empty
    return topics


def test_pages_carry_security_headers_and_the_api_keeps_json_errors(ui_server: UiServer) -> None:
    signin = httpx.get(ui_server.url("/signin"))
    policy = signin.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert signin.headers["x-content-type-options"] == "nosniff"
    assert httpx.get(ui_server.url("/"), follow_redirects=False).status_code == 303
    missing = httpx.get(ui_server.url("/api/v1/nothing-here"))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert "content-security-policy" not in missing.headers
    page = httpx.get(ui_server.url("/nothing-here"))
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
