"""Themes, rising terms and voice of the customer on hand-written posts."""

from __future__ import annotations

import math

from analytics_posts import labelled, post, store, topics, utc
from horchposten.analytics.aspects import DEFAULT_ASPECTS, mentions_in, voice_of_customer
from horchposten.analytics.opinion import polarity
from horchposten.analytics.period import Period
from horchposten.analytics.themes import Doc, burst, clusters, documents, rising_terms, top_terms
from horchposten.store.database import Database

BEFORE = [
    Doc(1, "Der Kundenservice war freundlich."),
    Doc(2, "Great customer service, thanks!"),
    Doc(3, "Neue Lieferzeiten bei Nordlicht."),
    Doc(4, "Nordlicht im Test."),
]
NOW = [
    Doc(11, "Der Kundenservice hat nicht geantwortet!", engagement=5),
    Doc(12, "Kundenservice schon wieder nicht erreichbar."),
    Doc(13, "Terrible customer service today."),
    Doc(14, "Customer service never called back, customer support neither."),
    Doc(15, "Die Akkulaufzeit ist beeindruckend."),
    Doc(16, "Akkulaufzeit top, battery life great."),
    Doc(17, "battery life could be better"),
    Doc(18, "Nordlicht im Test."),
]


def test_terms_keep_german_compounds_and_english_phrases_readable() -> None:
    terms = {t.label: t.posts for t in top_terms(NOW)}
    assert terms["Kundenservice"] == 2  # as written, not stemmed or split
    assert terms["Akkulaufzeit"] == 2
    assert terms["customer service"] == 2  # the phrase absorbs "customer" and "service"
    assert terms["battery life"] == 2
    assert "customer" not in terms and "battery" not in terms
    assert "der" not in {label.lower() for label in terms}


def test_clusters_are_labelled_with_sizes_and_examples() -> None:
    themes = {t.label: t for t in clusters(NOW)}
    assert themes["Kundenservice"].size == 2
    assert [d.post_id for d in themes["Kundenservice"].examples] == [11, 12]  # most engaged first
    assert themes["customer service"].size == 2
    assert themes["battery life"].size == 2


def test_rising_terms_have_burst_scores_against_the_previous_period() -> None:
    rising = {t.label: t for t in rising_terms(NOW, BEFORE, min_posts=2)}
    # "battery life": 2 of 8 posts now, 0 of 4 before: log2((3/10) / (1/6)).
    assert rising["battery life"].burst == round(math.log2((3 / 10) / (1 / 6)), 4)
    assert rising["battery life"].previous == 0
    # 2 of 8 now against 1 of 4 before is no rise: (3/10) < (2/6).
    assert "customer service" not in rising and "Kundenservice" not in rising
    assert "Nordlicht" not in rising  # 1 of 8 now against 2 of 4 before: falling
    assert burst(0, 10, 5, 10) < 0


def test_aspects_get_their_own_clause_polarity_and_quotes() -> None:
    doc = Doc(1, "Der Preis ist top, aber der Versand war langsam. Kundenservice super!")
    found = {(m.aspect, m.polarity) for m in mentions_in(doc, DEFAULT_ASPECTS)}
    assert found == {
        ("price", "positive"),
        ("delivery", "negative"),
        ("customer service", "positive"),
    }
    assert polarity("nicht gut") == "negative"
    assert polarity("not bad at all") == "positive"


def test_voice_of_the_customer_ranks_praise_and_criticism() -> None:
    docs = [
        Doc(1, "Lieferung kam zu spät und das Paket war kaputt.", engagement=9),
        Doc(2, "Delivery was late again."),
        Doc(3, "Great price!"),
        Doc(4, "Die Verarbeitung ist hochwertig, der Akku schlecht."),
        Doc(5, "Akku leider schwach, Akku nervig."),
    ]
    voice = voice_of_customer(docs)
    by_name = {a.name: a for a in voice.aspects}
    assert by_name["delivery"].counts == {"positive": 0, "neutral": 0, "negative": 2}
    assert by_name["delivery"].net == -1.0
    assert by_name["delivery"].quotes[0].post_id == 1
    assert by_name["price"].counts["positive"] == 1
    assert voice.criticised[0] == "delivery"
    assert set(voice.praised) == {"price", "quality"}
    assert "akku" in voice.surfaced  # opinions about something no aspect names


def test_documents_read_the_topics_posts(database: Database) -> None:
    (brand,) = topics(database, "Nordlicht")
    store(
        database,
        [
            labelled(
                post("1", "2026-11-01T10:00", text="Nordlicht Akkulaufzeit", likes=3), None, [brand]
            ),
            labelled(post("2", "2026-12-01T10:00"), None, [brand]),
        ],
    )
    with database.begin() as conn:
        docs, sample = documents(
            conn, brand, Period(utc("2026-11-01T00:00"), utc("2026-11-02T00:00"))
        )
    assert [(d.text, d.engagement) for d in docs] == [("Nordlicht Akkulaufzeit", 3)]
    assert (sample.read, sample.posts, sample.every) == (1, 1, 1)
