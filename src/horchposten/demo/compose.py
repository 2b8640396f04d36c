"""Write a post's text from its kind: sentences, slot values, mentions, links, hashtags, emoji."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from horchposten.demo import phrases_de, phrases_en
from horchposten.demo.fillers import COMPETITORS, SHARED
from horchposten.demo.kinds import KINDS, KindInfo

Pools = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Language:
    """The text material of one language."""

    code: str
    kinds: Mapping[str, Pools]
    titles: Mapping[str, tuple[str, ...]]
    fillers: Mapping[str, tuple[str, ...]]
    disclosures: tuple[str, ...]
    disclosure_tags: tuple[str, ...]


LANGUAGES: Mapping[str, Language] = {
    "de": Language("de", phrases_de.KINDS, phrases_de.TITLES, phrases_de.FILLERS,
                   phrases_de.DISCLOSURES, phrases_de.DISCLOSURE_TAGS),
    "en": Language("en", phrases_en.KINDS, phrases_en.TITLES, phrases_en.FILLERS,
                   phrases_en.DISCLOSURES, phrases_en.DISCLOSURE_TAGS),
}  # fmt: skip

EMOJI: Mapping[str, tuple[str, ...]] = {
    "positive": ("😍", "☕", "☕️", "🔥", "👌", "🙌", "❤️", "✨", "😊"),
    "negative": ("😤", "😡", "🙄", "📦", "😩", "👎", "🤬"),
    "sarcastic": ("🙃", "👏", "🤡", "😂"),
    "question": ("🤔", "🙏", "👀"),
    "neutral": ("👉", "☕", "📰"),
    "chat": ("😅", "😂", "🙈", "👍", "😎"),
    "brand": ("☕", "💛", "🙏"),
}

BRAND_PAGES = (
    "shop/polarbohne", "shop/nordlicht-espresso", "shop/abo", "app", "blog/neue-ernte-kolumbien",
    "hilfe/lieferung", "blog/polarbohne-launch", "shop/geschenkbox", "shop/fjord-mischung",
)  # fmt: skip
NEWS_SITES = ("elbkurier.example", "nordwest-nachrichten.example", "kaffeezeitung.example",
              "wirtschaft-nord.example", "hamburgexpat.example")  # fmt: skip
NEWS_SECTIONS = ("wirtschaft", "hamburg", "region", "business", "food")
NEWS_SLUGS = ("nordlicht-kaffee-expandiert", "roester-im-wandel", "kaffeepreise-steigen",
              "interview-lindqvist", "lieferprobleme-bei-nordlicht", "neue-roesterei")  # fmt: skip
UTM_SOURCES = ("instagram", "mastodon", "bluesky", "newsletter", "youtube", "influencer")
UTM_MEDIUMS = ("social", "email", "paid_social", "referral")
UTM_CAMPAIGNS = ("polarbohne_launch", "winter_sale", "influencer_q4", "newsletter_kw12",
                 "app_relaunch", "abo_aktion")  # fmt: skip
EXTRA_SENTENCE = 0.35
CODE_WORDS = ("NORDLICHT", "KAFFEE", "POLAR", "MORGEN", "BOHNE")


class Slots(dict[str, str]):
    """A post's slot values, each chosen the first time one of its templates asks."""

    def __init__(self, rng: random.Random, language: Language, preset: Mapping[str, str]) -> None:
        super().__init__(preset)
        self.rng = rng
        self.language = language

    def __missing__(self, key: str) -> str:
        if key.startswith("competitor"):
            competitor = self.rng.choice(COMPETITORS)
            self.update(competitor.slots(self.rng.choice(competitor.products)))
            return self[key]
        make = DYNAMIC.get(key)
        if make is not None:
            value = make(self)
        else:
            values = self.language.fillers.get(key) or SHARED.get(key)
            if values is None:
                raise KeyError(f"The demo phrases use the slot {{{key}}}, which has no filler.")
            value = self.rng.choice(values)
        self[key] = value
        return value


def _cents(slots: Slots) -> str:
    return str(slots.rng.randint(9, 29) * 100 + slots.rng.choice((90, 50, 95, 0)))


def _price(slots: Slots) -> str:
    return _money(int(slots["_cents"]), slots.language.code)


def _old_price(slots: Slots) -> str:
    cents = int(slots["_cents"]) - slots.rng.randint(1, 4) * 100
    return _money(max(cents, 490), slots.language.code)


def _money(cents: int, lang: str) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d} €" if lang == "de" else f"€{euros}.{rest:02d}"


def _code(slots: Slots) -> str:
    words = (*CODE_WORDS, slots["who"]) if "who" in slots else CODE_WORDS
    return f"{slots.rng.choice(words)}{slots['pct']}"


def _train(slots: Slots) -> str:
    line = slots.rng.choice(("ICE", "ICE", "IC", "RE", "RB", "S"))
    top = {"ICE": 999, "IC": 2999, "RE": 80, "RB": 90, "S": 31}[line]
    return f"{line} {slots.rng.randint(1, top)}"


def _version(slots: Slots) -> str:
    rng = slots.rng
    return f"{rng.randint(3, 4)}.{rng.randint(0, 9)}.{rng.randint(0, 5)}"


def _them(slots: Slots) -> str:
    return "Leute" if slots.language.code == "de" else "there"


DYNAMIC: Mapping[str, Callable[[Slots], str]] = {
    "days": lambda s: str(s.rng.choice((2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16))),
    "n": lambda s: str(s.rng.randint(2, 9)),
    "hours": lambda s: str(s.rng.randint(2, 30)),
    "minutes": lambda s: str(s.rng.randint(7, 95)),
    "minute": lambda s: str(s.rng.randint(3, 90)),
    "order": lambda s: f"NK-{s.rng.randint(100000, 999999)}",
    "pct": lambda s: str(s.rng.choice((8, 10, 12, 15, 18, 20, 25, 30))),
    "year": lambda s: str(s.rng.choice((2027, 2028, 2030))),
    "temp": lambda s: str(s.rng.randint(-4, 31)),
    "wind": lambda s: str(s.rng.randrange(70, 135, 5)),
    "score": lambda s: f"{s.rng.randint(0, 4)}:{s.rng.randint(0, 3)}",
    "employees": lambda s: str(s.rng.randrange(80, 400, 10)),
    "_cents": _cents,
    "price": _price,
    "old_price": _old_price,
    "code": _code,
    "train": _train,
    "version": _version,
    "them": _them,
}


def write(
    rng: random.Random,
    kind: str,
    lang: str,
    preset: Mapping[str, str] | None = None,
    *,
    mentions: bool = True,
) -> tuple[str, Slots]:
    """A post text of ``kind`` in ``lang``, and the slot values it used.

    ``preset`` fixes slot values (a reply talks about its parent's product);
    ``mentions=False`` adds no @mentions beyond those the sentences contain.
    """
    language = LANGUAGES[lang]
    info = KINDS[kind]
    pools = language.kinds[kind]
    slots = Slots(rng, language, preset or {})
    sentences = _long(rng, pools) if info.long else _short(rng, pools)
    text = " ".join(sentence for sentence in sentences if sentence).format_map(slots)
    return _decorate(rng, text, kind, info, slots, mentions), slots


def headline(rng: random.Random, kind: str, slots: Slots) -> str | None:
    """A title for an article, video or forum thread of ``kind``, if the kind has titles."""
    titles = slots.language.titles.get(kind)
    return rng.choice(titles).format_map(slots) if titles else None


def _short(rng: random.Random, pools: Pools) -> list[str]:
    """One sentence per pool, sometimes a second one from the middle pool."""
    sentences = [rng.choice(pool) for pool in pools]
    if len(pools) > 1 and rng.random() < EXTRA_SENTENCE:
        extra = rng.choice(pools[1])
        if extra not in sentences:
            sentences.insert(2, extra)
    return sentences


def _long(rng: random.Random, pools: Pools) -> list[str]:
    """Blog-comment length: the middle pools in order until a drawn length is reached."""
    target = rng.randint(300, 1000)
    sentences = [rng.choice(pools[0])]
    length = len(sentences[0])
    for pool in pools[1:-1]:
        if length >= target:
            break
        if rng.random() < 0.8:
            sentences.append(rng.choice(pool))
            length += len(sentences[-1]) + 1
    sentences.append(rng.choice(pools[-1]))
    return sentences


def _decorate(
    rng: random.Random, text: str, kind: str, info: KindInfo, slots: Slots, mentions: bool
) -> str:
    if mentions and info.mention and rng.random() < info.mention_p:
        mention = info.mention.format_map(slots)
        if mention not in text:
            text = f"{mention} {text}" if rng.random() < 0.5 else f"{text} {mention}"
    if kind == "influencer":
        text = _disclose(rng, text, slots.language)
    if info.link and rng.random() < info.link_p:
        text = f"{text} {link(rng, info.link, slots)}"
    if info.tags and rng.random() < info.tag_p:
        tags = [
            tag.format_map(slots)
            for tag in rng.sample(info.tags, min(len(info.tags), rng.randint(1, 3)))
        ]
        text = " ".join([text, *(tag for tag in dict.fromkeys(tags) if tag not in text)])
    if rng.random() < info.emoji_p:
        text = f"{text} {''.join(rng.choices(EMOJI[info.mood], k=rng.randint(1, 2)))}"
    return text


def _disclose(rng: random.Random, text: str, language: Language) -> str:
    """Influencer posts: marked as an ad up front, with a hashtag, or not at all."""
    roll = rng.random()
    if roll < 0.35:
        return f"{rng.choice(language.disclosures)}{text}"
    if roll < 0.6:
        return f"{text} {rng.choice(language.disclosure_tags)}"
    return text


def link(rng: random.Random, target: str, slots: Slots) -> str:
    """A URL of the kind ``target`` names: brand page, campaign, competitor, news, weather."""
    if target in ("brand", "campaign"):
        url = f"https://nordlicht-kaffee.example/{rng.choice(BRAND_PAGES)}"
        return url + _utm(rng) if rng.random() < (0.8 if target == "campaign" else 0.3) else url
    if target == "competitor":
        return f"https://{slots['competitor_host']}/{rng.choice(('shop', 'news', 'abo', 'blog'))}"
    if target == "weather":
        return f"https://wetter.example/warnungen/{rng.randint(1000, 99999)}"
    section, slug = rng.choice(NEWS_SECTIONS), rng.choice(NEWS_SLUGS)
    return f"https://{rng.choice(NEWS_SITES)}/{section}/{slug}-{rng.randint(10000, 99999)}"


def _utm(rng: random.Random) -> str:
    return (
        f"?utm_source={rng.choice(UTM_SOURCES)}&utm_medium={rng.choice(UTM_MEDIUMS)}"
        f"&utm_campaign={rng.choice(UTM_CAMPAIGNS)}"
    )
