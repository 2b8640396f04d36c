"""What a new user meets in the first hour, in German and English (issue 21): quotation
marks, a taken topic name, the enrichments on each post, the language switch, the
favicon, the editor's fields and the sources' saved positions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from horchposten.store.enrichments import stored_enrichments
from ui_server import UiServer


def _dashboard(page: Any, server: UiServer) -> None:
    page.goto(server.url("/"))
    page.get_by_role("link", name="Nordlicht", exact=True).click()
    page.wait_for_selector("body[data-dashboard=ready]", state="attached")


def test_quotes_carry_the_quotation_marks_of_the_page_language(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    for locale, opening, closing in (("en", "“", "”"), ("de", "„", "“")):
        page = signed_in("viewer", locale)
        _dashboard(page, ui_server)
        quotes = page.locator("#voice-quotes li a").all_inner_texts()
        assert quotes, "the demo's dashboard quotes its customers"
        assert all(q.startswith(opening) and q.endswith(closing) for q in quotes), quotes
        page.locator("#voice-quotes").scroll_into_view_if_needed()
        screenshot(page, locale)


def test_a_taken_topic_name_is_refused_in_german_with_a_link_to_that_topic(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("analyst", "de")
    page.goto(ui_server.url("/query"))
    page.get_by_label("Name").fill("Nordlicht")
    page.get_by_label("Abfrage", exact=True).fill("nordlicht AND crema")
    page.get_by_role("button", name="Thema speichern").click()
    error = page.locator("#save-error")
    expect(error).to_contain_text("Ein Thema namens „Nordlicht“ gibt es schon.")
    expect(error).not_to_contain_text("horchposten")
    screenshot(page, "de")
    error.get_by_role("link", name="„Nordlicht“ bearbeiten").click()
    page.wait_for_url(re.compile(r"/topics/\d+/edit$"))
    expect(page.get_by_label("Abfrage", exact=True)).not_to_have_value("nordlicht AND crema")
    expect(page.get_by_label("Name")).to_have_value("Nordlicht")


def test_the_mentions_explorer_shows_each_posts_enrichments_as_badges(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    kinds = {
        "de": ("Sprache", "Stimmung", "Emotion", "Toxizität", "Werbekennzeichnung"),
        "en": ("Language", "Sentiment", "Emotion", "Toxicity", "Ad disclosure"),
    }
    for locale in ("de", "en"):
        page = signed_in("viewer", locale)
        page.goto(ui_server.url("/mentions?q=werbung"))
        first = page.locator(".mention").first
        titles = first.locator(".badge[title]").evaluate_all("bs => bs.map(b => b.title)")
        assert [t.split(":")[0] for t in titles if ":" in t] == list(kinds[locale]), titles
        screenshot(page, locale)
    # The badges show what is stored for the post, and an ad's disclosure stands out.
    post_id = int(first.get_attribute("data-post-id"))
    with ui_server.database.begin() as conn:
        stored = stored_enrichments(conn, [post_id])[post_id]
    expect(first.locator(f".badge.emotion-{stored['emotion']['label']}")).to_have_count(1)
    expect(first.locator(f".badge.toxicity-{stored['toxicity']['label']}")).to_have_count(1)
    expect(first.locator(f".badge.disclosure-{stored['disclosure']['verdict']}")).to_have_count(1)
    disclosed = page.locator(".mention .badge.disclosure-disclosed").first
    expect(disclosed).to_have_text("Ad disclosure: ad, disclosed")  # the kind for screen readers
    expect(disclosed).to_have_attribute("title", "Ad disclosure: ad, disclosed")


def test_the_language_switch_names_each_language_in_the_page_language(
    ui_server: UiServer, signed_in: Callable[..., Any]
) -> None:
    page = signed_in("viewer", "de")
    switch = page.locator("form.locale-switch")
    expect(switch.locator("button[value=en]")).to_have_attribute(
        "title", "Die Oberfläche auf Englisch anzeigen"
    )
    expect(switch.locator("button[value=de]")).to_have_attribute(
        "title", "Die Oberfläche auf Deutsch anzeigen"
    )
    page = signed_in("viewer", "en")
    expect(page.locator("form.locale-switch button[value=de]")).to_have_attribute(
        "title", "Show the interface in German"
    )


def test_the_favicon_is_served(ui_server: UiServer) -> None:
    icon = httpx.get(ui_server.url("/favicon.ico"))
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content.startswith(b"\x00\x00\x01\x00")  # an ICO file


def test_the_editors_fields_are_styled_alike(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("analyst", "en")
    page.goto(ui_server.url("/query"))
    looks = page.evaluate(
        """() => ["topic-name", "topic-query", "topic-sources"].map((id) => {
            const style = getComputedStyle(document.getElementById(id));
            return [style.paddingTop, style.paddingLeft, style.borderTopWidth,
                    style.borderTopColor, style.fontSize];
        })"""
    )
    assert looks[0] == looks[1] == looks[2], looks
    screenshot(page, "en")


def test_the_sources_page_names_cursor_keys_in_the_page_language(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    expected = {
        "de": ("zuletzt geändert", "Kommentar-Feeds"),
        "en": ("last modified", "comment feeds"),
    }
    for locale, names in expected.items():
        page = signed_in("viewer", locale)
        page.goto(ui_server.url("/sources"))
        keys = page.locator("dl.cursor dt").all_inner_texts()
        assert all(name in keys for name in names), keys
        if locale == "de":
            assert not {"last modified", "comment feeds"} & set(keys), keys
        screenshot(page, locale)
