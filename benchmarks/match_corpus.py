"""Posts for ``bench_match.py``: real German and English texts with brand mentions injected.

The texts come from the research corpora in ``../shared/data`` (README.md
there): German tweets, Facebook comments and customer posts, English tweets
and review snippets. Only obvious markup is undone (HTML entities, ``|LBR|``
line breaks, literal ``\\uXXXX`` escapes, entities escaped twice). They are
shuffled with the seed and reused cyclically up to the number of posts wanted;
a share of the posts gets brand mentions inserted at a random word position,
written as people write them: name, ``#tag``, ``@handle``, transliterated
variant, product phrase, staff name or acronym, often with a word of one of the
brand's themes nearby.
"""

from __future__ import annotations

import bisect
import csv
import html
import itertools
import random
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from horchposten.models import Author, Metrics, Post
from match_vocab import FIRST_NAMES, SURNAMES, Brand, transliterate

SOURCES = ("mastodon", "bluesky", "reddit", "youtube", "feeds", "hackernews")
_SOURCE_WEIGHTS = (25, 20, 20, 15, 12, 8)
_SUBREDDITS = ("de", "germany", "finanzen", "kaffee", "technology", "europe", "berlin", "apple")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SPACED_ENTITY = re.compile(r" ?& ?([a-zA-Z]uml|szlig) ; ?")  # PotTS tokenised "f & uuml ; r"
_GAP = re.compile(r"(\s+)")
_EPOCH = datetime(2026, 11, 1, tzinfo=UTC)


def _lines(path: Path) -> Iterator[str]:
    yield from path.read_text(encoding="utf-8").splitlines()


def _column(index: int) -> Callable[[Path], Iterator[str]]:
    def read(path: Path) -> Iterator[str]:
        for line in _lines(path):
            fields = line.split("\t")
            if len(fields) > index:
                yield fields[index]

    return read


def _xml_texts(path: Path) -> Iterator[str]:
    for element in ElementTree.parse(path).iter("text"):
        yield element.text or ""


def _csv_comments(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            yield row["comment_text"]


# (glob under the data folder, language, reader)
CORPORA: tuple[tuple[str, str, Callable[[Path], Iterator[str]]], ...] = (
    ("sentiment/de/sb10k/sb10k.tsv", "de", _column(2)),
    ("sentiment/de/potts/dev.tsv", "de", _column(2)),
    ("sentiment/de/potts/train/*.tsv", "de", _column(2)),
    ("sentiment/de/germeval2017/*.xml", "de", _xml_texts),
    ("sentiment/de/umsab/*_text.txt", "de", _lines),
    ("toxicity/de/germeval2018/*.txt", "de", _column(0)),
    ("toxicity/de/germeval2019/*.txt", "de", _column(0)),
    ("toxicity/de/germeval2021/train.csv", "de", _csv_comments),
    ("sentiment/en/umsab/*_text.txt", "en", _lines),
    ("sentiment/en/tweeteval/*/*_text.txt", "en", _lines),
    ("sentiment/en/vader-icwsm2014/*_GroundTruth.txt", "en", _column(2)),
)


def clean(text: str) -> str:
    """Undo the corpora's markup, nothing else."""
    text = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text.replace("|LBR|", "\n"))
    # A few texts were HTML-escaped twice ("f&amp;uuml;r"), in PotTS also spaced out.
    text = _SPACED_ENTITY.sub(r"&\1;", html.unescape(text))
    return html.unescape(text).strip()


def load_texts(data: Path) -> tuple[list[tuple[str, str]], int]:
    """Distinct ``(text, lang)`` pairs from every corpus file, and how many files were read."""
    seen: dict[str, str] = {}
    files = 0
    for pattern, lang, read in CORPORA:
        for path in sorted(data.glob(pattern)):
            files += 1
            for raw in read(path):
                text = clean(raw)
                if text and text not in seen:
                    seen[text] = lang
    return list(seen.items()), files


class PostMaker:
    """Turns texts into varied posts, injecting brand mentions into a share of them."""

    def __init__(self, brands: list[Brand], rng: random.Random, inject_share: float) -> None:
        self.brands, self.rng, self.inject_share = brands, rng, inject_share
        # A few brands are talked about far more than most (Zipf-like).
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(brands))]
        self.cumulative = list(itertools.accumulate(weights))
        self.handles = [self._handle() for _ in range(20_000)]
        self.injected = 0

    def post(self, index: int, text: str, lang: str, title_text: str) -> Post:
        rng = self.rng
        source = rng.choices(SOURCES, _SOURCE_WEIGHTS)[0]
        handle = rng.choice(self.handles)
        brand = None
        if rng.random() < self.inject_share:
            brand = self._brand()
            text = self._inject(text, brand)
            self.injected += 1
            if rng.random() < 0.03:
                handle = brand.handle  # the brand's own account
        title = None
        if source in ("reddit", "youtube", "feeds", "hackernews") and rng.random() < 0.6:
            title = _title(title_text)
        return Post(
            id=str(index), source=source, text=text, title=title, lang=lang,
            created_at=_EPOCH + timedelta(seconds=17 * index),
            url=self._url(source, index, handle, brand),
            author=Author(handle=handle, name=handle.title(), followers=self._followers()),
            metrics=self._metrics(),
        )  # fmt: skip

    def _brand(self) -> Brand:
        point = self.rng.random() * self.cumulative[-1]
        return self.brands[bisect.bisect(self.cumulative, point)]

    def _inject(self, text: str, brand: Brand) -> str:
        rng = self.rng
        words = [self._mention(brand)]
        if rng.random() < 0.5:
            # A theme word right after or a few words on, so NEAR and AND topics match.
            theme = rng.choice(brand.themes)
            words += rng.choices(("", "so", "the", "die", "mit", "and"), k=rng.randint(0, 3))
            words.append(rng.choice(theme.forms()))
        if rng.random() < 0.1:
            words += ["vs", self._mention(self._brand())]
        return _insert(text, " ".join(word for word in words if word), rng)

    def _mention(self, brand: Brand) -> str:
        rng = self.rng
        form = rng.random()
        if form < 0.40:
            return rng.choice((brand.name, brand.word, brand.name.upper(), brand.name + "s"))
        if form < 0.50:
            return brand.variant or brand.name
        if form < 0.65:
            return "#" + rng.choice((brand.name, brand.word))
        if form < 0.75:
            return "@" + brand.handle
        if form < 0.90:
            return rng.choice(brand.products)
        if form < 0.95:
            person = rng.choice(brand.staff)
            return transliterate(person) if rng.random() < 0.3 else person
        return brand.acronym or brand.name

    def _url(self, source: str, index: int, handle: str, brand: Brand | None) -> str | None:
        rng = self.rng
        if source == "reddit":
            sub = rng.choice(_SUBREDDITS)
            return f"https://www.reddit.com/r/{sub}/comments/{_base36(index + 10**8)}/post/"
        if source == "mastodon":
            return f"https://mastodon.social/@{handle}/{10**17 + index}"
        if source == "bluesky":
            return f"https://bsky.app/profile/{handle}.bsky.social/post/3k{_base36(index)}"
        if source == "youtube":
            return f"https://www.youtube.com/watch?v={_base36(index * 7919).rjust(11, 'x')}"
        if source == "hackernews":
            return f"https://news.ycombinator.com/item?id={40_000_000 + index}"
        if brand is not None and rng.random() < 0.5:
            return f"https://www.{brand.domain}/blog/{index}"
        return rng.choice((None, f"https://www.example-news.de/artikel/{index}.html"))

    def _handle(self) -> str:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        base = transliterate(rng.choice((first, last, first + last))).lower().replace("-", "")
        return base + rng.choice(("", "_", ".")) + str(rng.randint(1, 9999))

    def _followers(self) -> int | None:
        return None if self.rng.random() < 0.1 else int(self.rng.lognormvariate(5, 2))

    def _metrics(self) -> Metrics:
        rng = self.rng
        likes = int(rng.expovariate(1 / 20))
        views = None if rng.random() < 0.5 else likes * rng.randint(10, 200)
        return Metrics(likes=likes, reposts=likes // 4, replies=rng.randint(0, 12), views=views)


def _insert(text: str, words: str, rng: random.Random) -> str:
    parts = _GAP.split(text)  # words at even indexes, the spaces between at odd ones
    at = 2 * rng.randint(0, len(parts) // 2 + 1)
    if at >= len(parts):
        return f"{text} {words}"
    return "".join([*parts[:at], words, " ", *parts[at:]])


def _title(text: str) -> str:
    text = text.split("\n", 1)[0]
    return text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + " …"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def make_posts(
    data: Path, count: int, brands: list[Brand], seed: int, inject_share: float = 0.2
) -> tuple[list[Post], dict[str, int]]:
    """``count`` posts over the corpus texts, and figures describing them."""
    texts, files = load_texts(data)
    if not texts:
        raise SystemExit(f"No texts found under {data}; is it the shared data folder?")
    rng = random.Random(seed + 1)
    rng.shuffle(texts)
    maker = PostMaker(brands, rng, inject_share)
    posts = []
    for index in range(count):
        text, lang = texts[index % len(texts)]
        title_text = texts[(index * 31 + 7) % len(texts)][0]
        posts.append(maker.post(index, text, lang, title_text))
    german = sum(post.lang == "de" for post in posts)
    length = sum(len(post.content) for post in posts) // max(1, count)
    return posts, {
        "texts": len(texts),
        "files": files,
        "german": german,
        "injected": maker.injected,
        "length": length,
    }
