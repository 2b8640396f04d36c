"""Mutated platform payloads, for fuzzing the mapping seam (test_source_fuzz.py, fuzz_sources.py).

Each kind's seed is a payload recorded from the platform (``tests/fixtures``, taken
from ``../shared/data/recordings``). A mutation changes a few places of the parsed
document the ways platforms break their promises: a key dropped, a value of the
wrong type, null, a huge or negative number, a lone surrogate, nesting deeper
than the parser can follow. XML feeds are mutated after parsing, in the raw items
``to_post`` reads (they are stored and mapped again later, so they are input too).
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from horchposten.errors import SourceError
from horchposten.plugins import plugins
from horchposten.sources.base import SourceFactory
from horchposten.sources.guard import map_items, read_payload

FIXTURES = Path(__file__).parent / "fixtures"
DEEP = "\x00deep\x00"  # stands for nesting too deep to write with json.dumps
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


@dataclass(frozen=True)
class Seed:
    kind: str
    payload: Path
    items_only: bool = False  # mutate the parsed raw items instead of the payload


SEEDS = (
    Seed("mastodon", FIXTURES / "mastodon/home_timeline.json"),
    Seed("reddit", FIXTURES / "reddit/askreddit_comments.json"),
    Seed("youtube", FIXTURES / "youtube/comment_threads_by_video_paged_1.json"),
    Seed("bluesky", FIXTURES / "bluesky/search_posts.json"),
    Seed("hackernews", FIXTURES / "hackernews/search_by_date.json"),
    Seed("webhook", FIXTURES / "webhook/batch.json"),
    Seed("feeds", FIXTURES / "feeds/feedjira/json_feed.json"),
    Seed("feeds", FIXTURES / "feeds/feedjira/TechCrunch.xml", items_only=True),
    Seed("bluesky-firehose", FIXTURES / "bluesky/jetstream_events.jsonl"),
    Seed("files", FIXTURES / "files/posts.jsonl"),
)

ODD_VALUES: tuple[Any, ...] = (
    None,
    "",
    "x",
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    "a\x00b",
    "javascript:alert(1)",
    0,
    -1,
    2**63,
    2**64 + 1,
    10**400,
    1e308,
    float("nan"),
    True,
    [],
    {},
    [None],
    {"": None},
    "9999-12-31T23:59:59-23:59",
    "0000-00-00",
    "x" * 10_000,
    DEEP,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node``."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


def _longest_list(document: Any) -> tuple[Any, ...] | None:
    """The path to the longest list in ``document``: a payload's items, usually."""
    lists = [path for path in _places(document) if isinstance(_at(document, path), list)]
    return max(lists, key=lambda path: len(_at(document, path)), default=None)


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


def mutate(
    document: Any, rnd: random.Random, changes: int, items: tuple[Any, ...] | None = None
) -> Any:
    """A copy of ``document`` with ``changes`` places dropped or replaced.

    The list at ``items`` is cut to a window of at most three items first: the
    mutations then hit fewer items harder, and a mutant maps in milliseconds.
    """
    document = copy.deepcopy(document)
    if items is not None:
        listed = _at(document, items)
        start = rnd.randrange(len(listed)) if listed else 0
        listed[:] = listed[start : start + 3]
    places = [p for p in _places(document) if p]
    for _ in range(changes):
        path = rnd.choice(places)
        try:
            parent = _at(document, path[:-1])
            if rnd.random() < 0.3:
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(rnd.choice(ODD_VALUES))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this place
    return document


def dump(document: Any) -> bytes:
    """JSON bytes of a mutated document, with ``DEEP`` written as 100,000 nested lists."""
    text = json.dumps(document).encode()
    return text.replace(json.dumps(DEEP).encode(), DEEP_JSON)


@dataclass
class Target:
    """One seed made ready: its factory and what a mutation changes."""

    seed: Seed
    factory: SourceFactory
    document: Any
    lines: bool  # JSON Lines: one document per line
    items: tuple[Any, ...] | None = None  # where the document's item list is

    @classmethod
    def of(cls, seed: Seed) -> Target:
        factory = plugins().source_factory(seed.kind)
        data = seed.payload.read_bytes()
        lines = seed.payload.suffix == ".jsonl"
        if seed.items_only:
            document: Any = factory.parse_payload(data, str(seed.payload)).items
        elif lines:
            document = [json.loads(line) for line in data.splitlines() if line.strip()]
        else:
            document = json.loads(data)
        return cls(seed, factory, document, lines, _longest_list(document))

    def mutant(self, rnd: random.Random) -> tuple[bytes | None, list[Any]]:
        """A mutated payload (bytes) or, for items-only seeds, mutated raw items."""
        changed = mutate(self.document, rnd, rnd.randint(1, 4), self.items)
        if self.seed.items_only:
            return None, [item for item in changed if isinstance(item, dict)]
        if self.lines:
            return b"\n".join(dump(line) for line in changed), []
        return dump(changed), []


def through_seam(target: Target, rnd: random.Random) -> int:
    """Feed one mutant through reading and mapping, as ``run`` and ``source parse`` do.

    Returns the posts mapped; any exception but a ``SourceError`` for an
    unreadable payload is a crash the seam let through.
    """
    data, items = target.mutant(rnd)
    if data is not None:
        try:
            items = read_payload(
                target.factory, data, f"mutant of {target.seed.payload.name}"
            ).items
        except SourceError:
            return 0
    posts, _problems = map_items(target.factory, items)
    for post in posts:
        post.model_dump_json()  # what storage and export write must encode
        json.dumps(post.raw)
    return len(posts)
