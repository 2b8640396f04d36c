"""Entity dictionaries of topics: model, storage on both databases, CLI."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from conftest import Cli
from horchposten.models import EntityTerm, Topic
from horchposten.store.database import Database
from horchposten.store.topics import add_topic, get_topic, list_topics, update_topic

NIVEA = EntityTerm(name="Nivea", kind="brand", aliases=["NIVEA Men"])
CREME = EntityTerm(name="Nivea Creme", kind="product", aliases=["blaue Dose"])
WARNERY = EntityTerm(name="Vincent Warnery", kind="person", aliases=["V. Warnery"])


def test_entity_terms_need_words_and_one_entry_each() -> None:
    assert EntityTerm(name=" Nivea ", kind="brand", aliases=[" blaue Dose"]).aliases == [
        "blaue Dose"
    ]
    with pytest.raises(ValidationError, match="'!!' has no letters or digits to look for"):
        EntityTerm(name="Nivea", kind="brand", aliases=["!!"])
    with pytest.raises(ValidationError, match="the brand 'nivea' is listed twice"):
        Topic(name="t", query="nivea", entities=[NIVEA, EntityTerm(name="nivea", kind="brand")])
    same_name_other_kind = EntityTerm(name="Nivea", kind="product")
    assert len(Topic(name="t", query="nivea", entities=[NIVEA, same_name_other_kind]).entities) == 2


def test_dictionaries_are_stored_edited_and_listed(database: Database) -> None:
    with database.begin() as conn:
        added = add_topic(conn, Topic(name="Nivea", query="nivea", entities=[NIVEA, CREME]))
        add_topic(conn, Topic(name="Plain", query="kaffee"))
    with database.begin() as conn:
        assert get_topic(conn, "Nivea") == added
        assert [t.entities for t in list_topics(conn)] == [[NIVEA, CREME], []]
        edited = update_topic(conn, "Nivea", entities=[WARNERY])
        assert edited.query == "nivea"
        assert get_topic(conn, "Nivea").entities == [WARNERY]
        assert update_topic(conn, "Nivea", query="nivea OR beiersdorf").entities == [WARNERY]
        assert update_topic(conn, "Nivea", entities=[]).entities == []
        assert get_topic(conn, "Nivea").entities == []


def test_cli_adds_edits_shows_and_clears_dictionaries(workspace: Cli) -> None:
    added = workspace(
        "topic", "add", "Nivea", "--query", "nivea",
        "--brand", "Nivea|NIVEA Men", "--product", "Nivea Creme|blaue Dose",
        "--person", "Vincent Warnery|V. Warnery", "--brand", "Beiersdorf",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    shown = workspace("topic", "show", "Nivea").output
    assert "brand Nivea: NIVEA Men" in shown
    assert re.search(r"│\s+brand Beiersdorf\s+│", shown)  # no aliases
    assert "product Nivea Creme: blaue Dose" in shown
    assert "person Vincent Warnery: V. Warnery" in shown
    edited = workspace("topic", "edit", "Nivea", "--product", "Nivea Soft|Soft [Dose]")
    assert edited.exit_code == 0, edited.output
    assert "its matches stay as they are" in edited.output
    shown = workspace("topic", "show", "Nivea").output
    assert "product Nivea Soft: Soft [Dose]" in shown  # the whole dictionary was replaced
    assert "Nivea Creme" not in shown and "brand" not in shown
    cleared = workspace("topic", "edit", "Nivea", "--clear-entities")
    assert cleared.exit_code == 0, cleared.output
    assert "entities: none" in workspace("topic", "show", "Nivea").output


def test_cli_refuses_bad_dictionaries(workspace: Cli) -> None:
    workspace("topic", "add", "Nivea", "--query", "nivea", "--brand", "Nivea")
    empty = workspace("topic", "edit", "Nivea", "--brand", "|Nivea")
    assert empty.exit_code == 2
    assert "Invalid value for '--brand': '|Nivea': '' has no letters or digits" in empty.stderr
    twice = workspace(
        "topic", "edit", "Nivea", "--person", "Mara Lindqvist", "--person", "Mara Lindqvist|ML"
    )
    assert twice.exit_code == 1
    assert (
        "The topic was not saved: --brand/--product/--person: the person 'Mara Lindqvist' is "
        "listed twice" in twice.stderr
    )
    both = workspace("topic", "edit", "Nivea", "--clear-entities", "--brand", "Nivea")
    assert both.exit_code == 2
    assert "--clear-entities empties the dictionary" in both.stderr
    nothing = workspace("topic", "edit", "Nivea")
    assert "--person or --clear-entities" in nothing.stderr
    assert "brand Nivea" in workspace("topic", "show", "Nivea").output
