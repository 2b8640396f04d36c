# ruff: noqa: RUF001 - real posts use en dashes and typographic quotes
"""Every rule of the ad-disclosure enricher, one example each way (docs/ad-disclosure.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from horchposten.enrich.disclosure import assess
from horchposten.models import Post

DISCLOSED = "disclosed"
UNDISCLOSED = "undisclosed_commercial_signals"
NONE = "no_commercial_signals"


def fields(text: str, title: str | None = None, lang: str = "de") -> dict[str, Any]:
    return assess(Post(id="1", text=text, title=title, lang=lang, created_at=datetime.now(UTC)))


def kinds(result: dict[str, Any], key: str) -> list[str]:
    return [item["kind"] for item in result[key]]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Werbung | Mein neues Lieblingsserum", "label"),
        ("[Anzeige] Wir haben das Spiel getestet", "label"),
        ("*Werbung* Frischer Kaffee", "label"),
        ("🔸Werbung🔸 Geschenkideen", "label"),
        ("Werbung für @mymuesli 🥣 zurück im Sortiment", "label"),
        ("WERBUNG Heute zeige ich euch meine Routine", "label"),
        ("Das Shampoo (Werbung) riecht nach Kokos", "label"),
        ("Ein langes Wochenende auf Rügen. (Anzeige)", "label"),
        ("Produktplatzierung\nWie ich meine Wohnung eingerichtet habe", "label"),
        ("Dauerwerbesendung\nDie neuen Räder im Test", "label"),
        ("Kooperation | Heute koche ich Risotto", "label"),
        ("Bezahlte Partnerschaft mit @lidl Grillsaison!", "label"),
        ("Dieser Beitrag enthält Werbung für die Rösterei", "label"),
        ("Unterstützt durch Produktplatzierung. Ein Vlog", "label"),
        ("Ad | Three ways to style one blazer", "label"),
        ("[AD] Meal prep Sunday", "label"),
        ("ad - my favourite trainers are back", "label"),
        ("Sponsored | Ten days in Lisbon", "label"),
        ("Advertisement | Our review of the e-bike", "label"),
        ("Paid partnership with @adidas Long run done", "label"),
        ("Episode 12 (includes paid promotion)", "label"),
        ("Werbung, unbezahlt. Mein Lippenstift", "unpaid_label"),
        ("Unbezahlte Werbung, weil Marke erkennbar", "unpaid_label"),
        ("Werbung (unbeauftragt) – meine Bücher", "unpaid_label"),
        ("Werbung da Markennennung\nSpaziergang", "unpaid_label"),
        ("Werbung wegen Verlinkung: der Pullover", "unpaid_label"),
        ("Mein Outfit #unbezahltewerbung", "unpaid_label"),
        ("#werbung Mein Wocheneinkauf", "hashtag"),
        ("Neue Woche, neuer Plan #Anzeige", "hashtag"),
        ("Love this #ad", "hashtag"),
        ("Cosy evening #sponsored", "hashtag"),
        ("In Kooperation mit @tchibo_de habe ich die Mühle getestet", "sponsor_phrase"),
        ("Ein Tag am See in Kooperation mit @visitberlin", "sponsor_phrase"),
        ("Sponsored by #MilkIt! Ten-year-old Sky can surf", "sponsor_phrase"),
        ("Dieses Video wird unterstützt von Taxfix.", "sponsor_phrase"),
        ("This video is sponsored by Squarespace.", "sponsor_phrase"),
        ("Thanks to Skillshare for sponsoring this video!", "sponsor_phrase"),
        ("Kamera: amzn.to/3x\n*Affiliate-Link", "affiliate_notice"),
        ("Die mit * markierten Links sind Partnerlinks.", "affiliate_notice"),
        ("Alle Links sind Affiliate-Links.", "affiliate_notice"),
        ("Als Amazon-Partner verdiene ich an qualifizierten Verkäufen.", "affiliate_notice"),
        ("As an Amazon Associate I earn from qualifying purchases.", "affiliate_notice"),
        ("If you buy through them I earn a small commission.", "affiliate_notice"),
        ("Wenn ihr bestellt, erhalte ich eine kleine Provision.", "affiliate_notice"),
        ("Zum Shop (Werbelink): https://example.com", "affiliate_notice"),
        ("Gear list (affiliate links):", "affiliate_notice"),
        ("Die Kamera #affiliate", "affiliate_notice"),
    ],
)
def test_a_marker_makes_a_post_disclosed(text: str, kind: str) -> None:
    result = fields(text)
    assert result["verdict"] == DISCLOSED
    assert kind in kinds(result, "markers")


@pytest.mark.parametrize(
    "text",
    [
        "Die Werbung von Edeka ist wieder mal genial.",
        "Ich habe Anzeige gegen Unbekannt erstattet.",
        "Die Anzeige an Gleis 4 zeigt „Zug fällt aus“.",
        "Es ist nicht üblich, „Anzeige“ zu erstatten.",  # quoted: the word is talked about
        "Werbung-Kampagnen nerven",
        "Alzheimer's disease (AD) is a neurodegenerative disease.",
        "apex ad-2600 working so far.",
        "ad-2600 doesn't have this feature.",
        "I was the weirdo who posted that craigslist clown ad.",
        "Is every YouTuber sponsored by NordVPN now?",
        "Die Kooperation zwischen Bahn und Flixbus wurde bekanntgegeben.",
        "The event, sponsored by Nike, was fun.",
        "Ich hasse Affiliate-Links in Rezepten.",
        "Nutzer*innen und Follower*innen",
        "Ist das jetzt Werbung oder ernst gemeint?",
    ],
)
def test_label_words_in_running_text_are_no_markers(text: str) -> None:
    result = fields(text)
    assert result["markers"] == []
    assert result["verdict"] == NONE


@pytest.mark.parametrize(
    "text",
    [
        "Keine Werbung, einfach nur Liebe für dieses Café.",
        "Kein Sponsoring, keine Kooperation – nur ein Tipp.",
        "Das ist nicht gesponsert.",
        "Unbeauftragt und selbst gekauft: mein Shampoo.",
        "unbezahlt, ich mag es einfach",
        "Not sponsored, I just love this mascara.",
        "This is not an ad.",
        "No affiliate links here.",
        "Non-sponsored review of the camera",
        "I bought it myself.",
        "#keinewerbung #notsponsored",
    ],
)
def test_negations_are_neither_disclosure_nor_signal(text: str) -> None:
    result = fields(text)
    assert result["verdict"] == NONE
    assert result["markers"] == [] and result["negations"]


def test_a_negation_with_a_signal_is_undisclosed_and_noted() -> None:
    result = fields("Keine Werbung, selbst gekauft! Mit meinem Code SARAH10 gibt's 10 %.")
    assert result["verdict"] == UNDISCLOSED
    assert result["notes"] == ["negation_with_signals"]


def test_an_unpaid_label_discloses_even_with_signals_and_says_so() -> None:
    result = fields("Werbung (unbezahlt) – mit meinem Code MIRA15 gibt's 15 %")
    assert result["verdict"] == DISCLOSED
    assert "unpaid_label_with_signals" in result["notes"]


def test_a_marker_alone_is_disclosed() -> None:
    assert fields("Anzeige | Einfach ein schöner Tag am Meer")["verdict"] == DISCLOSED


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mit meinem Code LENA15 spart ihr 15 %!", "discount_code"),
        ("Rabattcode: MAXFIT20 für alle Riegel", "discount_code"),
        ("Gutscheincode EMMA-LISA für 25 %", "discount_code"),
        ("Mit meinem Rabattcode spart ihr", "discount_code"),
        ("Den Rabattcode findet ihr in meiner Bio", "discount_code"),
        ("Use code SOPHIE20 for 20% off!", "discount_code"),
        ("code HANNAH for 25% off at the shop", "discount_code"),
        ("Code NORDLICHT8 = 8 % Rabatt im Shop", "discount_code"),
        ("https://shop.example/discount/ANNA10", "discount_code"),
        ("Bestellt hier: https://amzn.to/3KpZqWe", "affiliate_link"),
        ("https://rstyle.me/+abc123", "affiliate_link"),
        ("liketk.it/4kPqR", "affiliate_link"),
        ("https://www.awin1.com/cread.php?awinmid=1", "affiliate_link"),
        ("https://www.amazon.de/dp/B07H8QMZWV?tag=kuechenliebe-21", "affiliate_parameter"),
        ("https://shop.example/p/1?utm_source=ig&utm_medium=influencer", "affiliate_parameter"),
        ("https://www.example.com/?awc=123_456", "affiliate_parameter"),
        ("Gifted by @glossier – the lip balm", "gifted"),
        ("#gifted Trying the new coffee", "gifted"),
        ("Die Brille wurde mir von @ace_and_tate geschickt", "gifted"),
        ("Danke an @sonnentor für das liebe Paket", "gifted"),
        ("Big thanks to @huel for sending me their new flavours", "gifted"),
        ("PR-Paket von @lush bekommen", "pr_sample"),
        ("PR package from @fenty just arrived", "pr_sample"),
        ("Rezensionsexemplar vom Verlag", "pr_sample"),
        ("wurde mir freundlicherweise zur Verfügung gestellt", "pr_sample"),
        ("Kostenlos zugeschickt bekommen und verliebt", "pr_sample"),
        ("Die Powerbank habe ich zum Testen bekommen", "pr_sample"),
        ("They sent me this for free", "pr_sample"),
        ("Holt ihn euch über meinen Link, dann 5 € günstiger", "personal_link"),
        ("Get 10% off with my link", "personal_link"),
        ("Neue Creme von @lamazuna #sp", "ambiguous_label"),
        ("Ich verlose 3x das Set von @alverde!", "giveaway"),
        ("I'm giving away 3 cookbooks from @ottolenghi", "giveaway"),
        ("Kleid von @zara: https://www.zara.com/de/kleid-p123.html", "brand_and_shop_link"),
        ("Jacke von @jackwolfskin https://www.zalando.co.uk/jacke.html", "brand_and_shop_link"),
        ("Neu von @label: https://shop.label.example/collections/herbst", "brand_and_shop_link"),
        ("Das Kleid von @mango, Link zum Produkt in meiner Story", "brand_and_shop_link"),
        ("Shop the look in my stories! @represent", "brand_and_shop_link"),
    ],
)
def test_a_signal_without_marker_is_undisclosed(text: str, kind: str) -> None:
    result = fields(text)
    assert result["verdict"] == UNDISCLOSED
    assert kind in kinds(result, "signals")


@pytest.mark.parametrize(
    "text",
    [
        "Hat jemand einen Rabattcode für Zalando?",
        "Ich sehe nur noch Rabattcodes in meinem Feed.",
        "i dare you to surf the net and find the code.",
        "The code is MIT licensed: https://github.com/x/y",
        "code anna10 nicht vergessen",  # codes are written in capitals
        "Der Code 1234 für die Haustür",
        "the service defaults to your billing zip code",
        "i purchased this as a christmas gift for my husband.",
        "i received this dvd player free with the purchase of a palm.",
        "they sent me a new ad2600 with the same problem.",
        "and amazon.com has it for such a great price",
        "Mein Kleid: https://www.zara.com/de/kleid-p123.html",  # a shop link, no tagged brand
        "Wir verlosen Tickets für die Lange Nacht der Museen @hamburg",  # not the author's own
        "I just entered the @anon giveaway",
        "@user But where is Antifa going to shop now?",
        "e-mail customerservice@apexdigital.com does not work",
        "trade offer: https://steamcommunity.com/tradeoffer/new/?partner=242179961",
        "Jil Sander Werbespot als Vorspann #Papst #SPON",
        "Mein Freund hat mir Karten geschenkt",
    ],
)
def test_things_that_look_commercial_but_are_not_signals(text: str) -> None:
    result = fields(text, lang="en")
    assert result["signals"] == []
    assert result["verdict"] == NONE


def test_affiliate_asterisks_count_once_the_post_explains_them() -> None:
    text = "Kamera*: https://amzn.to/3QxK2Lm\nLicht*: https://amzn.to/3Rk0aB7\n*Affiliate-Links"
    result = fields(text)
    stars = [m["start"] for m in result["markers"] if m["kind"] == "affiliate_asterisk"]
    assert stars == [text.index("*"), text.index("Licht*") + 5]
    assert fields("Kamera*: wie neu\n*seufz*")["markers"] == []


def test_a_giveaway_needs_a_tagged_brand() -> None:
    assert fields("Ich verlose 3 Exemplare meines Buches!")["signals"] == []


def test_signals_and_markers_are_reported_with_their_text() -> None:
    result = fields("Werbung | Mit dem Code JULIA15 spart ihr 15 % bei @glowlab")
    assert result["markers"][0]["text"] == "Werbung"
    assert result["signals"] == [
        {"kind": "discount_code", "text": "Mit dem Code JULIA15", "start": 10}
    ]
    assert result["rules"] == "disclosure-2026.11"
