"""The query editor's field for a topic's own accounts, in German and English: saved with
the topic (in its canonical spelling) and shown again when editing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from ui_server import UiServer

LABELS = {
    "en": "The brand's own accounts (left out of influencer rankings)",
    "de": "Eigene Konten der Marke (nicht in den Influencer-Ranglisten)",
}


def test_own_accounts_are_edited_in_the_query_editor_in_both_languages(
    ui_server: UiServer, signed_in: Callable[..., Any], screenshot: Callable[..., Any]
) -> None:
    page = signed_in("analyst", "de")
    page.goto(ui_server.url("/query"))
    page.get_by_label("Name").fill("Eigene Konten")
    page.get_by_label("Abfrage", exact=True).fill("nordlicht AND kaffee")
    page.get_by_label(LABELS["de"]).fill("bluesky:@NordlichtKaffee mastodon:nordlichtkaffee")
    screenshot(page, "de-own-accounts")
    page.get_by_role("button", name="Thema speichern").click()
    page.wait_for_url(re.compile(r"/topics/\d+(\?.*)?$"))
    topic_url = page.url.split("?")[0]

    english = signed_in("analyst", "en")
    english.goto(topic_url + "/edit")
    field = english.get_by_label(LABELS["en"])
    expect(field).to_have_value("bluesky:nordlichtkaffee mastodon:nordlichtkaffee")
    screenshot(english, "en-own-accounts")
    field.fill("")
    english.get_by_role("button", name="Save topic").click()
    english.wait_for_url(re.compile(r"/topics/\d+(\?.*)?$"))
    english.goto(topic_url + "/edit")
    expect(english.get_by_label(LABELS["en"])).to_have_value("")
