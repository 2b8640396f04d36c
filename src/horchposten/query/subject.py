"""A post prepared for matching: its tokens indexed once, field values on demand."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from horchposten.models import Post
from horchposten.text import Token, document_of_tokens, links, tokenize

PREFIX = 5  # wildcard roots are indexed and checked by up to this many letters


# Each enrichment's fields by enrichment name, as stored (docs/enrichment.md).
Enrichments = Mapping[str, Mapping[str, Any]]


class View:
    """The tokens of one text (a post's content, or its title), indexed for lookups."""

    __slots__ = ("_positions", "_prefixes", "_sorted", "present", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.present = {key for token in tokens for key in token.keys}
        self._positions: dict[str, list[int]] = {}
        self._prefixes: set[str] | None = None
        self._sorted: list[str] | None = None

    def keys_starting(self, root: str) -> list[str]:
        """The loose keys that start with ``root``."""
        if self._sorted is None:
            self._sorted = sorted(self.present)
        keys = self._sorted
        start = end = bisect_left(keys, root)
        while end < len(keys) and keys[end].startswith(root):
            end += 1
        return keys[start:end]

    @property
    def prefixes(self) -> set[str]:
        """The first ``PREFIX`` letters of every loose key (wildcards check these first)."""
        if self._prefixes is None:
            self._prefixes = {key[:PREFIX] for key in self.present}
        return self._prefixes

    def positions(self, key: str) -> list[int]:
        """Where tokens with the loose key ``key`` stand."""
        found = self._positions.get(key)
        if found is None:
            # One scan per key asked for: few keys are, so no index of all of them.
            found = self._positions[key] = [
                index for index, token in enumerate(self.tokens) if key in token.keys
            ]
        return found


class Subject:
    """One post prepared for matching: tokens now, titles and field values on demand."""

    __slots__ = ("_facts", "_title", "content", "enrichments", "post")

    def __init__(self, post: Post, enrichments: Enrichments | None = None) -> None:
        self.post = post
        self.enrichments = enrichments or {}
        self.content = View(tokenize(post.content))
        self._title: View | None = None
        self._facts: dict[str, Any] = {}

    def enriched(self, enrichments: Enrichments) -> None:
        """Read these enrichments, and the post as it is now, from here on.

        A subject made before enrichment (to skip posts no topic can match)
        serves the matching after it without cutting the text again.
        """
        self.enrichments = enrichments
        self._facts.clear()

    @property
    def title(self) -> View:
        if self._title is None:
            self._title = View(tokenize(self.post.title or ""))
        return self._title

    @property
    def document(self) -> str:
        """The post's full-text index document."""
        return document_of_tokens([token.loose for token in self.content.tokens])

    def fact(self, name: str) -> Any:
        """The value ``name:`` searches compare (a set of hosts for site and links)."""
        try:
            return self._facts[name]
        except KeyError:
            value = self._facts[name] = _FACTS[name](self)
            return value

    def field_keys(self, names: Iterable[str]) -> list[str]:
        """The anchor keys of the post's values of the fields ``names``."""
        keys = []
        for name in names:
            value = self.fact(name)
            if isinstance(value, frozenset):
                keys += [field_key(name, host) for host in value]
            elif value is not None:
                keys.append(field_key(name, value))
        return keys


def _url(subject: Subject) -> str | None:
    url = subject.post.url
    return re.sub(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?", "", url.lower()) if url else None


def _subreddit(subject: Subject) -> str | None:
    host = _host(subject.post.url)
    if host is None or not (host == "reddit.com" or host.endswith(".reddit.com")):
        return None
    found = re.match(r"/r/([^/]+)", urlsplit(subject.post.url or "").path)
    return found.group(1).lower() if found else None


def _engagement(subject: Subject) -> str | None:
    post = subject.post
    engagement = post.engagement_type or ("reply" if post.parent_id else None)
    return engagement.upper() if engagement else None


def _links(subject: Subject) -> frozenset[str]:
    return frozenset().union(*(_suffixes(_host(link)) for link in links(subject.post.content)))


_FACTS: dict[str, Callable[[Subject], Any]] = {
    "author": lambda s: (s.post.author.handle or "").lstrip("@").lower() or None,
    "language": lambda s: s.post.lang,
    "source": lambda s: s.post.source,
    "site": lambda s: _suffixes(_host(s.post.url)),
    "links": _links,
    "url": _url,
    "subreddit": _subreddit,
    "sentiment": lambda s: s.enrichments.get("sentiment", {}).get("label"),
    "emotion": lambda s: s.enrichments.get("emotion", {}).get("label"),
    "toxicity": lambda s: s.enrichments.get("toxicity", {}).get("label"),
    "disclosure": lambda s: s.enrichments.get("disclosure", {}).get("verdict"),
    "engagementType": _engagement,
    "authorFollowers": lambda s: s.post.author.followers,
    "likes": lambda s: s.post.metrics.likes,
    "replies": lambda s: s.post.metrics.replies,
    "reposts": lambda s: s.post.metrics.reposts,
    "rating": lambda s: s.post.rating,
    "minuteOfDay": lambda s: s.post.created_at.hour * 60 + s.post.created_at.minute,
}


def _host(url: str | None) -> str | None:
    """The lower-case host of an address, with or without scheme (``www.x.de/a``)."""
    found = _HOST.match(url) if url else None
    return found.group(1).lower().rstrip(".") or None if found else None


# Scheme, user info, host: cheaper than urlsplit on every post, and lenient with
# the sloppy links people write.
_HOST = re.compile(r"(?:[a-zA-Z][\w+.-]*://)?(?:[^@/?#\s]*@)?([^/?#:\s]+)")


def _suffixes(host: str | None) -> frozenset[str]:
    if not host:
        return frozenset()
    labels = host.split(".")
    return frozenset(".".join(labels[i:]) for i in range(len(labels)))


def field_key(name: str, value: str) -> str:
    return f"\x00{name}={value}"
