"""Hashtags, mentions, cashtags and links of a post, each once, in the order written."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from horchposten.text import Token, blank_links, links

# A ticker: a "$" that follows no word character or "$", one to six letters, and
# an optional exchange or share-class suffix ("$BEI", "$BRK.B"); "$5" is a price.
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])")
# Punctuation that ends a sentence rather than a link: "(see https://nivea.de)."
_TRAILING = ".,;:!?…'\"»«“”„\u2018\u2019*"
_CLOSING = {")": "(", "]": "[", "}": "{", ">": "<"}


def hashtags(tokens: Iterable[Token]) -> list[str]:
    """``["#nivea", …]``: lower case, accents kept."""
    return _unique(token.lower for token in tokens if token.kind == "hashtag")


def mentions(tokens: Iterable[Token]) -> list[str]:
    """``["@nivea_de", …]``: lower case, like the handles they name."""
    return _unique(token.lower for token in tokens if token.kind == "mention")


def cashtags(text: str) -> list[str]:
    """``["$BEI", …]``: upper case; none inside links."""
    if "$" not in text:
        return []
    return _unique(f"${ticker.upper()}" for ticker in _CASHTAG.findall(blank_links(text)))


def links_and_domains(text: str) -> tuple[list[str], list[str]]:
    """The links as written, without the punctuation after them, and their hosts without www."""
    found = [link for link in (_trimmed(link) for link in links(text)) if _host(link)]
    return _unique(found), _unique(_host(link) for link in found)


def _trimmed(link: str) -> str:
    while link and (
        link[-1] in _TRAILING
        or (link[-1] in _CLOSING and link.count(link[-1]) > link.count(_CLOSING[link[-1]]))
    ):
        link = link[:-1]
    return link


def _host(link: str) -> str:
    try:
        host = urlsplit(link if "://" in link else f"//{link}").hostname or ""
    except ValueError:  # an unbalanced "[" reads as a broken IPv6 address
        return ""
    host = host.rstrip(".")
    return host.removeprefix("www.") if "." in host else ""


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
