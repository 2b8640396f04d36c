"""Records outside what the databases can hold are rejects, never a sunk batch.

The bounds live at the model (models.py), identical for both databases; a bad
record goes to the rejects file with its reason and the rest of its batch is kept.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import update

from conftest import Cli
from horchposten.config import load_settings
from horchposten.models import Post, Topic
from horchposten.sources.records import read_jsonl
from horchposten.store.database import open_database
from horchposten.store.schema import posts


def good(number: int, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(number),
        "text": f"Nordlicht Espresso {number}",
        "created_at": "2026-11-01T08:15:00Z",
        **changes,
    }


SOON = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()  # within clock skew
FUTURE = (datetime.now(UTC) + timedelta(days=2)).isoformat()

POISON: list[tuple[dict[str, Any], str]] = [
    (good(10, metrics={"likes": 2**63}), "field metrics.likes: Input should be less than"),
    (good(11, author={"followers": 10**30}), "field author.followers: Input should be less than"),
    (good(12, created_at="9999-12-31T23:59:59-23:59"), "is not a date a post can have"),
    (good(13, created_at="0001-01-01T00:00:00+01:00"), "is not a date a post can have"),
    (good(14, id="x" * 300), "field id: String should have at most 255 characters"),
    (good(15, source="s" * 65), "field source: String should have at most 64 characters"),
    (good(16, id="y" * 250, source="s" * 60), "the most a key can hold is 299"),
    (good(17, parent_id="p" * 250, source="s" * 60), "'source' and 'parent_id' together"),
    (good(18, author={"handle": "h" * 256}), "field author.handle: String should have at most 255"),
    (good(19, url="javascript:alert(document.cookie)"), "field url: must be an http(s) URL"),
    (good(20, author={"url": " JavaScript:alert(1)"}), "field author.url: must be an http(s) URL"),
    (good(21, url="data:text/html,<script>alert(1)</script>"), "field url: must be an http(s)"),
    (good(22, created_at=FUTURE), "lies in the future, more than 10 minutes after"),
]


def test_poison_records_are_rejected_and_their_batch_is_kept(
    workspace: Cli, tmp_path: Path
) -> None:
    lines = [
        good(1),
        *(record for record, _ in POISON),
        good(2, text="NUL\x00 and a lone surrogate \ud800 are cleaned"),
        good(3, created_at=SOON, url="https://social.example/3"),
    ]
    path = tmp_path / "poison.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")

    result = workspace("import", str(path))  # one batch: batch_size is 1000

    assert result.exit_code == 2, result.output
    assert "3 accepted (3 new, 0 updated), 0 duplicates, 13 rejected" in result.output
    assert "Traceback" not in result.output
    rejects = [
        json.loads(x)
        for x in (tmp_path / "poison.jsonl.rejects.jsonl").read_text().split("\n")
        if x
    ]
    assert [r["line"] for r in rejects] == list(range(2, 2 + len(POISON)))
    for reject, (_, reason) in zip(rejects, POISON, strict=True):
        assert reason in reject["reason"], reject
    stored = {p["id"]: p for p in map(json.loads, workspace("export").stdout.splitlines())}
    assert sorted(stored) == ["1", "2", "3"]
    assert stored["2"]["text"] == "NUL and a lone surrogate \ufffd are cleaned"


def test_a_reason_does_not_repeat_an_overlong_value(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Post.model_validate(good(1, id="x" * 10_000))
    [(_, reject)] = list(read_jsonl([json.dumps(good(1, id="x" * 10_000)).encode()]))
    assert "10,002 characters" in reject.reason and len(reject.reason) < 200  # type: ignore[union-attr]


def test_every_line_read_is_accepted_a_duplicate_or_rejected(
    workspace: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "same.jsonl"
    path.write_text("\n".join(json.dumps(good(7, text=f"Version {n}")) for n in range(4)) + "\n")
    first = workspace("import", str(path))
    assert first.exit_code == 0, first.output
    assert "1 accepted (1 new, 0 updated), 3 duplicates, 0 rejected" in first.output
    with path.open("a") as handle:
        handle.write("not json\n")
    again = workspace("import", str(path))
    assert "0 accepted (0 new, 0 updated), 4 duplicates, 1 rejected" in again.output
    assert "1 of 5 records were rejected" in again.output


@pytest.mark.parametrize(
    "changes",
    [{"name": "Nord\x00licht"}, {"query": "nordlicht\x00"}, {"query": "nord\ud800licht"}],
)
def test_topic_names_and_queries_refuse_nul_and_lone_surrogates(changes: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="NUL or an unpaired surrogate"):
        Topic.model_validate({"name": "Nordlicht", "query": "nordlicht", **changes})


def test_a_topic_with_nul_is_a_clear_error_on_both_databases(workspace: Cli) -> None:
    result = workspace("topic", "add", "Nord\x00licht", "--query", "nordlicht")
    assert result.exit_code != 0
    assert "NUL or an unpaired surrogate" in result.output
    assert "Traceback" not in result.output


def test_a_link_stored_before_links_were_checked_is_dropped_on_reading(
    workspace: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(good(1, url="https://social.example/1")) + "\n")
    assert workspace("import", str(path)).exit_code == 0
    database = open_database(load_settings(workspace.config).database_url)
    try:
        with database.begin() as conn:
            conn.execute(update(posts).values(url="javascript:alert(1)"))
    finally:
        database.close()
    [stored] = map(json.loads, workspace("export").stdout.splitlines())
    assert stored["id"] == "1" and stored["url"] is None


def test_a_source_option_the_database_cannot_hold_is_refused_before_reading(
    workspace: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(good(1)) + "\n")
    result = workspace("import", str(path), "--source", "s" * 65)
    assert result.exit_code == 1
    assert "is no source name: use at most 64 lowercase letters" in result.output
    assert workspace("export").stdout == ""
