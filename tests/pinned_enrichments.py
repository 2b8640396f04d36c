"""A fixed sample of posts and what the built-in enrichments, matcher and models make of it.

``tests/test_enrich_pinned.py`` compares today's output with
``fixtures/enrich/pinned.json``, so a speed-up of the enrichment path cannot
change a single result unnoticed. Rewrite the file only for a deliberate
change of a model or rule (and re-measure its figures in docs/models.md):

    .venv/bin/python tests/pinned_enrichments.py
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from horchposten.demo.run import demo_topics
from horchposten.demo.synthetic import generate_posts
from horchposten.enrich.base import EnrichSettings
from horchposten.enrich.builtin import FAST, fast_model
from horchposten.models import Author, Post
from horchposten.plugins import plugins
from horchposten.prepare import Preparer

PINNED = Path(__file__).parent / "fixtures" / "enrich" / "pinned.json"
NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)
BATCH = 100
# Texts the synthetic posts do not have: negation, links, emoji, marks, other scripts.
EDGE_TEXTS = [
    ("", None),
    ("nicht schlecht, gar nicht schlecht 👍🏽", "de"),
    ("not bad at all!!! sooooo good https://example.com/x?y=1", "en"),
    ("RT @nordlichtkaffee: Die Polarbohne ist zurück #nordlicht #Kaffee_Liebe", None),
    ("Ich hasse diese App, sie stürzt dauernd ab 😡😡 @bergquell www.bergquell.de", None),
    ("Cafe\u0301 Stra\u00dfe \u1100\u1161 ❤️ C# me@example.com $NORD", None),
    ("これは日本語の文です。コーヒーが好きです。", None),
    ("I don't think it's good, it isn't worth it", "fr"),
    ("Röstwerk roestwerk RÖSTWERK Mitternachtsröstung Fjord-Mischung", "de"),
    ("\\u2019quoted\\u2019 &amp; escaped &lt;3", None),
]


def sample_posts() -> list[Post]:
    posts = list(generate_posts(600, now=NOW))
    for number, (text, lang) in enumerate(EDGE_TEXTS):
        author = Author(handle=f"edge{number}", name=None, followers=None)
        posts.append(
            Post(
                id=f"edge-{number}",
                source="test",
                text=text,
                title="Titel" if number % 3 == 0 else None,
                created_at=NOW,
                lang=lang,
                author=author,
            )
        )
    return posts


def topics() -> list[Any]:
    return [topic.model_copy(update={"id": n}) for n, topic in enumerate(demo_topics(), 1)]


def current_output() -> dict[str, Any]:
    """Every prepared post's matches, enrichments and document; each model's raw scores."""
    preparer = Preparer(topics(), plugins().enrichers(EnrichSettings()))
    posts = sample_posts()
    prepared: list[dict[str, Any]] = []
    for start in range(0, len(posts), BATCH):
        for item in preparer.prepare(posts[start : start + BATCH]):
            prepared.append(
                {
                    "key": item.row.key,
                    "lang": item.row.lang,
                    "topics": item.topic_ids,
                    "document": item.document,
                    "enrichments": {k: list(v) for k, v in item.enrichments.items()},
                }
            )
    texts = [post.content for post in sample_posts()]
    scores = {}
    for task, names in FAST.items():
        for name in names.values():
            raw = fast_model(name).scores(texts)
            scores[f"{task}/{name}"] = hashlib.sha256(raw.tobytes()).hexdigest()
    return {"prepared": prepared, "score_digests": scores}


if __name__ == "__main__":
    PINNED.write_text(
        json.dumps(current_output(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {PINNED}")
