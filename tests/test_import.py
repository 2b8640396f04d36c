"""``horchposten import``: JSONL and CSV, idempotent, rejects by line; SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, Cli
from horchposten.errors import InputError
from horchposten.import_reader import ImportOptions
from horchposten.importer import import_file
from horchposten.models import Post
from horchposten.pipeline import Pipeline
from horchposten.sources.records import Reject, read_csv, read_jsonl

POSTS = FIXTURES / "files" / "posts.jsonl"


def _count(workspace: Cli) -> int:
    result = workspace("export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return len(result.stdout.splitlines())


def test_import_stores_every_post_once(workspace: Cli) -> None:
    first = workspace("import", str(POSTS))
    assert first.exit_code == 0, first.output
    assert "8 accepted (8 new, 0 updated), 0 duplicates, 0 rejected" in first.output
    second = workspace("import", str(POSTS))
    assert second.exit_code == 0, second.output
    assert "0 accepted (0 new, 0 updated), 8 duplicates, 0 rejected" in second.output
    assert _count(workspace) == 8


def test_edited_post_is_updated_in_place(workspace: Cli, tmp_path: Path) -> None:
    workspace("import", str(POSTS))
    edited = tmp_path / "edited.jsonl"
    line = json.loads(POSTS.read_text(encoding="utf-8").splitlines()[0])
    line["text"] = "Der neue Nordlicht Espresso ist noch besser als gedacht."
    line["metrics"]["likes"] = 99
    edited.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = workspace("import", str(edited))
    assert "1 accepted (0 new, 1 updated), 0 duplicates" in result.output
    exported = [json.loads(x) for x in workspace("export").stdout.splitlines()]
    assert len(exported) == 8
    stored = next(p for p in exported if p["id"] == "1001")
    assert stored["text"] == line["text"]
    assert stored["metrics"] == {"likes": 99, "reposts": 2, "replies": 1, "views": None}


def test_broken_lines_are_rejected_by_line_and_good_ones_kept(
    workspace: Cli, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jsonl"
    shutil.copy(FIXTURES / "files" / "broken.jsonl", broken)
    result = workspace("import", str(broken))
    assert result.exit_code == 2
    assert "2 accepted (2 new, 0 updated), 0 duplicates, 6 rejected" in result.output
    rejects = [
        json.loads(line)
        for line in (tmp_path / "broken.jsonl.rejects.jsonl").read_text().splitlines()
    ]
    reasons = {r["line"]: r["reason"] for r in rejects}
    assert sorted(reasons) == [2, 3, 4, 7, 8, 9]
    assert reasons[2] == "field created_at is required but missing"
    assert reasons[3] == "invalid JSON: expected ident at line 1 column 2"
    assert "field author.followers" in reasons[4] and "'many'" in reasons[4]
    assert reasons[7] == "expected a JSON object"
    assert reasons[8] == "a post needs 'text' or 'title'; both are empty"
    assert "has no time zone" in reasons[9]
    assert rejects[1]["input"] == "this line is not JSON at all"
    assert sorted(json.loads(x)["id"] for x in workspace("export").stdout.splitlines()) == [
        "2001",
        "2006",
    ]


def test_csv_with_column_mapping_and_time_zone(workspace: Cli, tmp_path: Path) -> None:
    rejects = tmp_path / "rejected.jsonl"
    result = workspace(
        "import",
        str(FIXTURES / "files" / "export-tool.csv"),
        *("--rejects", str(rejects)),
        *("--map", "id=PostId", "--map", "created_at=Date", "--map", "text=Content"),
        *("--map", "author.handle=Username", "--map", "author.followers=Followers"),
        *("--map", "metrics.likes=Likes", "--map", "lang=Language"),
        *("--timezone", "Europe/Berlin"),
    )
    assert result.exit_code == 2, result.output
    assert "3 accepted (3 new, 0 updated), 0 duplicates, 1 rejected" in result.output
    [reject] = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert reject["line"] == 5
    assert reject["reason"].startswith("field created_at: Input should be a valid datetime")
    posts = {p["id"]: p for p in map(json.loads, workspace("export").stdout.splitlines())}
    assert posts["csv-1"]["created_at"] == "2026-11-05T08:00:00Z"  # CET is UTC+1
    assert posts["csv-1"]["author"] == {
        "handle": "kaffeetante",
        "name": None,
        "followers": 300,
        "url": None,
    }
    assert posts["csv-2"]["text"] == "Lieferung kam heute, alles bestens; danke Nordlicht!"
    assert posts["csv-2"]["author"]["followers"] is None  # an empty cell is missing, not 0
    assert posts["csv-3"]["metrics"]["likes"] == 40


def test_csv_mapping_to_unknown_column_is_explained(workspace: Cli) -> None:
    result = workspace("import", str(FIXTURES / "files" / "export-tool.csv"), "--map", "text=Body")
    assert result.exit_code == 1
    assert "names the column 'Body', which is not in the header" in result.output
    assert "PostId, Date, Content" in result.output


def test_csv_export_imports_back_identically(workspace: Cli, tmp_path: Path) -> None:
    workspace("import", str(POSTS))
    exported = tmp_path / "all.csv"
    assert workspace("export", "--format", "csv", "-o", str(exported)).exit_code == 0
    jsonl_before = workspace("export").stdout
    again = workspace("import", str(exported))
    assert "0 accepted (0 new, 0 updated), 8 duplicates, 0 rejected" in again.output
    assert workspace("export").stdout == jsonl_before


def test_unknown_extension_asks_for_format(workspace: Cli, tmp_path: Path) -> None:
    odd = tmp_path / "posts.txt"
    odd.write_text("", encoding="utf-8")
    result = workspace("import", str(odd))
    assert result.exit_code == 1
    assert "Pass --format jsonl or --format csv" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("parallel", [False, True])
def test_reading_in_a_worker_process_gives_the_same_result(
    pipeline: Pipeline, tmp_path: Path, parallel: bool
) -> None:
    broken = tmp_path / "broken.jsonl"
    shutil.copy(FIXTURES / "files" / "broken.jsonl", broken)
    report = import_file(pipeline, broken, ImportOptions(parallel=parallel), batch_size=1)
    assert (report.stored.new, report.rejected) == (2, 6)
    assert report.rejects_path == tmp_path / "broken.jsonl.rejects.jsonl"
    lines = [json.loads(x)["line"] for x in report.rejects_path.read_text().splitlines()]
    assert lines == [2, 3, 4, 7, 8, 9]
    again = import_file(pipeline, POSTS, ImportOptions(parallel=parallel), batch_size=3)
    assert (again.stored.new, again.stored.unchanged) == (8, 0)


def test_errors_in_the_worker_process_reach_the_user(pipeline: Pipeline) -> None:
    options = ImportOptions(mapping={"text": "Body"}, parallel=True)
    with pytest.raises(InputError, match="names the column 'Body', which is not in the header"):
        import_file(pipeline, FIXTURES / "files" / "export-tool.csv", options)


def test_rating_and_engagement_type_are_checked_in_jsonl_and_csv() -> None:
    base = {"id": "r1", "text": "Guter Kaffee", "created_at": "2026-11-01T10:00:00Z"}
    lines = [
        json.dumps(base | {"rating": 4.5, "engagement_type": "comment"}).encode(),
        json.dumps(base | {"rating": -1}).encode(),
        json.dumps(base | {"engagement_type": "like"}).encode(),
    ]
    good, negative, unknown = (verdict for _, verdict in read_jsonl(lines))
    assert isinstance(good, Post)
    assert (good.rating, good.engagement_type) == (4.5, "comment")
    assert isinstance(negative, Reject) and isinstance(unknown, Reject)
    assert "field rating: Input should be greater than or equal to 0" in negative.reason
    assert "field engagement_type: Input should be 'reply'" in unknown.reason
    table = io.StringIO(
        "id,text,created_at,rating,engagement_type\n"
        "c1,Schnell geliefert,2026-11-01T10:00:00Z,5,reply\n"
        "c2,Ohne Sterne,2026-11-01T11:00:00Z,,\n"
    )
    first, second = (verdict for _, verdict in read_csv(table, {}))
    assert isinstance(first, Post) and isinstance(second, Post)
    assert (first.rating, first.engagement_type) == (5.0, "reply")
    assert (second.rating, second.engagement_type) == (None, None)  # empty cells are missing
