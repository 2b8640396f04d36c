"""A CSV that does not import says which option fixes it: ``--map`` with the file's
columns and a mapping to try, ``--timezone`` for times written without a zone."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from conftest import FIXTURES, Cli
from horchposten.import_hints import suggested_mapping

EXPORT = FIXTURES / "files" / "export-tool.csv"


def test_csv_without_map_names_the_option_its_columns_and_a_mapping(workspace: Cli) -> None:
    result = workspace("import", str(EXPORT))
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "no column for id, created_at and text (or title)" in message
    assert "nothing was imported" in message
    assert (
        "Its columns are: PostId, Date, Content, Username, Followers, Likes, Language." in message
    )
    assert "--map FIELD=COLUMN" in message
    suggested = message.split("e.g. ")[1].split(" (docs/")[0]
    assert suggested == (
        "--map id=PostId --map created_at=Date --map text=Content --map author.handle=Username "
        "--map author.followers=Followers --map metrics.likes=Likes --map lang=Language"
    )
    assert workspace("export").stdout == ""
    # The suggestion is a working command line.
    accepted = workspace(
        "import", str(EXPORT), *shlex.split(suggested), "--timezone", "Europe/Berlin"
    )
    assert "3 accepted" in accepted.output


def test_times_without_a_zone_name_the_timezone_option(workspace: Cli, tmp_path: Path) -> None:
    rejects = tmp_path / "rejects.jsonl"
    mapping = ("--map", "id=PostId", "--map", "created_at=Date", "--map", "text=Content")
    result = workspace("import", str(EXPORT), *mapping, "--rejects", str(rejects))
    assert result.exit_code == 2, result.output
    reasons = [json.loads(line)["reason"] for line in rejects.read_text().splitlines()]
    assert len(reasons) == 4
    assert reasons[0] == (
        "field created_at: '2026-11-05 09:00:00' has no time zone; pass --timezone with the "
        "zone the file's times are in (e.g. --timezone Europe/Berlin), or write them with one "
        "(e.g. 'Z' for UTC: 2026-11-01T10:00:00Z)"
    )
    # A date that is no date at all is not a time zone problem.
    assert reasons[3].startswith("field created_at: Input should be a valid datetime")


def test_only_plain_column_names_are_suggested() -> None:
    header = ["Post ID", "Datum (UTC)", "Inhalt", "Autor", "Stimmung", "Beitrag"]
    assert suggested_mapping(header, {"author.handle": "Autor"}) == {
        "id": "Post ID",
        "created_at": "Datum (UTC)",
        "text": "Inhalt",  # the first plain column for a field wins; Beitrag is left alone
    }
