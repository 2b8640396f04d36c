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

from playwright.sync_api import Page, sync_playwright

from bench_analytics import END, generate
from horchposten.store.database import open_database
from horchposten.store.users import add_user, list_users

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
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    config = folder / "horchposten.toml"
    try:
        if not config.exists():
            prepare(folder, config, args.posts)
        add_admin(f"sqlite:///{folder / 'horchposten.db'}")
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


if __name__ == "__main__":
    main()
