"""GET /posts (and so the mentions list) is newest first by when a post was written,
ties by key, whatever order the posts were stored in; its cursor pages stay exact while
posts arrive between pages. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics_posts import labelled, post, store, topics
from horchposten.config import Settings
from horchposten.store.database import Database
from horchposten.store.tokens import create_token
from horchposten.web.app import create_app

START = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with database.begin() as conn:
        token = create_token(conn, "order", "read")[0]
    with TestClient(create_app(database, Settings())) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def _ids(client: TestClient, **params: Any) -> tuple[list[str], str | None]:
    answer = client.get("/api/v1/posts", params=params)
    assert answer.status_code == 200, answer.text
    page = answer.json()
    return [p["id"] for p in page["posts"]], page["next_cursor"]


def test_older_posts_imported_later_list_below_newer_ones(
    database: Database, client: TestClient
) -> None:
    (brand,) = topics(database, "Nordlicht")
    store(
        database, [labelled(post("dec", "2026-12-06T10:00", text="Nordlicht Akku"), None, [brand])]
    )
    store(
        database, [labelled(post("nov", "2026-11-24T10:00", text="Nordlicht Akku"), None, [brand])]
    )
    assert _ids(client) == (["dec", "nov"], None)
    assert _ids(client, topic="Nordlicht") == (["dec", "nov"], None)
    assert _ids(client, query="akku") == (["dec", "nov"], None)
    first, cursor = _ids(client, topic="Nordlicht", limit=1)
    assert first == ["dec"] and cursor is not None
    assert _ids(client, topic="Nordlicht", limit=1, cursor=cursor) == (["nov"], None)


def test_a_cursor_not_given_out_is_refused(client: TestClient) -> None:
    for cursor in ("1234", "bm90IGpzb24", "WyIyMDI2LTExLTI0VDA5OjMwOjAwIiwgMV0"):
        answer = client.get("/api/v1/posts", params={"cursor": cursor})
        assert answer.status_code == 422, cursor
        assert "not one this API gave out" in answer.json()["error"]["message"]


_examples = itertools.count()
# Creation times on a coarse grid so that many posts share one and ties go by key.
_moment = st.integers(0, 12).map(lambda hours: START + timedelta(hours=hours))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    stored=st.lists(_moment, min_size=0, max_size=14),
    arriving=st.lists(st.lists(_moment, max_size=3), max_size=4),
    limit=st.integers(1, 4),
    by_topic=st.booleans(),
    by_query=st.booleans(),
)
def test_paging_gives_every_post_once_in_order(
    database: Database,
    client: TestClient,
    stored: list[datetime],
    arriving: list[list[datetime]],
    limit: int,
    by_topic: bool,
    by_query: bool,
) -> None:
    example = next(_examples)
    source = f"s{example}"  # each example reads only its own posts
    (topic,) = topics(database, f"Topic {example}")
    numbers = itertools.count()

    def add(moments: list[datetime]) -> list[tuple[datetime, str]]:
        added = [(moment, f"{source}:{next(numbers):03d}") for moment in moments]
        store(
            database,
            [
                labelled(
                    post(key.split(":")[1], moment.isoformat()[:16], source=source, text="kaffee"),
                    None,
                    [topic],
                )
                for moment, key in added
            ],
        )
        return added

    expected = add(stored)
    params: dict[str, Any] = {"source": source, "limit": limit}
    params |= {"topic": f"Topic {example}"} if by_topic else {}
    params |= {"query": "kaffee"} if by_query else {}
    seen: list[tuple[datetime, str]] = []
    waves = iter(arriving)
    while True:
        answer = client.get("/api/v1/posts", params=params).json()
        seen += [
            (datetime.fromisoformat(p["created_at"]), f"{source}:{p['id']}")
            for p in answer["posts"]
        ]
        if answer["next_cursor"] is None:
            break
        params["cursor"] = answer["next_cursor"]
        # Posts stored between pages: those that sort after the last one read must come.
        for arrived in add(next(waves, [])):
            if not seen or arrived < seen[-1]:
                expected.append(arrived)
    assert seen == sorted(expected, reverse=True)
