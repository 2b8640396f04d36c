"""Analytics benchmark: dashboard endpoints through the API against a plain GROUP BY.

Generates posts over 12 months across 50 topics straight into the real schema
(posts, their topic matches and sentiment results; rollups by the same recount as
migration 0004; no full-text index, which no dashboard reads), then times each
endpoint through the ASGI app (FastAPI's TestClient: routing, token check,
validation, JSON) for a 30-day and a 12-month range, and in the same run the same
answer computed by a plain GROUP BY over the posts table.

    .venv/bin/python benchmarks/bench_analytics.py [--posts 10000000] [--runs 20]
    .venv/bin/python benchmarks/bench_analytics.py --postgres --posts 1000000

Targets (issue 6): p95 <= 100 ms on 10 million posts in SQLite, >= 10x the GROUP BY.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import Connection, bindparam, text

from horchposten.analytics.period import floor_local
from horchposten.config import Settings
from horchposten.labels import SENTIMENTS
from horchposten.store.database import Database, open_database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

END = datetime(2026, 11, 1, tzinfo=UTC)
START = END - timedelta(days=365)
TOPICS = 50
AUTHORS = 200_000
SOURCES = ("mastodon", "bluesky", "reddit", "youtube", "feeds", "hackernews")
LANGS = ("de", "en", "fr", None)
BERLIN = ZoneInfo("Europe/Berlin")
CHUNK = 50_000


def _rows(count: int, seed: int = 6) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(seed)
    span = (END - START).total_seconds()
    for n in range(1, count + 1):
        created = START + timedelta(seconds=rng.random() * span)
        author = int(rng.paretovariate(1.2)) % AUTHORS
        yield (
            n, f"bench:{n}", rng.choice(SOURCES), str(n), f"post {n}", created,
            rng.choice(LANGS), f"user{author}", author * 7 % 100_000,
            rng.randrange(50), rng.randrange(10), rng.randrange(5),
        )  # fmt: skip


def _stored(moment: datetime, sqlite: bool) -> Any:
    # SQLite keeps the text SQLAlchemy's DateTime writes; text() would bind another one.
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment


def generate(database: Database, count: int) -> None:
    """Posts, one or two topic matches each (topic 1 is the brand, busier), sentiment."""
    rng = random.Random(7)
    sqlite = database.engine.dialect.name == "sqlite"
    now = _stored(datetime.now(UTC), sqlite)
    with database.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO topics (id, name, query, langs, sources, entities, created_at, "
                "updated_at) VALUES (:id, :name, :q, '[]', '[]', '[]', :now, :now)"
            ),
            [
                {"id": t, "name": f"Topic {t}", "q": f"topic{t}", "now": now}
                for t in range(1, TOPICS + 1)
            ],
        )
    done = 0
    rows = _rows(count)
    while done < count:
        part = [next(rows) for _ in range(min(CHUNK, count - done))]
        posts = [
            dict(
                zip(
                    (
                        "id",
                        "key",
                        "source",
                        "nid",
                        "text",
                        "created",
                        "lang",
                        "handle",
                        "followers",
                        "likes",
                        "reposts",
                        "replies",
                    ),
                    row,
                    strict=True,
                )
            )
            | {"now": now, "created": _stored(row[5], sqlite)}
            for row in part
        ]
        matches, moods = [], []
        for row in part:
            topic = 1 if rng.random() < 0.2 else rng.randrange(2, TOPICS + 1)
            matches.append({"t": topic, "p": row[0], "now": now})
            if rng.random() < 0.1:
                matches.append(
                    {
                        "t": rng.randrange(2, TOPICS + 1) if topic == 1 else 1,
                        "p": row[0],
                        "now": now,
                    }
                )
            moods.append({"p": row[0], "d": json.dumps({"label": rng.choice(SENTIMENTS)})})
        with database.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO posts (id, key, source, native_id, text, created_at, lang, "
                    "author_handle, author_followers, likes, reposts, replies, first_seen_at, "
                    "updated_at) VALUES (:id, :key, :source, :nid, :text, :created, :lang, "
                    ":handle, :followers, :likes, :reposts, :replies, :now, :now)"
                ),
                posts,
            )
            conn.execute(
                text(
                    "INSERT INTO post_topics (topic_id, post_id, matched_at) "
                    "VALUES (:t, :p, :now) ON CONFLICT DO NOTHING"
                ),
                matches,
            )
            conn.execute(
                text(
                    "INSERT INTO enrichments (post_id, enricher, version, data) "
                    "VALUES (:p, 'sentiment', 'bench', :d)"
                ),
                moods,
            )
        done += len(part)
        print(f"\r  {done:,} posts", end="", flush=True)
    print()
    with database.begin() as conn:
        _recount(conn)
        _authors(conn, now)


def _authors(conn: Connection, now: Any) -> None:
    """Author profiles, as storing the posts would have written them."""
    conn.execute(
        text(
            "INSERT INTO authors (source, handle, followers, first_seen_at, updated_at) "
            "SELECT source, author_handle, MAX(author_followers), :now, :now FROM posts "
            "WHERE author_handle IS NOT NULL GROUP BY source, author_handle"
        ),
        {"now": now},
    )


EARNED = "views, viewed_posts, unviewed_reach"
EARNED_SUMMED = "SUM(views), SUM(viewed_posts), SUM(unviewed_reach)"


def _recount(conn: Connection) -> None:
    """The rollups as migrations 0004 and 0005 compute them."""
    sqlite = conn.dialect.name == "sqlite"
    bucket = (
        "strftime('%Y-%m-%d %H:00:00.000000', p.created_at)"
        if sqlite
        else "date_trunc('hour', p.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
    )
    label = "json_extract(e.data, '$.label')" if sqlite else "(e.data ->> 'label')"
    grouped = f"t.topic_id, {bucket}, p.source, COALESCE(p.lang, 'und'), COALESCE({label}, 'none')"
    conn.execute(text("DELETE FROM rollups_hourly"))
    conn.execute(text("DELETE FROM rollups_marginal"))
    conn.execute(
        text(
            "INSERT INTO rollups_hourly (topic_id, bucket, source, lang, sentiment, posts, reach, "
            f"engagement, {EARNED}) SELECT {grouped}, COUNT(*), "
            "SUM(COALESCE(p.author_followers, 0)), "
            "SUM(COALESCE(p.likes, 0) + COALESCE(p.reposts, 0) + COALESCE(p.replies, 0)), "
            "SUM(COALESCE(p.views, 0)), SUM(CASE WHEN p.views IS NULL THEN 0 ELSE 1 END), "
            "SUM(CASE WHEN p.views IS NULL THEN COALESCE(p.author_followers, 0) ELSE 0 END) "
            "FROM post_topics t JOIN posts p ON p.id = t.post_id LEFT JOIN enrichments e "
            f"ON e.post_id = p.id AND e.enricher = 'sentiment' GROUP BY {grouped}"
        )
    )
    moods = ", ".join(f"SUM(CASE WHEN {label} = '{m}' THEN 1 ELSE 0 END)" for m in SENTIMENTS)
    conn.execute(text("DELETE FROM rollups_authors"))
    for span, start in (
        ("day", "strftime('%Y-%m-%d 00:00:00.000000', p.created_at)"),
        ("month", "strftime('%Y-%m-01 00:00:00.000000', p.created_at)"),
    ):
        if not sqlite:
            start = f"date_trunc('{span}', p.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
        by_author = f"t.topic_id, {start}, p.source, p.author_handle"
        conn.execute(
            text(
                "INSERT INTO rollups_authors (topic_id, start, source, handle, span, posts, reach, "
                f"engagement, {', '.join(SENTIMENTS)}) SELECT {by_author}, '{span}', COUNT(*), "
                "SUM(COALESCE(p.author_followers, 0)), "
                "SUM(COALESCE(p.likes, 0) + COALESCE(p.reposts, 0) + COALESCE(p.replies, 0)), "
                f"{moods} FROM post_topics t JOIN posts p ON p.id = t.post_id LEFT JOIN "
                "enrichments e ON e.post_id = p.id AND e.enricher = 'sentiment' "
                f"WHERE p.author_handle IS NOT NULL GROUP BY {by_author}"
            )
        )
    for dimension in ("total", "source", "lang", "sentiment"):
        value, more = ("''", "") if dimension == "total" else (dimension, f", {dimension}")
        conn.execute(
            text(
                "INSERT INTO rollups_marginal (topic_id, bucket, dimension, value, posts, reach, "
                f"engagement, {EARNED}) SELECT topic_id, bucket, '{dimension}', {value}, "
                f"SUM(posts), SUM(reach), SUM(engagement), {EARNED_SUMMED} "
                f"FROM rollups_hourly GROUP BY topic_id, bucket{more}"
            )
        )


def _hours(conn: Connection, sql: str, params: dict[str, Any]) -> list[Any]:
    return list(conn.execute(text(sql), params))


def _day(moment: Any) -> Any:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return floor_local(
        moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment, "day", BERLIN
    )


def baselines(conn: Connection) -> dict[str, Callable[[datetime, datetime], Any]]:
    """The same answers from the posts table: GROUP BY hour in SQL, hours to Berlin days."""
    sqlite = conn.dialect.name == "sqlite"
    hour = (
        "strftime('%Y-%m-%d %H:00:00', p.created_at)"
        if sqlite
        else "date_trunc('hour', p.created_at AT TIME ZONE 'UTC')"
    )
    label = "json_extract(e.data, '$.label')" if sqlite else "(e.data ->> 'label')"
    joined = (
        "FROM post_topics t JOIN posts p ON p.id = t.post_id "
        "WHERE p.created_at >= :a AND p.created_at < :b AND t.topic_id IN :topics "
    )

    def run(
        columns: str,
        group: str,
        topics: tuple[int, ...],
        a: datetime,
        b: datetime,
        extra_join: str = "",
    ) -> dict[Any, int]:
        sql = (
            f"SELECT {columns}, COUNT(*) {joined.replace('WHERE', extra_join + ' WHERE')}"
            f"GROUP BY {group}"
        )
        totals: dict[Any, int] = {}
        statement = text(sql).bindparams()

        statement = text(sql).bindparams(bindparam("topics", expanding=True))
        for *key, n in conn.execute(statement, {"a": a, "b": b, "topics": list(topics)}):
            local = (_day(key[0]), *key[1:])
            totals[local] = totals.get(local, 0) + n
        return totals

    sentiment_join = "LEFT JOIN enrichments e ON e.post_id = p.id AND e.enricher = 'sentiment'"
    return {
        "volume by day": lambda a, b: run(hour, hour, (1,), a, b),
        "share of voice": lambda a, b: run(
            f"{hour}, t.topic_id", f"{hour}, t.topic_id", (1, 2, 3, 4, 5), a, b
        ),
        "sentiment trend": lambda a, b: run(
            f"{hour}, {label}", f"{hour}, {label}", (1,), a, b, sentiment_join
        ),
        "top authors": lambda a, b: list(
            conn.execute(
                text(
                    "SELECT p.source, p.author_handle, MAX(p.author_followers) AS f, COUNT(*) "
                    f"{joined.replace(':topics', '(1)')} GROUP BY p.source, p.author_handle "
                    "ORDER BY f DESC LIMIT 10"
                ),
                {"a": a, "b": b},
            )
        ),
        "source split": lambda a, b: run(f"{hour}, p.source", f"{hour}, p.source", (1,), a, b),
    }


ENDPOINTS = {
    "volume by day": ("/api/v1/topics/Topic 1/volume", {}),
    "share of voice": ("/api/v1/share-of-voice", {"topic": [f"Topic {n}" for n in range(1, 6)]}),
    "sentiment trend": ("/api/v1/topics/Topic 1/sentiment", {}),
    "top authors": ("/api/v1/topics/Topic 1/authors", {"by": "reach"}),
    "source split": ("/api/v1/topics/Topic 1/sources", {}),
}


def endpoint(
    client: TestClient, path: str, query: dict[str, Any], headers: dict[str, str]
) -> Callable[[], None]:
    def call() -> None:
        response = client.get(path, params=query, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.text}")

    return call


def timed(call: Callable[[], Any], runs: int) -> list[float]:
    call()  # warm caches, as a dashboard that is open would be
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--keep", type=Path, help="SQLite file to reuse or keep")
    parser.add_argument(
        "--postgres", action="store_true", help="start a throw-away PostgreSQL server and use it"
    )
    parser.add_argument(
        "--only", action="append", choices=list(ENDPOINTS), help="measure only these endpoints"
    )
    args = parser.parse_args()
    if args.postgres:
        with postgres() as url:
            run(args, url)
    else:
        run(args, args.database_url)


@contextmanager
def postgres() -> Iterator[str]:
    """The embedded PostgreSQL server the tests use (tests/pgserver.py), removed afterwards."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
    from pgserver import PostgresServer

    root = Path(tempfile.mkdtemp(prefix="horchposten-pg-bench-"))
    server = PostgresServer(root)
    server.start()
    try:
        yield server.create_database()
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def run(args: argparse.Namespace, database_url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    path = args.keep or folder / "bench.db"
    url = database_url or f"sqlite:///{path}"
    fresh = not (args.keep and args.keep.exists())
    database = open_database(url)
    if fresh:
        started = time.perf_counter()
        generate(database, args.posts)
        print(f"generated {args.posts:,} posts in {time.perf_counter() - started:.0f} s")
    with database.begin() as conn:
        conn.execute(text("DELETE FROM api_tokens"))
        token = create_token(conn, "bench", "read")[0]
    # Entered like a served app: the lifespan's start-up runs (it freezes the start-up heap).
    with TestClient(create_app(database, Settings())) as client:
        measure(args, client, token, database)
    database.close()
    shutil.rmtree(folder, ignore_errors=True)  # a kept file lives where --keep says


def measure(args: argparse.Namespace, client: TestClient, token: str, database: Database) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    ranges = {"30 days": (END - timedelta(days=30), END), "12 months": (START, END)}
    print("| endpoint | range | API p50 ms | API p95 ms | GROUP BY p50 ms | ratio (p50) |")
    print("|---|---|---|---|---|---|")
    for label, (a, b) in ranges.items():
        for name, (path_, params) in ENDPOINTS.items():
            if args.only and name not in args.only:
                continue
            query = {**params, "since": a.isoformat(), "until": b.isoformat()}
            api = timed(endpoint(client, path_, query, headers), args.runs)
            with database.begin() as conn:
                plain = baselines(conn)[name]
                group_by = timed(partial(plain, a, b), max(3, args.runs // 4))
            ratio = statistics.median(group_by) / statistics.median(api)
            print(
                f"| {name} | {label} | {p(api, 50):.1f} | {p(api, 95):.1f} | "
                f"{statistics.median(group_by):.0f} | {ratio:.1f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
