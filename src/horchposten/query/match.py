"""Match posts against thousands of topic queries at once.

A post is tokenised once into a ``Subject``. Each query is compiled into one
Python function (generated source; every user string enters it through
``repr``), so a plain word costs one set lookup and no call. ``TopicMatcher``
files every topic under anchors, keys of which any matching post must have
at least one (a word, a word prefix for wildcards, a field value), so a post is
only tried against topics it can match; topics without an anchor (only ranges,
say) are tried on every post. Topics are added, changed and removed one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from horchposten.models import Post, Topic
from horchposten.query.ast import And, Field, Near, Node, Not, Or, Phrase, Range, Title, Word
from horchposten.query.finders import NearFinder, PhraseFinder, WordFinder
from horchposten.query.parse import parse
from horchposten.query.subject import PREFIX, Enrichments, Subject, field_key
from horchposten.text import normalise


def url_test(value: str) -> Callable[[str | None], bool]:
    """``url:`` compares the start of the address without scheme and ``www.``; ``*`` is anything."""
    pattern = re.compile("".join(".*" if c == "*" else re.escape(c) for c in value))
    return lambda url: url is not None and pattern.match(url) is not None


def between(value: float | None, low: float | None, high: float | None) -> bool:
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


# --- compiling -----------------------------------------------------------------

QueryFunction = Callable[[Subject], bool]


class _Compiler:
    """Turns a tree into the source of one expression over a subject ``s``."""

    def __init__(self) -> None:
        self.constants: dict[str, object] = {"between": between}

    def constant(self, value: object) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def expression(self, node: Node, view: str = "s.content") -> str:
        if isinstance(node, Word):
            if node.mode == "loose" and not node.wildcard:
                return f"({node.text!r} in {view}.present)"
            finder = WordFinder(node)
            call = f"{self.constant(finder)}.found({view})"
            if not node.wildcard:
                return self.guarded([finder.loose], call, view)
            if len(finder.root) < PREFIX:
                return call
            return f"({finder.root[:PREFIX]!r} in {view}.prefixes and {call})"
        if isinstance(node, Phrase):
            phrase = PhraseFinder(node)
            return self.guarded(phrase.required, f"{self.constant(phrase)}.found({view})", view)
        if isinstance(node, Near):
            near = NearFinder(node)
            return self.guarded(near.required, f"{self.constant(near)}.found({view})", view)
        if isinstance(node, Title):
            return self.expression(node.child, "s.title")
        if isinstance(node, Field):
            value = f"s.fact({node.name!r})"
            if node.name in ("site", "links"):
                return f"({node.value!r} in {value})"
            if node.name == "url":
                return f"{self.constant(url_test(node.value))}({value})"
            return f"({value} == {node.value!r})"
        if isinstance(node, Range):
            return f"between(s.fact({node.name!r}), {node.low!r}, {node.high!r})"
        if isinstance(node, Not):
            return f"(not {self.expression(node.child, view)})"
        joiner = " and " if isinstance(node, And) else " or "
        # Cheapest first: both operators stop at the first child that decides.
        children = sorted(node.children, key=_cost)
        return "(" + joiner.join(self.expression(child, view) for child in children) + ")"

    def guarded(self, required: Sequence[str], call: str, view: str) -> str:
        """``call``, after set lookups of keys it needs: most posts fail those, without a call."""
        checks = [f"{key!r} in {view}.present" for key in required]
        return "(" + " and ".join([*checks, call]) + ")"

    def function(self, expression: str) -> QueryFunction:
        namespace = dict(self.constants)
        exec(f"def query(s):\n    return {expression}\n", namespace)
        function: QueryFunction = namespace["query"]  # type: ignore[assignment]
        return function


def _cost(node: Node) -> int:
    """A rank of how much evaluating ``node`` costs; a set lookup is cheapest."""
    if isinstance(node, Word) and node.mode == "loose" and not node.wildcard:
        return 0
    if isinstance(node, Field | Range):
        return 1
    if isinstance(node, Not):
        return 3 + _cost(node.child)
    if isinstance(node, And | Or):
        return max(_cost(child) for child in node.children)
    return 2


def compile_node(node: Node, topic: Topic | None = None) -> QueryFunction:
    """One function deciding whether a subject matches ``node`` (and the topic's filters)."""
    compiler = _Compiler()
    expression = compiler.expression(node)
    if topic is not None and topic.langs:
        expression = f"(s.post.lang in {tuple(topic.langs)!r}) and {expression}"
    if topic is not None and topic.sources:
        expression = f"(s.post.source in {tuple(topic.sources)!r}) and {expression}"
    return compiler.function(expression)


class CompiledQuery:
    """A query parsed and compiled once, for matching one query against many posts."""

    def __init__(self, query: str, node: Node) -> None:
        self.query = query
        self.node = node
        self._function = compile_node(node)

    def matches_subject(self, subject: Subject) -> bool:
        return self._function(subject)

    def matches(self, post: Post, enrichments: Enrichments | None = None) -> bool:
        return self._function(Subject(post, enrichments))


def compile_query(query: str) -> CompiledQuery:
    """Parse ``query`` (raising ``QueryError``) and prepare it for matching."""
    return CompiledQuery(query, parse(query))


# --- anchors -------------------------------------------------------------------

Anchor = tuple[str, str]  # ("key", loose key) | ("prefix", first letters) | ("field", key)


def anchors(node: Node) -> frozenset[Anchor] | None:
    """Keys of which every post matching ``node`` has one; ``None`` when there are none.

    Relies on the parser's rule that an exclusion never stands alone.
    """
    if isinstance(node, Word):
        return frozenset((_word_anchor(node),))
    if isinstance(node, Phrase):
        plain = [word for word in node.words if not word.wildcard]
        chosen = max(plain, key=lambda word: len(word.text)) if plain else node.words[0]
        return frozenset((_word_anchor(chosen),))
    if isinstance(node, Near):
        return _narrowest([anchors(operand) for operand in node.operands])
    if isinstance(node, Title):
        return anchors(node.child)  # the title's words are the content's words too
    if isinstance(node, Field):
        return _field_anchor(node)
    if isinstance(node, Range | Not):
        return None
    if isinstance(node, Or):
        found = [anchors(child) for child in node.children]
        return None if any(f is None for f in found) else frozenset().union(*found)  # type: ignore[arg-type]
    return _narrowest([anchors(child) for child in node.children if not isinstance(child, Not)])


def _narrowest(found: list[frozenset[Anchor] | None]) -> frozenset[Anchor] | None:
    """The alternative set of anchors that the fewest posts are expected to have."""
    usable = [f for f in found if f is not None]
    return min(usable, key=lambda anchors: sum(map(_commonness, anchors))) if usable else None


# How many posts are expected to carry an anchor, roughly: a word is rare, a word
# prefix less so, a language or source is shared by a large part of all posts.
_FIELD_COMMONNESS = dict.fromkeys(
    ("language", "source", "engagementType", "sentiment", "emotion", "toxicity", "disclosure"), 1000
)
_FIELD_COMMONNESS |= {"site": 50, "links": 50}  # a few hosts (reddit.com) carry many posts


def _commonness(anchor: Anchor) -> int:
    kind, key = anchor
    if kind == "field":
        return _FIELD_COMMONNESS.get(key[1 : key.index("=")], 1)
    if kind == "prefix":
        return 2 + 10 * max(0, PREFIX - len(key))
    return 1


def _word_anchor(word: Word) -> Anchor:
    loose = word.text if word.mode == "loose" else normalise(word.text)
    if not word.wildcard:
        return ("key", loose)
    return ("prefix", re.split(r"[*?]", loose, maxsplit=1)[0])


def _field_anchor(node: Field) -> frozenset[Anchor] | None:
    if node.name != "url":
        return frozenset((("field", field_key(node.name, node.value)),))
    host = re.split(r"[/?#:]", node.value, maxsplit=1)[0]
    if "*" in host or "." not in host:
        return None
    return frozenset((("field", field_key("site", host)),))


# Fields whose values come from enrichments, which run after ``may_match``.
ENRICHED_FIELDS = frozenset({"sentiment", "emotion", "toxicity", "disclosure"})


class TopicMatcher:
    """Finds the topics whose query and filters accept a post."""

    def __init__(self, topics: Iterable[Topic] = ()) -> None:
        self._topics: dict[int, Topic] = {}
        self._functions: dict[int, QueryFunction] = {}
        self._anchors: dict[int, frozenset[Anchor] | None] = {}
        self._by_key: dict[str, set[int]] = {}
        # Wildcard roots by length of their first letters (at most PREFIX), those
        # letters, and the whole root.
        self._by_prefix: dict[int, dict[str, dict[str, set[int]]]] = {}
        self._by_field: dict[str, set[int]] = {}
        self._field_names: tuple[str, ...] = ()  # fields that anchor some topic
        self._always: set[int] = set()
        self.sync(topics)

    @property
    def topics(self) -> list[Topic]:
        return list(self._topics.values())

    def sync(self, topics: Iterable[Topic]) -> int:
        """Match against exactly ``topics`` from now on; compiles only what changed.

        Returns how many topics were added, changed or removed.
        """
        wanted = {_topic_id(topic): topic for topic in topics}
        changed = 0
        for topic_id in [i for i in self._topics if i not in wanted]:
            self._remove(topic_id)
            changed += 1
        for topic_id, topic in wanted.items():
            old = self._topics.get(topic_id)
            if old is not None and (old.query, old.langs, old.sources) == (
                topic.query,
                topic.langs,
                topic.sources,
            ):
                self._topics[topic_id] = topic
                continue
            node = parse(topic.query)  # before removing the old one: a bad query changes nothing
            if old is not None:
                self._remove(topic_id)
            self._add(topic_id, topic, node)
            changed += 1
        self._field_names = tuple(sorted({key[1 : key.index("=")] for key in self._by_field}))
        return changed

    def _add(self, topic_id: int, topic: Topic, node: Node) -> None:
        self._topics[topic_id] = topic
        self._functions[topic_id] = compile_node(node, topic)
        found = anchors(node)
        self._anchors[topic_id] = found
        if found is None:
            self._always.add(topic_id)
            return
        for kind, key in found:
            if kind == "prefix":
                letters = key[:PREFIX]
                bucket = self._by_prefix.setdefault(len(letters), {}).setdefault(letters, {})
                bucket.setdefault(key, set()).add(topic_id)
            else:
                index = self._by_key if kind == "key" else self._by_field
                index.setdefault(key, set()).add(topic_id)

    def _remove(self, topic_id: int) -> None:
        del self._topics[topic_id], self._functions[topic_id]
        self._always.discard(topic_id)
        for kind, key in self._anchors.pop(topic_id) or ():
            if kind == "prefix":
                letters = key[:PREFIX]
                buckets = self._by_prefix[len(letters)]
                _discard(buckets[letters], key, topic_id)
                if not buckets[letters]:
                    del buckets[letters]
                if not buckets:
                    del self._by_prefix[len(letters)]
            else:
                _discard(self._by_key if kind == "key" else self._by_field, key, topic_id)

    def match(self, post: Post, enrichments: Enrichments | None = None) -> list[int]:
        """Ids of the matching topics, in ascending order."""
        return self.match_subject(Subject(post, enrichments))

    def match_subject(self, subject: Subject) -> list[int]:
        """``match`` for a post already prepared as a ``Subject``."""
        candidates = set(self._always)
        present = subject.content.present
        by_key = self._by_key
        for key in by_key.keys() & present:
            candidates.update(by_key[key])
        for length, buckets in self._by_prefix.items():
            for key in present:
                bucket = buckets.get(key[:length])
                if bucket is not None:
                    for root, topic_ids in bucket.items():
                        if key.startswith(root):
                            candidates.update(topic_ids)
        if self._field_names:
            by_field = self._by_field
            for key in by_field.keys() & subject.field_keys(self._field_names):
                candidates.update(by_field[key])
        functions = self._functions
        return sorted(topic_id for topic_id in candidates if functions[topic_id](subject))

    def may_match(self, subject: Subject) -> bool:
        """False only if no topic can match the subject's post, whatever its enrichments.

        A cheap test before enrichment: a post without any of a topic's anchors
        (a word, a wildcard root, a field value) cannot match it. Anchors on
        fields that enrichments fill (sentiment, …; the language of a post
        without one) cannot be known yet and count as present.
        """
        if self._always:
            return True
        present = subject.content.present
        if not self._by_key.keys().isdisjoint(present):
            return True
        for length, buckets in self._by_prefix.items():
            for key in present:
                bucket = buckets.get(key[:length])
                if bucket is not None and any(key.startswith(root) for root in bucket):
                    return True
        if not self._field_names:
            return False
        unknown = ENRICHED_FIELDS | ({"language"} if subject.post.lang is None else set())
        if not unknown.isdisjoint(self._field_names):
            return True
        return not self._by_field.keys().isdisjoint(subject.field_keys(self._field_names))

    def match_batch(
        self, posts: Sequence[Post], enrichments: Sequence[Enrichments] | None = None
    ) -> list[list[int]]:
        """``match`` for each post."""
        found = enrichments if enrichments is not None else [{}] * len(posts)
        return [self.match(post, extra) for post, extra in zip(posts, found, strict=True)]


def _discard(index: dict[str, set[int]], key: str, topic_id: int) -> None:
    index[key].discard(topic_id)
    if not index[key]:
        del index[key]


def _topic_id(topic: Topic) -> int:
    if topic.id is None:
        raise ValueError(f"Topic {topic.name!r} has no id; save it before matching posts.")
    return topic.id
