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

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from horchposten.models import Post, Topic
from horchposten.query.ast import And, Field, Near, Node, Not, Or, Phrase, Range, Title, Word
from horchposten.query.parse import parse
from horchposten.text import Token, document_of_tokens, links, normalise, tokenize

# Past this many combinations a multi-word proximity search picks, per operand,
# the occurrence nearest the others instead of trying every combination.
_MAX_COMBINATIONS = 20_000
_PREFIX = 3  # wildcard anchors use up to this many letters of the root


class View:
    """The tokens of one text (a post's content, or its title), indexed for lookups."""

    __slots__ = ("_positions", "present", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.present = {key for token in tokens for key in token.keys}
        self._positions: dict[str, list[int]] | None = None

    def positions(self, key: str) -> list[int]:
        """Where tokens with the loose key ``key`` stand."""
        if self._positions is None:
            positions: defaultdict[str, list[int]] = defaultdict(list)
            for index, token in enumerate(self.tokens):
                for token_key in token.keys:
                    positions[token_key].append(index)
            self._positions = dict(positions)
        return self._positions.get(key, [])


class Subject:
    """One post prepared for matching: tokens now, titles and field values on demand."""

    __slots__ = ("_facts", "_title", "content", "post", "sentiment")

    def __init__(self, post: Post, sentiment: str | None = None) -> None:
        self.post = post
        self.sentiment = sentiment
        self.content = View(tokenize(post.content))
        self._title: View | None = None
        self._facts: dict[str, Any] | None = None

    @property
    def title(self) -> View:
        if self._title is None:
            self._title = View(tokenize(self.post.title or ""))
        return self._title

    @property
    def document(self) -> str:
        """The post's full-text index document."""
        return document_of_tokens([token.loose for token in self.content.tokens])

    @property
    def facts(self) -> dict[str, Any]:
        """The values ``field:`` searches compare, by field name."""
        if self._facts is None:
            self._facts = _facts(self.post, self.sentiment)
        return self._facts

    def field_keys(self) -> list[str]:
        """The anchor keys of the post's field values."""
        facts = self.facts
        keys = [
            _field_key(name, facts[name]) for name in _EQUALITY_FIELDS if facts[name] is not None
        ]
        keys += [_field_key(name, host) for name in ("site", "links") for host in facts[name]]
        return keys


def _facts(post: Post, sentiment: str | None) -> dict[str, Any]:
    host = _host(post.url)
    url = (
        re.sub(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?", "", post.url.lower()) if post.url else None
    )
    subreddit = None
    if host is not None and (host == "reddit.com" or host.endswith(".reddit.com")):
        found = re.match(r"/r/([^/]+)", urlsplit(post.url or "").path)
        subreddit = found.group(1).lower() if found else None
    engagement = post.engagement_type or ("reply" if post.parent_id else None)
    metrics = post.metrics
    return {
        "author": (post.author.handle or "").lstrip("@").lower() or None,
        "language": post.lang,
        "source": post.source,
        "site": _suffixes(host),
        "links": frozenset().union(*(_suffixes(_host(link)) for link in links(post.content))),
        "url": url,
        "subreddit": subreddit,
        "sentiment": sentiment,
        "engagementType": engagement.upper() if engagement else None,
        "authorFollowers": post.author.followers,
        "likes": metrics.likes,
        "replies": metrics.replies,
        "reposts": metrics.reposts,
        "rating": post.rating,
        "minuteOfDay": post.created_at.hour * 60 + post.created_at.minute,
    }


def _host(url: str | None) -> str | None:
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:  # a malformed link in a post's text
        return None
    return host.rstrip(".") if host else None


def _suffixes(host: str | None) -> frozenset[str]:
    if not host:
        return frozenset()
    labels = host.split(".")
    return frozenset(".".join(labels[i:]) for i in range(len(labels)))


_EQUALITY_FIELDS = ("author", "language", "source", "subreddit", "sentiment", "engagementType")


def _field_key(name: str, value: str) -> str:
    return f"\x00{name}={value}"


# --- tokens --------------------------------------------------------------------

TokenTest = Callable[[Token], bool]


def token_test(word: Word) -> TokenTest:
    """Whether a post's token is an occurrence of ``word``."""
    if word.mode == "loose":
        if not word.wildcard:
            text = word.text
            return lambda token: text in token.keys
        pattern = _wildcard(word.text)
        return lambda token: any(pattern.fullmatch(key) for key in token.keys)
    form = "lower" if word.mode == "accented" else "cased"
    compare: Callable[[str], object]
    compare = _wildcard(word.text).fullmatch if word.wildcard else word.text.__eq__
    if word.kind != "word":
        return lambda token: token.kind == word.kind and bool(compare(getattr(token, form)))
    # A plain word also matches the body of a hashtag.
    return lambda token: (
        (token.kind == "word" and bool(compare(getattr(token, form))))
        or (token.kind == "hashtag" and bool(compare(getattr(token, form)[1:])))
    )


def _wildcard(text: str) -> re.Pattern[str]:
    return re.compile(
        "".join(r"\w*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    )


def _spans(view: View, node: Node) -> list[tuple[int, int]]:
    """Where ``node`` (a word, phrase or OR of them) occurs, as (first, last) token indexes."""
    if isinstance(node, Or):
        return sorted({span for child in node.children for span in _spans(view, child)})
    words = node.words if isinstance(node, Phrase) else (node,)
    assert all(isinstance(word, Word) for word in words)
    return [(start, start + len(words) - 1) for start in _phrase_starts(view, words)]  # type: ignore[arg-type]


def _phrase_starts(view: View, words: Sequence[Word]) -> list[int]:
    tests = [token_test(word) for word in words]
    tokens = view.tokens
    last_start = len(tokens) - len(words)
    # Start from the positions of a plain word where there is one: a dict lookup.
    plain = next((i for i, w in enumerate(words) if w.mode == "loose" and not w.wildcard), None)
    if plain is None:
        starts: Iterable[int] = range(last_start + 1)
    else:
        starts = (p - plain for p in view.positions(words[plain].text))
    return [
        start
        for start in starts
        if 0 <= start <= last_start and all(test(tokens[start + i]) for i, test in enumerate(tests))
    ]


def has_phrase(view: View, words: Sequence[Word]) -> bool:
    return bool(_phrase_starts(view, words))


def has_word(view: View, test: TokenTest) -> bool:
    return any(test(token) for token in view.tokens)


def is_near(view: View, near: Near) -> bool:
    spans = [_spans(view, operand) for operand in near.operands]
    if not all(spans):
        return False
    if len(spans) == 2:
        return _pair_near(spans[0], spans[1], near.distance, near.ordered)
    combinations = 1
    for found in spans:
        combinations *= len(found)
    if combinations <= _MAX_COMBINATIONS:
        return any(_window_ok(chosen, near.distance) for chosen in itertools.product(*spans))
    return any(
        _window_ok(
            [min(found, key=lambda span: abs(span[0] - anchor[0])) for found in spans],
            near.distance,
        )
        for anchor in spans[0]
    )


def _pair_near(
    first: list[tuple[int, int]], second: list[tuple[int, int]], distance: int, ordered: bool
) -> bool:
    for a_start, a_end in first:
        for b_start, b_end in second:
            if a_end < b_start:
                gap = b_start - a_end - 1
            elif not ordered and b_end < a_start:
                gap = a_start - b_end - 1
            else:
                continue
            if gap <= distance:
                return True
    return False


def _window_ok(chosen: Sequence[tuple[int, int]], distance: int) -> bool:
    """Distinct, non-overlapping occurrences with at most ``distance`` other words among them."""
    ordered = sorted(chosen)
    if any(prev[1] >= nxt[0] for prev, nxt in itertools.pairwise(ordered)):
        return False
    covered = sum(end - start + 1 for start, end in ordered)
    return ordered[-1][1] - ordered[0][0] + 1 - covered <= distance


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
        self.constants: dict[str, object] = {"has_phrase": has_phrase, "has_word": has_word}
        self.constants |= {"is_near": is_near, "between": between}

    def constant(self, value: object) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    def expression(self, node: Node, view: str = "s.content") -> str:
        if isinstance(node, Word):
            if node.mode == "loose" and not node.wildcard:
                return f"({node.text!r} in {view}.present)"
            return f"has_word({view}, {self.constant(token_test(node))})"
        if isinstance(node, Phrase):
            return f"has_phrase({view}, {self.constant(node.words)})"
        if isinstance(node, Near):
            return f"is_near({view}, {self.constant(node)})"
        if isinstance(node, Title):
            return self.expression(node.child, "s.title")
        if isinstance(node, Field):
            value = f"s.facts[{node.name!r}]"
            if node.name in ("site", "links"):
                return f"({node.value!r} in {value})"
            if node.name == "url":
                return f"{self.constant(url_test(node.value))}({value})"
            return f"({value} == {node.value!r})"
        if isinstance(node, Range):
            return f"between(s.facts[{node.name!r}], {node.low!r}, {node.high!r})"
        if isinstance(node, Not):
            return f"(not {self.expression(node.child, view)})"
        joiner = " and " if isinstance(node, And) else " or "
        return "(" + joiner.join(self.expression(child, view) for child in node.children) + ")"

    def function(self, expression: str) -> QueryFunction:
        namespace = dict(self.constants)
        exec(f"def query(s):\n    return {expression}\n", namespace)
        function: QueryFunction = namespace["query"]  # type: ignore[assignment]
        return function


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

    def matches(self, post: Post, sentiment: str | None = None) -> bool:
        return self._function(Subject(post, sentiment))


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
    usable = [f for f in found if f is not None]
    return min(usable, key=len) if usable else None


def _word_anchor(word: Word) -> Anchor:
    loose = word.text if word.mode == "loose" else normalise(word.text)
    if not word.wildcard:
        return ("key", loose)
    root = re.split(r"[*?]", loose, maxsplit=1)[0]
    return ("prefix", root[:_PREFIX])


def _field_anchor(node: Field) -> frozenset[Anchor] | None:
    if node.name != "url":
        return frozenset((("field", _field_key(node.name, node.value)),))
    host = re.split(r"[/?#:]", node.value, maxsplit=1)[0]
    if "*" in host or "." not in host:
        return None
    return frozenset((("field", _field_key("site", host)),))


class TopicMatcher:
    """Finds the topics whose query and filters accept a post."""

    def __init__(self, topics: Iterable[Topic] = ()) -> None:
        self._topics: dict[int, Topic] = {}
        self._functions: dict[int, QueryFunction] = {}
        self._anchors: dict[int, frozenset[Anchor] | None] = {}
        self._by_key: dict[str, set[int]] = {}
        self._by_prefix: dict[int, dict[str, set[int]]] = {}  # by prefix length
        self._by_field: dict[str, set[int]] = {}
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
            self._index(kind, key).setdefault(key, set()).add(topic_id)

    def _remove(self, topic_id: int) -> None:
        del self._topics[topic_id], self._functions[topic_id]
        found = self._anchors.pop(topic_id)
        self._always.discard(topic_id)
        for kind, key in found or ():
            index = self._index(kind, key)
            index[key].discard(topic_id)
            if not index[key]:
                del index[key]
        for length in [n for n, index in self._by_prefix.items() if not index]:
            del self._by_prefix[length]

    def _index(self, kind: str, key: str) -> dict[str, set[int]]:
        if kind == "key":
            return self._by_key
        if kind == "field":
            return self._by_field
        return self._by_prefix.setdefault(len(key), {})

    def match(self, post: Post, sentiment: str | None = None) -> list[int]:
        """Ids of the matching topics, in ascending order."""
        return self.match_subject(Subject(post, sentiment))

    def match_subject(self, subject: Subject) -> list[int]:
        """``match`` for a post already prepared as a ``Subject``."""
        candidates = set(self._always)
        present = subject.content.present
        by_key = self._by_key
        for key in present:
            found = by_key.get(key)
            if found is not None:
                candidates.update(found)
        for length, index in self._by_prefix.items():
            for key in present:
                found = index.get(key[:length])
                if found is not None:
                    candidates.update(found)
        if self._by_field:
            for key in subject.field_keys():
                found = self._by_field.get(key)
                if found is not None:
                    candidates.update(found)
        functions = self._functions
        return sorted(topic_id for topic_id in candidates if functions[topic_id](subject))

    def match_batch(
        self, posts: Sequence[Post], sentiments: Sequence[str | None] | None = None
    ) -> list[list[int]]:
        """``match`` for each post."""
        labels = sentiments if sentiments is not None else [None] * len(posts)
        return [self.match(post, label) for post, label in zip(posts, labels, strict=True)]


def _topic_id(topic: Topic) -> int:
    if topic.id is None:
        raise ValueError(f"Topic {topic.name!r} has no id; save it before matching posts.")
    return topic.id
