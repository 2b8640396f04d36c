"""The ``entities`` enricher: dictionary entities, hashtags, mentions, cashtags, links.

Brands, products and people come from the dictionaries of all topics
(``dictionary.py``); offsets count characters of ``Post.content``, the title
and text joined by a newline, as the post was given.
"""

from __future__ import annotations

from collections.abc import Sequence

from horchposten.enrich.base import Earlier, Enricher, Fields
from horchposten.enrich.dictionary import Dictionary, Words
from horchposten.enrich.tags import cashtags, hashtags, links_and_domains, mentions
from horchposten.hookspecs import hookimpl
from horchposten.models import EntityTerm, Post, Topic
from horchposten.text import token_spans

# Closed compounds are a German way of forming words; elsewhere the rule would
# mostly find false ones ("Apple" in "pineapple").
COMPOUND_LANGS = frozenset({"de", "und", None})


class EntityEnricher:
    """Finds the topics' brands, products and people, and the post's tags and links."""

    name = "entities"
    version = "entities-2026.11"
    requires: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.dictionary = Dictionary(())  # compiled from the topics last set
        self._entries: list[tuple[int, list[EntityTerm]]] = []

    def set_topics(self, topics: Sequence[Topic]) -> None:
        """Use the dictionaries of these topics from the next batch on."""
        entries = [(_stored_id(topic), topic.entities) for topic in topics]
        if entries != self._entries:  # a changed query alone keeps the compiled dictionary
            self.dictionary = Dictionary(
                (topic_id, term) for topic_id, terms in entries for term in terms
            )
            self._entries = entries

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        """Return this enricher's fields for each post, in order."""
        return [self.fields(post) for post in batch]

    def fields(self, post: Post) -> Fields:
        """The fields of one post."""
        content = post.content
        tokens, starts, ends = token_spans(content)
        entities: dict[str, list[Fields]] = {"brand": [], "product": [], "person": []}
        if self.dictionary:
            words = Words(content, tokens, starts, ends)
            for found in self.dictionary.find(words, compounds=post.lang in COMPOUND_LANGS):
                start, end = starts[found.first], ends[found.last - 1]
                entities[found.kind].append(
                    {
                        "name": found.name,
                        "text": content[start:end],
                        "start": start,
                        "end": end,
                        "topics": sorted(found.topics),
                    }
                )
        links, domains = links_and_domains(content)
        return {
            "brands": entities["brand"],
            "products": entities["product"],
            "people": entities["person"],
            "hashtags": hashtags(tokens),
            "mentions": mentions(tokens),
            "cashtags": cashtags(content),
            "links": links,
            "domains": domains,
        }


def _stored_id(topic: Topic) -> int:
    if topic.id is None:
        raise ValueError(
            f"The topic '{topic.name}' has no id: entities name the stored topics that "
            "found them, so pass topics as the store returns them."
        )
    return topic.id


@hookimpl
def register_enrichers() -> list[Enricher]:
    return [EntityEnricher()]
