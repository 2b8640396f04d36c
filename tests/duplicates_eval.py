"""Evaluation of the duplicates enricher on near-copies of real posts, shared by its tests and docs.

Originals are real posts from the shared data folder, read at run time: German
Deutsche Bahn posts (GermEval 2017), comments to one talk show (GermEval 2021),
German tweets (SB-10k) and Amazon review sentences, so different posts often
share a topic and words. The corpora hold copies themselves (templated
announcements, retweets); an original too close to one picked before (Jaccard
0.5 or more over words and word pairs) is skipped, so that two originals are
really different posts. Each original gets the near-copies of ``KINDS``, and
all posts are fed to the enricher in one shuffled stream, in batches.

``python tests/duplicates_eval.py`` prints the figures of docs/models.md.
"""

from __future__ import annotations

import csv
import math
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from conftest import DATA
from horchposten.enrich.duplicates import (
    MIN_WORDS,
    DuplicateEnricher,
    shingle_words,
    shingles,
)
from horchposten.models import Post

AT = datetime(2026, 11, 22, tzinfo=UTC)
_LINK = re.compile(r"https?://\S+")


def _germeval2017() -> list[str]:
    root = ET.parse(DATA / "sentiment/de/germeval2017/dev-2017-09-15.xml").getroot()
    return [doc.findtext("text") or "" for doc in root]


def _germeval2021() -> list[str]:
    with (DATA / "toxicity/de/germeval2021/train.csv").open(encoding="utf-8") as rows:
        return [row["comment_text"] for row in csv.DictReader(rows)]


def _sb10k() -> list[str]:
    lines = (DATA / "sentiment/de/sb10k/sb10k.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[-1] for line in lines]


def _amazon() -> list[str]:
    path = DATA / "sentiment/en/vader-icwsm2014/amazonReviewSnippets_GroundTruth.txt"
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line.split("\t")[2] for line in lines if line.count("\t") >= 2]


def originals(per_corpus: int, seed: int = 1) -> list[str]:
    """Real posts of at least MIN_WORDS words, no two of them near-copies of each other."""
    rng = random.Random(seed)
    corpora = []
    for read in (_germeval2017, _germeval2021, _sb10k, _amazon):
        texts = read()
        rng.shuffle(texts)
        words = [(text, shingle_words(text)) for text in texts]
        corpora.append([(text, set(shingles(w))) for text, w in words if len(w) >= MIN_WORDS])
    # Prefix filtering, a standard set-similarity join: with every set's shingles in
    # one global order, rarest first, two sets with a Jaccard similarity of 1/2 or
    # more share one of the first len - ceil(len / 2) + 1 shingles of each.
    frequency = Counter(s for corpus in corpora for _, own in corpus for s in own)
    picked: list[tuple[str, set[str]]] = []
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for corpus in corpora:
        taken = 0
        for text, own in corpus:
            ordered = sorted(own, key=lambda s: (frequency[s], s))
            prefix = ordered[: len(own) - math.ceil(len(own) / 2) + 1]
            near = {i for s in prefix for i in by_prefix[s]}
            if any(len(own & picked[i][1]) * 2 >= len(own | picked[i][1]) for i in near):
                continue
            for s in prefix:
                by_prefix[s].append(len(picked))
            picked.append((text, own))
            taken += 1
            if taken == per_corpus:
                break
    return [text for text, _ in picked]


def _link(rng: random.Random) -> str:
    return "https://t.co/" + "".join(
        rng.choices("abcdefghijkmnopqrstuvwxyzABCDEFGH0123456789", k=10)
    )


def _relink(text: str, rng: random.Random) -> str:
    if _LINK.search(text):
        return _LINK.sub(lambda _: _link(rng), text)
    return f"{text} {_link(rng)}"


def _upper(text: str) -> str:
    parts = _LINK.split(text)
    return "".join(
        part.upper() + link for part, link in zip(parts, [*_LINK.findall(text), ""], strict=True)
    )


def _change_words(text: str, count: int, vocabulary: list[str], rng: random.Random) -> str:
    words = text.split(" ")
    letters = [i for i, word in enumerate(words) if word.isalpha()]
    for i in rng.sample(letters, min(count, len(letters))):
        words[i] = rng.choice(vocabulary)
    return " ".join(words)


Variant = Callable[[str, list[str], random.Random], str]
KINDS: dict[str, Variant] = {
    "RT @handle: prefix": lambda t, v, r: f"RT @{r.choice(['bahnfan', 'news_24', 'x'])}: {t}",
    "link changed or added": lambda t, v, r: _relink(t, r),
    "one word changed": lambda t, v, r: _change_words(t, 1, v, r),
    "two words changed": lambda t, v, r: _change_words(t, 2, v, r),
    "RT prefix, a word and the link changed": lambda t, v, r: (
        f"RT @x: {_relink(_change_words(t, 1, v, r), r)}"
    ),
    "upper case (links kept)": lambda t, v, r: _upper(t),
}


@dataclass
class Result:
    posts: int
    copy_recall: dict[str, float]  # by kind: share of copies in their original's cluster
    pair_recall: float  # pairs of posts from one original that share a cluster
    pair_precision: float  # pairs of posts sharing a cluster that come from one original
    merged_originals: int  # originals that ended up in another original's cluster


def evaluate(texts: list[str], seed: int = 2, batch_size: int = 1000) -> Result:
    rng = random.Random(seed)
    vocabulary = [word for text in texts for word in text.split(" ") if word.isalpha()]
    stream: list[tuple[int, str, str]] = []  # original's number, kind, text
    for number, text in enumerate(texts):
        stream.append((number, "original", text))
        stream += [(number, kind, make(text, vocabulary, rng)) for kind, make in KINDS.items()]
    rng.shuffle(stream)
    posts = [
        Post(id=str(i), source="eval", text=text, created_at=AT)
        for i, (_, _, text) in enumerate(stream)
    ]
    enricher = DuplicateEnricher()
    clusters: list[str | None] = []
    for start in range(0, len(posts), batch_size):
        batch = posts[start : start + batch_size]
        clusters += [f["cluster"] for f in enricher.enrich(batch, [{} for _ in batch])]
    return _score(stream, clusters)


def _score(stream: list[tuple[int, str, str]], clusters: list[str | None]) -> Result:
    original_cluster = {
        number: c
        for (number, kind, _), c in zip(stream, clusters, strict=True)
        if kind == "original"
    }
    hits: Counter[str] = Counter()
    for (number, kind, _), cluster in zip(stream, clusters, strict=True):
        if kind != "original":
            hits[kind] += cluster is not None and cluster == original_cluster[number]
    per_kind = len(original_cluster)
    groups: dict[int, Counter[str | None]] = defaultdict(Counter)
    members: dict[str, Counter[int]] = defaultdict(Counter)
    for (number, _, _), cluster in zip(stream, clusters, strict=True):
        groups[number][cluster] += 1
        if cluster is not None:
            members[cluster][number] += 1
    true_pairs = sum(_pairs(sum(c.values())) for c in groups.values())
    found_true = sum(_pairs(k) for c in groups.values() for cl, k in c.items() if cl is not None)
    same_cluster = sum(_pairs(sum(c.values())) for c in members.values())
    merged = sum(len(c) - 1 for c in members.values())
    return Result(
        posts=len(stream),
        copy_recall={kind: hits[kind] / per_kind for kind in KINDS},
        pair_recall=found_true / true_pairs,
        pair_precision=found_true / same_cluster if same_cluster else 1.0,
        merged_originals=merged,
    )


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def main() -> None:
    texts = originals(per_corpus=1000)
    result = evaluate(texts)
    print(f"{len(texts)} originals, {result.posts} posts")
    print("| near-copy | in its original's cluster |")
    print("|---|---:|")
    for kind, share in result.copy_recall.items():
        print(f"| {kind} | {share:.1%} |")
    print(f"pair recall {result.pair_recall:.3f}, pair precision {result.pair_precision:.4f}")
    print(f"originals merged into another original's cluster: {result.merged_originals}")


if __name__ == "__main__":
    main()
