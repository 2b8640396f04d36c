"""What kinds of post the synthetic generator writes, and how often.

A *kind* is what a post is about and how it sounds ("delivery" complaint,
"praise", "football" chatter, a brand's "brand_sorry" reply). The texts live in
``phrases_de`` and ``phrases_en``; this module holds what is the same in both
languages: mood, hashtags, links and the weights that pick a kind.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

BRAND_TAGS = ("#Nordlicht", "#NordlichtKaffee", "#Kaffee", "#coffee", "#Espresso")
COMPETITOR_TAGS = ("{competitor_tag}", "#Kaffee", "#coffee")


@dataclass(frozen=True, slots=True)
class KindInfo:
    """How a kind of post is decorated once its sentences are written."""

    mood: str
    beat: str = "coffee"
    tags: tuple[str, ...] = ()
    tag_p: float = 0.0
    mention: str = ""
    mention_p: float = 0.0
    link: str = ""
    link_p: float = 0.0
    emoji_p: float = 0.3
    brand_related: bool = False
    competitor: bool = False
    long: bool = False


KINDS: Mapping[str, KindInfo] = {
    # Nordlicht Kaffee, the demo's own brand.
    "praise": KindInfo("positive", tags=BRAND_TAGS, tag_p=0.35, mention="@nordlichtkaffee",
                       mention_p=0.2, link="brand", link_p=0.08, emoji_p=0.45, brand_related=True),
    "delivery": KindInfo("negative", tags=(*BRAND_TAGS, "#Lieferchaos", "#Versand"), tag_p=0.3,
                         mention="@nordlichtkaffee", mention_p=0.35, emoji_p=0.35,
                         brand_related=True),
    "price": KindInfo("negative", tags=BRAND_TAGS, tag_p=0.2, mention="@nordlichtkaffee",
                      mention_p=0.15, link="brand", link_p=0.08, brand_related=True),
    "app": KindInfo("negative", tags=(*BRAND_TAGS, "#App", "#Bug"), tag_p=0.25,
                    mention="@nordlichtkaffee", mention_p=0.3, brand_related=True),
    "service": KindInfo("negative", tags=BRAND_TAGS, tag_p=0.2, mention="@nordlichtkaffee",
                        mention_p=0.35, brand_related=True),
    "question": KindInfo("question", tags=BRAND_TAGS, tag_p=0.2, mention="@nordlichtkaffee",
                         mention_p=0.15, emoji_p=0.2, brand_related=True),
    "news": KindInfo("neutral", beat="news", link="news", link_p=0.6, emoji_p=0.05,
                     brand_related=True),
    "sarcasm": KindInfo("sarcastic", tags=BRAND_TAGS, tag_p=0.25, mention="@nordlichtkaffee",
                        mention_p=0.3, emoji_p=0.6, brand_related=True),
    "staff": KindInfo("neutral", beat="news", link="news", link_p=0.45, emoji_p=0.05,
                      brand_related=True),
    "influencer": KindInfo("positive", tags=("#Nordlicht", "#Kaffee", "#coffee", "#Kaffeeliebe"),
                           tag_p=0.8, link="campaign", link_p=0.7, emoji_p=0.8,
                           brand_related=True),
    "brand": KindInfo("neutral", tags=BRAND_TAGS, tag_p=0.4, link="campaign", link_p=0.6,
                      emoji_p=0.4, brand_related=True),
    "launch": KindInfo("positive", tags=("#Polarbohne", *BRAND_TAGS), tag_p=0.5,
                       mention="@nordlichtkaffee", mention_p=0.25, link="campaign", link_p=0.3,
                       emoji_p=0.5, brand_related=True),
    "comparison": KindInfo("neutral", tags=(*BRAND_TAGS, "{competitor_tag}"), tag_p=0.3,
                           emoji_p=0.15, brand_related=True, competitor=True),
    "review": KindInfo("neutral", link="brand", link_p=0.1, emoji_p=0.1, brand_related=True,
                       long=True),
    # The competitors.
    "competitor_praise": KindInfo("positive", tags=COMPETITOR_TAGS, tag_p=0.3,
                                  mention="{competitor_handle}", mention_p=0.2,
                                  link="competitor", link_p=0.1, emoji_p=0.4, competitor=True),
    "competitor_complaint": KindInfo("negative", tags=COMPETITOR_TAGS, tag_p=0.2,
                                     mention="{competitor_handle}", mention_p=0.3, competitor=True),
    "competitor_news": KindInfo("neutral", beat="news", link="competitor", link_p=0.5,
                                emoji_p=0.05, competitor=True),
    # Off-topic chatter that topic queries have to reject.
    "weather": KindInfo("chat", beat="weather", tags=("#Wetter", "#Unwetter"), tag_p=0.2,
                        link="weather", link_p=0.05),
    "football": KindInfo("chat", beat="sport", tags=("#Bundesliga", "#Fußball", "#football"),
                         tag_p=0.3, emoji_p=0.35),
    "trains": KindInfo("chat", beat="rail", tags=("#Bahn", "#DB", "#Deutschlandticket"),
                       tag_p=0.35),
    "coffee": KindInfo("chat", tags=("#Kaffee", "#coffee", "#Kaffeeliebe", "#Espresso"),
                       tag_p=0.35, emoji_p=0.4),
    "aurora": KindInfo("chat", beat="weather", tags=("#Polarlicht", "#Aurora"), tag_p=0.5,
                       emoji_p=0.4),
    # Replies.
    "reply_agree": KindInfo("positive", emoji_p=0.25),
    "reply_disagree": KindInfo("negative", emoji_p=0.15),
    "reply_same": KindInfo("negative", emoji_p=0.25),
    "reply_tip": KindInfo("question", emoji_p=0.1),
    "reply_answer": KindInfo("neutral", emoji_p=0.1),
    "reply_ask": KindInfo("question", emoji_p=0.1),
    "reply_chat": KindInfo("chat", emoji_p=0.4),
    "reply_followup": KindInfo("neutral", emoji_p=0.2),
    "brand_sorry": KindInfo("brand", emoji_p=0.1),
    "brand_sorry_delivery": KindInfo("brand", emoji_p=0.1),
    "brand_sorry_app": KindInfo("brand", emoji_p=0.1),
    "brand_thanks": KindInfo("brand", emoji_p=0.5),
    "brand_answer": KindInfo("brand", emoji_p=0.2),
}  # fmt: skip

TOP_LEVEL: Mapping[str, float] = {
    "praise": 11, "delivery": 6, "price": 4, "app": 4, "service": 3, "question": 6,
    "news": 3, "sarcasm": 3, "staff": 2, "influencer": 3, "brand": 2, "comparison": 3,
    "review": 5, "competitor_praise": 4, "competitor_complaint": 3, "competitor_news": 2,
    "weather": 8, "football": 8, "trains": 8, "coffee": 10, "aurora": 2,
}  # fmt: skip
FEED_TOP_LEVEL: Mapping[str, float] = {
    "news": 8, "staff": 4, "competitor_news": 5, "review": 8, "comparison": 2,
    "weather": 3, "football": 3, "trains": 3, "coffee": 4, "aurora": 1,
}  # fmt: skip
VIDEO_TOP_LEVEL: Mapping[str, float] = {
    "review": 5, "comparison": 4, "influencer": 4, "praise": 2, "brand": 1, "coffee": 5,
    "football": 3,
}  # fmt: skip
BURSTS: Mapping[str, Mapping[str, float]] = {
    "launch": {"launch": 7, "praise": 2, "influencer": 2, "app": 1, "question": 1},
    "delivery_wave": {"delivery": 8, "service": 2, "sarcasm": 2, "staff": 1},
}
FEED_BURSTS: Mapping[str, Mapping[str, float]] = {
    "launch": {"launch": 1, "news": 1},
    "delivery_wave": {"staff": 1, "news": 1},
}

_NEGATIVE = {"reply_same": 4, "reply_tip": 2, "reply_disagree": 1.5, "reply_agree": 1.5}
_POSITIVE = {"reply_agree": 4, "reply_disagree": 1.5, "reply_ask": 1}
_QUESTION = {"reply_answer": 5, "reply_chat": 1}
_NEUTRAL = {"reply_agree": 2, "reply_disagree": 2, "reply_ask": 1.5, "reply_chat": 1}
_CHAT = {"reply_chat": 5, "reply_agree": 1, "reply_disagree": 0.5}
REPLIES: Mapping[str, Mapping[str, float]] = {
    "negative": _NEGATIVE,
    "sarcastic": _NEGATIVE,
    "positive": _POSITIVE,
    "question": _QUESTION,
    "neutral": _NEUTRAL,
    "chat": _CHAT,
    "brand": {"reply_followup": 1},
}
BRAND_REPLIES: Mapping[str, tuple[str, float]] = {
    "negative": ("brand_sorry", 3.5),
    "sarcastic": ("brand_sorry", 2),
    "positive": ("brand_thanks", 1.5),
    "question": ("brand_answer", 2.5),
}

SORRY: Mapping[str, str] = {"delivery": "brand_sorry_delivery", "app": "brand_sorry_app"}


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key of ``weights``, drawn in proportion to its weight."""
    keys, cumulative = _cumulative(tuple(weights.items()))
    return keys[bisect(cumulative, rng.random() * cumulative[-1])]


@cache
def _cumulative(items: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    return tuple(key for key, _ in items), tuple(accumulate(weight for _, weight in items))


def reply_kind(rng: random.Random, parent_kind: str, *, brand_can_answer: bool) -> str:
    """The kind of a reply to a post of ``parent_kind``.

    The brand answers in the open only below posts about itself and only where it
    has an account (``brand_can_answer``).
    """
    parent = KINDS[parent_kind]
    weights = dict(REPLIES[parent.mood])
    if brand_can_answer and parent.brand_related and parent.mood in BRAND_REPLIES:
        kind, weight = BRAND_REPLIES[parent.mood]
        weights[kind] = weight
    kind = pick(rng, weights)
    return SORRY.get(parent_kind, kind) if kind == "brand_sorry" else kind
