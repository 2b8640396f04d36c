"""Disclosure markers for the ad-disclosure enricher: labels, their negations, affiliate notes.

One compiled alternation finds candidates; each named group is a kind. Words
that are also everyday words ("Werbung", "Anzeige", "ad", "in Kooperation mit")
count only where they stand as a label (``set_off``): at the start of the text
or a line, or between delimiters such as ``|``, brackets, colons and emoji.
Negations sit in the same alternation, so "keine Werbung" is consumed as a
negation before "Werbung" can be read as a label. docs/ad-disclosure.md has
the rules and the reasons for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from horchposten.enrich import literals

# Matched against the lower-cased text. Every alternative starts a word (the lookbehind
# in MARKERS) with a plain letter, which lets re reject most alternatives at a glance.
# The order matters where alternatives start at the same place: unpaid labels before
# plain labels ("Werbung (unbezahlt)"), negations before everything.
_PATTERN = r"""
(?P<negation>
    (?:keine[nmrs]?|kein|nicht|ohne)\s+(?:bezahlte[nr]?\s+|echte\s+)?
        (?:werbung|anzeige|kooperation|werbepartnerschaft|partnerschaft|sponsoring
         |affiliate[- ]?links?|provisions[- ]?links?|werbe[- ]?links?|pr[- ]?(?:sample|paket))\b
  | nicht\s+(?:gesponsert|bezahlt|beauftragt|gekauft\s+worden)\b
  | selbst\s*(?:gekauft|bezahlt)\b | selber\s+(?:gekauft|bezahlt)\b
  | (?:not|never)\s+(?:an?\s+)?(?:\#?ad|sponsored|paid|advert(?:isement)?|affiliate)\b
  | no\s+(?:\#?ads?|sponsors?(?:hip)?|affiliate(?:\s+links?)?|paid\s+partnership)\b
  | (?:un|non-?)sponsored\b
  | (?:bought|paid\s+for)\s+(?:(?:it|this|these|them)\s+)?(?:myself|with\s+my\s+own\s+money)\b
  | \#(?:keinewerbung|nichtgesponsert|notsponsored|notanad|noad|unsponsored|selbstgekauft
        |keinekooperation|unbezahlt|unbeauftragt)\b
  | (?:unbezahlt|unbeauftragt)\b
)
| (?P<unpaid_label>
    (?:unbezahlte|unbeauftragte|freiwillige|nicht\s+bezahlte)[rn]?\s+werbung\b
  | werbung\s*[(\[,:\u2013\u2014/-]?\s*
        (?:unbezahlt|unbeauftragt|ohne\s+(?:auftrag|bezahlung)|nicht\s+bezahlt|selbst\s*gekauft)\b[)\]]?
  | werbung\s*[(\[,:\u2013\u2014/-]?\s*(?:da|wegen|durch|aufgrund(?:\s+von)?|weil)\s+
        (?:\w+\s+){0,2}?\w*(?:nennung|verlinkung|markierung|erkennung|erwähnung|verlinkt|markiert)
  | unpaid\s+(?:ad|advertising|promotion)\b
  | \#(?:unbezahltewerbung|werbungunbezahlt|unbeauftragtewerbung|werbungunbeauftragt
        |werbungohneauftrag|unpaidad)\b
)
| (?P<label>
    bezahlte\s+(?:werbe)?partnerschaft\s+mit\b | paid\s+partnership\s+with\b
  | (?:enthält|beinhaltet)\s+(?:bezahlte\s+)?(?:werbung|produktplatzierung(?:en)?)\b
  | unterstützt\s+durch\s+produktplatzierung(?:en)?\b
  | (?:includes|contains)\s+paid\s+promotion\b
  | (?:dieser|dieses|der|das)\s+(?:beitrag|post|video|reel|artikel)\s+(?:ist|enthält)\s+
        (?:eine?\s+)?(?:werbung|anzeige|werbeanzeige)\b
  | this\s+(?:video|post|episode)\s+is\s+an?\s+(?:ad|advertisement)\b
)
| (?P<hashtag>
    \#(?:werbung|anzeige|ad|sponsored|sponsoredpost|sponsoring|gesponsert|werbepartnerschaft
        |bezahltewerbung|bezahltepartnerschaft|paidpartnership|paidpromotion|paidad|kooperation
        |advertisement|advert|produktplatzierung)\b
)
| (?P<sponsor_phrase>
    (?:video|beitrag|post|folge|episode)\s+wird\s+(?:dir\s+|euch\s+)?
        (?:präsentiert|unterstützt|gesponsert)\s+(?:von|durch)\b
  | (?:video|episode|post)\s+is\s+(?:sponsored|brought\s+to\s+you)\s+by\b
  | thanks?\s+(?:to\s+)?@?\w+\s+for\s+sponsoring\b
)
| (?P<sponsor_lead>
    in\s+(?:freundlicher\s+)?(?:kooperation|zusammenarbeit)\s+mit\b
  | mit\s+freundlicher\s+unterstützung\s+(?:von|durch)\b
  | (?:gesponsert|präsentiert)\s+(?:von|durch)\b
  | (?:sponsored|powered|presented)\s+by\b
  | in\s+(?:collaboration|partnership|collab)\s+with\b
)
| (?P<label_word>
    (?:werbung|anzeige|werbeanzeige|bezahlte\s+(?:werbe)?partnerschaft|werbepartnerschaft
        |produktplatzierung|dauerwerbesendung|werbevideo|werbebeitrag|gesponsert|kooperation
        |ad|advert|advertisement|sponsored|paid\s+partnership|paid\s+promotion)\b
)
| (?P<asterisk_note>
    \*\s*(?:[=:\u2013-]\s*)?(?:affiliate(?:[- ]?links?)?|(?:provisions?|partner|werbe)[- ]?links?)\b
  | (?:mit|with)\s+(?:einem\s+|an\s+)?(?:\*|sternchen|asterisk)\s+
        (?:markiert|gekennzeichnet|versehen|marked)
)
| (?P<affiliate_notice>
    (?:alle\s+|die\s+|all\s+|these\s+|this\s+|der\s+|dieser\s+)?links?\s+(?:\w+\s+){0,3}?
        (?:sind|ist|are|is)\s+(?:\w+\s+){0,2}?(?:affiliate|provisions|partner|werbe)[- ]?links?\b
  | (?:enthält|beinhaltet|contains|includes)\s+(?:\w+\s+){0,2}?
        (?:affiliate|provisions|partner|werbe)[- ]?links?\b
  | als\s+amazon[- ]partner\b | as\s+an\s+amazon\s+associate\b
  | (?:i|we)\s+(?:may\s+)?(?:earn|receive|get)\s+(?:a\s+)?(?:small\s+)?commission\b
  | (?:erhalte|bekomme|verdiene)\s+ich\s+(?:\w+\s+){0,3}?provision\b
  | werbe[- ]?links?\b
  | \#(?:affiliate|affiliatelinks?|werbelinks?)\b
)
| (?P<affiliate_word>
    (?:affiliate|provisions|partner)[- ]?links?\b | affiliate\b
)
"""
MARKERS = re.compile(rf"(?<!\w)(?:{_PATTERN})", re.VERBOSE)
# For the rare text whose lower-case form has another length ("İ"), offsets would shift.
MARKERS_ANY_CASE = re.compile(MARKERS.pattern, re.VERBOSE | re.IGNORECASE)
# Every alternative above contains one of these (lower case) or the word "ad": a text
# without any cannot match, and most posts have none. Finding one is far cheaper than MARKERS.
TRIGGERS = literals.any_of(
    (
        "werb",
        "anzeige",
        "sponsor",
        "gesponsert",
        "partner",
        "platzierung",
        "kooperation",
        "zusammenarbeit",
        "unterstütz",
        "präsentiert",
        "powered",
        "presented",
        "brought",
        "collab",
        "affiliate",
        "provision",
        "amazon",
        "commission",
        "bezahlt",
        "beauftragt",
        "paid",
        "gekauft",
        "bought",
        "advert",
        "markiert",
        "gekennzeichnet",
        "versehen",
        "marked",
        "pr-",
        "pr ",
        "prsample",
        "prpaket",
        "notanad",
        "noad",
    )
)
AD = re.compile(r"ad(?<![^\W_]ad)s?(?![^\W_])")
# An asterisk right after a word or link, not a gender star (Nutzer*innen) or bold (**).
ASTERISK = re.compile(r"(?<=[\w/)])\*(?![\w*])")
HASHTAG_BLOCK = re.compile(r"#\w+(?:[ \t]*#\w+){2,}")
# A marker without any of these is English ("#ad", "sponsored by", "paid partnership with").
GERMAN = re.compile(
    r"werb|anzeige|partnerschaft|platzierung|gesponsert|kooperation|zusammenarbeit|unterstütz"
    r"|präsent|beitrag|enthält|beinhaltet|unbezahlt|unbeauftragt|provision|sternchen|amazon.partner"
    r"|\b(?:ist|sind|dieser|dieses|der|das|mit|ich)\b",
    re.IGNORECASE,
)
_MENTION_AFTER = re.compile(r"[ \t]*(?:(?:für|for|mit|with)[ \t]+)?@\w", re.IGNORECASE)
# Punctuation that does not set a label off: a comma continues the sentence, and a word in
# quotation marks is talked about ("die Verwendung des Begriffs „Werbung“"), not used.
_NOT_AROUND = frozenset(",;'\"\u2018\u2019\u201a\u201c\u201d\u201e»«")
# Words common enough in running text, or as abbreviations, that brackets alone do not make
# them a label: "Alzheimer's disease (AD)".
_STRICT = frozenset({"ad", "advert", "sponsored", "kooperation"})


@dataclass(frozen=True, slots=True)
class Found:
    kind: str  # a marker kind, or "negation"
    text: str
    start: int
    english: bool


def _before_ok(text: str, start: int) -> bool:
    head = text[:start].rstrip(" \t")
    if not head or head[-1] == "\n":
        return True
    return not head[-1].isalnum() and head[-1] not in _NOT_AROUND


def _after_ok(text: str, end: int) -> bool:
    tail = text[end:].lstrip(" \t")
    if not tail or tail[0] == "\n":
        return True
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].isalnum():
        return False  # a compound: "Werbung-Kampagne", "AD-2600"
    return not tail[0].isalnum() and tail[0] not in _NOT_AROUND


def _line_ends(text: str, pos: int) -> bool:
    tail = text[pos:].lstrip(" \t")
    return not tail or tail[0] == "\n"


def set_off(text: str, start: int, end: int, strict: bool = False) -> bool:
    """Whether ``text[start:end]`` stands as a label rather than inside a sentence.

    It does when nothing but delimiters, emoji or a line break separates it from
    the text around it, or when a mention follows ("Werbung für @marke").
    ``strict`` words in brackets also need the brackets themselves to stand apart.
    """
    if _before_ok(text, start) and _MENTION_AFTER.match(text, end):
        return True
    if not (_before_ok(text, start) and _after_ok(text, end)):
        return False
    if strict and text[start - 1 : start] in ("(", "[") and text[end : end + 1] in (")", "]"):
        return _before_ok(text, start - 1) or _line_ends(text, end + 1)
    return True


def _opens(text: str, start: int) -> bool:
    """Whether nothing but spaces, emoji and punctuation precede ``start``."""
    return not any(char.isalnum() for char in text[:start])


def possible(lowered: str) -> bool:
    """Whether the lower-cased text contains anything ``MARKERS`` could match."""
    return TRIGGERS.search(lowered) is not None or AD.search(lowered) is not None


def _kind(kind: str, text: str, start: int, end: int) -> str | None:
    """The marker kind a candidate stands for, or None where it is an everyday word."""
    if kind == "label_word":
        word = text[start:end]
        # "WERBUNG Heute zeige ich…": a label in capitals opening the text needs no delimiter.
        shouted = word.isupper() and len(word) > 2 and _opens(text, start)
        return "label" if shouted or set_off(text, start, end, word.lower() in _STRICT) else None
    if kind == "sponsor_lead":
        # "In Kooperation mit Nivea" opening a line, or "… in Kooperation mit @nivea".
        held = _before_ok(text, start) or _MENTION_AFTER.match(text, end)
        return "sponsor_phrase" if held else None
    if kind == "affiliate_word":
        return "affiliate_notice" if set_off(text, start, end) else None
    return "affiliate_notice" if kind == "asterisk_note" else kind


def find(text: str, lowered: str) -> tuple[list[Found], bool]:
    """Markers and negations in ``text``, in order, and whether it explains asterisks."""
    found: list[Found] = []
    explained = False
    if not possible(lowered):
        return found, explained
    same = len(lowered) == len(text)
    for match in MARKERS.finditer(lowered) if same else MARKERS_ANY_CASE.finditer(text):
        start, end = match.span()
        kind = _kind(match.lastgroup or "", text, start, end)
        if kind is None:
            continue
        explained = explained or match.lastgroup == "asterisk_note"
        word = text[start:end]
        english = kind != "affiliate_notice" and not GERMAN.search(word)
        found.append(Found(kind, word, start, english))
    return found, explained


def asterisks(text: str) -> list[int]:
    """Offsets of asterisks attached to a word or link (only meaningful once explained)."""
    return [match.start() for match in ASTERISK.finditer(text)]


def hashtag_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of three or more hashtags in a row."""
    return [match.span() for match in HASHTAG_BLOCK.finditer(text)] if "#" in text else []
