"""Ingest benchmark: 100,000 generated posts from JSONL into SQLite through the real pipeline.

In the same run the same file is loaded with a plain ``executemany`` into one
unindexed table (the fastest anything could store these rows), and the ratio
between the two is printed. Target: >= 10,000 posts/s and a ratio >= 0.3.

    .venv/bin/python benchmarks/bench_ingest.py [--posts 100000] [--batch-size 1000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from horchposten.demo.synthetic import generate_posts
from horchposten.import_reader import ImportOptions
from horchposten.importer import import_file
from horchposten.models import Topic
from horchposten.pipeline import Pipeline
from horchposten.store.database import open_database
from horchposten.store.topics import add_topic

TOPICS = [
    Topic(
        name="Nordlicht", query='nordlicht OR #nordlicht OR @nordlichtkaffee OR "nordlicht kaffee"'
    ),
    Topic(name="Bergquell", query="bergquell OR @bergquell"),
    Topic(name="Röstwerk", query="röstwerk OR roestwerk"),
    Topic(name="Lieferung", query="(lieferung OR versand OR delivery) AND NOT bergquell"),
    Topic(name="App", query='"nordlicht app" OR (app AND (crash OR absturz OR abgestürzt))'),
]
COLUMNS = (
    "id", "source", "text", "title", "created_at", "url", "lang", "handle", "name",
    "followers", "parent_id", "likes", "reposts", "replies", "views",
)  # fmt: skip


def write_jsonl(path: Path, count: int) -> None:
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        for post in generate_posts(count, now=now):
            out.write(json.dumps(post.to_interchange(), ensure_ascii=False) + "\n")


def baseline(path: Path, database: Path) -> float:
    """Seconds to parse the file and executemany every row into one plain table."""
    started = time.perf_counter()
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE posts ({', '.join(COLUMNS)})")
    rows = []
    with path.open("rb") as lines:
        for line in lines:
            p = json.loads(line)
            a, m = p["author"], p["metrics"]
            rows.append(
                (p["id"], p["source"], p["text"], p["title"], p["created_at"], p["url"],
                 p["lang"], a["handle"], a["name"], a["followers"], p["parent_id"],
                 m["likes"], m["reposts"], m["replies"], m["views"])
            )  # fmt: skip
    with conn:
        conn.executemany(f"INSERT INTO posts VALUES ({', '.join('?' * len(COLUMNS))})", rows)
    conn.close()
    return time.perf_counter() - started


def pipeline_run(path: Path, database: Path, batch_size: int) -> tuple[float, int]:
    """Seconds for 'horchposten import' (upsert, topic matching, FTS, rollups), and matches."""
    db = open_database(f"sqlite:///{database}")
    with db.begin() as conn:
        for topic in TOPICS:
            add_topic(conn, topic)
    started = time.perf_counter()
    report = import_file(Pipeline(db), path, ImportOptions(), batch_size=batch_size)
    elapsed = time.perf_counter() - started
    db.close()
    if report.stored.new != sum(1 for _ in path.open("rb")):
        raise SystemExit(f"expected every post stored, got {report.stored}")
    return elapsed, report.stored.matched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "posts.jsonl"
        write_jsonl(source, args.posts)
        size_mb = source.stat().st_size / 1e6
        base = baseline(source, work / "baseline.db")
        real, matched = pipeline_run(source, work / "horchposten.db", args.batch_size)
    base_rate, real_rate = args.posts / base, args.posts / real
    ratio = real_rate / base_rate
    print(f"posts: {args.posts:,} ({size_mb:.1f} MB JSONL), topics: {len(TOPICS)}")
    print(f"topic matches stored: {matched:,}")
    print(f"baseline (json + executemany, plain table): {base:6.2f} s {base_rate:9,.0f} posts/s")
    print(f"pipeline (upsert, match, FTS, rollups):     {real:6.2f} s {real_rate:9,.0f} posts/s")
    print(f"ratio pipeline/baseline: {ratio:.2f}  (targets: >= 10,000 posts/s, >= 0.3)")


if __name__ == "__main__":
    main()
