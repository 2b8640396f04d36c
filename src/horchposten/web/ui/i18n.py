"""UI languages: gettext catalogs per locale, and which locale a request gets.

Every ``*.po`` file in ``locales/<locale>/`` is loaded and merged, so each part
of the UI keeps its own catalog file (``shell.po``, ``pages.po``, …) and parts
never edit the same file. Message ids are the English text; the German catalog
translates every one (a test checks it), and an English catalog is only needed
for a msgid whose English display differs.

Order of preference: the user's setting, the language switch's cookie,
the browser's ``Accept-Language``, German.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = ("de", "en")
DEFAULT_LOCALE = "de"
LOCALE_COOKIE = "hp_lang"
CATALOGS = Path(__file__).parent / "locales"


def _compiled(path: Path, locale: str) -> Translations:
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    binary = BytesIO()
    write_mo(binary, catalog)  # fuzzy entries are left out, as msgfmt does
    binary.seek(0)
    return Translations(binary, domain=path.stem)


@cache
def translations(locale: str) -> Translations:
    """Every catalog file of ``locale`` merged; later files (by name) win on a clash."""
    merged = Translations(BytesIO(_empty_mo()))
    for path in sorted((CATALOGS / locale).glob("*.po")):
        merged.merge(_compiled(path, locale))
    return merged


@cache
def _empty_mo() -> bytes:
    from babel.messages.catalog import Catalog

    binary = BytesIO()
    write_mo(binary, Catalog())
    return binary.getvalue()


def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def from_accept_language(header: str | None) -> str | None:
    """The first of our locales the browser asks for, by quality; None when none fits."""
    if not header:
        return None
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        wanted.append((-quality, position, tag.strip().lower()))
    for negative_quality, _, tag in sorted(wanted):
        language = tag.split("-")[0]
        if negative_quality < 0 and language in LOCALES:
            return language
    return None


def choose_locale(user_choice: str | None, cookie: str | None, accept: str | None) -> str:
    for candidate in (user_choice, cookie):
        if candidate in LOCALES:
            return candidate
    return from_accept_language(accept) or DEFAULT_LOCALE
