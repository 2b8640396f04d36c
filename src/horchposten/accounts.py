"""One account, many spellings: "source:handle" keys that analytics can compare.

The same account is written ``@Anna``, ``anna``, and, where a platform's handles carry
a domain, with or without it: ``nordlichtkaffee.bsky.social`` on Bluesky is mentioned
as ``@nordlichtkaffee`` too, ``anna@social.example`` on Mastodon as ``@anna``. A key is
folded to lower case without the leading ``@``; the short form (without the domain)
is merged into the long one when exactly one long handle of that source shares it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

# Where a handle's domain starts, per source whose handles carry one.
DOMAIN_SEPARATOR = {"bluesky": ".", "mastodon": "@"}


def account_key(source: str, handle: str) -> str:
    """'source:handle' in lower case, without a leading '@'."""
    return f"{source.strip().lower()}:{handle.strip().lstrip('@').lower()}"


def short_form(key: str) -> str:
    """The key without the handle's domain (itself on sources without domains)."""
    source, _, handle = key.partition(":")
    separator = DOMAIN_SEPARATOR.get(source)
    if separator is None or separator not in handle:
        return key
    return f"{source}:{handle.split(separator, 1)[0]}"


def merged_forms(keys: Iterable[str]) -> dict[str, str]:
    """Each key -> the key its account is counted under (long forms win when unique)."""
    keys = set(keys)
    long_forms: defaultdict[str, set[str]] = defaultdict(set)
    for key in keys:
        if short_form(key) != key:
            long_forms[short_form(key)].add(key)
    merged = {}
    for key in keys:
        candidates = long_forms.get(key, set())
        merged[key] = next(iter(candidates)) if len(candidates) == 1 else key
    return merged


def is_own(key: str, own: Iterable[str]) -> bool:
    """Whether the key is one of the declared accounts, in any of its spellings."""
    declared = set(own)
    return key in declared or short_form(key) in {short_form(k) for k in declared}
