"""Deterministic synthetic social posts for the demo and the benchmarks.

A fictional German-speaking coffee market: the roaster Nordlicht Kaffee
(@nordlichtkaffee; Nordlicht Espresso, Polarbohne, the Nordlicht App; CEO Mara
Lindqvist), its competitors Bergquell Kaffee and Röstwerk, and off-topic chatter
about weather, football, trains, coffee in general and the northern lights.
About 60% German and 40% English, a quarter replies (the brand answers too), ~3%
copy-paste campaigns, spread over mastodon, bluesky, reddit, youtube, feeds and
files with native-looking ids.

    >>> posts = list(generate_posts(1000, seed=7, now=datetime(2026, 3, 1, tzinfo=UTC)))

The same ``seed`` and ``now`` give the same posts; only ``random.Random(seed)``
is used, never the global generator.
"""

from __future__ import annotations

import random
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from horchposten.demo.authors import Profile, World, build_world
from horchposten.demo.compose import EMOJI, Slots, headline, write
from horchposten.demo.kinds import (
    BURSTS,
    FEED_BURSTS,
    FEED_TOP_LEVEL,
    KINDS,
    TOP_LEVEL,
    VIDEO_TOP_LEVEL,
    pick,
    reply_kind,
)
from horchposten.demo.metrics import metrics_for
from horchposten.demo.platforms import Addresses, Place
from horchposten.demo.timeline import Moment, sample_moments
from horchposten.models import Post

__all__ = ["generate_posts"]

SOURCES: Mapping[str, float] = {
    "mastodon": 0.30, "bluesky": 0.25, "reddit": 0.18, "youtube": 0.10, "feeds": 0.09,
    "files": 0.08,
}  # fmt: skip
GERMAN_SHARE = 0.6
REPLY_SHARE = 0.26
COPY_SHARE = 0.04
LENGTH_LIMITS: Mapping[str, int] = {"bluesky": 300, "mastodon": 500}
MENTIONING = ("mastodon", "bluesky", "youtube")
COPYABLE = ("praise", "delivery", "influencer", "sarcasm", "launch", "brand", "app")
INHERITED = ("product", "brew", "competitor", "competitor_short", "competitor_product",
             "competitor_handle", "competitor_tag", "competitor_host")  # fmt: skip
CAMPAIGN_TAGS = ("#NordlichtLiefertNicht", "#Kaffee", "#Nordlicht", "#coffee")
COPY_PREFIXES = ("RT ", "+1 ", "Das! ", "This! ", "Genau so: ", "Same: ")


@dataclass(frozen=True, slots=True)
class _Node:
    """What later replies and copies need to know about a generated post."""

    place: Place
    source: str
    lang: str
    kind: str
    author: Profile
    root_id: str
    topic: Mapping[str, str]
    text: str


def generate_posts(
    count: int, *, seed: int = 7, now: datetime | None = None, days: int = 30
) -> Iterator[Post]:
    """``count`` synthetic posts from the ``days`` days before ``now``, oldest first.

    Deterministic for a given ``seed`` and ``now`` (default: the current time).
    Replies always follow the post they answer.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, got {count}.")
    if days < 1:
        raise ValueError(f"days must be 1 or more, got {days}.")
    end = datetime.now(UTC) if now is None else now
    if end.tzinfo is None:
        raise ValueError(f"now must be timezone-aware, got {end!r}; pass e.g. datetime.now(UTC).")
    rng = random.Random(seed)
    writer = _Writer(rng, build_world(rng), recent=max(3.0, count / (days * 8)))
    return (writer.post(moment) for moment in sample_moments(rng, count, end, days))


class _Writer:
    """Writes one post per moment, remembering recent ones to reply to and copy."""

    def __init__(self, rng: random.Random, world: World, recent: float) -> None:
        self._rng = rng
        self._world = world
        self._addresses = Addresses(rng)
        self._recent = recent
        self._threads: deque[_Node] = deque(maxlen=int(recent * 6) + 10)
        self._copyable: deque[_Node] = deque(maxlen=200)

    def post(self, moment: Moment) -> Post:
        rng = self._rng
        if self._threads and rng.random() < REPLY_SHARE:
            node, post = self._reply(moment)
        elif self._copyable and rng.random() < COPY_SHARE:
            node, post = self._copy(moment)
        else:
            node, post = self._top(moment)
        if node.source != "feeds":
            self._threads.append(node)
        if node.kind in COPYABLE and node.source in ("mastodon", "bluesky") and not post.parent_id:
            self._copyable.append(node)
        return post

    def _top(self, moment: Moment) -> tuple[_Node, Post]:
        rng = self._rng
        lang = "de" if rng.random() < GERMAN_SHARE else "en"
        source = pick(rng, SOURCES)
        kind = self._kind(source, moment.burst)
        author, kind = self._author(source, lang, kind)
        preset = {"who": author.first_name.upper()} if kind == "influencer" else {}
        text, slots = write(rng, kind, lang, preset, mentions=source in MENTIONING)
        title, body = self._titled(source, kind, text, slots)
        place = self._addresses.top(source, author, moment.at, title or text, KINDS[kind].beat)
        node = _Node(place, source, lang, kind, author, place.id, _topic(slots), text)
        return node, self._build(node, moment, body, title, parent=None)

    def _reply(self, moment: Moment) -> tuple[_Node, Post]:
        rng = self._rng
        back = min(len(self._threads) - 1, int(rng.expovariate(1 / self._recent)))
        parent = self._threads[-1 - back]
        source, lang = parent.source, parent.lang
        brand = self._world.brand.get(source)
        kind = reply_kind(rng, parent.kind, brand_can_answer=brand not in (None, parent.author))
        if brand is not None and kind.startswith("brand_"):
            author = brand
        else:
            lang = lang if rng.random() < 0.93 else ("en" if lang == "de" else "de")
            author = self._world.crowds[source, lang].pick(rng)
        preset = {**parent.topic, "them": parent.author.first_name}
        if lang != parent.lang:
            preset.pop("product", None)  # German templates need a feminine product name
        text, _ = write(rng, kind, lang, preset)
        if source in MENTIONING and parent.author.handle and parent.author is not author:
            text = f"@{parent.author.handle} {text}"
        place = self._addresses.reply(source, author, moment.at, parent.place)
        node = _Node(place, source, lang, kind, author, parent.root_id, parent.topic, text)
        return node, self._build(node, moment, text, None, parent=parent)

    def _copy(self, moment: Moment) -> tuple[_Node, Post]:
        """A copy-paste campaign: someone else posts the same text, maybe slightly changed."""
        rng = self._rng
        original = rng.choice(self._copyable)
        source = rng.choice(("mastodon", "bluesky"))
        author = self._world.crowds[source, original.lang].pick(rng)
        text = original.text if rng.random() < 0.5 else _near_copy(rng, original)
        place = self._addresses.top(source, author, moment.at, text, "coffee")
        node = _Node(place, source, original.lang, original.kind, author, place.id,
                     original.topic, text)  # fmt: skip
        return node, self._build(node, moment, text, None, parent=None)

    def _kind(self, source: str, burst: str | None) -> str:
        if source == "feeds":
            return pick(self._rng, FEED_BURSTS[burst] if burst else FEED_TOP_LEVEL)
        if burst:
            return pick(self._rng, BURSTS[burst])
        return pick(self._rng, VIDEO_TOP_LEVEL if source == "youtube" else TOP_LEVEL)

    def _author(self, source: str, lang: str, kind: str) -> tuple[Profile, str]:
        """Who writes a new post of ``kind``; kinds a platform cannot carry fall back."""
        world, rng = self._world, self._rng
        if source == "feeds":
            blogs = world.blogs.get((lang, KINDS[kind].beat)) or world.blogs[lang, "news"]
            return rng.choice(blogs), kind
        if kind == "brand" and source in world.brand:
            return world.brand[source], kind
        if kind == "influencer" and (source, lang) in world.influencers:
            return rng.choice(world.influencers[source, lang]), kind
        fallback = {"brand": "news", "influencer": "praise"}.get(kind, kind)
        return world.crowds[source, lang].pick(rng), fallback

    def _titled(
        self, source: str, kind: str, text: str, slots: Slots
    ) -> tuple[str | None, str | None]:
        """(title, text): reddit, youtube, feeds and the forum export have titles."""
        if source in ("mastodon", "bluesky"):
            return None, text
        title = headline(self._rng, kind, slots) if source != "reddit" else None
        return (title, text) if title else _split_title(text)

    def _build(
        self, node: _Node, moment: Moment, text: str | None, title: str | None,
        parent: _Node | None,
    ) -> Post:  # fmt: skip
        limit = LENGTH_LIMITS.get(node.source)
        if text and limit and len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
        followers = node.author.followers
        video = node.source == "youtube" and parent is None
        return Post.model_validate(
            {
                "id": node.place.id,
                "source": node.source,
                "text": text,
                "title": title,
                "created_at": moment.at,
                "url": node.place.url,
                "lang": node.lang,
                "author": node.author.author(),
                "parent_id": parent.place.id if parent else None,
                "root_id": node.root_id if parent else None,
                "metrics": metrics_for(self._rng, node.source, followers, video=video,
                                       reply=parent is not None),
            }
        )  # fmt: skip


def _topic(slots: Slots) -> dict[str, str]:
    """The slot values a reply may refer back to (the product, the competitor)."""
    return {key: slots[key] for key in INHERITED if key in slots}


def _split_title(text: str) -> tuple[str, str | None]:
    """Reddit style: the first sentence as the title, the rest as the body."""
    match = re.search(r"(?<=[.!?…])\s+", text[20:140])
    if match is None:
        return text, None
    cut = 20 + match.start()
    return text[:cut], text[cut:].lstrip() or None


def _near_copy(rng: random.Random, original: _Node) -> str:
    text = original.text
    roll = rng.random()
    if "utm_source=" in text and roll < 0.3:
        return re.sub(r"utm_source=\w+", f"utm_source=share{rng.randint(1, 99)}", text)
    if roll < 0.5:
        return f"{rng.choice(COPY_PREFIXES)}{text}"
    if roll < 0.75:
        return f"{text} {rng.choice(CAMPAIGN_TAGS)}"
    return f"{text} {rng.choice(EMOJI[KINDS[original.kind].mood])}"
