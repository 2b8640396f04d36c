"""Aspect-category sentiment on the GermEval 2017 dev set (Deutsche Bahn posts).

The shipped aspects are about products (price, delivery, …); a team sets up its own
for its domain, so this evaluation does the same: a dictionary of the GermEval main
categories below, and our aspect finder and clause polarity (lexicon where decisive,
else the built-in fast sentiment model) unchanged. Scored like GermEval subtask C2:
the set of (category, polarity) pairs per relevant document, micro-F1. Every
document also gets "Allgemein" (general) with the polarity the sentiment model gives
the whole post: the post's overall sentiment, which the product has for every post.
Run this file as a script to print the figures recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest

from horchposten.analytics.aspect_polarity import SentimentJudge
from horchposten.analytics.aspects import Aspect, Judge, mentions
from horchposten.analytics.opinion import Polarity, polarity
from horchposten.analytics.themes import Doc

DATA = Path(__file__).parent.parent.parent / "shared" / "data"
DEV = DATA / "sentiment/de/germeval2017/dev-2017-09-15.xml"

BAHN_ASPECTS = (
    Aspect(
        "Zugfahrt",
        (
            "verspät",
            "pünktlich",
            "unpünktlich",
            "ausfall",
            "ausgefall",
            "anschluss",
            "strecke",
            "fahrzeit",
            "umleit",
            "zugausfall",
            "minuten",
        ),
    ),
    Aspect(
        "Sonstige_Unregelmässigkeiten",
        (
            "störung",
            "streik",
            "sperr",
            "gesperrt",
            "unwetter",
            "sturm",
            "baustell",
            "notarzt",
            "polizei",
            "-störung",
            "personen",
        ),
    ),
    Aspect(
        "Atmosphäre",
        (
            "klima",
            "heiß",
            "kalt",
            "warm",
            "laut",
            "lärm",
            "geruch",
            "stink",
            "dreck",
            "schmutz",
            "-temperatur",
        ),
    ),
    Aspect(
        "Sicherheit",
        (
            "sicherheit",
            "gewalt",
            "angriff",
            "überfall",
            "messer",
            "bomb",
            "-sicherheit",
            "polizist",
            "bundespolizei",
        ),
    ),
    Aspect(
        "Ticketkauf",
        (
            "ticket",
            "fahrkarte",
            "preis",
            "fahrpreis",
            "sparpreis",
            "bahncard",
            "-ticket",
            "-preis",
            "automat",
            "teuer",
        ),
    ),
    Aspect(
        "Service_und_Kundenbetreuung",
        ("service", "personal", "schaffner", "zugbegleit", "mitarbeiter", "-service"),
    ),
    Aspect("Informationen", ("information", "durchsage", "ansage", "-info", "anzeige")),
    Aspect(
        "Auslastung_und_Platzangebot",
        ("voll", "überfüll", "sitzplatz", "platz", "stehplatz", "gedräng"),
    ),
    Aspect("Connectivity", ("wlan", "wifi", "internet", "empfang", "netz")),
    Aspect("DB_App_und_Website", ("app", "navigator", "website", "bahn.de")),
    Aspect("Barrierefreiheit", ("aufzug", "rollstuhl", "barriere", "rolltreppe")),
)
GENERAL = "Allgemein"

Pairs = set[tuple[str, str]]


def read_dev(path: Path = DEV) -> list[tuple[str, Pairs]]:
    """Relevant documents with their gold (main category, polarity) pairs."""
    found = []
    for document in ET.parse(path).getroot().iter("Document"):
        if (document.findtext("relevance") or "").strip() != "true":
            continue
        gold = {
            (opinion.get("category", "").split("#")[0], opinion.get("polarity", ""))
            for opinion in document.iter("Opinion")
        }
        if gold:
            found.append((document.findtext("text") or "", gold))
    return found


def predict(texts: list[str], *, general: str = "always") -> list[Pairs]:
    """(category, polarity) pairs per text. ``general``: "always" adds ("Allgemein", the
    post's polarity) to every text, "fallback" only to texts without an aspect, and
    "lexicon" is the earlier way (fallback, every polarity from the lexicon alone)."""
    judge: Judge = _lexicon if general == "lexicon" else SentimentJudge()
    found = mentions([Doc(0, text, lang="de") for text in texts], BAHN_ASPECTS, judge)
    overall = judge([(text, "de") for text in texts])
    return [
        {(m.aspect, m.polarity) for m in named} | {(GENERAL, mood)}
        if general == "always" or not named
        else {(m.aspect, m.polarity) for m in named}
        for named, mood in zip(found, overall, strict=True)
    ]


def _lexicon(texts: Sequence[tuple[str, str | None]]) -> list[Polarity]:
    return [polarity(text) for text, _ in texts]


def scores(
    documents: list[tuple[str, Pairs]], general: str = "always"
) -> tuple[float, float, float]:
    hits = predicted = expected = 0
    guesses = predict([text for text, _ in documents], general=general)
    for (_, gold), guess in zip(documents, guesses, strict=True):
        hits += len(guess & gold)
        predicted += len(guess)
        expected += len(gold)
    precision, recall = hits / predicted, hits / expected
    return precision, recall, 2 * precision * recall / (precision + recall)


def majority_baseline(documents: list[tuple[str, Pairs]]) -> float:
    """Every document as ("Allgemein", "neutral"), the most frequent pair, for comparison."""
    hits = sum(len({(GENERAL, "neutral")} & gold) for _, gold in documents)
    expected = sum(len(gold) for _, gold in documents)
    precision, recall = hits / len(documents), hits / expected
    return 2 * precision * recall / (precision + recall)


@pytest.mark.skipif(not DEV.exists(), reason=f"GermEval 2017 dev set not found at {DEV}")
def test_aspect_category_sentiment_f1_on_germeval_2017_dev() -> None:
    documents = read_dev()
    assert len(documents) > 1000
    _, _, f1 = scores(documents)
    # 0.628 recorded in docs/benchmarks.md, flattered: the shipped German model learned
    # these documents (held out: 0.49, training/aspects_held_out.py). A drop means the
    # aspect finder or the clause polarity got worse.
    assert f1 >= 0.62
    assert f1 > majority_baseline(documents) + 0.05


if __name__ == "__main__":
    docs = read_dev()
    for way in ("always", "fallback", "lexicon"):
        p, r, f = scores(docs, way)
        print(f"{len(docs)} documents, Allgemein {way}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"majority baseline (Allgemein, neutral): F1 {majority_baseline(docs):.3f}")
