"""Enrichment benchmark: each built-in enrichment and the whole analyze process, against VADER.

12,000 real tweets (6,000 English from TweetEval, 6,000 German from SB-10k and
the PotTS dev set, read from ``../shared/data`` at run time) go through

- each enricher alone, in this process (the enrichers it requires run first,
  untimed): posts/s;
- ``horchposten analyze`` as a user runs it, a whole new process with every
  built-in enrichment, reading a JSONL file: posts/s including start-up;
- VADER (``vaderSentiment``, the usual lexicon baseline) on the same texts,
  one by one, in this process: the baseline of the ratios.

It also prints each model's dev-set figures as recorded with the model files.
Target (issue 4): ``analyze`` ≥ 2,000 posts/s (aim 5,000) on a 2-core machine.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_enrich.py [--posts 12000]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from horchposten.enrich.base import Enricher, EnrichSettings
from horchposten.models import Post
from horchposten.plugins import plugins
from horchposten.prepare import enrich, order_enrichers

try:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
except ImportError:
    raise SystemExit(
        "bench_enrich.py needs vaderSentiment for its baseline: .venv/bin/pip install -e '.[bench]'"
    ) from None

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BATCH = 256


def tweets(data: Path, count: int) -> list[tuple[str, str]]:
    """(lang, text) pairs: half English, half German, cycling through the sources."""
    english = _lines(data / "sentiment/en/tweeteval/sentiment/val_text.txt")
    english += _lines(data / "sentiment/en/tweeteval/emotion/train_text.txt")
    english += _lines(data / "sentiment/en/tweeteval/offensive/train_text.txt")
    german = [line.split("\t", 2)[2] for line in _lines(data / "sentiment/de/sb10k/sb10k.tsv")]
    german += _lines(data / "sentiment/de/umsab/train_text.txt")
    half = count // 2
    return [("en", english[i % len(english)]) for i in range(half)] + [
        ("de", german[i % len(german)]) for i in range(count - half)
    ]


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise SystemExit(
            f"{path} is missing: this benchmark reads ../shared/data beside the project."
        )
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def time_enricher(enricher: Enricher, before: Sequence[Enricher], posts: Sequence[Post]) -> float:
    """Seconds for ``enricher`` over all posts in batches; what it requires runs untimed."""
    elapsed = 0.0
    for start in range(0, len(posts), BATCH):
        batch = posts[start : start + BATCH]
        earlier = [
            {name: fields for name, (_, fields) in found.items()} for found in enrich(before, batch)
        ]
        started = time.perf_counter()
        enricher.enrich(batch, earlier)
        elapsed += time.perf_counter() - started
    return elapsed


def time_analyze(texts: Sequence[tuple[str, str]]) -> float:
    """Wall-clock seconds of ``horchposten analyze`` over a JSONL file, start-up included."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tweets.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for i, (lang, text) in enumerate(texts):
                out.write(json.dumps({"id": str(i), "text": text, "lang": lang}) + "\n")
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "horchposten", "analyze", str(source)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"analyze failed ({result.returncode}): {result.stderr[-2000:]}")
    lines = result.stdout.count("\n")
    if lines != len(texts):
        raise SystemExit(f"analyze wrote {lines} lines for {len(texts)} inputs")
    return elapsed


def time_vader(texts: Sequence[tuple[str, str]]) -> float:
    analyzer = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    for _, text in texts:
        analyzer.polarity_scores(text)
    return time.perf_counter() - started


def model_figures() -> list[tuple[str, str]]:
    """Each shipped model's dev-set figures, as its JSON file records them."""
    found: list[tuple[str, str]] = []
    try:
        folder = resources.files("horchposten.enrich.models")
    except ModuleNotFoundError:  # no trained text model is installed
        return found
    for entry in sorted(folder.iterdir(), key=str):
        if entry.name.endswith(".json"):
            meta = json.loads(entry.read_text(encoding="utf-8"))
            found.append((meta.get("name", entry.name), json.dumps(meta.get("dev", {}))))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=12_000)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    texts = tweets(args.data, args.posts)
    now = datetime.now(UTC)
    posts = [
        Post(id=str(i), text=text, lang=lang, created_at=now)
        for i, (lang, text) in enumerate(texts)
    ]
    ordered = order_enrichers(plugins().enrichers(EnrichSettings()))
    vader = time_vader(texts)
    print(f"Python {platform.python_version()}, {args.posts:,} tweets (half German)")
    print(f"{'':32}{'seconds':>9}{'posts/s':>10}{'ratio to VADER':>16}")
    print(f"{'VADER alone (baseline)':32}{vader:9.2f}{len(texts) / vader:10,.0f}{1:16.2f}")
    total = 0.0
    for index, enricher in enumerate(ordered):
        seconds = time_enricher(enricher, ordered[:index], posts)
        total += seconds
        label = f"{enricher.name} ({enricher.version})"[:31]
        print(f"{label:32}{seconds:9.2f}{len(posts) / seconds:10,.0f}{vader / seconds:16.2f}")
    label = "all enrichers, this process"
    print(f"{label:32}{total:9.2f}{len(posts) / total:10,.0f}{vader / total:16.2f}")
    whole = time_analyze(texts)
    rate = len(texts) / whole
    print(f"{'horchposten analyze (process)':32}{whole:9.2f}{rate:10,.0f}{vader / whole:16.2f}")
    verdict = "met" if rate >= 2_000 else "NOT MET"
    print(f"target: analyze >= 2,000 posts/s {verdict} (aim 5,000)")
    print()
    print("dev figures recorded with the model files (docs/models.md):")
    for name, figures in model_figures():
        print(f"  {name}: {figures}")


if __name__ == "__main__":
    main()
