"""The demo's population of authors: many small accounts, a few big ones, one brand.

Every author lives on one platform and writes in one language; handle, name and
follower count stay the same in every post. Follower counts follow a Zipf-like
curve (a handful of accounts with 10k-500k followers), and so does how often
someone posts.
"""

from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import accumulate

from horchposten.demo.fillers import (
    BLOGS,
    ENGLISH_NAMES,
    GERMAN_NAMES,
    MASTODON_HOME,
    MASTODON_INSTANCES,
    NICKNAMES,
)

CROWD_SIZES: Mapping[str, int] = {
    "mastodon": 1500, "bluesky": 1300, "reddit": 1100, "youtube": 600, "files": 400,
}  # fmt: skip
FOLLOWER_SCALE: Mapping[str, int] = {"mastodon": 90_000, "bluesky": 250_000, "youtube": 400_000}
MAX_FOLLOWERS = 500_000
GERMAN_SHARE = 0.6
INFLUENCERS_PER_CROWD = 12
DID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})  # noqa: RUF001


@dataclass(frozen=True, slots=True)
class Profile:
    """One author account as the platform shows it."""

    source: str
    lang: str
    handle: str | None
    name: str
    followers: int | None
    url: str | None
    home: str = ""
    did: str = ""
    beat: str = ""

    @property
    def first_name(self) -> str:
        """How a reply addresses this author: the first name, else the handle."""
        first = self.name.split(" ")[0]
        return first if first.isalpha() and first[0].isupper() else (self.handle or self.name)

    def author(self) -> dict[str, str | int | None]:
        """The interchange ``author`` object."""
        return {"handle": self.handle, "name": self.name, "followers": self.followers,
                "url": self.url}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Crowd:
    """The accounts of one platform and language, weighted by how often they post."""

    profiles: tuple[Profile, ...]
    cum_weights: tuple[float, ...]

    def pick(self, rng: random.Random) -> Profile:
        return self.profiles[bisect(self.cum_weights, rng.random() * self.cum_weights[-1])]


@dataclass(frozen=True, slots=True)
class World:
    """Everyone who posts in the demo."""

    crowds: Mapping[tuple[str, str], Crowd]
    influencers: Mapping[tuple[str, str], tuple[Profile, ...]]
    blogs: Mapping[tuple[str, str], tuple[Profile, ...]]
    brand: Mapping[str, Profile]


def fold(text: str, sep: str = "") -> str:
    """``"Jürgen Weiß"`` → ``"juergenweiss"``: lowercase ASCII letters and digits only.

    Runs of other characters become ``sep``.
    """
    plain = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return re.sub(r"[^a-z0-9]+", sep, plain.encode("ascii", "ignore").decode()).strip(sep)


def build_world(rng: random.Random) -> World:
    """The whole population, drawn from ``rng``."""
    crowds: dict[tuple[str, str], Crowd] = {}
    influencers: dict[tuple[str, str], tuple[Profile, ...]] = {}
    for source, size in CROWD_SIZES.items():
        used: set[str] = set()
        for lang in ("de", "en"):
            share = GERMAN_SHARE if lang == "de" else 1 - GERMAN_SHARE
            profiles = [_person(rng, source, lang, used) for _ in range(round(size * share))]
            profiles = _with_followers(rng, source, profiles)
            crowds[source, lang] = _crowd(rng, profiles)
            biggest = sorted(profiles, key=lambda p: p.followers or 0, reverse=True)
            influencers[source, lang] = tuple(biggest[:INFLUENCERS_PER_CROWD])
    return World(crowds, influencers, _blogs(), _brand(rng))


def _crowd(rng: random.Random, profiles: list[Profile]) -> Crowd:
    ranks = list(range(1, len(profiles) + 1))
    rng.shuffle(ranks)
    return Crowd(tuple(profiles), tuple(accumulate(1 / rank**0.6 for rank in ranks)))


def _with_followers(rng: random.Random, source: str, profiles: list[Profile]) -> list[Profile]:
    scale = FOLLOWER_SCALE.get(source)
    if scale is None:
        return profiles
    ranks = list(range(1, len(profiles) + 1))
    rng.shuffle(ranks)
    return [
        replace(p, followers=min(MAX_FOLLOWERS, _followers(rng, scale, rank)))
        for p, rank in zip(profiles, ranks, strict=True)
    ]


def _followers(rng: random.Random, scale: int, rank: int) -> int:
    return int(scale / rank**1.1 * rng.lognormvariate(0, 0.3)) + rng.randint(0, 40)


def _person(rng: random.Random, source: str, lang: str, used: set[str]) -> Profile:
    firsts, lasts = GERMAN_NAMES if lang == "de" else ENGLISH_NAMES
    first, last = rng.choice(firsts), rng.choice(lasts)
    if rng.random() < 0.12:
        base, name = rng.choice(NICKNAMES[lang])
        base += str(rng.randint(1, 99))
    else:
        base = _handle(rng, fold(first), fold(last))
        name = rng.choice((f"{first} {last}", f"{first} {last}", f"{first} {last[0]}.", first))
    while base in used:
        base += str(rng.randint(0, 9))
    used.add(base)
    return _account(rng, source, lang, base, name)


def _handle(rng: random.Random, first: str, last: str) -> str:
    pattern = rng.randrange(6)
    if pattern == 0:
        return first + last
    if pattern == 1:
        return f"{first}_{last}"
    if pattern == 2:
        return f"{first}{last[0]}{rng.randint(70, 99)}"
    if pattern == 3:
        return first[0] + last
    if pattern == 4:
        return f"{last}_{first[:3]}"
    return f"{first}{rng.randint(1, 2025)}"


def _account(rng: random.Random, source: str, lang: str, base: str, name: str) -> Profile:
    if source == "mastodon":
        home = MASTODON_HOME if rng.random() < 0.55 else rng.choice(MASTODON_INSTANCES)
        handle = base if home == MASTODON_HOME else f"{base}@{home}"
        return Profile(source, lang, handle, name, None, f"https://{home}/@{base}", home=home)
    if source == "bluesky":
        handle = f"{base.replace('_', '-')}.bsky.example"
        did = "did:plc:" + "".join(rng.choices(DID_ALPHABET, k=24))
        return Profile(source, lang, handle, name, None, f"https://bsky.example/profile/{handle}",
                       did=did)  # fmt: skip
    if source == "reddit":
        return Profile(source, lang, base, base, None, f"https://reddit.example/user/{base}")
    if source == "youtube":
        return Profile(source, lang, base, name, None, f"https://youtube.example/@{base}")
    return Profile(source, lang, base, name, None, None)


def _blogs() -> dict[tuple[str, str], tuple[Profile, ...]]:
    blogs: dict[tuple[str, str], tuple[Profile, ...]] = {}
    for name, host, lang, beat in BLOGS:
        profile = Profile("feeds", lang, None, name, None, f"https://{host}/", home=host, beat=beat)
        blogs[lang, beat] = (*blogs.get((lang, beat), ()), profile)
    return blogs


def _brand(rng: random.Random) -> dict[str, Profile]:
    """@nordlichtkaffee, answering on every platform where it has an account."""
    name = "Nordlicht Kaffee"
    did = "did:plc:" + "".join(rng.choices(DID_ALPHABET, k=24))
    bsky = "nordlichtkaffee.bsky.example"
    return {
        "mastodon": Profile("mastodon", "de", "nordlichtkaffee", name, 18_400,
                            "https://social.example/@nordlichtkaffee", home=MASTODON_HOME),
        "bluesky": Profile("bluesky", "de", bsky, name, 26_900,
                           f"https://bsky.example/profile/{bsky}", did=did),
        "reddit": Profile("reddit", "de", "nordlichtkaffee", "nordlichtkaffee", None,
                          "https://reddit.example/user/nordlichtkaffee"),
        "youtube": Profile("youtube", "de", "nordlichtkaffee", name, 41_300,
                           "https://youtube.example/@nordlichtkaffee"),
    }  # fmt: skip
