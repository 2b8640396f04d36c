"""Native-looking ids and URLs for each platform, unique per source.

mastodon: snowflake ids from the post time; bluesky: at:// URIs with a TID
record key; reddit: ``t3_``/``t1_`` base-36 ids in subreddits; youtube: videos
with 11-character ids and their ``Ug…`` comments; feeds: article URLs; files: a
forum export with numeric post ids.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from horchposten.demo.authors import Profile, fold

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
YOUTUBE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
FORUM = "https://kaffeeforum.example"
SUBREDDITS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("de", "coffee"): ("Kaffee", "Kaffee", "espresso", "de"),
    ("de", "news"): ("de", "hamburg", "Finanzen"),
    ("de", "sport"): ("Bundesliga", "de"),
    ("de", "rail"): ("bahn", "de"),
    ("de", "weather"): ("de", "hamburg", "kiel"),
    ("en", "coffee"): ("coffee", "espresso", "germany"),
    ("en", "news"): ("germany", "europe", "hamburg"),
    ("en", "sport"): ("soccer", "Bundesliga"),
    ("en", "rail"): ("germany", "trains"),
    ("en", "weather"): ("germany", "europe"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a post sits: its native id, its URL and what its replies need to know."""

    id: str
    url: str | None
    anchor: str = ""
    venue: str = ""
    slug: str = ""


def slugify(text: str, sep: str = "-") -> str:
    """``"Die neue Polarbohne ist da!"`` → ``"die-neue-polarbohne-ist-da"`` (at most 50 chars)."""
    return fold(text, sep)[:50].rstrip(sep) or "post"


class Addresses:
    """Hands out ids and URLs; never the same id twice on one source."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: dict[str, set[str]] = {}
        self._counters = {
            "t3": 2 * 36**6 + rng.randrange(36**5),
            "t1": 30 * 36**6 + rng.randrange(36**5),
            "files": rng.randint(40_000, 90_000),
        }

    def top(self, source: str, author: Profile, at: datetime, title: str, beat: str) -> Place:
        """The place of a new thread: a status, a submission, a video, an article."""
        if source == "mastodon":
            return self._mastodon(author, at)
        if source == "bluesky":
            return self._bluesky(author, at)
        if source == "reddit":
            sub = self._rng.choice(SUBREDDITS[author.lang, beat])
            slug, post = slugify(title, "_"), self._count("t3", 40)
            return Place(f"t3_{post}", f"https://reddit.example/r/{sub}/comments/{post}/{slug}/",
                         anchor=post, venue=sub, slug=slug)  # fmt: skip
        if source == "youtube":
            video = self._unique("youtube", lambda: self._chars(YOUTUBE_ALPHABET, 11))
            return Place(video, f"https://youtube.example/watch?v={video}", anchor=video)
        if source == "feeds":
            return self._article(author, at, slugify(title))
        topic, slug = self._count("files", 9, base=10), slugify(title)
        return Place(topic, f"{FORUM}/t/{slug}/{topic}", anchor=topic, slug=slug)

    def reply(self, source: str, author: Profile, at: datetime, parent: Place) -> Place:
        """The place of a reply below ``parent`` on the same source."""
        if source == "mastodon":
            return self._mastodon(author, at)
        if source == "bluesky":
            return self._bluesky(author, at)
        if source == "reddit":
            comment = self._count("t1", 400)
            url = f"https://reddit.example/r/{parent.venue}/comments/{parent.anchor}/{parent.slug}/"
            return Place(f"t1_{comment}", f"{url}{comment}/", parent.anchor, parent.venue,
                         parent.slug)  # fmt: skip
        if source == "youtube":
            comment = self._unique("youtube", lambda: self._comment_id(parent.venue))
            url = f"https://youtube.example/watch?v={parent.anchor}&lc={comment}"
            return Place(comment, url, anchor=parent.anchor, venue=parent.venue or comment)
        post = self._count("files", 9, base=10)
        return Place(post, f"{FORUM}/t/{parent.slug}/{parent.anchor}#post-{post}",
                     anchor=parent.anchor, slug=parent.slug)  # fmt: skip

    def _mastodon(self, author: Profile, at: datetime) -> Place:
        seen = self._seen.setdefault("mastodon", set())
        snowflake = (int(at.timestamp() * 1000) << 16) | self._rng.getrandbits(16)
        while str(snowflake) in seen:
            snowflake += 1
        status = str(snowflake)
        seen.add(status)
        user = (author.handle or "").split("@")[0]
        return Place(status, f"https://{author.home}/@{user}/{status}")

    def _bluesky(self, author: Profile, at: datetime) -> Place:
        def tid() -> str:
            micros = int(at.timestamp()) * 1_000_000 + self._rng.randrange(1_000_000)
            return _encode((micros << 10) | self._rng.getrandbits(10), TID_ALPHABET, 13)

        key = self._unique("bluesky", tid)
        return Place(
            f"at://{author.did}/app.bsky.feed.post/{key}",
            f"https://bsky.example/profile/{author.handle}/post/{key}",
        )

    def _article(self, author: Profile, at: datetime, slug: str) -> Place:
        base = f"https://{author.home}/{at.year}/{at.month:02d}/{slug}"
        seen = self._seen.setdefault("feeds", set())
        url, copy = f"{base}/", 1
        while url in seen:
            copy += 1
            url = f"{base}-{copy}/"
        seen.add(url)
        return Place(url, url)

    def _comment_id(self, thread: str) -> str:
        if thread:
            return f"{thread}.{self._chars(YOUTUBE_ALPHABET, 22)}"
        kind = self._rng.choice("wxyz")
        return f"Ug{kind}{self._chars(YOUTUBE_ALPHABET, 16)}4AaABAg"

    def _count(self, counter: str, step: int, base: int = 36) -> str:
        self._counters[counter] += self._rng.randint(1, step)
        value = self._counters[counter]
        return str(value) if base == 10 else _encode(value, BASE36)

    def _unique(self, source: str, make: Callable[[], str]) -> str:
        seen = self._seen.setdefault(source, set())
        value = make()
        while value in seen:
            value = make()
        seen.add(value)
        return value

    def _chars(self, alphabet: str, length: int) -> str:
        return "".join(self._rng.choices(alphabet, k=length))


def _encode(value: int, alphabet: str, width: int = 0) -> str:
    base, digits = len(alphabet), []
    while value:
        value, digit = divmod(value, base)
        digits.append(alphabet[digit])
    return "".join(reversed(digits)).rjust(width, alphabet[0])
