"""Hard negatives at scale: German customer posts and comments that promote nothing.

The corpora stay in ``../shared/data`` (their licence is not stated there, so no
text is copied into the project); the test counts what the enricher flags and
checks the counts recorded in docs/ad-disclosure.md.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from horchposten.enrich.disclosure import assess
from horchposten.models import Post

ROOT = Path(__file__).parent.parent
DATA = ROOT.parent / "shared" / "data"
GERMEVAL_2017 = DATA / "sentiment" / "de" / "germeval2017" / "dev-2017-09-15.xml"
GERMEVAL_2021 = DATA / "toxicity" / "de" / "germeval2021" / "train.csv"


def _germeval_2017() -> Iterator[str]:
    for element in ElementTree.parse(GERMEVAL_2017).iter("text"):
        yield element.text or ""


def _germeval_2021() -> Iterator[str]:
    with GERMEVAL_2021.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            yield row["comment_text"]


@pytest.mark.skipif(not DATA.is_dir(), reason="needs ../shared/data (the research corpora)")
@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("GermEval 2017 dev, Deutsche Bahn posts", _germeval_2017),
        ("GermEval 2021, Facebook comments", _germeval_2021),
    ],
)
def test_what_the_enricher_flags_in_german_corpora(
    name: str, read: Callable[[], Iterator[str]]
) -> None:
    verdicts: Counter[str] = Counter()
    for number, text in enumerate(read()):
        if text.strip():
            post = Post(id=str(number), text=text, lang="de", created_at=datetime.now(UTC))
            verdicts[assess(post)["verdict"]] += 1
    posts = sum(verdicts.values())
    row = (
        f"| {name} | {posts:,} | {verdicts['disclosed']} "
        f"| {verdicts['undisclosed_commercial_signals']} |"
    )
    assert row in (ROOT / "docs" / "ad-disclosure.md").read_text(encoding="utf-8"), row
