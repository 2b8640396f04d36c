"""Readers for the labelled corpora under ../shared/data (see its README).

Each reader returns a ``Corpus``: texts and one label name per text, unchanged
apart from the label mapping written beside it.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from horchposten.labels import EMOTIONS, SENTIMENTS

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

SENTIMENT = SENTIMENTS
EMOTION = EMOTIONS
TOXICITY = ("not_toxic", "toxic")


@dataclass(frozen=True)
class Corpus:
    texts: list[str]
    labels: list[str]

    def __add__(self, other: Corpus) -> Corpus:
        return Corpus(self.texts + other.texts, self.labels + other.labels)

    def __len__(self) -> int:
        return len(self.texts)

    def without(self, texts: list[str]) -> Corpus:
        """This corpus less every text that is (nearly) one of ``texts``: no dev leaks."""
        seen = {text_key(text) for text in texts}
        kept = [
            (t, y) for t, y in zip(self.texts, self.labels, strict=True) if text_key(t) not in seen
        ]
        return Corpus([t for t, _ in kept], [y for _, y in kept])

    def first_of_each(self) -> Corpus:
        seen: set[str] = set()
        texts, labels = [], []
        for text, label in zip(self.texts, self.labels, strict=True):
            key = text_key(text)
            if key not in seen:
                seen.add(key)
                texts.append(text)
                labels.append(label)
        return Corpus(texts, labels)


def text_key(text: str) -> str:
    """Letters and digits only, without mentions and links: the same tweet in two corpora."""
    text = re.sub(r"\\u[0-9a-fA-F]{4}|@\w+|https?://\S*|\bhttp\b|&\w+;", " ", text.lower())
    return re.sub(r"[\W_]+", "", text)


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _numbered(folder: Path, split: str, names: tuple[str, ...]) -> Corpus:
    texts = _lines(folder / f"{split}_text.txt")
    labels = [names[int(label)] for label in _lines(folder / f"{split}_labels.txt")]
    if len(texts) != len(labels):
        raise ValueError(f"{folder}/{split}: {len(texts)} texts but {len(labels)} labels")
    return Corpus(texts, labels)


def tweeteval(task: str, split: str) -> Corpus:
    names = {
        "sentiment": SENTIMENT,
        "emotion": EMOTION,
        "offensive": TOXICITY,
        "hate": TOXICITY,
        "irony": ("non_irony", "irony"),
    }[task]
    return _numbered(DATA / "sentiment/en/tweeteval" / task, split, names)


def umsab(language: str, split: str) -> Corpus:
    return _numbered(DATA / "sentiment" / language / "umsab", split, SENTIMENT)


def vader(kind: str, threshold: float) -> Corpus:
    """VADER's human valence means in [-4, 4]: |mean| < threshold is neutral."""
    name = {"tweets": "tweets_GroundTruth.txt", "amazon": "amazonReviewSnippets_GroundTruth.txt"}
    texts, labels = [], []
    for line in _lines(DATA / "sentiment/en/vader-icwsm2014" / name[kind]):
        _, valence, text = line.split("\t", 2)
        value = float(valence)
        texts.append(text)
        labels.append(
            "neutral" if abs(value) < threshold else ("positive" if value > 0 else "negative")
        )
    return Corpus(texts, labels)


def sb10k() -> Corpus:
    texts, labels = [], []
    for line in _lines(DATA / "sentiment/de/sb10k/sb10k.tsv"):
        _, label, text = line.split("\t", 2)
        texts.append(text)
        labels.append(label)
    return Corpus(texts, labels)


def potts(split: str) -> Corpus:
    """PotTS without its 'mixed' tweets, which our three labels cannot hold."""
    folder = DATA / "sentiment/de/potts"
    paths = [folder / "dev.tsv"] if split == "dev" else sorted((folder / "train").glob("*.tsv"))
    texts, labels = [], []
    for path in paths:
        for line in _lines(path):
            _, label, text = line.split("\t")[:3]
            if label in SENTIMENT:
                texts.append(text)
                labels.append(label)
    return Corpus(texts, labels)


def germeval2017() -> Corpus:
    """GermEval 2017 dev: Deutsche Bahn posts with their document sentiment."""
    root = ET.parse(DATA / "sentiment/de/germeval2017/dev-2017-09-15.xml").getroot()
    texts, labels = [], []
    for document in root.iter("Document"):
        texts.append(document.findtext("text") or "")
        labels.append(document.findtext("sentiment") or "")
    return Corpus(texts, labels)


def germeval_offense(year: int) -> Corpus:
    path = {
        2018: "toxicity/de/germeval2018/germeval2018.training.txt",
        2019: "toxicity/de/germeval2019/germeval2019.training_subtask1_2_korrigiert.txt",
    }[year]
    texts, labels = [], []
    for line in _lines(DATA / path):
        text, coarse = line.split("\t")[:2]
        texts.append(text)
        labels.append("toxic" if coarse == "OFFENSE" else "not_toxic")
    return Corpus(texts, labels)


def germeval2021() -> Corpus:
    with (DATA / "toxicity/de/germeval2021/train.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return Corpus(
        [row["comment_text"] for row in rows],
        ["toxic" if row["Sub1_Toxic"] == "1" else "not_toxic" for row in rows],
    )
