"""Commercial signals for the ad-disclosure enricher: codes, gifts, giveaways, shop links.

A signal says that money or goods are probably involved, not that the post is
advertising; docs/ad-disclosure.md lists the rules and why each is narrow.
Discount codes are written in capitals ("Code NIVEA20"), so ``CODES`` reads the
text as written, matching the code case-sensitively and the words around it in
any case; everything else is matched against the lower-cased text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from horchposten.enrich import disclosure_links, literals


def _code(name: str) -> str:
    """A code as shops issue them: 3-20 capitals, digits, '-' or '_', at least one letter."""
    return rf"[„\"'»]?(?P<{name}>(?=[A-Z0-9_-]*[A-Z])[A-Z0-9][A-Z0-9_-]{{2,19}})(?![\w-])"


CODES = re.compile(
    rf"""(?<!\w)(?:
(?P<keyword_code>
    (?P<own>(?i:(?:mein(?:em|en)?|my|unser(?:em|en)?|our|mit\s+dem|use|using|nutzt|nutze
        |benutzt|verwendet|gebt|enter)\s+))?
    (?i:(?:rabatt|gutschein|discount|promo|coupon|voucher|aktions|influencer|spar)[- ]?codes?\b)
    (?:\s*(?::|=|lautet|ist|is)?\s*{_code("code")})?
)
| (?P<plain_code>
    (?P<lead>(?i:(?:mit\s+(?:meinem|dem|unserem)|use\s+(?:my\s+)?|using\s+(?:my\s+)?
        |with\s+(?:my\s+)?|my|mein(?:em)?|unser(?:em)?|our)\s+))?
    (?i:code\b)\s*(?::|=)?\s*{_code("plain")}
))""",
    re.VERBOSE,
)
# Around a bare "Code XY12", one of these must show that it saves money.
_DISCOUNT_NEAR = re.compile(
    r"%|€|\$|rabatt|off\b|discount|spar|günstiger|gratis|free|versandkostenfrei|sale|shop",
    re.IGNORECASE,
)
_NEAR = 60
# "Rabattcode in meiner Bio", "Discount code below"
_POINTER = re.compile(
    r"\s*(?:\w+\s+){0,3}?(?:in\s+(?:der|meiner|my|the)?\s*"
    r"(?:bio|story|beschreibung|description|caption)|unten|below|im\s+(?:ersten\s+)?kommentar|👇|⬇)",
    re.IGNORECASE,
)

# Lower case; as in disclosure_markers, every alternative starts a word with a plain letter.
WORDS = re.compile(
    r"""(?<!\w)(?:
(?P<gifted>
    \#gifted\b | [(\[]\s*gifted\s*[)\]] | gifted\s+(?:by|from)\s+@ | gifted\s+(?:items?|products?)\b
  | (?:kindly|freundlicherweise)\s+(?:gifted|geschenkt)\b | geschenkt\s+(?:bekommen\s+)?von\s+@
  | (?:geschenk|präsent)\s+von\s+@ | (?:sent|gifted)\s+(?:to\s+)?me\s+by\s+@
  | von\s+@[\w.]+\s+(?:\w+\s+){0,3}?
        (?:geschickt|zugeschickt|zugesendet|geschenkt|zur\s+verfügung\s+gestellt)\b
  | (?:danke|thanks?|thank\s+you)\s+(?:an\s+|to\s+)?@[\w.]+\s+(?:für|for)\s+(?:\w+\s+){0,3}?
        (?:paket|päckchen|geschenk|box|package|parcel|gift|sending|schicken|zuschicken)\b
)
| (?P<pr_sample>
    pr[- ](?:samples?|pakete?|päckchen|packages?|produkte?|box|boxen|geschenke?|gifts?|kits?
        |mailings?|sendung)\b
  | \#pr(?:sample|paket|package|geschenk|gift|produkt)\b | pressemuster\b | rezensionsexemplar\b
  | review\s+cop(?:y|ies)\b
  | (?:kostenlos|kostenfrei|gratis|freundlicherweise)\s+(?:\w+\s+){0,3}?
        (?:zur\s+verfügung\s+gestellt|zugeschickt|zugesendet|überlassen|erhalten)\b
  | (?:mir|uns)\s+(?:\w+\s+){0,3}?zur\s+verfügung\s+gestellt\b
  | zum\s+testen\s+(?:bekommen|erhalten|zugeschickt|geschickt)\b
  | (?:received|got)\s+(?:this|these|it|them)\s+(?:for\s+free|free\s+of\s+charge)\b
  | (?:sent|provided|gave)\s+(?:(?:to\s+)?me\s+)?(?:(?:this|these|it|them)\s+)?
        (?:for\s+free|free\s+of\s+charge)\b
)
| (?P<giveaway>
    ich\s+verlose\b | verlose\s+ich\b
  | i(?:['\u2019]m|\s+am|['\u2019]ll\s+be|\s+will\s+be)\s+giving\s+away\b
  | (?:mein(?:em)?|my)\s+(?:gewinnspiel|giveaway|verlosung)\b
)
| (?P<personal_link>
    (?:über|mit|via|durch)\s+meinen?\s+(?:affiliate-?|partner-?|empfehlungs-?)?link\b
  | (?:with|using|through|via)\s+my\s+(?:affiliate\s+|referral\s+)?link\b
)
| (?P<ambiguous_label>
    \#sp\b
)
| (?P<shop_cta>
    (?:shop|produkt|product)[- ]?links?\b
  | links?\s+(?:zum|zu\s+den|to\s+the)\s+(?:produkte?n?|shop|outfit|look|products?)\b
  | shop\s+(?:the|my)\s+look\b | (?:jetzt|hier|direkt)\s+(?:shoppen|bestellen)\b
))""",
    re.VERBOSE,
)
WORDS_ANY_CASE = re.compile(WORDS.pattern, re.VERBOSE | re.IGNORECASE)
# Every alternative of WORDS contains one of these: most texts contain none.
TRIGGERS = literals.any_of(
    (
        "gifted",
        "geschenk",
        "präsent",
        "sent",
        "schickt",
        "zugesendet",
        "danke",
        "thank",
        "pr-",
        "pr ",
        "#pr",
        "pressemuster",
        "rezensionsexemplar",
        "review",
        "kostenlos",
        "kostenfrei",
        "gratis",
        "freundlicherweise",
        "verfügung",
        "testen",
        "free",
        "verlose",
        "giving",
        "gewinnspiel",
        "giveaway",
        "verlosung",
        "link",
        "#sp",
        "shop",
        "bestellen",
    )
)
MENTION = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")


@dataclass(frozen=True, slots=True)
class Signal:
    kind: str
    text: str
    start: int
    mention: str | None = None


def _code_holds(text: str, match: re.Match[str]) -> bool:
    if match.lastgroup == "keyword_code":
        # "Rabattcode ANNA10", "mit meinem Rabattcode", "Rabattcode in meiner Bio"
        if match.group("code") or match.group("own"):
            return True
        return bool(_POINTER.match(text, match.end()))
    if match.group("lead"):  # "mit meinem Code ANNA10", "use code ANNA10"
        return True
    window = text[max(0, match.start() - _NEAR) : match.end() + _NEAR]
    return bool(_DISCOUNT_NEAR.search(window))


def _codes(text: str, lowered: str) -> list[Signal]:
    if "code" not in lowered:
        return []
    return [
        Signal("discount_code", match.group(), match.start())
        for match in CODES.finditer(text)
        if _code_holds(text, match)
    ]


def _words(text: str, lowered: str) -> tuple[list[Signal], list[Signal]]:
    """Signals from wording, and shop calls to action that count only with a tagged brand."""
    found: list[Signal] = []
    calls: list[Signal] = []
    if TRIGGERS.search(lowered) is None:
        return found, calls
    same = len(lowered) == len(text)
    for match in WORDS.finditer(lowered) if same else WORDS_ANY_CASE.finditer(text):
        kind = match.lastgroup or ""
        signal = Signal(kind, text[match.start() : match.end()], match.start())
        (calls if kind in ("giveaway", "shop_cta") else found).append(signal)
    return found, calls


def find(text: str, lowered: str) -> list[Signal]:
    """The commercial signals in ``text``, in order of position."""
    found = _codes(text, lowered)
    shops: list[Signal] = []
    for link in disclosure_links.links(text, lowered):
        if link.kind:
            found.append(Signal(link.kind, link.text, link.start))
        elif link.shop:
            shops.append(Signal("brand_and_shop_link", link.text, link.start))
    worded, calls = _words(text, lowered)
    found += worded
    if calls or shops:
        mention = MENTION.search(text)
        if mention is not None:
            # A giveaway or a shop link promotes the tagged account's products.
            found += [s for s in calls if s.kind == "giveaway"]
            tagged = shops + [s for s in calls if s.kind == "shop_cta"]
            found += [
                Signal("brand_and_shop_link", s.text, s.start, mention.group()) for s in tagged
            ]
    found.sort(key=lambda signal: signal.start)
    return found
