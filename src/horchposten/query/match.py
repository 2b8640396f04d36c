"""Match posts against topic queries.

A post is tokenised once into ``PostTokens``; a compiled query is a tree of
closures over it. Terms are set lookups; token positions are built only when a
phrase needs them. ``TopicMatcher`` indexes every topic under anchor tokens, one
of which any matching post must contain, so a post is only evaluated against
topics that can match it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from horchposten.models import Post, Topic
from horchposten.query.ast import And, Node, Not, Or, Phrase, Term
from horchposten.query.parse import parse
from horchposten.text import tokens as text_tokens


class PostTokens:
    """The tokens of one text, prepared for matching many queries against it."""

    __slots__ = ("_positions", "present", "tokens")

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.present = set(tokens)
        # A hashtag also counts as its plain word: "nivea" matches "#Nivea".
        self.present.update([token[1:] for token in tokens if token[0] == "#"])
        self._positions: dict[str, set[int]] | None = None

    @classmethod
    def of(cls, text: str) -> PostTokens:
        return cls(text_tokens(text))

    def has_phrase(self, words: tuple[str, ...]) -> bool:
        """Whether the words occur one right after the other."""
        if not self.present.issuperset(words):
            return False
        positions = self._word_positions()
        first, *rest = words
        return any(
            all(start + step in positions[word] for step, word in enumerate(rest, 1))
            for start in positions[first]
        )

    def _word_positions(self) -> dict[str, set[int]]:
        if self._positions is None:
            positions: defaultdict[str, set[int]] = defaultdict(set)
            for index, token in enumerate(self.tokens):
                positions[token].add(index)
                if token[0] == "#":
                    positions[token[1:]].add(index)
            self._positions = positions
        return self._positions


Predicate = Callable[[PostTokens], bool]


class CompiledQuery:
    """A query parsed once and turned into a predicate over ``PostTokens``."""

    def __init__(self, query: str, node: Node) -> None:
        self.query = query
        self.node = node
        self._predicate = _predicate(node)

    def matches_tokens(self, post: PostTokens) -> bool:
        return self._predicate(post)

    def matches(self, text: str) -> bool:
        """Whether ``text`` matches; tokenises it, so prefer ``matches_tokens`` in loops."""
        return self._predicate(PostTokens.of(text))


def compile_query(query: str) -> CompiledQuery:
    """Parse ``query`` (raising ``QueryError``) and prepare it for matching."""
    return CompiledQuery(query, parse(query))


class TopicMatcher:
    """Finds the topics whose query and filters accept a post."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        self._topics = list(topics)
        self._ids = [_topic_id(topic) for topic in self._topics]
        self._queries = [compile_query(topic.query) for topic in self._topics]
        self._by_anchor: defaultdict[str, list[int]] = defaultdict(list)
        for index, compiled in enumerate(self._queries):
            for anchor in _anchors(compiled.node):
                self._by_anchor[anchor].append(index)
        self._anchor_set = frozenset(self._by_anchor)

    def match(self, post: Post) -> list[int]:
        """Ids of the matching topics, in the order the topics were given."""
        return self.match_tokens(post, PostTokens.of(post.content))

    def match_tokens(self, post: Post, prepared: PostTokens) -> list[int]:
        """``match`` for a post whose content is already tokenised."""
        candidates: set[int] = set()
        for anchor in prepared.present & self._anchor_set:
            candidates.update(self._by_anchor[anchor])
        return [
            self._ids[index]
            for index in sorted(candidates)
            if self._topics[index].accepts(post) and self._queries[index].matches_tokens(prepared)
        ]

    def match_batch(self, posts: Iterable[Post]) -> list[list[int]]:
        """``match`` for each post; every post is tokenised once for all topics."""
        return [self.match(post) for post in posts]


def _topic_id(topic: Topic) -> int:
    if topic.id is None:
        raise ValueError(f"Topic {topic.name!r} has no id; save it before matching posts.")
    return topic.id


def _predicate(node: Node) -> Predicate:
    if isinstance(node, Term):
        text = node.text
        return lambda post: text in post.present
    if isinstance(node, Phrase):
        words = node.words
        return lambda post: post.has_phrase(words)
    if isinstance(node, Not):
        child = _predicate(node.child)
        return lambda post: not child(post)
    parts = [_predicate(child) for child in node.children]
    if isinstance(node, And):
        return lambda post: all(part(post) for part in parts)
    return lambda post: any(part(post) for part in parts)


def _anchors(node: Node) -> frozenset[str]:
    """Tokens of which every post matching ``node`` contains at least one.

    Relies on the parser's rule that an exclusion never stands alone.
    """
    if isinstance(node, Term):
        return frozenset((node.text,))
    if isinstance(node, Phrase):
        return frozenset((max(node.words, key=len),))
    if isinstance(node, Or):
        return frozenset().union(*(_anchors(child) for child in node.children))
    if isinstance(node, And):
        positive = [child for child in node.children if not isinstance(child, Not)]
        return min((_anchors(child) for child in positive), key=len)
    raise ValueError("An exclusion alone has no anchor; parse() never returns one.")
