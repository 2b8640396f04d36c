"""Erasure, the suppression list and the access report on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from horchposten.pipeline import Batch, Pipeline
from horchposten.privacy.access import REPORT_NAME, access_report, write_bundle
from horchposten.privacy.erasure import erase_author, list_receipts
from horchposten.privacy.person import Subject
from horchposten.privacy.retention import run_retention
from horchposten.privacy.suppression import list_suppressed
from horchposten.store.database import Database
from horchposten.store.schema import erasure_receipts, suppressed_authors
from horchposten.store.workspace_settings import set_retention
from privacy_posts import NOW, RECENT, authored, counts, fill, keys
from recount import recounted_rollups, stored_rollups


def test_erasure_removes_every_post_of_the_author_and_rollups_equal_a_recount(
    database: Database,
) -> None:
    fill(database)
    before = counts(database)

    receipt = erase_author(database, Subject.of("@ANNA@example.social"), "cli tester", NOW)

    assert keys(database) == {"bluesky:a3", "mastodon:b1", "mastodon:b2", "mastodon:n1"}
    assert stored_rollups(database) == recounted_rollups(database)
    after = counts(database)
    assert after["posts"] == before["posts"] - 2
    assert after["fulltext"] == before["fulltext"] - 2
    assert after["enrichments"] == before["enrichments"] - 2
    assert after["local_ids"] == before["local_ids"] - 1
    assert after["authors"] == before["authors"] - 1
    assert (receipt.posts, receipt.by_source, receipt.author_profiles) == (2, {"mastodon": 2}, 1)
    assert receipt.by_topic == {"Nordlicht": 2, "Bergquell": 1}
    assert receipt.actor == "cli tester" and receipt.source is None


def test_a_source_narrows_the_erasure(database: Database) -> None:
    fill(database)
    receipt = erase_author(database, Subject.of("anna", "bluesky"), "cli tester", NOW)
    assert receipt.posts == 1 and "bluesky:a3" not in keys(database)
    assert "mastodon:a2" in keys(database)
    assert stored_rollups(database) == recounted_rollups(database)


def test_the_receipt_and_the_suppression_list_hold_no_personal_data(database: Database) -> None:
    fill(database)
    erase_author(database, Subject.of("anna@example.social"), "user admin", NOW)
    with database.begin() as conn:
        stored = [dict(row._mapping) for row in conn.execute(select(erasure_receipts))]
        stored += [dict(row._mapping) for row in conn.execute(select(suppressed_authors))]
        receipts = list_receipts(conn)
    text = json.dumps(stored, default=str).casefold()
    assert "anna" not in text and "example.social" not in text and "name of" not in text
    assert len(receipts) == 1 and len(receipts[0].handle_digest) == 64


def test_erasure_after_retention_removes_the_author_rollups_left_behind(
    database: Database,
) -> None:
    fill(database)
    with database.begin() as conn:
        set_retention(conn, 30)
    run_retention(database, NOW)  # ben's old post goes, its author rollups stay
    receipt = erase_author(database, Subject.of("ben@example.social"), "cli tester", NOW)
    assert receipt.posts == 1 and receipt.author_rollups > 0
    with database.begin() as conn:
        report = access_report(conn, Subject.of("ben@example.social"), NOW)
    assert report["posts"] == [] and report["author_rollups"] == []
    assert report["author_profiles"] == []


def test_later_posts_of_an_erased_author_are_dropped_at_the_store(database: Database) -> None:
    fill(database)
    erase_author(database, Subject.of("anna@example.social", "mastodon"), "cli tester", NOW)
    pipeline = Pipeline(database)
    again = [
        authored("a9", RECENT, "Anna@Example.social"),  # the same person, spelt otherwise
        authored("a10", RECENT, "anna@example.social", source="bluesky"),  # another source
        authored("c1", RECENT, "carla@example.social"),
    ]
    batch = Batch(again)
    result = pipeline.store(pipeline.prepare(batch)).result
    assert (result.suppressed, result.new) == (1, 2)
    assert "mastodon:a9" not in keys(database) and "bluesky:a10" in keys(database)
    with database.begin() as conn:
        (entry,) = list_suppressed(conn)
    assert entry.dropped == 1 and entry.source == "mastodon"


def test_an_erasure_on_every_source_drops_the_author_everywhere(database: Database) -> None:
    fill(database)
    erase_author(database, Subject.of("anna@example.social"), "cli tester", NOW)
    pipeline = Pipeline(database)
    batch = Batch([authored("x", RECENT, "anna@example.social", source="bluesky")])
    assert pipeline.store(pipeline.prepare(batch)).result.suppressed == 1
    assert "bluesky:x" not in keys(database)


def test_the_access_report_holds_everything_stored_about_the_author(database: Database) -> None:
    fill(database)
    with database.begin() as conn:
        report = access_report(conn, Subject.of("anna@example.social"), NOW)
    assert [item["key"] for item in report["posts"]] == ["mastodon:a1", "mastodon:a2"]
    newest = report["posts"][1]
    assert newest["raw"]["account"] == {"acct": "anna@example.social"}
    assert newest["enrichments"]["sentiment"]["data"]["label"] == "negative"
    assert newest["topics"] == ["Bergquell", "Nordlicht"]
    assert newest["author"]["name"] == "Name of anna@example.social"
    assert report["author_profiles"][0]["name"] == "Name of anna@example.social"
    assert {row["topic"] for row in report["author_rollups"]} == {"Nordlicht", "Bergquell"}
    assert "ben" not in json.dumps(report)

    out = io.BytesIO()
    write_bundle(report, out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as bundle:
        assert sorted(bundle.namelist()) == ["README.txt", REPORT_NAME]
        assert json.loads(bundle.read(REPORT_NAME)) == report
