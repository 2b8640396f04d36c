"""Every UI string has a German translation; locales and formats come out as chosen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from starlette.requests import Request

from horchposten.web.ui import current
from horchposten.web.ui.auth import Page
from horchposten.web.ui.formatting import compact, date_time, number, percent
from horchposten.web.ui.i18n import CATALOGS, choose_locale, from_accept_language, translations

PACKAGE = Path(__file__).parent.parent / "src" / "horchposten"
UI = PACKAGE / "web" / "ui"


def _messages() -> list[str | tuple[str, str]]:
    method_map = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    found = extract_from_dir(str(UI), method_map, options, keywords=keywords)  # type: ignore[arg-type]
    return [message for _, _, message, _, _ in found] + _texts()


def _texts() -> list[str | tuple[str, str]]:
    """Every ``Text("…")`` outside the web UI: the query language's errors, warnings, fixes."""
    method_map = [("web/**", "ignore"), ("**.py", "python")]
    found = extract_from_dir(str(PACKAGE), method_map, keywords={"Text": (1,)})
    return [message for _, _, message, _, _ in found]


def _german() -> dict[str, object]:
    """msgid → msgstr over every German catalog file (the way the UI merges them)."""
    merged: dict[str, object] = {}
    for path in sorted((CATALOGS / "de").glob("*.po")):
        with path.open("rb") as source:
            for entry in read_po(source, locale="de"):
                if entry.id and not entry.fuzzy:
                    key = entry.id[0] if isinstance(entry.id, tuple) else entry.id
                    merged[key] = entry.string
    return merged


def test_every_ui_string_has_a_german_translation() -> None:
    german = _german()
    messages = _messages()
    assert len(messages) > 50  # the extraction really reads templates and code
    missing = []
    for message in messages:
        key = message[0] if isinstance(message, tuple) else message
        translated = german.get(key)
        if not translated or (isinstance(translated, tuple) and not all(translated)):
            missing.append(key)
    assert not missing, f"add these to a .po file under {CATALOGS / 'de'}: {missing}"


def test_the_query_messages_are_extracted_too() -> None:
    texts = _texts()
    assert len(texts) > 90  # errors, hints and warnings of query/ (parse, lex, fields, sql)
    assert "This '(' is never closed." in texts
    assert "The distance %(distance)s is too large; it can be 0 to %(most)s." in texts


def test_translations_use_the_placeholders_of_their_message() -> None:
    """A German text naming a placeholder its message lacks would break at display time."""
    problems = []
    for path in sorted(CATALOGS.glob("*/*.po")):
        with path.open("rb") as source:
            catalog = read_po(source)
        problems += [(path.name, entry.id, errors) for entry, errors in catalog.check()]
    assert not problems


def test_every_catalog_file_of_a_locale_is_merged(tmp_path: Path) -> None:
    names = sorted(path.name for path in (CATALOGS / "de").glob("*.po"))
    assert "shell.po" in names
    assert translations("de").gettext("Sources") == "Quellen"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-CH, fr;q=0.9, de;q=0.7, en;q=0.8", "en"),
        ("de-AT", "de"),
        ("fr", None),
        ("en;q=0", None),
        ("", None),
    ],
)
def test_accept_language_picks_the_best_of_ours(header: str, expected: str | None) -> None:
    assert from_accept_language(header) == expected


def test_the_user_setting_wins_then_the_switch_then_the_browser_then_german() -> None:
    assert choose_locale("en", "de", "de") == "en"
    assert choose_locale(None, "en", "de") == "en"
    assert choose_locale(None, None, "en-GB") == "en"
    assert choose_locale(None, None, "fr") == "de"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", ("1.234.568", "1.234,50", "25\u00a0%", "1,2\u00a0Mio.")),
        ("en", ("1,234,568", "1,234.50", "25%", "1.2M")),
    ],
)
def test_numbers_follow_the_locale(locale: str, expected: tuple[str, ...]) -> None:
    request = Request({"type": "http", "method": "GET", "headers": [], "path": "/"})
    token = current.rendering.set(Page(request, None, "t", locale, ZoneInfo("Europe/Berlin")))
    try:
        shown = (number(1234567.8), number(1234.5, 2), percent(0.253), compact(1234567))
        when = date_time(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "short")
    finally:
        current.rendering.reset(token)
    assert shown == expected
    # 01:30 UTC on the day clocks go forward is 03:30 in Berlin.
    assert "03:30" in when or "3:30" in when
