"""Evaluation of the language enricher, shared by its tests and docs/models.md.

``python tests/language_eval.py`` prints the tables of docs/models.md.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from itertools import pairwise
from xml.etree import ElementTree

from conftest import DATA, FIXTURES
from horchposten.enrich.language import SHORT, best_label, detect_language, model_text

LABELLED = FIXTURES / "language"
LANGUAGES = ("de", "en", "es", "fr", "it", "nl", "pl", "pt", "tr")
# Run-time sets: tweets, and the GermEval posts (Deutsche Bahn documents, half of
# them tweets; Facebook comments), whose copies name no licence. Labelled by the
# corpus's language, not per post: a few posts in them are in another language,
# so these figures are lower bounds. Read at run time only: none of them may be
# republished in this repository. Name: (language, path, column); see tweet_texts.
TWEET_SETS = {
    "SB-10k via UMSAB, German val": ("de", "sentiment/de/umsab/val_text.txt", None),
    "PotTS, German dev": ("de", "sentiment/de/potts/dev.tsv", 2),
    "GermEval 2017, German dev documents": (
        "de",
        "sentiment/de/germeval2017/dev-2017-09-15.xml",
        None,
    ),
    "GermEval 2021, German train comments": ("de", "toxicity/de/germeval2021/train.csv", 1),
    "SemEval-2017 via UMSAB, English val": ("en", "sentiment/en/umsab/val_text.txt", None),
    "TweetEval sentiment, English val": (
        "en",
        "sentiment/en/tweeteval/sentiment/val_text.txt",
        None,
    ),
}


@dataclass
class Score:
    posts: int = 0  # posts with at least SHORT characters for the model to read
    correct: int = 0
    undetermined: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.posts


def fixture_texts(language: str) -> list[str]:
    lines = (LABELLED / f"{language}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines]


def tweet_texts(path: str, column: int | None) -> list[str]:
    """A run-time set's texts: XML ``<text>`` elements, a CSV column after the header
    row, or lines (one column of them when tab-separated)."""
    file = DATA / path
    if file.suffix == ".xml":
        return [node.text or "" for node in ElementTree.parse(file).getroot().iter("text")]
    if file.suffix == ".csv":
        assert column is not None
        with file.open(encoding="utf-8", newline="") as rows:
            return [row[column] for row in list(csv.reader(rows))[1:]]
    lines = file.read_text(encoding="utf-8").splitlines()
    return [line if column is None else line.split("\t")[column] for line in lines]


def score(texts: list[str], language: str) -> Score:
    """How often texts of 20+ characters come out as ``language``; ``und`` counts as wrong."""
    result = Score()
    for text in texts:
        if len(model_text(text)) < SHORT:
            continue
        code = detect_language(text).code
        result.posts += 1
        result.correct += code == language
        result.undetermined += code == "und"
    return result


def confidence_table(labelled: list[tuple[str, str]]) -> None:
    """How often the model's best label is right, by text length and probability."""
    bounds = [0.0, 0.3, 0.5, 0.8, 1.01]
    print("| characters | probability | posts | best label right |")
    print("|---|---|---:|---:|")
    for short in (True, False):
        guesses = []
        for text, language in labelled:
            words = model_text(text)
            if words and (len(words) < SHORT) == short:
                code, confidence = best_label(words)
                guesses.append((code == language, confidence))
        for low, high in pairwise(bounds):
            right = [ok for ok, p in guesses if low <= p < high]
            length = f"under {SHORT}" if short else f"{SHORT} or more"
            share = f"{sum(right) / len(right):.1%}" if right else "-"
            print(f"| {length} | {low:.1f} to {min(high, 1.0):.1f} | {len(right)} | {share} |")


def main() -> None:
    print("| language | posts (20+ characters) | correct | und | accuracy |")
    print("|---|---:|---:|---:|---:|")
    for language in LANGUAGES:
        texts = fixture_texts(language)
        s = score(texts, language)
        print(f"| {language} | {s.posts} | {s.correct} | {s.undetermined} | {s.accuracy:.1%} |")
    print()
    labelled = [(t, language) for language in LANGUAGES for t in fixture_texts(language)]
    print("| run-time set | posts (20+ characters) | as labelled | und | accuracy |")
    print("|---|---:|---:|---:|---:|")
    for name, (language, path, column) in TWEET_SETS.items():
        texts = tweet_texts(path, column)
        labelled += [(t, language) for t in texts]
        s = score(texts, language)
        print(f"| {name} | {s.posts} | {s.correct} | {s.undetermined} | {s.accuracy:.1%} |")
    print()
    confidence_table(labelled)


if __name__ == "__main__":
    main()
