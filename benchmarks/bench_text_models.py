"""Speed of the built-in text models: posts per second per model and for all three enrichers.

Scores 12,000 real tweets from ../shared/data (TweetEval offensive train texts
alternating with GermEval 2018 tweets)
in batches of 500, each model alone on fresh featurisation, then the three fast
enrichers together, which share the featurisation of each batch.

    .venv/bin/python benchmarks/bench_text_models.py [--posts 12000] [--tier fast]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from horchposten.enrich.builtin import ACCURATE, FAST, accurate_model, fast_model
from horchposten.enrich.emotion import EmotionEnricher
from horchposten.enrich.sentiment import SentimentEnricher
from horchposten.enrich.textmodels import TextClassifier
from horchposten.enrich.toxicity import ToxicityEnricher
from horchposten.models import Post

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BATCH = 500


def tweets(count: int) -> list[tuple[str, str]]:
    """(text, language) pairs, English and German alternating, from the shared data."""
    english = (DATA / "sentiment/en/tweeteval/offensive/train_text.txt").read_text("utf-8")
    german_file = DATA / "toxicity/de/germeval2018/germeval2018.training.txt"
    german = [line.split("\t")[0] for line in german_file.read_text("utf-8").splitlines()]
    pairs = [
        pair
        for en, de in zip(english.splitlines(), german * 3, strict=False)
        for pair in ((en, "en"), (de, "de"))
    ]
    return (pairs * (count // len(pairs) + 1))[:count]


def per_second(count: int, started: float) -> str:
    return f"{count / (time.perf_counter() - started):,.0f} posts/s"


def time_model(model: TextClassifier, texts: Sequence[str]) -> str:
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        # Copies, so no model reuses another's cached featurisation.
        model.scores([text + " " for text in texts[start : start + BATCH]])
    return per_second(len(texts), started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=12_000)
    parser.add_argument("--tier", choices=("fast", "accurate"), default="fast")
    args = parser.parse_args()
    pairs = tweets(args.posts)
    catalogue = FAST if args.tier == "fast" else ACCURATE
    load = fast_model if args.tier == "fast" else accurate_model
    for names in catalogue.values():
        for language, name in names.items():
            texts = [text for text, lang in pairs if lang == language or language == "mul"]
            print(f"{name:24} {time_model(load(name), texts):>16}  ({len(texts)} posts)")
    created = datetime(2026, 11, 1, tzinfo=UTC)
    posts = [
        Post(id=str(i), text=t, lang=lang, created_at=created) for i, (t, lang) in enumerate(pairs)
    ]
    enrichers = [
        cls(tier=args.tier) for cls in (SentimentEnricher, EmotionEnricher, ToxicityEnricher)
    ]
    started = time.perf_counter()
    for start in range(0, len(posts), BATCH):
        batch = posts[start : start + BATCH]
        for enricher in enrichers:
            enricher.enrich(batch, [{} for _ in batch])
    print(f"{'all three enrichers':24} {per_second(len(posts), started):>16}  ({len(posts)} posts)")


if __name__ == "__main__":
    main()
