"""The CPU stages between a source and the database: dedup, match topics, enrich, build rows.

A ``Preparer`` needs no database, only the topics and enrichers, so it runs in
the pipeline's own process or, for large imports, in a worker process.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from horchposten.enrich.base import Enricher, TopicAware
from horchposten.errors import NotConfigured
from horchposten.models import Post, Topic
from horchposten.query.match import TopicMatcher
from horchposten.query.subject import Subject
from horchposten.store.posts import Prepared
from horchposten.store.rows import post_row


def dedup(posts: Sequence[Post]) -> list[Post]:
    """Keep one post per key, the last one seen (the newest edit)."""
    return list({post.key: post for post in posts}.values())


def enrich(
    enrichers: Sequence[Enricher],
    posts: Sequence[Post],
    seconds: defaultdict[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Each post's enrichments as ``{name: (version, fields)}``; ``enrichers`` in order.

    ``seconds``, when given, gains each enricher's CPU time (this thread's) under its name.
    """
    with collector_paused():
        return _enrich(enrichers, posts, seconds)


def _enrich(
    enrichers: Sequence[Enricher],
    posts: Sequence[Post],
    seconds: defaultdict[str, float] | None,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = [{} for _ in posts]
    earlier: list[dict[str, Any]] = [{} for _ in posts]
    for enricher in enrichers:
        started = time.thread_time()
        for result, seen, fields in zip(
            results, earlier, enricher.enrich(posts, earlier), strict=True
        ):
            result[enricher.name] = (enricher.version, fields)
            seen[enricher.name] = fields
        if seconds is not None:
            seconds[enricher.name] += time.thread_time() - started
    return results


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, as it was after it.

    Every object a batch makes lives until the batch is done, so the collector
    found nothing to free, yet walked the whole heap (models, token caches,
    the near-duplicate index) again and again: 27 % of prepare's CPU, measured
    with 50 topics. Cycles made meanwhile are collected after the block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def order_enrichers(enrichers: Sequence[Enricher]) -> list[Enricher]:
    """Order enrichers so each runs after the ones it requires."""
    ordered: list[Enricher] = []
    pending = list(enrichers)
    while pending:
        done = {e.name for e in ordered}
        ready = [e for e in pending if set(e.requires) <= done]
        if not ready:
            missing = {r for e in pending for r in e.requires} - done - {e.name for e in pending}
            names = ", ".join(sorted(e.name for e in pending))
            raise NotConfigured(
                f"The enrichers {names} cannot run: they require {', '.join(sorted(missing))}, "
                f"which no installed plugin provides (or they require each other). Install the "
                f"missing plugin or uninstall the one that needs it."
            )
        ordered += ready
        pending = [e for e in pending if e not in ready]
    return ordered


class Preparer:
    """Turns posts into rows with their topic matches, enrichments and index documents."""

    def __init__(self, topics: Sequence[Topic], enrichers: Sequence[Enricher] = ()) -> None:
        self.topics = list(topics)
        self.matcher = TopicMatcher(self.topics)
        self.enrichers = order_enrichers(enrichers)
        self._tell_enrichers()
        # CPU seconds of this thread per step since start (benchmarks, logs): "tokens",
        # "prefilter" (a firehose's), each enricher by name, "match" and "rows".
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def set_topics(self, topics: Sequence[Topic]) -> None:
        """Match later batches against ``topics`` (added, edited or removed meanwhile)."""
        self.topics = list(topics)
        self.matcher.sync(self.topics)
        self._tell_enrichers()

    def _tell_enrichers(self) -> None:
        for enricher in self.enrichers:
            if isinstance(enricher, TopicAware):
                enricher.set_topics(self.topics)

    def prepare(self, posts: Sequence[Post], *, only_matching: bool = False) -> list[Prepared]:
        """Rows of ``posts``; with ``only_matching`` (a firehose) only those some topic matches."""
        with collector_paused():
            return self._prepare(posts, only_matching)

    def _prepare(self, posts: Sequence[Post], only_matching: bool) -> list[Prepared]:
        seconds, started = self.seconds, time.thread_time()
        # One tokenisation serves the matcher, the full-text document and the
        # enrichers (``horchposten.text`` remembers the batch's tokens).
        subjects = [Subject(post) for post in dedup(posts)]
        seconds["tokens"] += time.thread_time() - started
        if only_matching:  # skip enriching what cannot match
            started = time.thread_time()
            subjects = [subject for subject in subjects if self.matcher.may_match(subject)]
            seconds["prefilter"] += time.thread_time() - started
        unique = [subject.post for subject in subjects]
        enrichments = enrich(self.enrichers, unique, seconds)
        started = time.thread_time()
        matched = []
        for subject, extra in zip(subjects, enrichments, strict=True):
            post = subject.post
            fields = {name: found for name, (_, found) in extra.items()}
            if post.lang is None:
                # Where the platform names no language, the detected one is the post's.
                post.lang = detected_language(fields)
            subject.enriched(fields)
            topic_ids = self.matcher.match_subject(subject)
            if topic_ids or not only_matching:
                matched.append((subject, topic_ids, extra))
        seconds["match"] += time.thread_time() - started
        started = time.thread_time()
        prepared = [
            Prepared(post_row(subject.post), topic_ids, extra, subject.document)
            for subject, topic_ids, extra in matched
        ]
        seconds["rows"] += time.thread_time() - started
        return prepared


def detected_language(fields: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The code the language enrichment found, unless it could not tell (``und``)."""
    code = fields.get("language", {}).get("code")
    return code if isinstance(code, str) and code != "und" else None
