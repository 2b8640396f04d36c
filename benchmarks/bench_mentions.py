"""Mentions-list benchmark: pages of ``GET /posts`` newest first by creation time.

Generates posts with bench_analytics' generator (12 months, 50 topics; topic 1, the
brand, holds about a quarter of them, topic 2 about 2 %; creation times are random, so
storage order is not date order) and times, through the ASGI app, the first page and
the 20th page (following cursors) of 50 posts: all posts, topic 1, topic 2, and topic
1 with a sentiment. In the same run, as the baseline, the same page as the API read
it before issue 21 (newest stored first: the ``post_topics`` key backwards), in SQL.

    .venv/bin/python benchmarks/bench_mentions.py [--posts 1000000] [--runs 20]
    .venv/bin/python benchmarks/bench_mentions.py --postgres --posts 1000000

Target (issue 21): a page within a few times the stored-order baseline, well under
100 ms, for a topic holding a fair share of the posts.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, text

from bench_analytics import generate, p, postgres, timed
from horchposten.config import Settings
from horchposten.store.database import Database, open_database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

PAGE = 50
DEEP = 20
LISTS: dict[str, tuple[dict[str, Any], str]] = {
    # name: (API parameters, the stored-order baseline's SQL)
    "all posts": ({}, "SELECT * FROM posts ORDER BY id DESC LIMIT :n"),
    "topic 1 (brand)": (
        {"topic": "Topic 1"},
        "SELECT p.* FROM post_topics t JOIN posts p ON p.id = t.post_id "
        "WHERE t.topic_id = 1 ORDER BY t.post_id DESC LIMIT :n",
    ),
    "topic 2 (small)": (
        {"topic": "Topic 2"},
        "SELECT p.* FROM post_topics t JOIN posts p ON p.id = t.post_id "
        "WHERE t.topic_id = 2 ORDER BY t.post_id DESC LIMIT :n",
    ),
    "topic 1, negative": (
        {"topic": "Topic 1", "sentiment": "negative"},
        "SELECT p.* FROM post_topics t JOIN posts p ON p.id = t.post_id "
        "WHERE t.topic_id = 1 AND EXISTS (SELECT 1 FROM enrichments e WHERE e.post_id = p.id "
        "AND e.enricher = 'sentiment' AND CAST(e.data AS TEXT) LIKE '%negative%') "
        "ORDER BY t.post_id DESC LIMIT :n",
    ),
}


def page_call(
    client: TestClient, params: dict[str, Any], headers: dict[str, str], depth: int
) -> Callable[[], None]:
    """Reads ``depth`` pages and times only the last: a cursor found beforehand."""
    cursor = None
    for _ in range(depth - 1):
        answer = client.get("/api/v1/posts", params={**params, "limit": PAGE}, headers=headers)
        cursor = answer.json()["next_cursor"]
        params = {**params, "cursor": cursor}

    def call() -> None:
        answer = client.get("/api/v1/posts", params={**params, "limit": PAGE}, headers=headers)
        if answer.status_code != 200 or len(answer.json()["posts"]) != PAGE:
            raise SystemExit(f"{params}: {answer.status_code} {answer.text[:200]}")

    return call


def baseline(conn: Connection, sql: str) -> Callable[[], None]:
    """The old page in SQL; its id cursor made any page cost what the first one does."""
    statement = text(sql)

    def call() -> None:
        conn.execute(statement, {"n": PAGE + 1}).all()

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="SQLite file to reuse or keep")
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL server")
    args = parser.parse_args()
    if args.postgres:
        with postgres() as url:
            run(args, url)
    else:
        run(args, None)


def run(args: argparse.Namespace, database_url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-mentions-"))
    path = args.keep or folder / "bench.db"
    fresh = not (args.keep and args.keep.exists())
    database = open_database(database_url or f"sqlite:///{path}")
    if fresh:
        started = time.perf_counter()
        generate(database, args.posts)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - started:.0f} s")
    with database.begin() as conn:
        conn.execute(text("ANALYZE"))
        conn.execute(text("DELETE FROM api_tokens"))
        token = create_token(conn, "bench", "read")[0]
    with TestClient(create_app(database, Settings())) as client:
        measure(args, client, token, database)
    database.close()
    shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace, client: TestClient, token: str, database: Database) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    print("| list | page | API p50 ms | API p95 ms | stored-order SQL p50 ms |")
    print("|---|---|---|---|---|")
    for name, (params, sql) in LISTS.items():
        for depth in (1, DEEP):
            api = timed(page_call(client, params, headers, depth), args.runs)
            with database.begin() as conn:
                plain = timed(baseline(conn, sql), args.runs)
            print(
                f"| {name} | {depth} | {p(api, 50):.1f} | {p(api, 95):.1f} | "
                f"{statistics.median(plain):.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
