"""The ad-disclosure enricher on the labelled set: the figures in the docs are the real ones."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from horchposten.enrich.disclosure import assess
from horchposten.models import Post

ROOT = Path(__file__).parent.parent
DATA = ROOT.parent / "shared" / "data"
LABELLED = Path(__file__).parent / "fixtures" / "disclosure" / "labelled.jsonl"
VERDICTS = ("disclosed", "undisclosed_commercial_signals", "no_commercial_signals")
SPLITS = {"dev": "dev", "heldout": "held-out"}
FIELDS = {"id", "split", "title", "text", "lang", "label", "label_at_start", "origin"}


def _rows() -> list[dict[str, Any]]:
    with LABELLED.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@dataclass(frozen=True)
class Figures:
    posts: int
    accuracy: float
    precision: dict[str, float]
    recall: dict[str, float]
    at_start_agree: int
    at_start_total: int

    def row(self, part: str) -> str:
        """The row of the figures table in docs/ad-disclosure.md and docs/models.md."""
        pairs = " | ".join(f"{self.precision[v]:.2f} / {self.recall[v]:.2f}" for v in VERDICTS)
        at_start = f"{self.at_start_agree}/{self.at_start_total}"
        return f"| {part} | {self.posts} | {self.accuracy:.3f} | {pairs} | {at_start} |"


def _figures(rows: list[dict[str, Any]]) -> Figures:
    pairs: Counter[tuple[str, str]] = Counter()
    agree = total = 0
    for row in rows:
        post = Post(
            id=row["id"],
            title=row.get("title"),
            text=row["text"],
            lang=row["lang"],
            created_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        result = assess(post)
        pairs[row["label"], result["verdict"]] += 1
        if "label_at_start" in row and result["verdict"] == "disclosed":
            total += 1
            agree += row["label_at_start"] == result["label_at_start"]
    hits = {v: pairs[v, v] for v in VERDICTS}
    predicted = {v: sum(pairs[g, v] for g in VERDICTS) for v in VERDICTS}
    actual = {v: sum(pairs[v, p] for p in VERDICTS) for v in VERDICTS}
    return Figures(
        posts=len(rows),
        accuracy=sum(hits.values()) / len(rows),
        precision={v: hits[v] / predicted[v] if predicted[v] else 0.0 for v in VERDICTS},
        recall={v: hits[v] / actual[v] for v in VERDICTS},
        at_start_agree=agree,
        at_start_total=total,
    )


@pytest.mark.parametrize("split", sorted(SPLITS))
def test_the_figures_in_the_docs_are_the_enrichers(split: str) -> None:
    row = _figures([r for r in _rows() if r["split"] == split]).row(SPLITS[split])
    for doc in ("ad-disclosure.md", "models.md"):
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        assert row in text, f"docs/{doc} should have this row of figures:\n{row}"


def test_the_labelled_set_is_well_formed() -> None:
    rows = _rows()
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) <= FIELDS and {"id", "split", "text", "lang", "label", "origin"} <= set(row)
        assert row["split"] in SPLITS and row["label"] in VERDICTS and row["lang"] in ("de", "en")
        assert ("label_at_start" in row) == (row["label"] == "disclosed"), row["id"]
    counts = Counter(r["split"] for r in rows)
    assert counts["dev"] >= 200 and counts["heldout"] >= 60
    shares = Counter(r["label"] for r in rows)
    assert all(0.25 <= shares[v] / len(rows) <= 0.42 for v in VERDICTS), shares


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data (the research corpora)")
def test_borrowed_texts_are_found_in_their_origin() -> None:
    for row in _rows():
        if row["origin"] == "own":
            continue
        source = (DATA / row["origin"].split(" ", 1)[0]).read_text(encoding="utf-8")
        # Words rather than the whole text: origins are JSON with escapes, or HTML.
        for word in re.findall(r"[A-Za-z0-9]{4,}", row["text"])[:6]:
            assert word in source, f"{row['id']}: {word!r} is not in {row['origin']}"
