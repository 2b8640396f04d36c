"""The guard at the mapping seam: an item or page a connector cannot read never ends a run.

A brittle source stands in for a connector with a crash site (it reads fields
without checking them, as connectors did); it is registered through the same
plugin hook as every built-in source. ``source parse`` runs the real connectors
on recorded payloads.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from conftest import FIXTURES, Cli
from horchposten.config import load_settings
from horchposten.hookspecs import hookimpl
from horchposten.models import Post
from horchposten.plugins import plugins
from horchposten.sources.base import Cursor, Page
from horchposten.store.database import open_database
from horchposten.store.sources import list_sources

DEEP_JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000


class BrittleSettings(BaseModel):
    pages: list[list[dict[str, Any]]]


class BrittleSource:
    kind = "brittle"

    def __init__(self, name: str, settings: BrittleSettings) -> None:
        self.name = name
        self.settings = settings

    async def fetch(self, cursor: Cursor) -> AsyncIterator[Page]:
        for number in range(cursor.get("page", 0), len(self.settings.pages)):
            items = self.settings.pages[number]
            newest = max(int(item["n"]) for item in items)  # a crash site in fetch
            yield Page(items, {"page": number + 1, "newest": newest})

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return brittle_post(raw)


def brittle_post(raw: Mapping[str, Any]) -> Post:
    # Crash sites in a mapping: a missing key, a wrong type.
    text = raw["text"].strip()
    return Post(id=str(raw["n"]), source="brittle", text=text, created_at=raw["created_at"])


class BrittleFactory:
    kind = "brittle"
    description = "Pages given in its settings, read without care (tests only)."
    settings_model = BrittleSettings

    def __call__(self, name: str, settings: BaseModel, client: httpx.AsyncClient) -> BrittleSource:
        return BrittleSource(name, BrittleSettings.model_validate(settings.model_dump()))

    def to_post(self, raw: Mapping[str, Any]) -> Post:
        return brittle_post(raw)

    def parse_payload(self, data: bytes, origin: str) -> Page:
        return Page(json.loads(data), {})


@hookimpl
def register_sources() -> list[BrittleFactory]:
    return [BrittleFactory()]


@pytest.fixture(autouse=True)
def brittle_plugin() -> Iterator[None]:
    module = sys.modules[__name__]
    plugins().manager.register(module)
    yield
    plugins().manager.unregister(module)


def item(n: int, **changes: Any) -> dict[str, Any]:
    return {"n": n, "text": f"Nordlicht {n}", "created_at": "2026-11-20T10:00:00Z", **changes}


def add(workspace: Cli, kind: str, name: str, *settings: str) -> None:
    result = workspace("source", "add", kind, name, *(f"--set={s}" for s in settings))
    assert result.exit_code == 0, result.output


def last_errors(workspace: Cli) -> dict[str, str | None]:
    database = open_database(load_settings(workspace.config).database_url)
    try:
        with database.begin() as conn:
            return {record.name: record.last_error for record in list_sources(conn)}
    finally:
        database.close()


def test_a_run_goes_on_past_items_and_pages_that_cannot_be_read(
    workspace: Cli, tmp_path: Path
) -> None:
    pages = [
        [item(1), item(2, created_at=None), item(3, text=42), item(4, text=None), item(5)],
        [item(6), {"n": "six and a half", "text": "x", "created_at": "2026-11-20T10:00:00Z"}],
    ]
    add(workspace, "brittle", "mixed", f"pages={json.dumps(pages)}")
    deep = tmp_path / "deep.json"
    deep.write_bytes(DEEP_JSON_FEED)
    add(workspace, "feeds", "deep", f"url={deep}")
    add(workspace, "feeds", "fine", f"url={FIXTURES / 'feeds/feedjira/json_feed.json'}")

    result = workspace("run")

    assert result.exit_code == 0, result.output
    stored = {
        (p["source"], p["id"]) for p in map(json.loads, workspace("export").stdout.splitlines())
    }
    assert {("brittle", "1"), ("brittle", "5")} <= stored  # the rest of the page went on
    assert len([key for key in stored if key[0] == "feeds"]) == 20  # another source went on
    errors = last_errors(workspace)
    assert "got a page it cannot read: ValueError" in str(errors["mixed"])  # int("six and …")
    assert "nested too deeply" in str(errors["deep"])
    assert errors["fine"] is None


def test_problems_name_the_item_and_the_reason(workspace: Cli, tmp_path: Path) -> None:
    payload = tmp_path / "page.json"
    payload.write_text(json.dumps([item(1), item(2, created_at=None), {"text": "?"}, item(4)]))
    result = workspace("source", "parse", "brittle", str(payload))
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1", "4"]
    assert result.stderr.splitlines() == [
        "Problem: item 2 was skipped: field created_at: Input should be a valid "
        "datetime (got None)",
        "Problem: item 3 was skipped: the field 'n' is missing",
    ]


def test_source_parse_keeps_the_statuses_it_can_map(workspace: Cli, tmp_path: Path) -> None:
    statuses = json.loads((FIXTURES / "mastodon/home_timeline.json").read_bytes())
    del statuses[1]["created_at"]
    statuses[2]["account"] = ["not", "an", "account"]
    payload = tmp_path / "timeline.json"
    payload.write_text(json.dumps(statuses))
    result = workspace("source", "parse", "mastodon", str(payload))
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(statuses) - 2
    problems = result.stderr.splitlines()
    assert problems[0] == (
        f"Problem: item 2 (id {statuses[1]['id']!r}) was skipped: the field 'created_at' is missing"
    )
    assert problems[1].startswith(f"Problem: item 3 (id {statuses[2]['id']!r}) was skipped: ")


def test_a_payload_nested_too_deeply_is_a_clear_error(workspace: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_bytes(DEEP_JSON_FEED)
    for kind in ("feeds", "mastodon", "brittle"):
        result = workspace("source", "parse", kind, str(deep))
        assert result.exit_code == 1, (kind, result.output)
        assert "nested too deeply" in result.output, (kind, result.output)
        assert "Traceback" not in result.output


def test_an_item_dated_in_the_future_is_a_problem(workspace: Cli, tmp_path: Path) -> None:
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    payload = tmp_path / "page.json"
    payload.write_text(json.dumps([item(1), item(2, created_at=future)]))
    result = workspace("source", "parse", "brittle", str(payload))
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1"]
    [problem] = result.stderr.splitlines()
    assert problem.startswith("Problem: item 2 was skipped: field created_at: ")
    assert "lies in the future, more than 10 minutes after this server's clock" in problem
