"""Links in a post and what they tell about money: affiliate networks, tracking parameters, shops.

The lists are documented in docs/ad-disclosure.md; a host matches itself and
its subdomains. Only what a link says by itself is judged here; whether a shop
link together with a tagged brand is a commercial signal is decided by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL_CHARS = r"[^\s<>\"'„“”»«()\[\]{}|*]"
# A link with a scheme or "www."; the lookbehind after the first letter lets re skip quickly
# to candidate letters (as in horchposten.text).
SCHEME_LINK = re.compile(rf"[hw](?<![\w.][hw])(?:ttps?://|ww\.){_URL_CHARS}+", re.IGNORECASE)
# Bare hosts ("amzn.to/3xYz", "zalando.de") are found from their ending, which re finds fast,
# and then read from where the host starts. An e-mail address is no link.
_TLD = r"(?:de|com|at|ch|eu|to|it|me|us|io|net|org|shop|store|co|uk|fr|nl|es|ly|app|link|gs)"
ENDING = re.compile(rf"\.{_TLD}\b(?![.\-@]\w)", re.IGNORECASE)
BARE_LINK = re.compile(
    rf"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+{_TLD}\b(?![.\-@]\w)(?:/{_URL_CHARS}*)?",
    re.IGNORECASE,
)
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_TRAILING = ".,;:!?…'\"\u2019)]}"

# Link shorteners and trackers of affiliate programmes and networks.
AFFILIATE_HOSTS = frozenset(
    {
        "amzn.to",  # Amazon Associates short links (SiteStripe)
        "geni.us",  # Geniuslink, mostly Amazon affiliate links
        "rstyle.me",  # rewardStyle / LTK
        "liketk.it",  # LTK
        "shopltk.com",  # LTK
        "shopstyle.it",  # ShopStyle Collective
        "shopmy.us",  # ShopMy
        "awin1.com",  # Awin
        "tradedoubler.com",  # Tradedoubler
        "tidd.ly",  # Tradedoubler short links
        "zanox.com",  # Awin (formerly zanox)
        "prf.hn",  # Partnerize
        "skimresources.com",  # Skimlinks
        "howl.me",  # Howl
        "howl.link",  # Howl
        "digidip.net",  # digidip
        "linksynergy.com",  # Rakuten Advertising
        "anrdoezrs.net",  # CJ Affiliate
        "jdoqocy.com",  # CJ Affiliate
        "tkqlhce.com",  # CJ Affiliate
        "dpbolvw.net",  # CJ Affiliate
        "kqzyfj.com",  # CJ Affiliate
        "adcell.de",  # ADCELL
        "financeads.net",  # financeAds
        "webgains.com",  # Webgains
        "shareasale.com",  # ShareASale
        "sjv.io",  # impact.com
        "pxf.io",  # impact.com
    }
)
# Query parameters that identify an affiliate or a referring creator.
AFFILIATE_KEYS = frozenset(
    {
        "aff",
        "aff_id",
        "affid",
        "aff_sub",
        "affiliate",
        "affiliate_id",
        "awc",  # Awin click reference
        "clickref",
        "ranmid",  # Rakuten
        "ransiteid",  # Rakuten
        "sscid",  # ShareASale
        "irclickid",  # impact.com
        "irgwc",  # impact.com
    }
)
# utm_source/utm_medium/utm_campaign values that name a creator channel.
CREATOR_UTM = re.compile(r"influenc|affiliat|creator|ambassador|kooperation", re.IGNORECASE)
DISCOUNT_KEYS = frozenset({"discount", "coupon", "voucher", "promo", "promocode", "gutschein"})
# Shops by name, on any of their country domains (amazon.de, zalando.co.uk).
SHOP_NAMES = frozenset(
    {
        "amazon",
        "amzn",  # amzn.eu: the Amazon app's share links
        "zalando",
        "otto",
        "aboutyou",
        "douglas",
        "dm",
        "rossmann",
        "mediamarkt",
        "saturn",
        "notino",
        "flaconi",
        "sephora",
        "asos",
        "hm",
        "zara",
        "shein",
        "etsy",
        "galaxus",
        "tchibo",
        "ikea",
        "kaufland",
        "breuninger",
        "mytheresa",
        "teespring",
    }
)
SHOP_PATH = re.compile(r"/(?:products?|collections|shop|dp|gp/product)(?:/|$)", re.IGNORECASE)
DISCOUNT_PATH = re.compile(r"/discount/[^/?#]+", re.IGNORECASE)
_AMAZON = re.compile(r"(?:^|\.)amazon\.(?:[a-z]{2,3}|co\.uk|com\.[a-z]{2})$")


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    start: int
    kind: str | None  # "affiliate_link", "affiliate_parameter", "discount_code" or None
    shop: bool


def _matches(host: str, hosts: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in hosts for i in range(len(parts) - 1))


def _split(url: str) -> tuple[str, str, dict[str, str]]:
    rest = url.split("://", 1)[-1]
    rest = rest.split("#", 1)[0]
    location, _, query = rest.partition("?")
    host, _, path = location.partition("/")
    host = host.lower().split(":", 1)[0].removeprefix("www.")
    params = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key:
            params[key.lower()] = value
    return host, "/" + path, params


def classify(url: str) -> tuple[str | None, bool]:
    """The commercial signal a link is by itself, if any, and whether it points to a shop."""
    host, path, params = _split(url)
    shop = any(label in SHOP_NAMES for label in host.split(".")[:-1])
    shop = shop or bool(SHOP_PATH.search(path))
    shop = shop or host.startswith(("shop.", "store.")) or host.endswith((".shop", ".store"))
    if _matches(host, AFFILIATE_HOSTS):
        return "affiliate_link", shop
    if ("tag" in params and _AMAZON.search(host)) or AFFILIATE_KEYS.intersection(params):
        return "affiliate_parameter", shop
    if any(key.startswith("utm_") and CREATOR_UTM.search(v) for key, v in params.items()):
        return "affiliate_parameter", shop
    if DISCOUNT_PATH.search(path) or DISCOUNT_KEYS.intersection(params):
        return "discount_code", shop
    return None, shop


def _host_start(text: str, dot: int) -> int:
    start = dot
    while start and text[start - 1] in _HOST_CHARS:
        start -= 1
    return start


def links(text: str, lowered: str) -> list[Link]:
    """Every link in ``text`` with its classification; trailing punctuation is not part of it."""
    spans: list[tuple[int, str]] = []
    if "://" in lowered or "www." in lowered:
        spans = [(match.start(), match.group()) for match in SCHEME_LINK.finditer(text)]
    taken = [(start, start + len(url)) for start, url in spans]
    for ending in ENDING.finditer(text):
        start = _host_start(text, ending.start())
        if (start and text[start - 1] in "@/") or any(a <= start < b for a, b in taken):
            continue  # an e-mail address, a path, or part of a link found already
        match = BARE_LINK.match(text, start)
        if match:
            spans.append((start, match.group()))
            taken.append(match.span())
    found = []
    for start, url in sorted(spans):
        url = url.rstrip(_TRAILING)
        found.append(Link(url, start, *classify(url)))
    return found
