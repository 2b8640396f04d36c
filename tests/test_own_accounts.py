"""A topic's own accounts: declared on the topic (CLI, API), left out of top authors and
authority by default, and one account counted once however its handle is spelled.
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import column, table

from analytics_posts import labelled, post, store
from conftest import Cli
from horchposten.accounts import merged_forms
from horchposten.config import Settings
from horchposten.models import Topic
from horchposten.store.database import MIGRATIONS, Database
from horchposten.store.posts import Prepared
from horchposten.store.tokens import create_token
from horchposten.store.topics import add_topic, get_topic
from horchposten.web.app import create_app

BRAND = "nordlichtkaffee.bsky.example"
PERIOD = {"since": "2026-11-01T00:00:00Z", "until": "2026-11-30T00:00:00Z"}


@pytest.fixture
def client(database: Database) -> Iterator[TestClient]:
    with database.begin() as conn:
        token = create_token(conn, "read", "read")[0]
        brand = add_topic(
            conn,
            Topic(name="Nordlicht", query="nordlicht", own_accounts=["bluesky:@NordlichtKaffee"]),
        ).id
    assert brand is not None

    def bluesky(n: int, handle: str, text: str, *, parent: str | None = None) -> Prepared:
        return labelled(
            post(f"b{n}", f"2026-11-{10 + n % 10:02d}T10:00", source="bluesky", handle=handle,
                 followers=100 * n, text=text, parent=parent),
            "positive",
            [brand],
        )  # fmt: skip

    posts = [
        bluesky(1, BRAND, "Nordlicht: neue Röstung ist da"),
        # Customers write to the brand as @nordlichtkaffee, @NordlichtKaffee or the full handle.
        bluesky(2, "anna.bsky.example", "Danke @nordlichtkaffee, Nordlicht ist top"),
        bluesky(3, "ben.bsky.example", "@NordlichtKaffee Nordlicht Lieferung?"),
        bluesky(4, "cem.bsky.example", f"Nordlicht @{BRAND} hilft schnell"),
        bluesky(5, "dora.bsky.example", "Nordlicht, sagt @anna", parent="b2"),
        bluesky(6, BRAND, "Gern, Nordlicht dankt!", parent="b2"),
        bluesky(7, BRAND, "Nordlicht liefert morgen", parent="b3"),
    ]
    store(database, posts)
    with TestClient(create_app(database, Settings())) as test_client:
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def _authority(client: TestClient, **params: object) -> list[str]:
    answer = client.get("/api/v1/topics/Nordlicht/authority", params={**PERIOD, **params})
    assert answer.status_code == 200, answer.text
    return [a["author"] for a in answer.json()["authors"]]


def test_authority_leaves_out_own_accounts_and_merges_handle_forms(client: TestClient) -> None:
    ranked = _authority(client)
    assert f"bluesky:{BRAND}" not in ranked and "bluesky:nordlichtkaffee" not in ranked
    assert ranked[0] == "bluesky:anna.bsky.example"  # replied to and mentioned as @anna
    everyone = _authority(client, include_own="true")
    # The brand first, once, under the handle its posts carry: three spellings merged.
    assert everyone[0] == f"bluesky:{BRAND}"
    assert [a for a in everyone if "nordlicht" in a] == [f"bluesky:{BRAND}"]
    assert "bluesky:anna" not in everyone


def test_top_authors_leave_out_own_accounts_unless_asked(client: TestClient) -> None:
    def authors(**params: object) -> list[str]:
        answer = client.get("/api/v1/topics/Nordlicht/authors", params={**PERIOD, **params})
        assert answer.status_code == 200, answer.text
        return [a["author"] for a in answer.json()]

    assert f"bluesky:{BRAND}" not in authors()
    assert len(authors()) == 4
    assert f"bluesky:{BRAND}" in authors(include_own="true")


def test_own_accounts_through_the_api(database: Database, client: TestClient) -> None:
    with database.begin() as conn:
        write = {"Authorization": f"Bearer {create_token(conn, 'write', 'write')[0]}"}
    topic = client.get("/api/v1/topics/Nordlicht").json()
    assert topic["own_accounts"] == ["bluesky:nordlichtkaffee"]
    changed = client.patch(
        "/api/v1/topics/Nordlicht",
        json={"own_accounts": ["mastodon:@Nordlicht", "bluesky:" + BRAND]},
        headers=write,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["own_accounts"] == ["mastodon:nordlicht", f"bluesky:{BRAND}"]
    bad = client.patch(
        "/api/v1/topics/Nordlicht", json={"own_accounts": ["nordlicht"]}, headers=write
    )
    assert bad.status_code == 422


def test_own_accounts_from_the_command_line(workspace: Cli) -> None:
    added = workspace(
        "topic", "add", "Nordlicht", "--query", "nordlicht",
        "--own-account", "Bluesky:@NordlichtKaffee", "--own-account", "mastodon:nordlicht",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = workspace("topic", "show", "Nordlicht").output
    assert "own accounts: bluesky:nordlichtkaffee, mastodon:nordlicht" in shown
    edited = workspace("topic", "edit", "Nordlicht", "--no-own-accounts")
    assert edited.exit_code == 0, edited.output
    assert "own accounts: none" in workspace("topic", "show", "Nordlicht").output
    bad = workspace("topic", "edit", "Nordlicht", "--own-account", "nordlicht")
    assert bad.exit_code == 1
    assert "--own-account" in bad.output and "is not an account like" in bad.output


def test_a_short_form_shared_by_two_full_handles_stays_apart() -> None:
    merged = merged_forms(
        ["bluesky:anna", "bluesky:anna.bsky.social", "bluesky:anna.example.com", "reddit:anna"]
    )
    assert merged["bluesky:anna"] == "bluesky:anna"
    assert merged["reddit:anna"] == "reddit:anna"
    one = merged_forms(["bluesky:ben", "bluesky:ben.bsky.social", "mastodon:ben@social.example"])
    assert one["bluesky:ben"] == "bluesky:ben.bsky.social"


def test_migration_0012_gives_existing_topics_no_own_accounts(database_url: str) -> None:
    database = Database(database_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with database.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0008")
            conn.execute(
                table("topics", *(column(n) for n in ("name", "query", "langs", "sources",
                      "entities", "created_at", "updated_at"))).insert().values(
                    name="Nordlicht", query="nordlicht", langs="[]", sources="[]", entities="[]",
                    created_at=datetime(2026, 11, 1, tzinfo=UTC),
                    updated_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
            )  # fmt: skip
        database.migrate()
        with database.begin() as conn:
            assert get_topic(conn, "Nordlicht").own_accounts == []
    finally:
        database.close()
