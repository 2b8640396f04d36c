"""Saved topics on SQLite and PostgreSQL: edits, their errors, and the change counter."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from horchposten.errors import AlreadyExists, NotFound
from horchposten.models import Topic
from horchposten.store.database import Database
from horchposten.store.topics import (
    add_topic,
    get_topic,
    list_topics,
    remove_topic,
    topics_revision,
    update_topic,
)


def test_edit_changes_only_the_given_fields(database: Database) -> None:
    with database.begin() as conn:
        added = add_topic(conn, Topic(name="Nordlicht", query="nordlicht", langs=["de"]))
        edited = update_topic(conn, "Nordlicht", query="nordlicht OR kaffee", sources=["feeds"])
    assert edited.created_at == added.created_at
    assert added.updated_at is not None and edited.updated_at is not None
    assert edited.updated_at > added.updated_at
    with database.begin() as conn:
        stored = get_topic(conn, "Nordlicht")
    assert stored == edited
    assert (stored.id, stored.query, stored.langs, stored.sources) == (
        added.id,
        "nordlicht OR kaffee",
        ["de"],
        ["feeds"],
    )


def test_rename_keeps_the_id_and_refuses_a_taken_name(database: Database) -> None:
    with database.begin() as conn:
        first = add_topic(conn, Topic(name="Nordlicht", query="nordlicht"))
        add_topic(conn, Topic(name="Bergquell", query="bergquell"))
        renamed = update_topic(conn, "Nordlicht", new_name="Nordlicht Kaffee")
    assert renamed.id == first.id
    with database.begin() as conn:
        assert [t.name for t in list_topics(conn)] == ["Bergquell", "Nordlicht Kaffee"]
        with pytest.raises(AlreadyExists, match="A topic named 'Bergquell' already exists"):
            update_topic(conn, "Nordlicht Kaffee", new_name="Bergquell")
        with pytest.raises(NotFound, match="Known topics: Bergquell, Nordlicht Kaffee"):
            update_topic(conn, "Nordlicht", query="x")
        with pytest.raises(ValidationError, match="not an ISO 639-1 language code"):
            update_topic(conn, "Bergquell", langs=["German"])


def test_every_change_bumps_the_revision_in_its_transaction(database: Database) -> None:
    with database.begin() as conn:
        assert topics_revision(conn) == 0
        add_topic(conn, Topic(name="Nordlicht", query="nordlicht"))
        assert topics_revision(conn) == 1
    with database.begin() as conn:
        update_topic(conn, "Nordlicht", query="kaffee")
        remove_topic(conn, "Nordlicht")
        assert topics_revision(conn) == 3
    # A change that is rolled back leaves the revision alone.
    with pytest.raises(AlreadyExists), database.begin() as conn:
        add_topic(conn, Topic(name="Bergquell", query="bergquell"))
        add_topic(conn, Topic(name="Bergquell", query="bergquell"))
    with database.begin() as conn:
        assert topics_revision(conn) == 3
        assert list_topics(conn) == []
