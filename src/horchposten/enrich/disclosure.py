"""The ad-disclosure enricher: is a post that shows commercial signals labelled as advertising?

Fields (docs/ad-disclosure.md explains every rule and its legal background)::

    {"verdict": "disclosed" | "undisclosed_commercial_signals" | "no_commercial_signals",
     "markers": [{"text", "start", "at_start", "kind", "english", "in_hashtag_block"}],
     "signals": [{"text", "start", "kind"} (+ "mention" for brand_and_shop_link)],
     "negations": [{"text", "start"}],
     "label_at_start": bool, "notes": [code, ...], "rules": RULES}

Offsets index ``Post.content``: the title, a line break, then the text. A
marker is at the start when it is in the title or begins within the first
``FOLD_CHARS`` characters and ``FOLD_LINES`` lines of the text, where every
platform shows it before its "mehr"/"more" fold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from horchposten.enrich import disclosure_markers as markers
from horchposten.enrich import disclosure_signals as signals
from horchposten.enrich.base import Earlier, Enricher, Fields
from horchposten.hookspecs import hookimpl
from horchposten.models import Post

RULES = "disclosure-2026.11"
FOLD_CHARS = 100
FOLD_LINES = 2
DISCLOSED = "disclosed"
UNDISCLOSED = "undisclosed_commercial_signals"
NONE = "no_commercial_signals"


class _Layout:
    """Where the title ends and the text starts in ``Post.content``, and what is at the start."""

    def __init__(self, post: Post) -> None:
        self.title_end = len(post.title) if post.title else 0
        self.text_start = self.title_end + 1 if post.title else 0
        self.text = post.text or ""
        self.parts = [
            (part, at) for part, at in ((post.title, 0), (post.text, self.text_start)) if part
        ]

    def at_start(self, offset: int) -> bool:
        if offset < self.title_end:
            return True
        inside = offset - self.text_start
        return inside < FOLD_CHARS and self.text.count("\n", 0, inside) < FOLD_LINES


Item = dict[str, Any]


def _marker(
    found: markers.Found, offset: int, layout: _Layout, blocks: list[tuple[int, int]]
) -> Item:
    start = offset + found.start
    return {
        "text": found.text,
        "start": start,
        "at_start": layout.at_start(start),
        "kind": found.kind,
        "english": found.english,
        "in_hashtag_block": any(a <= found.start < b for a, b in blocks),
    }


def _signal(found: signals.Signal, offset: int) -> Item:
    item: Item = {"kind": found.kind, "text": found.text, "start": offset + found.start}
    if found.mention:
        item["mention"] = found.mention
    return item


def _scan(layout: _Layout) -> tuple[list[Item], list[Item], list[Item]]:
    """Markers, negations and signals of every part of the post, with offsets into its content."""
    found: list[Item] = []
    negations: list[Item] = []
    signal_list: list[Item] = []
    for part, offset in layout.parts:
        lowered = part.lower()
        candidates, explained = markers.find(part, lowered)
        blocks = markers.hashtag_blocks(part) if candidates else []
        for item in candidates:
            if item.kind == "negation":
                negations.append({"text": item.text, "start": offset + item.start})
            else:
                found.append(_marker(item, offset, layout, blocks))
        if explained:
            for star in markers.asterisks(part):
                star_found = markers.Found("affiliate_asterisk", "*", star, False)
                found.append(_marker(star_found, offset, layout, []))
        signal_list += [_signal(signal, offset) for signal in signals.find(part, lowered)]
    found.sort(key=lambda marker: marker["start"])
    return found, negations, signal_list


def _notes(post: Post, found: list[Item], signal_list: list[Item], negated: bool) -> list[str]:
    if not found:
        return ["negation_with_signals"] if negated and signal_list else []
    labels = [m for m in found if m["kind"] != "affiliate_asterisk"]
    notes = []
    if not any(m["at_start"] for m in labels):
        notes.append("label_not_at_start")
    if all(m["in_hashtag_block"] and not m["at_start"] for m in labels):
        notes.append("label_in_hashtag_block")
    if post.lang == "de" and all(m["english"] for m in labels):
        notes.append("english_label_only")
    if signal_list and any(m["kind"] == "unpaid_label" for m in labels):
        notes.append("unpaid_label_with_signals")
    return notes


def assess(post: Post) -> Fields:
    """The disclosure fields of one post."""
    found, negations, signal_list = _scan(_Layout(post))
    verdict = DISCLOSED if found else UNDISCLOSED if signal_list else NONE
    return {
        "verdict": verdict,
        "markers": found,
        "signals": signal_list,
        "negations": negations,
        "label_at_start": any(m["at_start"] for m in found if m["kind"] != "affiliate_asterisk"),
        "notes": _notes(post, found, signal_list, bool(negations)),
        "rules": RULES,
    }


class DisclosureEnricher:
    """Ad disclosure by rules: markers against commercial signals."""

    name = "disclosure"
    version = RULES
    requires: tuple[str, ...] = ()

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        return [assess(post) for post in batch]


@hookimpl
def register_enrichers() -> list[Enricher]:
    return [DisclosureEnricher()]
