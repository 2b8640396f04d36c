"""The dashboard's charts as drawn in Chromium, read back from ECharts' display list: numbers
in the page's language, and every label whole, inside its canvas and clear of the others,
on a desktop (1280 px) and on a phone (375 px)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ui_server import UiServer

CHARTS = ("volume", "sentiment", "share", "authors", "themes", "rising", "voice")
CHARTS += ("sources", "langs", "earned")

# Each drawn label of a chart: its text as drawn (the tspans, so a label ECharts cut short
# shows its "...") and the four corners of its box on the canvas, rotation included.
DRAWN_LABELS = """(name) => {
  const canvas = document.querySelector(`[data-dash-chart="${name}"] .chart-canvas`);
  const chart = echarts.getInstanceByDom(canvas);
  const labels = new Map();
  for (const el of chart.getZr().storage.getDisplayList(true)) {
    const label = el.parent;
    if (el.type !== "tspan" || !label || el.invisible || label.ignore || label.invisible) continue;
    if (!labels.has(label)) {
      const r = label.getBoundingRect();
      const m = label.getComputedTransform() || [1, 0, 0, 1, 0, 0];
      const box = [[r.x, r.y], [r.x + r.width, r.y], [r.x + r.width, r.y + r.height],
        [r.x, r.y + r.height]];
      const corners = box.map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]);
      labels.set(label, { text: [], corners });
    }
    labels.get(label).text.push(el.style.text);
  }
  return {
    width: chart.getWidth(),
    height: chart.getHeight(),
    labels: [...labels.values()].map((l) => ({ text: l.text.join(" "), corners: l.corners })),
  };
}"""

DONUT_BOTTOM = """(name) => {
  const canvas = document.querySelector(`[data-dash-chart="${name}"] .chart-canvas`);
  const donut = echarts.getInstanceByDom(canvas).getOption().series[0];
  return donut.center[1] + donut.radius[1];
}"""

Corners = list[list[float]]
# A number as German writes it: "1.500.000", "0,5", "-0,5", "1,5 Mio.", "25 %".
GERMAN_NUMBER = re.compile(r"^[-\u2212]?\d{1,3}(\.\d{3})*(,\d+)?(\u00a0(Mio\.|Mrd\.|%))?$")
NUMERIC = re.compile(r"^[-\u2212]?[\d.,]+(\u00a0\S+)?$")


def _apart(a: Corners, b: Corners) -> bool:
    """Whether two convex boxes do not overlap (separating axis test; touching is apart)."""
    for box in (a, b):
        for i in range(4):
            (x1, y1), (x2, y2) = box[i], box[(i + 1) % 4]
            nx, ny = y2 - y1, x1 - x2
            length = (nx * nx + ny * ny) ** 0.5 or 1.0
            on_a = [(nx * x + ny * y) / length for x, y in a]
            on_b = [(nx * x + ny * y) / length for x, y in b]
            if min(on_b) - max(on_a) > -0.5 or min(on_a) - max(on_b) > -0.5:
                return True
    return False


def _problems(name: str, drawn: dict[str, Any]) -> list[str]:
    found = []
    labels = drawn["labels"]
    for label in labels:
        if "..." in label["text"] or "\u2026" in label["text"]:
            found.append(f"{name}: '{label['text']}' is cut short")
        inside = all(
            -0.5 <= x <= drawn["width"] + 0.5 and -0.5 <= y <= drawn["height"] + 0.5
            for x, y in label["corners"]
        )
        if not inside:
            found.append(f"{name}: '{label['text']}' reaches out of the canvas")
    for i, one in enumerate(labels):
        for other in labels[i + 1 :]:
            if not _apart(one["corners"], other["corners"]):
                found.append(f"{name}: '{one['text']}' overlaps '{other['text']}'")
    return found


def _page_width(page: Any) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def _german_dashboard(page: Any, server: UiServer, width: int) -> None:
    """The overview, then the Nordlicht dashboard; neither may scroll sideways."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url("/"))
    page.wait_for_selector("body[data-overview=ready]", state="attached")
    assert _page_width(page) <= width
    page.get_by_role("link", name="Nordlicht", exact=True).click()
    page.wait_for_selector("body[data-dashboard=ready]", state="attached")
    expect(page.locator("figure[data-chart-ready=error]")).to_have_count(0)
    assert _page_width(page) <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_dashboard_charts_read_well_in_german_on_desktop_and_phone(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any], width: int
) -> None:
    page = signed_in("viewer", "de")
    _german_dashboard(page, ui_server, width)
    screenshot(page, f"de-{width}")
    drawn = {name: page.evaluate(DRAWN_LABELS, name) for name in CHARTS}
    problems = [problem for name in CHARTS for problem in _problems(name, drawn[name])]
    assert not problems, problems
    texts = {name: [label["text"] for label in drawn[name]["labels"]] for name in CHARTS}
    numbers = [t for name in CHARTS for t in texts[name] if NUMERIC.match(t)]
    assert numbers and all(GERMAN_NUMBER.match(t) for t in numbers), numbers
    assert "0,5" in texts["sentiment"]  # the net-sentiment axis
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in texts["earned"])  # "300.000"
    # Every source has its label under its bars, the tallest too.
    table = page.locator("figure[data-dash-chart=earned] .chart-table tbody tr th")
    sources = table.all_text_contents()[:-1]  # the last row is the total
    assert sources and all(source in texts["earned"] for source in sources), texts["earned"]
    # The pies name every slice with its share in full, in a legend below the donut.
    assert all(re.fullmatch(r".+: \d+\u00a0%", t) for t in texts["langs"]), texts["langs"]
    assert "Englisch" in " ".join(texts["langs"])
    for pie in ("share", "sources", "langs"):
        bottom = page.evaluate(DONUT_BOTTOM, pie)
        tops = [min(y for _, y in label["corners"]) for label in drawn[pie]["labels"]]
        assert min(tops) >= bottom, f"{pie}: the legend overlaps the donut"


def test_chart_tooltips_format_numbers_and_money_in_german(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("viewer", "de")
    _german_dashboard(page, ui_server, 1280)
    figure = page.locator("figure[data-dash-chart=earned]")
    tallest = page.evaluate(
        """() => {
        const canvas = document.querySelector('[data-dash-chart="earned"] .chart-canvas');
        const chart = echarts.getInstanceByDom(canvas);
        const impressions = chart.getOption().series[0].data;
        const index = impressions.indexOf(Math.max(...impressions));
        chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: index });
        return impressions[index];
    }"""
    )
    assert tallest >= 1000
    tooltip = figure.locator(".chart-canvas > div").last
    expect(tooltip).to_contain_text(f"{round(tallest):,}".replace(",", "."))
    expect(tooltip).to_contain_text("€")
    # A time axis's tooltip is headed by its day as German writes it, not a UTC moment.
    page.evaluate(
        """() => echarts.getInstanceByDom(
            document.querySelector('[data-dash-chart="volume"] .chart-canvas')
        ).dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 3 })"""
    )
    heading = page.locator("figure[data-dash-chart=volume] .chart-canvas > div").last
    expect(heading).to_contain_text(re.compile(r"^\d\d\.\d\d\.\d{4}"))
    expect(heading).not_to_contain_text(":00:00")
