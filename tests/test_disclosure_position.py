"""Where a disclosure sits: offsets into the post's content, "at the start", notes; the seam."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from horchposten.enrich import disclosure_markers, disclosure_signals, literals
from horchposten.enrich.disclosure import FOLD_CHARS, DisclosureEnricher, assess
from horchposten.models import Post
from horchposten.plugins import plugins

FILLER = "Ein ganzes Wochenende auf Rügen, viel Wind und endlich wieder Zeit zum Lesen. "


def fields(text: str, title: str | None = None, lang: str = "de") -> dict[str, Any]:
    return assess(Post(id="1", text=text, title=title, lang=lang, created_at=datetime.now(UTC)))


def test_offsets_index_the_content_title_newline_text() -> None:
    post = Post(
        id="1",
        title="Anzeige | Meine Packliste",
        text="Die Kamera: https://amzn.to/3vB9kQw",
        created_at=datetime.now(UTC),
    )
    result = assess(post)
    [marker] = result["markers"]
    [signal] = result["signals"]
    assert post.content[marker["start"] :].startswith("Anzeige")
    assert post.content[signal["start"] :].startswith("https://amzn.to")


def test_a_label_in_the_title_is_at_the_start() -> None:
    result = fields(FILLER * 3 + "Mehr im Video.", title="Meine Packliste (Werbung)")
    assert result["label_at_start"] is True
    assert result["notes"] == []


@pytest.mark.parametrize(
    ("before", "at_start"),
    [
        ("", True),
        ("x" * (FOLD_CHARS - 2) + " ", True),  # begins on the last visible character
        ("x" * (FOLD_CHARS - 1) + " ", False),
        ("Hallo!\n", True),  # second line
        ("Hallo!\n\n", False),  # third line, even though within 100 characters
    ],
)
def test_at_the_start_means_the_first_100_characters_and_two_lines(
    before: str, at_start: bool
) -> None:
    result = fields(before + "#werbung")
    assert result["markers"][0]["at_start"] is at_start
    assert result["label_at_start"] is at_start


def test_a_label_only_at_the_end_is_disclosed_with_a_note() -> None:
    result = fields(FILLER * 2 + "Den Link findet ihr in meiner Story. #werbung")
    assert result["verdict"] == "disclosed"
    assert result["label_at_start"] is False
    assert result["notes"] == ["label_not_at_start"]


def test_a_label_hidden_in_a_hashtag_block_is_noted() -> None:
    result = fields(FILLER * 2 + "\n.\n.\n#selfcare #sonntag #werbung #glowup #skincare")
    [marker] = result["markers"]
    assert marker["in_hashtag_block"] is True
    assert result["notes"] == ["label_not_at_start", "label_in_hashtag_block"]


def test_an_english_label_on_a_german_post_is_noted() -> None:
    german = fields("Die neue Kollektion ist da #ad #fashion #ootd", lang="de")
    english = fields("The new collection is here #ad #fashion #ootd", lang="en")
    assert "english_label_only" in german["notes"]
    assert "english_label_only" not in english["notes"]
    assert fields("Werbung | Die Kollektion #ad", lang="de")["notes"] == []


def test_the_enricher_meets_the_seam() -> None:
    [enricher] = [e for e in plugins().enrichers() if e.name == "disclosure"]
    assert isinstance(enricher, DisclosureEnricher)
    assert enricher.version == "disclosure-2026.11" and enricher.requires == ()
    batch = [
        Post(id=str(i), text=text, created_at=datetime.now(UTC))
        for i, text in enumerate(["Werbung | Hallo", "Code ANNA10 für 10 % Rabatt", "Hallo"])
    ]
    first = enricher.enrich(batch, [{} for _ in batch])
    assert [f["verdict"] for f in first] == [
        "disclosed",
        "undisclosed_commercial_signals",
        "no_commercial_signals",
    ]
    assert first == enricher.enrich(batch, [{} for _ in batch])  # deterministic
    json.dumps(first)  # stored as JSON


def test_any_of_finds_every_word_and_only_them() -> None:
    pattern = literals.any_of(["werb", "werbung", "anzeige", "#ad"])
    assert [bool(pattern.search(t)) for t in ("#werbung", "anzeigen", "#ad", "wer")] == [
        True,
        True,
        True,
        False,
    ]
    with pytest.raises(ValueError, match="non-empty"):
        literals.any_of(["werb", ""])


@pytest.mark.parametrize(
    "text",
    [
        "Mit * gekennzeichnete Links sind Affiliate-Links",
        "This video is brought to you by Audible",
        "#notanad #noad kein PR-Paket",
        "Danke an @x für das Paket, zum Testen bekommen, I'm giving away",
        "Werbung (unbeauftragt) Unbezahlte Werbung #werbungunbezahlt",
    ],
)
def test_the_cheap_pre_tests_let_through_every_text_the_patterns_match(text: str) -> None:
    lowered = text.lower()
    if disclosure_markers.MARKERS.search(lowered):
        assert disclosure_markers.possible(lowered)
    if disclosure_signals.WORDS.search(lowered):
        assert disclosure_signals.TRIGGERS.search(lowered)
