"""Every registered source kind passes the same contract (STYLE.md §8).

Mapping, paging, resuming from every saved cursor, surviving 429 and 5xx, and a
malformed page: each kind's recorded world (conformance_cases.py) is served by
a real local HTTP server.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from conformance_cases import CASES, Case, World
from horchposten.config import Settings
from horchposten.errors import SourceError
from horchposten.pipeline import Pipeline
from horchposten.pipeline.scheduler import run_pass
from horchposten.pipeline.stages import normalise
from horchposten.plugins import plugins
from horchposten.sources.base import Cursor, Page
from horchposten.sources.build import validate_source_settings
from horchposten.sources.credentials import credentials_of
from horchposten.sources.http import RetryPolicy
from horchposten.store.database import open_database
from horchposten.store.schema import posts as posts_table
from horchposten.store.sources import add_source, get_source
from localserver import LocalServer

KINDS = sorted(plugins().source_factories())
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


@pytest.fixture
def world(local_server: LocalServer, tmp_path: Path) -> Iterator[World]:
    with ExitStack() as stack:
        yield World(local_server, tmp_path, stack)


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind's required credentials, from their variables as a user would set them."""
    for factory in plugins().source_factories().values():
        for credential in credentials_of(factory):
            if credential.required:
                monkeypatch.setenv(credential.env, f"conformance-{credential.setting}")


def case_of(kind: str) -> Case:
    if kind not in CASES:
        pytest.fail(f"The source kind '{kind}' has no conformance case in conformance_cases.py.")
    return CASES[kind]


def fetched_case(kind: str) -> Case:
    """The case of a kind whose posts are fetched; pushed kinds skip the fetching contract."""
    case = case_of(kind)
    if case.pushed:
        pytest.skip(f"{kind} fetches nothing: {case.pushed}")
    return case


class Harness:
    """Builds a source of ``kind`` on a fresh client for every pass, as ``run`` does."""

    def __init__(self, kind: str, settings: dict[str, Any], server: LocalServer) -> None:
        self.factory = plugins().source_factory(kind)
        self.settings = validate_source_settings(kind, "conformance", settings)
        self.http = not case_of(kind).no_http
        self.server = server

    def fetch(self, cursor: Cursor) -> list[Page]:
        async def pages() -> list[Page]:
            async with self.server.client() as client:
                if self.http:
                    source = self.factory("under-test", self.settings, client, policy=FAST)  # type: ignore[call-arg]
                else:
                    source = self.factory("under-test", self.settings, client)
                return [page async for page in source.fetch(cursor)]

        return asyncio.run(pages())

    def keys(self, pages: list[Page]) -> list[str]:
        items = [item for page in pages for item in page.items]
        posts, problems = normalise(self.factory, items)
        assert not problems
        return [post.key for post in posts]


@pytest.mark.parametrize("kind", KINDS)
def test_recorded_payload_maps_to_posts_purely(kind: str) -> None:
    factory = plugins().source_factory(kind)
    case = case_of(kind)
    page = factory.parse_payload(case.payload.read_bytes(), str(case.payload))
    assert page.items, f"{case.payload.name} gave no items"
    for raw in page.items:
        before = copy.deepcopy(raw)
        post = factory.to_post(raw)
        assert factory.to_post(raw) == post, "to_post must be deterministic"
        assert raw == before, "to_post must not change the raw item"
        json.dumps(raw)  # raw payloads are stored as JSON
        assert post.key.startswith(f"{post.source}:") and post.id
        assert post.created_at.tzinfo is not None
        assert type(post).model_validate(post.to_interchange()) == post


@pytest.mark.parametrize("kind", KINDS)
def test_pages_resume_from_every_cursor_without_loss(kind: str, world: World) -> None:
    case = fetched_case(kind)
    settings = case.serve(world)
    source = Harness(kind, settings, world.server)
    pages = source.fetch({})
    assert len(pages) >= case.min_pages
    everything = source.keys(pages)
    assert len(everything) == len(set(everything)), "a post came twice in one pass"
    for page in pages:
        json.dumps(page.cursor)  # cursors are stored as JSON
    for stop in range(len(pages)):
        # A run killed after page `stop` was stored resumes from its cursor.
        before = source.keys(pages[: stop + 1])
        after = source.keys(source.fetch(pages[stop].cursor))
        assert set(everything) <= set(before) | set(after), f"lost posts resuming after {stop}"
    again = source.keys(source.fetch(pages[-1].cursor))
    assert set(again) <= set(everything), "a finished pass must leave nothing unseen behind"


@pytest.mark.parametrize("kind", KINDS)
def test_429_waits_as_told_and_loses_nothing(kind: str, world: World) -> None:
    case = fetched_case(kind)
    if case.no_http:
        pytest.skip(f"{kind} has no HTTP status to handle: {case.no_http}")
    settings = case.serve(world)
    source = Harness(kind, settings, world.server)
    expected = source.keys(source.fetch({}))
    sent = len(world.server.requests)
    world.server.fail_next(1, status=429, retry_after="1")
    started = time.monotonic()
    assert source.keys(source.fetch({})) == expected
    assert time.monotonic() - started >= 0.05  # waited, capped by the policy's max_delay
    assert len(world.server.requests) - sent == sent + 1


@pytest.mark.parametrize("kind", KINDS)
def test_5xx_backs_off_then_gives_up_with_a_sentence(kind: str, world: World) -> None:
    case = fetched_case(kind)
    if case.no_http:
        pytest.skip(f"{kind} has no HTTP status to handle: {case.no_http}")
    settings = case.serve(world)
    source = Harness(kind, settings, world.server)
    expected = source.keys(source.fetch({}))
    world.server.fail_next(FAST.attempts - 1, status=503)
    assert source.keys(source.fetch({})) == expected
    world.server.fail_next(FAST.attempts, status=502)
    with pytest.raises(SourceError, match=r"Gave up on .* after 3 attempts; .*502"):
        source.fetch({})


@pytest.mark.parametrize("kind", KINDS)
def test_malformed_page_is_a_clear_error_and_nothing_is_stored_half_way(
    kind: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = fetched_case(kind)
    settings = case.serve(world)
    monkeypatch.setenv("HTTP_PROXY", world.server.base)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # local APIs directly, recorded hosts by proxy
    source = Harness(kind, settings, world.server)
    pages = source.fetch({})
    broken = case.garble(world)
    database = open_database(f"sqlite:///{world.tmp / 'conformance.db'}")
    with database.begin() as conn:
        add_source(conn, "under-test", kind, settings)
    reports = asyncio.run(run_pass(Pipeline(database), Settings(), asyncio.Event()))
    report = reports[0]
    with database.begin() as conn:
        stored = set(conn.execute(select(posts_table.c.key)).scalars())
        record = get_source(conn, "under-test")
    database.close()
    good = set(source.keys(pages[: broken - 1]))
    if not case.bad_items_are_problems:
        error = report.error or ""
        assert len(error.split()) >= 8 and error.endswith("."), f"not a sentence: {error!r}"
        assert stored == good
        assert bool(record.cursor) == (broken > 1), "the cursor moves with stored pages only"
        # Resuming from the saved cursor, the fault gone, brings all the rest.
        case.serve(world)
        rest = source.keys(source.fetch(record.cursor))
        assert set(source.keys(pages)) <= stored | set(rest)
    else:  # a bad line of a file is reported by number; the others are stored
        assert any("line 3" in problem for problem in report.problems), report.problems
        assert good < stored
