"""Page-load benchmark: the topic dashboard fully rendered over 1 million stored posts.

Generates the posts with bench_analytics' generator (12 months, 50 topics; topic 1,
the brand, holds a fifth of them) into a new workspace, starts the real server
(``horchposten serve``) and drives Debian's Chromium with Playwright: sign in, then
load the dashboard of topic 1 again and again and read how long after navigation
start the last chart finished drawing (``<body data-ready-ms>``, set when every chart
has painted its last frame), cold (``Cache-Control: no-cache``: the server computes
every answer, as on the first look after new data) and warm (the server reuses the
post-reading insights it computed recently, web/api/answers.py). In the same run,
as the baseline, the sign-in page (static HTML and CSS, no data) is loaded to its
``load`` event the same number of times.

    .venv/bin/python benchmarks/bench_dashboard.py [--posts 1000000] [--runs 20] [--workers 1]
        [--keep FOLDER] [--endpoints]

``--endpoints`` instead times each of the dashboard's twelve API requests alone, cold
(``Cache-Control: no-cache``), through the ASGI app (FastAPI's TestClient, no browser).

Target (issue 7): the dashboard fully rendered in under 1 second.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from playwright.sync_api import Page, sync_playwright

from bench_analytics import END, generate
from horchposten.config import Settings
from horchposten.store.database import open_database
from horchposten.store.tokens import create_token
from horchposten.store.users import add_user, list_users
from horchposten.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
HORCHPOSTEN = Path(sys.executable).parent / "horchposten"
USER, PASSWORD = "bench", "bench-password-1234"
RANGES = {
    "30 days": f"since={(END - timedelta(days=30)).date()}&until={END.date()}",
    "12 months": "range=12m",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(config: Path, *args: str) -> str:
    done = subprocess.run(
        [str(HORCHPOSTEN), "--config", str(config), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@contextmanager
def server(config: Path, workers: int) -> Iterator[str]:
    """``horchposten serve`` on a free loopback port, stopped afterwards."""
    port = free_port()
    command = ["serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        [str(HORCHPOSTEN), "--config", str(config), *command], stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/signin")
    page.fill("#name", USER)
    page.fill("#password", PASSWORD)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(f"{base}/")


def dashboard_ms(page: Page, url: str) -> float:
    page.goto(url)
    page.wait_for_selector("body[data-dashboard=ready]", state="attached", timeout=60_000)
    failed = page.locator("figure[data-chart-ready=error]").count()
    if failed:
        raise RuntimeError(f"{failed} charts failed on {url}")
    return float(page.get_attribute("body", "data-ready-ms") or "nan")


def baseline_ms(page: Page, url: str) -> float:
    page.goto(url)
    timing = "performance.getEntriesByType('navigation')[0].loadEventEnd"
    return float(page.evaluate(timing))


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="workspace folder to reuse or keep")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--endpoints", action="store_true", help="time each API request alone instead"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    config = folder / "horchposten.toml"
    try:
        if not config.exists():
            prepare(folder, config, args.posts)
        add_admin(f"sqlite:///{folder / 'horchposten.db'}")
        if args.endpoints:
            measure_endpoints(f"sqlite:///{folder / 'horchposten.db'}", args.runs)
        else:
            measure(config, args.runs, args.workers)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def prepare(folder: Path, config: Path, posts: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'horchposten.db'}"
    cli(config, "init", "--database-url", url)
    database = open_database(url)
    started = time.perf_counter()
    generate(database, posts)
    database.close()
    print(f"generated {posts:,} posts in {time.perf_counter() - started:.0f} s")


def add_admin(url: str) -> None:
    database = open_database(url)  # a kept workspace gets the newest migrations too
    with database.begin() as conn:
        if not any(user.name == USER for user in list_users(conn)):
            add_user(conn, USER, PASSWORD, "admin")
    database.close()


def measure(config: Path, runs: int, workers: int) -> None:
    with server(config, workers) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        baseline = [baseline_ms(page, f"{base}/signin") for _ in range(runs)]
        sign_in(page, base)
        print(
            f"Chromium {browser.version}, {os.cpu_count()} cores, {workers} server "
            f"process(es), {runs} loads each"
        )
        print("| page | p50 ms | p95 ms | ratio to baseline (p50) |")
        print("|---|---|---|---|")
        print(f"| sign-in page (baseline) | {p(baseline, 50):.0f} | {p(baseline, 95):.0f} | 1.0x |")
        for label, query in RANGES.items():
            url = f"{base}/topics/1?{query}"
            for state, headers in (("cold", {"Cache-Control": "no-cache"}), ("warm", {})):
                # cold: every answer computed (the first look after new data); warm: the
                # server reuses its recent answers (the same dashboard opened again)
                page.set_extra_http_headers(headers)
                dashboard_ms(page, url)
                loads = [dashboard_ms(page, url) for _ in range(runs)]
                ratio = p(loads, 50) / p(baseline, 50)
                print(
                    f"| topic dashboard, {label}, {state} | {p(loads, 50):.0f} | "
                    f"{p(loads, 95):.0f} | {ratio:.1f}x |",
                    flush=True,
                )
        browser.close()


def dashboard_requests(days: int, unit: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """The API requests the topic dashboard makes (web/ui/static/js/pages/dashboard.js)."""
    now = {"since": (END - timedelta(days=days)).isoformat(), "until": END.isoformat()}
    before = {
        "since": (END - timedelta(days=2 * days)).isoformat(),
        "until": (END - timedelta(days=days)).isoformat(),
    }
    topic = "/api/v1/topics/Topic 1"
    rivals = [f"Topic {n}" for n in range(1, 11)]  # the dashboard compares with up to nine
    return {
        "volume": (f"{topic}/volume", {**now, "granularity": unit}),
        "volume, previous period": (f"{topic}/volume", {**before, "granularity": unit}),
        "sentiment": (f"{topic}/sentiment", {**now, "granularity": unit}),
        "share of voice (10 topics)": (
            "/api/v1/share-of-voice",
            {**now, "granularity": unit, "topic": rivals},
        ),
        "authors (top 10)": (f"{topic}/authors", {**now, "limit": 10}),
        "authority (PageRank)": (f"{topic}/authority", {**now, "limit": 50}),
        "themes and rising terms": (f"{topic}/themes", {**now, "limit": 10}),
        "voice of the customer": (f"{topic}/voice-of-customer", now),
        "sources": (f"{topic}/sources", {**now, "granularity": unit}),
        "languages": (f"{topic}/volume", {**now, "granularity": unit, "split": "lang"}),
        "earned media": (f"{topic}/earned-media", now),
    }


def measure_endpoints(url: str, runs: int) -> None:
    """p50 of each dashboard request alone, cold, and their sum (one process answers
    the browser's parallel requests one after another, so a cold load costs about it)."""
    database = open_database(url)
    with database.begin() as conn:
        token = create_token(conn, "bench-dashboard", "read")[0]
    client = TestClient(create_app(database, Settings()))
    headers = {"Authorization": f"Bearer {token}", "Cache-Control": "no-cache"}
    ranges = {"30 days (day buckets)": (30, "day"), "12 months (week buckets)": (365, "week")}
    found: dict[str, dict[str, float]] = {}
    for label, (days, unit) in ranges.items():
        for name, (path, query) in dashboard_requests(days, unit).items():
            times = []
            for _ in range(runs + 1):  # the first one warms the page cache
                started = time.perf_counter()
                response = client.get(path, params=query, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text}")
            found.setdefault(name, {})[label] = statistics.median(times[1:])
    print(f"| endpoint | {' | '.join(f'{label} p50 ms' for label in ranges)} |")
    print(f"|---|{'---|' * len(ranges)}")
    for name, by_range in found.items():
        print(f"| {name} | {' | '.join(f'{by_range[label]:,.0f}' for label in ranges)} |")
    sums = [sum(by_range[label] for by_range in found.values()) for label in ranges]
    print(f"| **sum** | {' | '.join(f'{total:,.0f}' for total in sums)} |")
    database.close()


if __name__ == "__main__":
    main()
