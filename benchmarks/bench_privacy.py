"""Privacy benchmark: retention and erasure-sized deletes, and the store stage's suppression check.

A SQLite workspace is filled with generated posts (30 days, five topics) through the
real import. Then, each in its own copy of that database:

- retention deletes the older half in chunks of 1,000 (``apply_retention``), beside
  ``delete_posts`` removing the same posts with rollup subtraction (the erasure path)
  as the baseline measured in the same run; the mean time per chunk is how long one
  retention transaction holds the write lock;
- the same file is imported again into fresh databases with an empty suppression list
  (baseline) and with 1,000 suppressed handles, none of them posting: the cost of the
  check for a workspace that has erased people.

    .venv/bin/python benchmarks/bench_privacy.py [--posts 50000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bench_ingest import TOPICS, write_jsonl
from horchposten.import_reader import ImportOptions
from horchposten.importer import import_file
from horchposten.pipeline import Pipeline
from horchposten.privacy.erasure import erase_author
from horchposten.privacy.person import Subject
from horchposten.privacy.retention import CHUNK, apply_retention
from horchposten.store.database import Database, open_database
from horchposten.store.deletion import delete_posts
from horchposten.store.schema import posts
from horchposten.store.topics import add_topic

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)  # the generated posts end here (bench_ingest)
DAYS = 15  # keep the newer half of the 30 generated days


def filled(path: Path, source: Path, suppressed: int = 0) -> tuple[Database, float]:
    """A database with the topics (and ``suppressed`` erased handles) and the imported file."""
    db = open_database(f"sqlite:///{path}")
    with db.begin() as conn:
        for topic in TOPICS:
            add_topic(conn, topic)
    for index in range(suppressed):
        erase_author(db, Subject.of(f"gone{index}@example.social"), "benchmark", NOW)
    started = time.perf_counter()
    import_file(Pipeline(db), source, ImportOptions(), batch_size=1000)
    return db, time.perf_counter() - started


def retention_run(path: Path) -> tuple[float, int]:
    db = open_database(f"sqlite:///{path}")
    started = time.perf_counter()
    report = apply_retention(db, DAYS, NOW)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed, report.posts


def erasure_path_run(path: Path) -> tuple[float, int]:
    db = open_database(f"sqlite:///{path}")
    cutoff = NOW - timedelta(days=DAYS)
    with db.begin() as conn:
        keys = list(conn.execute(select(posts.c.key).where(posts.c.created_at < cutoff)).scalars())
    started = time.perf_counter()
    with db.begin() as conn:
        deleted = delete_posts(conn, keys)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed, deleted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "posts.jsonl"
        write_jsonl(source, args.posts)
        plain, plain_import = filled(work / "plain.db", source)
        plain.close()
        listed, listed_import = filled(work / "listed.db", source, suppressed=1000)
        listed.close()
        shutil.copy(work / "plain.db", work / "retention.db")
        shutil.copy(work / "plain.db", work / "erasure.db")
        kept, deleted = retention_run(work / "retention.db")
        subtracted, same = erasure_path_run(work / "erasure.db")
    if deleted != same:
        raise SystemExit(f"retention deleted {deleted} posts, the baseline {same}")
    chunks = max(1, -(-deleted // CHUNK))
    print(f"posts: {args.posts:,}; deleted (older than {DAYS} of 30 days): {deleted:,}")
    print(
        f"baseline delete_posts (rollups subtracted, one transaction): {subtracted:6.2f} s "
        f"{deleted / subtracted:9,.0f} posts/s"
    )
    print(
        f"retention (rollups kept, chunks of {CHUNK:,}):                  {kept:6.2f} s "
        f"{deleted / kept:9,.0f} posts/s, {1000 * kept / chunks:.0f} ms per chunk"
    )
    print(
        f"import, empty suppression list (baseline): {plain_import:6.2f} s "
        f"{args.posts / plain_import:9,.0f} posts/s"
    )
    print(
        f"import, 1,000 suppressed handles:          {listed_import:6.2f} s "
        f"{args.posts / listed_import:9,.0f} posts/s "
        f"(ratio {plain_import / listed_import:.2f})"
    )


if __name__ == "__main__":
    main()
