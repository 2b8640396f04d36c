"""Invented brands and the themes their topics watch, for ``bench_match.py``.

Brand names are made up (German and English compounds, invented syllable names
and a few surnames), so they are rare in the real posts the benchmark reads,
as brand names are in real streams. Every brand gets a transliterated variant
when its name has an umlaut ("Grünkontor" / "Gruenkontor"), a handle, a
domain, product phrases, staff with umlauts and two or three themes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_DE_HEADS = (
    "nord", "süd", "ost", "west", "berg", "wald", "sonn", "stern", "blau", "grün", "gold",
    "silber", "eisen", "stein", "fluss", "alpen", "heide", "linden", "eichen", "birken", "mühl",
    "brunn", "hügel", "quell", "licht", "winter", "sommer", "früh", "nebel", "wolken", "kraft",
    "glück", "schön", "frisch", "klar", "bär", "fuchs", "möwen", "kranich",
)  # fmt: skip
_DE_TAILS = (
    "licht", "quell", "werk", "hof", "haus", "feld", "bach", "brück", "markt", "kontor",
    "stube", "garten", "mühle", "wiese", "land", "blick", "gut", "korn", "perle", "krone",
    "glanz", "zeit", "form", "wärts", "röster", "bräu", "käserei", "löwe", "flügel",
)  # fmt: skip
_EN_HEADS = (
    "bright", "silver", "oak", "river", "stone", "north", "blue", "iron", "maple", "cedar",
    "swift", "clear", "true", "fox", "hawk", "sun", "moon", "cloud", "pine", "harbor", "ember",
    "frost", "copper", "willow", "falcon", "amber", "nova", "pixel", "quantum",
)  # fmt: skip
_EN_TAILS = (
    "lane", "wood", "field", "works", "ly", "ify", "hub", "labs", "wave", "point", "craft",
    "peak", "gate", "line", "leaf", "port", "bridge", "stack", "forge", "box", "mint", "nest",
    "spark", "vault", "loop",
)  # fmt: skip
_SYLLABLES = (
    "ka", "lu", "mo", "ri", "ve", "za", "no", "ti", "qua", "xe", "bo", "fi", "ra", "sen", "vi",
    "do", "le", "mi", "tor", "gal", "ny", "pe", "su", "dra", "kel",
)  # fmt: skip
_ENDINGS = ("x", "ra", "o", "ia", "on", "ex", "is", "a", "io", "en", "")
SURNAMES = (
    "Müller", "Schröder", "Köhler", "Jäger", "Bäcker", "Fröhlich", "Hübner", "Krämer",
    "Schäfer", "Weiß", "Strauß", "Böhm", "Günther", "Schmidt", "Meyer", "Wagner", "Becker",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schulze", "Neumann", "Schwarz",
    "Zimmermann", "Krüger", "Hartmann", "Lange", "Werner", "Lehmann", "Köster", "Möller",
    "Smith", "Johnson", "Brown", "Miller", "Taylor", "Wilson", "Clarke", "Walker",
)  # fmt: skip
FIRST_NAMES = (
    "Jürgen", "Jörg", "Björn", "Sören", "Günther", "Käthe", "Anna", "Thomas", "Sarah",
    "Michael", "Lena", "Jens", "Ute", "Bärbel", "Hans-Jürgen", "Dörte", "Mark", "Emily",
    "James", "Olivia", "David", "Chloé", "René", "Zoë", "Ömer", "Ayşe",
)  # fmt: skip
PRODUCT_NOUNS = (
    "Kaffee", "Milch", "Joghurt", "App", "Phone", "Card", "Bank", "Tarif", "Box", "Bier",
    "Limo", "Bike", "Shop", "Konto", "Versicherung", "Brot", "Tee", "Schokolade", "Creme",
    "Shampoo", "Router", "Watch", "Pro", "Mini", "Plus", "Go", "Smart", "Akku", "Küche",
)  # fmt: skip
_HANDLE_SUFFIXES = ("", "", "_de", "official", "_hq", "de", "_app", "_team")
_TLDS = (".de", ".de", ".com", ".eu", ".io", ".at", ".ch")
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe",
                                  "Ü": "Ue", "ß": "ss", "é": "e", "ë": "e", "ş": "s"})  # fmt: skip


@dataclass(frozen=True)
class Theme:
    """What a topic watches for beside the brand: literal words and wildcard stems.

    ``stems`` maps a wildcard stem (``liefer`` for ``liefer*``) to the words it
    stands for where the query syntax has no wildcards, and posts are given.
    """

    name: str
    words: tuple[str, ...]
    stems: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def forms(self) -> tuple[str, ...]:
        """Every word a post may use for this theme."""
        return self.words + tuple(form for _, forms in self.stems for form in forms)


THEMES = (
    Theme("delivery", ("delivery", "shipping", "paket", "zustellung"),
          (("liefer", ("lieferung", "liefert", "lieferzeit")),
           ("versand", ("versand", "versandkosten")))),
    Theme("price", ("price", "prices", "expensive", "cheap", "rabatt", "günstig", "discount"),
          (("preis", ("preis", "preise", "preiserhöhung")), ("teur", ("teuer", "teurer")))),
    Theme("battery", ("battery", "charging", "ladekabel", "laufzeit"),
          (("akku", ("akku", "akkus", "akkulaufzeit")),)),
    Theme("service", ("kundenservice", "hotline", "support", "customer service", "callcenter"),
          (("servic", ("service", "services")),)),
    Theme("defect", ("kaputt", "broken", "rückruf", "recall", "reklamation"),
          (("defekt", ("defekt", "defekte")),)),
    Theme("app", ("app", "update", "login", "crash", "bug", "absturz"),
          (("abgestürz", ("abgestürzt",)),)),
    Theme("food", ("milch", "joghurt", "käse", "kaffee", "tee", "coffee", "schokolade"),
          (("lecker", ("lecker", "leckere")),)),
    Theme("quality", ("quality", "geschmack", "taste", "empfehlung"),
          (("qualit", ("qualität", "quality")),)),
    Theme("store", ("filiale", "store", "öffnungszeiten", "kasse", "schlange"),
          (("filial", ("filiale", "filialen")),)),
    Theme("green", ("nachhaltig", "sustainable", "plastik", "plastic", "verpackung"),
          (("klima", ("klima", "klimaneutral")),)),
)  # fmt: skip
JOBS = ("job", "jobs", "stellenangebot", "karriere", "hiring", "ausbildung", "praktikum")
LATE = Theme("late", ("late", "delayed", "zu spät", "verspätung", "wartezeit"),
             (("verspät", ("verspätet", "verspätung")),))  # fmt: skip
COMPLAINT = Theme("complaint", ("beschwerde", "complaint", "ärgerlich", "nie wieder", "frech"),
                  (("enttäusch", ("enttäuscht", "enttäuschend")),))  # fmt: skip
RAISE = Theme("raise", ("erhöhung", "increase", "teurer", "inflation"))
GENERIC_PAIRS = (
    (THEMES[0], LATE), (THEMES[5], THEMES[4]), (THEMES[1], RAISE), (THEMES[3], COMPLAINT),
    (THEMES[6], THEMES[7]), (THEMES[8], LATE), (THEMES[9], THEMES[1]),
)  # fmt: skip


@dataclass(frozen=True)
class Brand:
    """An invented brand and everything its topics and mentions refer to."""

    name: str  # as written: "Grünkontor"
    variant: str | None  # "Gruenkontor" when the name has an umlaut
    handle: str  # without "@"
    domain: str
    products: tuple[str, ...]  # two-word phrases: "Grünkontor Kaffee"
    staff: tuple[str, ...]  # "Jürgen Köhler"
    acronym: str | None  # "GKT"
    themes: tuple[Theme, ...]

    @property
    def word(self) -> str:
        """The name as typed into a query: lower case, accents kept."""
        return self.name.lower()


def transliterate(text: str) -> str:
    """``Müller`` -> ``Mueller``: how people write umlauts without the keys."""
    return text.translate(_TRANSLITERATION)


def make_brands(count: int, rng: random.Random) -> list[Brand]:
    """``count`` brands with distinct names, handles and acronyms."""
    names: set[str] = set()
    acronyms: set[str | None] = set()
    brands: list[Brand] = []
    surnames = list(SURNAMES)
    rng.shuffle(surnames)
    while len(brands) < count:
        name = surnames.pop() if surnames and rng.random() < 0.02 else _name(rng)
        key = transliterate(name).lower()
        if key in names or len(key) < 4:
            continue
        names.add(key)
        # No vowels, so that an acronym is no English or German word ("HAD", "DER").
        acronym = "".join(rng.choices("BCDFGHKLMNPRSTVWZ", k=3)) if rng.random() < 0.15 else None
        if acronym in acronyms:
            acronym = None
        acronyms.add(acronym)
        brands.append(_brand(name, acronym, rng))
    return brands


def _name(rng: random.Random) -> str:
    style = rng.random()
    if style < 0.4:
        name = rng.choice(_DE_HEADS) + rng.choice(_DE_TAILS)
    elif style < 0.7:
        name = rng.choice(_EN_HEADS) + rng.choice(_EN_TAILS)
    else:
        syllables = rng.choices(_SYLLABLES, k=rng.choice((2, 2, 3)))
        name = "".join(syllables) + rng.choice(_ENDINGS)
    return name.capitalize()


def _brand(name: str, acronym: str | None, rng: random.Random) -> Brand:
    ascii_name = transliterate(name)
    slug = ascii_name.lower().replace(" ", "")
    products = tuple(f"{name} {noun}" for noun in rng.sample(PRODUCT_NOUNS, rng.randint(1, 3)))
    staff = tuple(
        f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 2))
    )
    return Brand(
        name=name,
        variant=ascii_name if ascii_name != name else None,
        handle=slug + rng.choice(_HANDLE_SUFFIXES),
        domain=slug + rng.choice(_TLDS),
        products=products,
        staff=staff,
        acronym=acronym,
        themes=tuple(rng.sample(THEMES, rng.randint(2, 3))),
    )
