"""Entity dictionaries of topics (model, storage, CLI) and the entities enricher."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from conftest import Cli
from horchposten.demo.run import demo_topics
from horchposten.demo.synthetic import generate_posts
from horchposten.enrich.base import Enricher, TopicAware
from horchposten.enrich.entities import EntityEnricher
from horchposten.models import EntityTerm, Post, Topic
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


# --- the enricher ------------------------------------------------------------------


def _post(text: str, lang: str | None = "de", title: str | None = None) -> Post:
    return Post(
        id="1", text=text, title=title, lang=lang, created_at=datetime(2026, 11, 1, tzinfo=UTC)
    )


def _enricher(*dictionaries: list[EntityTerm]) -> EntityEnricher:
    enricher = EntityEnricher()
    enricher.set_topics(
        [
            Topic(id=number, name=f"t{number}", query="x", entities=terms)
            for number, terms in enumerate(dictionaries, start=1)
        ]
    )
    return enricher


def _found(enricher: EntityEnricher, text: str, lang: str | None = "de") -> list[tuple[str, str]]:
    """``(name, text as written)`` of every brand, product and person, in that order."""
    fields = enricher.enrich([_post(text, lang)], [{}])[0]
    return [
        (e["name"], e["text"]) for kind in ("brands", "products", "people") for e in fields[kind]
    ]


def _brand(name: str, *aliases: str) -> EntityTerm:
    return EntityTerm(name=name, kind="brand", aliases=list(aliases))


def _product(name: str, *aliases: str) -> EntityTerm:
    return EntityTerm(name=name, kind="product", aliases=list(aliases))


def _person(name: str, *aliases: str) -> EntityTerm:
    return EntityTerm(name=name, kind="person", aliases=list(aliases))


def test_the_enricher_meets_the_protocol() -> None:
    enricher: Enricher = EntityEnricher()
    assert (enricher.name, enricher.version, enricher.requires) == (
        "entities",
        "entities-2026.11",
        (),
    )
    assert isinstance(enricher, TopicAware)
    fields = enricher.enrich([_post("Nivea #Nivea"), _post("Hallo")], [{}, {}])
    assert fields[1] == {
        "brands": [], "products": [], "people": [], "hashtags": [], "mentions": [],
        "cashtags": [], "links": [], "domains": [],
    }  # fmt: skip
    assert fields[0]["hashtags"] == ["#nivea"]  # without dictionaries, tags are still found


def test_case_accents_and_german_spelling_like_plain_query_words() -> None:
    enricher = _enricher([_brand("Müller"), _brand("Nestlé"), _brand("Mueller Milch")])
    found = _found(enricher, "MÜLLER, Mueller, Muller, NESTLE und Nestlé; Müller Milch")
    assert found == [
        ("Müller", "MÜLLER"), ("Müller", "Mueller"), ("Müller", "Muller"),
        ("Nestlé", "NESTLE"), ("Nestlé", "Nestlé"), ("Mueller Milch", "Müller Milch"),
    ]  # fmt: skip
    # Written with "ue", like the query word mueller: not "Muller" ("Müller Milch" is taken).
    assert _found(_enricher([_brand("Mueller Milch")]), "Muller Milch") == []


def test_aliases_give_the_canonical_name_and_the_text_as_written() -> None:
    enricher = _enricher([_product("Nivea Creme", "blaue Dose"), _brand("Apple", "AAPL")])
    fields = enricher.enrich([_post("Die blaue Dose! Apple and aapl", "en")], [{}])[0]
    assert fields["products"] == [
        {"name": "Nivea Creme", "text": "blaue Dose", "start": 4, "end": 14, "topics": [1]}
    ]
    assert [(e["name"], e["text"], e["start"]) for e in fields["brands"]] == [
        ("Apple", "Apple", 16),
        ("Apple", "aapl", 26),
    ]


def test_hashtags_and_mentions_as_names_and_aliases() -> None:
    word = _enricher([_brand("Nivea")])
    assert _found(word, "Nivea #Nivea @nivea") == [("Nivea", "Nivea"), ("Nivea", "#Nivea")]
    signs = _enricher([_brand("Nivea DE", "#nivea", "@nivea_de")])
    assert _found(signs, "Nivea #NIVEA @Nivea_DE") == [
        ("Nivea DE", "#NIVEA"),
        ("Nivea DE", "@Nivea_DE"),
    ]


def test_words_of_a_name_stand_apart_only_as_the_name_allows() -> None:
    enricher = _enricher(
        [_brand("Nordlicht Kaffee"), _person("Vincent Warnery", "V. Warnery"), _product("Nr. 7")]
    )
    text = "Nordlicht - Kaffee, #Nordlicht #Kaffee, V.\tWarnery, V Warnery, Nr.7"
    assert _found(enricher, text) == [
        ("Nordlicht Kaffee", "Nordlicht - Kaffee"),
        ("Nordlicht Kaffee", "#Nordlicht #Kaffee"),
        ("Nr. 7", "Nr.7"),
        ("Vincent Warnery", "V.\tWarnery"),
        ("Vincent Warnery", "V Warnery"),  # the name's own punctuation may be left out
    ]
    across = "Nordlicht. Kaffee! Nordlicht https://x.de Kaffee Nordlicht\nKaffee V: Warnery, Nr/7"
    assert _found(enricher, across) == []


def test_genitive_s_on_the_last_word() -> None:
    enricher = _enricher([_brand("Nivea"), _person("Vincent Warnery"), _brand("Adidas")])
    assert _found(enricher, "Niveas Chef ist Vincent Warnerys Freund") == [
        ("Nivea", "Niveas"),
        ("Vincent Warnery", "Vincent Warnerys"),
    ]
    assert _found(enricher, "Nivea's and Vincent Warnery\u2019s plans", "en") == [
        ("Nivea", "Nivea"),
        ("Vincent Warnery", "Vincent Warnery"),
    ]
    assert _found(enricher, "Adidass Niveaa") == []  # no -s after s; no other endings for brands


def test_products_take_plural_endings_on_a_last_word_of_four_letters_or_more() -> None:
    enricher = _enricher(
        [_product("Polarbohne"), _product("Nivea Creme"), _product("Nivea Q10"), _product("iPhone")]
    )
    found = _found(enricher, "Polarbohnen, zwei Nivea Cremes, iPhones and Nivea Q10s")
    assert found == [
        ("Polarbohne", "Polarbohnen"), ("Nivea Creme", "Nivea Cremes"),
        ("iPhone", "iPhones"), ("Nivea Q10", "Nivea Q10s"),
    ]  # fmt: skip
    assert _found(enricher, "Nivea Q10n, Nivea Q10en, Polarbohnex") == []
    assert _found(_enricher([_brand("Bergquell")]), "Bergquellen") == []  # brands only -s


def test_hyphens_and_words_written_together() -> None:
    enricher = _enricher([_brand("Nivea"), _product("Nivea Creme"), _product("Fjord-Mischung")])
    assert _found(enricher, "Nivea-Creme, Niveacreme und Fjordmischung", "en") == [
        ("Nivea", "Nivea"), ("Nivea Creme", "Nivea-Creme"), ("Nivea Creme", "Niveacreme"),
        ("Fjord-Mischung", "Fjordmischung"),
    ]  # fmt: skip
    assert _found(enricher, "Fjord Mischungen") == [("Fjord-Mischung", "Fjord Mischungen")]


def test_closed_compounds_of_brands_with_five_letters_or_more_in_german() -> None:
    enricher = _enricher([_brand("Nivea"), _brand("Dove"), _brand("Röstwerk")])
    assert _found(enricher, "Sonnen-/Niveaprodukte, Kindernivea, #NiveaLove, Roestwerkkaffee") == [
        ("Nivea", "Niveaprodukte"), ("Nivea", "Kindernivea"), ("Nivea", "#NiveaLove"),
        ("Röstwerk", "Roestwerkkaffee"),
    ]  # fmt: skip
    assert _found(enricher, "Niveau, Niveaus, Dovecreme") == []  # rest under 3; brand under 5
    assert _found(enricher, "niveauvoll") == [("Nivea", "niveauvoll")]  # the documented risk
    assert _found(enricher, "Kindernivea", None) == [("Nivea", "Kindernivea")]  # unknown language
    assert _found(enricher, "Kindernivea", "en") == []
    apple = _enricher([_brand("Apple")])
    assert _found(apple, "pineapple juice", "en") == []


def test_people_by_full_name_and_by_listed_aliases_only() -> None:
    enricher = _enricher([_person("Vincent Warnery", "V. Warnery"), _person("Tim Cook")])
    assert _found(enricher, "Warnery sagt: V. Warnery und Vincent Warnery") == [
        ("Vincent Warnery", "V. Warnery"),
        ("Vincent Warnery", "Vincent Warnery"),
    ]
    assert _found(enricher, "I cook like Tim Cook", "en") == [("Tim Cook", "Tim Cook")]
    assert _found(enricher, "Tim Cooks", "en") == [("Tim Cook", "Tim Cooks")]  # genitive only
    assert _found(enricher, "Vincent Warnerys Warnerykonzern") == [
        ("Vincent Warnery", "Vincent Warnerys")
    ]  # no compounds for people
    lindqvist = _enricher([_person("Mara Lindqvist", "Lindqvist")])
    assert _found(lindqvist, "Mara Lindqvist und Lindqvist") == [
        ("Mara Lindqvist", "Mara Lindqvist"),
        ("Mara Lindqvist", "Lindqvist"),
    ]


def test_the_longest_match_wins_within_a_kind() -> None:
    enricher = _enricher(
        [_brand("Nivea"), _brand("Nivea Men"), _product("Creme"), _product("Nivea Creme")]
    )
    assert _found(enricher, "NIVEA MEN und Nivea Creme") == [
        ("Nivea Men", "NIVEA MEN"),
        ("Nivea", "Nivea"),
        ("Nivea Creme", "Nivea Creme"),
    ]
    whole = _enricher([_brand("Nivea"), _brand("Niveacreme")])
    assert _found(whole, "Niveacreme") == [("Niveacreme", "Niveacreme")]  # a word before a part


def test_overlapping_names_of_other_kinds_and_topics_are_all_kept() -> None:
    enricher = _enricher(
        [_brand("Beiersdorf", "BDF"), _product("Nivea Creme")],
        [_brand("BDF AG", "BDF"), _brand("Nivea")],
    )
    fields = enricher.enrich([_post("BDF: Nivea Creme")], [{}])[0]
    assert [(e["name"], e["text"], e["topics"]) for e in fields["brands"]] == [
        ("BDF AG", "BDF", [2]),
        ("Beiersdorf", "BDF", [1]),
        ("Nivea", "Nivea", [2]),
    ]
    assert [(e["name"], e["topics"]) for e in fields["products"]] == [("Nivea Creme", [1])]


def test_topics_name_the_dictionaries_that_found_an_entity() -> None:
    enricher = _enricher([_brand("Nivea", "NIVEA Men")], [_brand("nivea")], [_person("Nivea")])
    fields = enricher.enrich([_post("Nivea und Nivea Men")], [{}])[0]
    assert [(e["name"], e["text"], e["topics"]) for e in fields["brands"]] == [
        ("Nivea", "Nivea", [1]),
        ("nivea", "Nivea", [2]),
        ("Nivea", "Nivea Men", [1]),
    ]
    same = _enricher([_brand("Nivea")], [_brand("Nivea", "NIVEA Men")])
    fields = same.enrich([_post("Nivea und Nivea Men")], [{}])[0]
    assert [(e["text"], e["topics"]) for e in fields["brands"]] == [
        ("Nivea", [1, 2]),
        ("Nivea Men", [2]),
    ]
    assert [e["topics"] for e in fields["people"]] == []


def test_set_topics_rebuilds_only_when_a_dictionary_changed() -> None:
    enricher = EntityEnricher()
    topic = Topic(id=1, name="Nivea", query="nivea", entities=[_brand("Nivea")])
    enricher.set_topics([topic])
    built = enricher.dictionary
    enricher.set_topics([topic.model_copy(update={"query": "nivea OR niveau", "name": "N"})])
    assert enricher.dictionary is built
    assert _found(enricher, "Nivea und Beiersdorf") == [("Nivea", "Nivea")]
    enricher.set_topics([topic.model_copy(update={"entities": [_brand("Beiersdorf")]})])
    assert enricher.dictionary is not built
    assert _found(enricher, "Nivea und Beiersdorf") == [("Beiersdorf", "Beiersdorf")]
    enricher.set_topics([])
    assert _found(enricher, "Nivea und Beiersdorf") == []
    with pytest.raises(ValueError, match="The topic 'Nivea' has no id"):
        enricher.set_topics([topic.model_copy(update={"id": None})])


def test_output_is_deterministic_whatever_the_order_of_topics() -> None:
    dictionaries = [
        [_brand("Nivea", "NIVEA Men"), _product("Nivea Creme")],
        [_brand("Nivea")],
        [_brand("Nivea Men")],
    ]
    topics = [Topic(id=i, name=f"t{i}", query="x", entities=d) for i, d in enumerate(dictionaries)]
    post = _post("Nivea Men, Nivea Creme, Niveacreme #nivea @nivea $BEI https://nivea.de")
    forward, backward = EntityEnricher(), EntityEnricher()
    forward.set_topics(topics)
    backward.set_topics(topics[::-1])
    first = forward.enrich([post], [{}])
    assert first == forward.enrich([post], [{}]) == backward.enrich([post], [{}])


def test_offsets_count_characters_of_title_and_text_as_given() -> None:
    enricher = _enricher([_brand("Müller"), _brand("Nivea")])
    text = "❤️ Mu\u0308llers Nivea"  # a variation selector and a decomposed ü
    post = _post(text, title="Über Nivea")
    fields = enricher.enrich([post], [{}])[0]
    assert [(e["text"], e["start"], e["end"]) for e in fields["brands"]] == [
        ("Nivea", 5, 10),
        ("Mu\u0308llers", 14, 22),
        ("Nivea", 23, 28),
    ]
    assert all(post.content[e["start"] : e["end"]] == e["text"] for e in fields["brands"])


def test_hashtags_and_mentions_once_each_in_lower_case() -> None:
    fields = _enricher().enrich(
        [_post("#Nivea #nivea #Röstwerk @Nivea_DE @nivea_de C# me@example.com https://x.de/#tag")],
        [{}],
    )[0]
    assert fields["hashtags"] == ["#nivea", "#röstwerk"]
    assert fields["mentions"] == ["@nivea_de"]


def test_cashtags_are_tickers_not_prices() -> None:
    fields = _enricher().enrich(
        [
            _post(
                "$BEI steigt, $bei auch; $5, $5.99, US$10, 10$, $BRK.B, $TOOLONG https://x.de/$SAP"
            )
        ],
        [{}],
    )[0]
    assert fields["cashtags"] == ["$BEI", "$BRK.B"]


def test_links_without_trailing_punctuation_and_their_domains() -> None:
    text = (
        "Siehe https://www.Nivea.de/creme. Auch (https://de.wikipedia.org/wiki/Nivea_(Marke)), "
        "www.dm.de/nivea, https://shop.nivea.de:443/x?q=1 und https://www.Nivea.de/creme! "
        "http://localhost/x https://"
    )
    fields = _enricher().enrich([_post(text)], [{}])[0]
    assert fields["links"] == [
        "https://www.Nivea.de/creme",
        "https://de.wikipedia.org/wiki/Nivea_(Marke)",
        "www.dm.de/nivea",
        "https://shop.nivea.de:443/x?q=1",
    ]
    assert fields["domains"] == ["nivea.de", "de.wikipedia.org", "dm.de", "shop.nivea.de"]


def test_the_demo_topics_dictionaries_find_the_demo_brands_products_and_ceo() -> None:
    enricher = EntityEnricher()
    enricher.set_topics([t.model_copy(update={"id": i}) for i, t in enumerate(demo_topics())])
    posts = list(generate_posts(300, now=datetime(2026, 11, 20, tzinfo=UTC)))
    names = {
        (kind, entity["name"])
        for fields in enricher.enrich(posts, [{}] * len(posts))
        for kind in ("brands", "products", "people")
        for entity in fields[kind]
    }
    assert {
        ("brands", "Nordlicht Kaffee"),
        ("brands", "Bergquell Kaffee"),
        ("brands", "Röstwerk"),
    } <= names
    assert ("products", "Polarbohne") in names
    assert ("people", "Mara Lindqvist") in names
