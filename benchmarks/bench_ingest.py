"""Ingest benchmark: generated posts from JSONL into SQLite, every built-in enrichment on.

The product's default: all built-in enrichers (language, sentiment, emotion,
toxicity, entities, near-duplicates, disclosure), the demo's eight topics
(with their entity dictionaries) and generated brand topics up to ``--topics``.
In the same run, on the same file:

- plain ``executemany``: json + one unindexed table, the fastest anything
  could store these rows (the baseline of the ratios);
- ``horchposten analyze`` alone, as a whole process: enrichment without storing;
- the pipeline in one process, stage by stage: normalise (read, validate),
  prepare (tokens, each enricher, matching, rows), store; microseconds per post each;
- ``horchposten import`` as a user runs it (the prepare stage moves to a worker
  process for files of 1 MB or more, so the import uses both cores).

Targets (issue 13): >= 5,000 posts/s (goal 10,000), ratio to executemany
>= 0.1 (goal 0.3). Figures and history: docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_ingest.py [--posts 100000] [--topics 50] [--batch-size 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from horchposten.demo.run import demo_topics
from horchposten.demo.synthetic import generate_posts
from horchposten.enrich.base import EnrichSettings
from horchposten.import_reader import ImportOptions, read_batches, rejects_file
from horchposten.importer import import_file
from horchposten.models import Topic
from horchposten.pipeline import Batch, Pipeline
from horchposten.plugins import plugins
from horchposten.store.database import Database, open_database
from horchposten.store.topics import add_topic
from match_topics import make_topics

COLUMNS = (
    "id", "source", "text", "title", "created_at", "url", "lang", "handle", "name",
    "followers", "parent_id", "likes", "reposts", "replies", "views",
)  # fmt: skip


def topics(count: int) -> list[Topic]:
    """The demo's topics, then generated brand topics in the full query language."""
    own = demo_topics()[:count]
    _, generated = make_topics(max(0, count - len(own)), seed=13)
    return own + generated


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


def analyze_alone(path: Path, posts: int) -> float:
    """Wall-clock seconds of ``horchposten analyze`` over the file, start-up included."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "horchposten", "analyze", str(path)],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0 or result.stdout.count("\n") != posts:
        raise SystemExit(f"analyze failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed


def workspace(database: Path, topic_list: list[Topic]) -> tuple[Database, Pipeline]:
    db = open_database(f"sqlite:///{database}")
    with db.begin() as conn:
        for topic in topic_list:
            add_topic(conn, topic)
    settings = EnrichSettings()
    return db, Pipeline(db, plugins().enrichers(settings), settings)


class Clock:
    """Wall-clock and CPU seconds (this thread's) per name: the machine is shared."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._started = (0.0, 0.0)

    def start(self) -> None:
        self._started = (time.perf_counter(), time.thread_time())

    def stop(self, name: str) -> None:
        wall, cpu = self._started
        self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
        self.cpu[name] = self.cpu.get(name, 0.0) + time.thread_time() - cpu


def staged(path: Path, database: Path, topic_list: list[Topic], batch_size: int) -> Clock:
    """Seconds per stage of the pipeline in this one process, and prepare's CPU per step."""
    db, pipeline = workspace(database, topic_list)
    options = ImportOptions(parallel=False)
    rejects = rejects_file(path, options)
    batches = read_batches(path, "jsonl", options, rejects, batch_size)
    clock, stored = Clock(), 0
    while True:
        clock.start()
        read = next(batches, None)
        clock.stop("normalise")
        if read is None:
            break
        batch = Batch(read[0])
        clock.start()
        prepared = pipeline.prepare(batch)
        clock.stop("prepare")
        clock.start()
        stored += pipeline.store(prepared).result.new
        clock.stop("store")
    rejects.close()
    db.close()
    if stored != sum(1 for _ in path.open("rb")):
        raise SystemExit(f"expected every post stored, got {stored}")
    steps = dict(pipeline.preparing.preparer.seconds)
    # The rest: reading topic changes from the database, the collector after the batch.
    steps["other"] = clock.cpu["prepare"] - sum(steps.values())
    clock.cpu |= {f"  {name}": value for name, value in steps.items()}
    return clock


def product_import(path: Path, database: Path, topic_list: list[Topic], batch_size: int) -> float:
    """Seconds for ``horchposten import`` as a user runs it."""
    db, pipeline = workspace(database, topic_list)
    started = time.perf_counter()
    report = import_file(pipeline, path, ImportOptions(), batch_size=batch_size)
    elapsed = time.perf_counter() - started
    db.close()
    if report.stored.new != sum(1 for _ in path.open("rb")):
        raise SystemExit(f"expected every post stored, got {report.stored}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--no-import", action="store_true", help="skip the two-process import")
    args = parser.parse_args()
    topic_list = topics(args.topics)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "posts.jsonl"
        write_jsonl(source, args.posts)
        size_mb = source.stat().st_size / 1e6
        load = os.getloadavg()
        cpu_started = time.thread_time()
        base = baseline(source, work / "baseline.db")
        base_cpu = time.thread_time() - cpu_started
        analyze = analyze_alone(source, args.posts)
        stages = staged(source, work / "staged.db", topic_list, args.batch_size)
        imported = None if args.no_import else product_import(
            source, work / "import.db", topic_list, args.batch_size
        )  # fmt: skip
        load_after = os.getloadavg()
    n = args.posts
    wall = sum(stages.wall.values())
    cpu = sum(stages.cpu[name] for name in stages.wall)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, load average "
          f"{load[0]:.2f} before, {load_after[0]:.2f} after")  # fmt: skip
    print(f"posts: {n:,} ({size_mb:.1f} MB JSONL), topics: {len(topic_list)}, "
          f"batch size: {args.batch_size}, every built-in enrichment on")  # fmt: skip
    print(f"{'':48}{'seconds':>8}{'posts/s':>9}{'ratio':>7}{'CPU posts/s':>13}")
    rows = [("plain executemany (baseline)", base, base_cpu)]
    rows.append(("horchposten analyze alone (whole process)", analyze, None))
    rows.append(("pipeline, one process: normalise+prepare+store", wall, cpu))
    if imported is not None:
        rows.append(("horchposten import (prepare in a worker process)", imported, None))
    for label, seconds, busy in rows:
        on_cpu = f"{n / busy:13,.0f}" if busy else ""
        print(f"{label:48}{seconds:8.2f}{n / seconds:9,.0f}{base / seconds:7.2f}{on_cpu}")
    print("\nµs per post, one process (wall clock; CPU of this thread):")
    for name, busy in stages.cpu.items():
        seconds = stages.wall.get(name)
        on_wall = f"{seconds / n * 1e6:8.1f}" if seconds is not None else " " * 8
        print(f"  {name:22}{on_wall}{busy / n * 1e6:8.1f}")
    print("targets: >= 5,000 posts/s (goal 10,000), ratio >= 0.1 (goal 0.3)")


if __name__ == "__main__":
    main()
