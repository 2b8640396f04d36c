"""The duplicates enricher: clusters of near-copies, the bounded index, warm start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import DATA
from duplicates_eval import evaluate, originals
from horchposten.enrich.duplicates import (
    MODEL,
    DuplicateEnricher,
    shingle_words,
    shingles,
)
from horchposten.models import Post
from horchposten.store.database import Database
from horchposten.store.enrichments import recent_duplicate_bands
from horchposten.store.posts import Prepared, store_batch

AT = datetime(2026, 11, 22, 10, tzinfo=UTC)
TEXT = "Der ICE nach Hamburg hat schon wieder vierzig Minuten Verspätung, danke Deutsche Bahn"
OTHER = "Heute fährt mein ICE nach Hamburg pünktlich ab, das Bordbistro hat sogar Kaffee"


def _posts(*texts: str, start: int = 0) -> list[Post]:
    return [
        Post(id=str(start + i), source="mastodon", text=text, created_at=AT)
        for i, text in enumerate(texts)
    ]


def _clusters(enricher: DuplicateEnricher, posts: list[Post]) -> list[str | None]:
    return [fields["cluster"] for fields in enricher.enrich(posts, [{} for _ in posts])]


def test_copies_and_near_copies_share_the_first_posts_key() -> None:
    copies = [
        TEXT,
        f"RT @bahnfan: {TEXT}",
        f"{TEXT} https://t.co/abc123",
        TEXT.replace("vierzig", "fünfzig"),
        TEXT.replace("vierzig", "dreißig").replace("Hamburg", "Bremen"),
        TEXT.upper(),
        TEXT.replace("ä", "a"),
    ]
    assert _clusters(DuplicateEnricher(), _posts(*copies)) == ["mastodon:0"] * len(copies)


def test_a_post_seen_again_keeps_its_cluster() -> None:
    enricher = DuplicateEnricher()
    first = _clusters(enricher, _posts(OTHER, TEXT))
    assert _clusters(enricher, _posts(OTHER, TEXT)) == first == ["mastodon:0", "mastodon:1"]


def test_posts_on_the_same_topic_are_different_clusters() -> None:
    assert _clusters(DuplicateEnricher(), _posts(TEXT, OTHER)) == ["mastodon:0", "mastodon:1"]


def test_posts_under_five_words_get_no_cluster() -> None:
    [fields] = DuplicateEnricher().enrich(_posts("Danke, sehr gut! 👍 https://x.y"), [{}])
    assert fields == {"cluster": None, "bands": [], "model": MODEL}


def test_fields_are_small_json_safe_and_deterministic() -> None:
    posts = _posts(TEXT, OTHER, f"RT @x: {OTHER}")
    first = DuplicateEnricher().enrich(posts, [{} for _ in posts])
    assert DuplicateEnricher().enrich(posts, [{} for _ in posts]) == first
    assert set(first[0]) == {"cluster", "bands", "model"}
    assert len(first[0]["bands"]) == 16
    assert all(0 <= band < 2**53 for fields in first for band in fields["bands"])
    assert len(DuplicateEnricher.version) <= 32


def test_band_keys_are_stable() -> None:
    # Stored band keys must equal those computed after a restart or an upgrade (the
    # same in every process); if rensa changes its hashing, this fails and the
    # enricher's version must change.
    [fields] = DuplicateEnricher().enrich(_posts(TEXT), [{}])
    assert fields["bands"][:2] == [45284254860277, 289004519606845]


def test_normalised_words() -> None:
    text = "RT @bahnfan: RT @news: @DB_Bahn Zug fällt aus! 😡 #BahnChaos https://t.co/x"
    assert shingle_words(text) == ["db_bahn", "zug", "fallt", "aus", "bahnchaos"]
    assert shingles(["a", "b", "c"]) == ["a", "b", "c", "a b", "b c"]


def test_the_oldest_posts_leave_a_full_index() -> None:
    enricher = DuplicateEnricher(capacity=2)
    third = "Ganz anderes Thema: der Bäcker an der Ecke hat endlich wieder Brezeln"
    assert _clusters(enricher, _posts(TEXT, OTHER, third)) == [
        "mastodon:0",
        "mastodon:1",
        "mastodon:2",
    ]
    assert len(enricher.index) == 2
    copies = _posts(f"RT @x: {TEXT}", f"RT @x: {third}", start=3)
    assert _clusters(enricher, copies) == ["mastodon:3", "mastodon:2"]


def test_warm_refills_the_index_from_stored_fields_newest_first() -> None:
    posts = _posts(TEXT, OTHER, "Zu kurz")
    fields = DuplicateEnricher().enrich(posts, [{} for _ in posts])
    rows = [(p.key, f["cluster"], f["bands"]) for p, f in zip(posts, fields, strict=True)]
    warmed = DuplicateEnricher(capacity=1)
    warmed.warm(reversed(rows))  # newest first; only the newest post with bands fits
    assert len(warmed.index) == 1
    copies = _posts(f"RT @x: {OTHER}", f"RT @x: {TEXT}", start=10)
    assert _clusters(warmed, copies) == ["mastodon:1", "mastodon:11"]


def test_recent_duplicate_bands_newest_first_since_and_version(database: Database) -> None:
    enricher = DuplicateEnricher()
    posts = _posts(TEXT, OTHER, f"RT @x: {TEXT}", "Zu kurz")
    fields = enricher.enrich(posts, [{} for _ in posts])
    items = [
        Prepared.of(post, enrichments={"duplicates": (enricher.version, f)})
        for post, f in zip(posts, fields, strict=True)
    ]
    with database.begin() as conn:
        store_batch(conn, items[:1], AT - timedelta(days=2))
        store_batch(conn, items[1:], AT)
        store_batch(
            conn,
            [
                Prepared.of(
                    _posts(OTHER, start=9)[0],
                    enrichments={
                        "duplicates": ("minhash-0", fields[1]),
                        "language": ("1", {"code": "de"}),
                    },
                )
            ],
            AT,
        )
    with database.begin() as conn:
        recent = list(
            recent_duplicate_bands(conn, AT - timedelta(days=1), version=enricher.version)
        )
        everything = list(recent_duplicate_bands(conn, AT - timedelta(days=3)))
    assert recent == [
        ("mastodon:2", "mastodon:0", fields[2]["bands"]),
        ("mastodon:1", "mastodon:1", fields[1]["bands"]),
    ]
    assert [key for key, _, _ in everything] == [
        "mastodon:9",
        "mastodon:2",
        "mastodon:1",
        "mastodon:0",
    ]


def test_warm_reads_only_what_fits(database: Database) -> None:
    enricher = DuplicateEnricher()
    posts = _posts(TEXT, OTHER)
    fields = enricher.enrich(posts, [{} for _ in posts])
    items = [
        Prepared.of(post, enrichments={"duplicates": (enricher.version, f)})
        for post, f in zip(posts, fields, strict=True)
    ]
    warmed = DuplicateEnricher(capacity=1)
    with database.begin() as conn:
        store_batch(conn, items, AT)
        warmed.warm(recent_duplicate_bands(conn, AT))
        # The connection is still usable after the reader stopped early.
        assert list(recent_duplicate_bands(conn, AT))[-1][0] == "mastodon:0"
    assert _clusters(warmed, _posts(f"RT @x: {OTHER}", start=5)) == ["mastodon:1"]


@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared data folder {DATA} is absent")
def test_near_copies_of_real_posts() -> None:
    result = evaluate(originals(per_corpus=500))
    assert result.copy_recall["RT @handle: prefix"] >= 0.99
    assert result.copy_recall["link changed or added"] >= 0.99
    assert result.copy_recall["one word changed"] >= 0.95
    assert result.copy_recall["two words changed"] >= 0.85
    assert result.pair_recall >= 0.93
    assert result.pair_precision >= 0.98
