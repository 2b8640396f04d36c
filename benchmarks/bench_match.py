"""Topic-matcher benchmark: 10,000 topics against 100,000 real German and English posts.

Topics are generated brand-monitoring queries in the full query language
(``match_topics.py``); posts are texts from the research corpora in
``../shared/data`` with brand mentions injected into 20 % of them
(``match_corpus.py``). In one run, in one process and thread, it measures

- the matcher (``TopicMatcher.match``) on every post: posts/s, p50/p99 latency;
- naive evaluation, every topic's compiled query and filters on each post,
  on an evenly spaced sample, and checks that both find the same topics;
- a literal-only scan of every word of every query with one Aho-Corasick
  automaton (pyahocorasick), the practical ceiling of a matcher;
- compiling all topics, and changing one topic with ``TopicMatcher.sync``.

Targets (issue 3): >= 25,000 posts/s on one core, p99 < 2 ms, >= 100x naive,
compiling 10,000 topics < 10 s, changing one topic without recompiling all.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_match.py [--topics 10000] [--posts 100000] [--subset]
    .venv/bin/python benchmarks/bench_match.py --topics 500 --posts 5000 --subset  # quick
"""

from __future__ import annotations

import argparse
import gc
import platform
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from horchposten.errors import QueryError
from horchposten.models import Post, Topic
from horchposten.query import CompiledQuery, Subject, TopicMatcher, compile_query
from horchposten.text import normalise, tokens
from match_corpus import make_posts
from match_topics import make_topics

try:
    import ahocorasick  # type: ignore[import-not-found]
except ImportError:
    raise SystemExit(
        "bench_match.py needs pyahocorasick for its literal-scan ceiling: "
        ".venv/bin/pip install -e '.[bench]'"
    ) from None


# ---------------------------------------------------------------------------
# Adapter: the one place that knows how a single compiled query is evaluated.
# ---------------------------------------------------------------------------
def naive_match(
    topics: Sequence[Topic], compiled: Sequence[CompiledQuery], post: Post
) -> list[int]:
    """Ids of the topics whose compiled query and filters accept ``post``, one topic at a time.

    The post is tokenised once and every topic's query evaluated on it, so the
    baseline is naive in the number of queries evaluated, not in tokenising the
    post 10,000 times.
    """
    subject = Subject(post)
    return [
        topic.id or 0
        for topic, query in zip(topics, compiled, strict=True)
        if topic.accepts(post) and query.matches_subject(subject)
    ]


# ---------------------------------------------------------------------------

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# Fields, ranges, NEAR/n, ~n, comments and operators are syntax, not words to find.
_SYNTAX = re.compile(r"<<<.*?>>>|\b\w+:(?:\[[^\]]*\]|[^\s()]+)|\bNEAR/\w+|~\d+|\b(?:AND|OR|NOT)\b")


def time_matcher(
    matcher: TopicMatcher, posts: Sequence[Post]
) -> tuple[float, list[float], list[list[int]]]:
    """Seconds for all posts, each post's latency, and each post's matching topic ids."""
    latencies, results = [], []
    clock, match = time.perf_counter, matcher.match
    started = clock()
    for post in posts:
        before = clock()
        results.append(match(post))
        latencies.append(clock() - before)
    return clock() - started, latencies, results


def time_naive(
    topics: Sequence[Topic], compiled: Sequence[CompiledQuery], sample: Sequence[Post]
) -> tuple[float, list[list[int]]]:
    started = time.perf_counter()
    results = [naive_match(topics, compiled, post) for post in sample]
    return time.perf_counter() - started, results


def query_literals(topics: Sequence[Topic]) -> set[str]:
    """Every word of every query, normalised, without ``#``/``@`` and wildcards."""
    words: set[str] = set()
    for topic in topics:
        words.update(token.lstrip("#@") for token in tokens(_SYNTAX.sub(" ", topic.query)))
    # Two-letter words ("go", "vs") would hit inside most posts and slow the ceiling down.
    return {word for word in words if len(word) >= 3}


def time_literal_scan(literals: set[str], posts: Sequence[Post]) -> tuple[float, int]:
    """Seconds to find every literal in every post's normalised content, and the hits."""
    automaton = ahocorasick.Automaton()
    for word in literals:
        automaton.add_word(word, word)
    automaton.make_automaton()
    hits, scan = 0, automaton.iter
    started = time.perf_counter()
    for post in posts:
        for _ in scan(normalise(post.content)):
            hits += 1
    return time.perf_counter() - started, hits


def time_change(matcher: TopicMatcher, topics: list[Topic], sample: Sequence[Post]) -> float:
    """Seconds for ``sync`` after one topic's query changed."""
    index = len(topics) // 2
    changed = topics[index].model_copy(update={"query": topics[(index + 1) % len(topics)].query})
    started = time.perf_counter()
    matcher.sync([*topics[:index], changed, *topics[index + 1 :]])
    elapsed = time.perf_counter() - started
    check = [compile_query(changed.query)]
    for post in sample:
        if (changed.id in matcher.match(post)) != bool(naive_match([changed], check, post)):
            raise SystemExit(
                f"After sync the changed topic disagrees with naive on post {post.id}."
            )
    return elapsed


def check_agreement(
    sample: Sequence[Post], matcher: list[list[int]], naive: list[list[int]]
) -> None:
    for post, ours, theirs in zip(sample, matcher, naive, strict=True):
        if sorted(ours) != sorted(theirs):
            missing, extra = sorted(set(theirs) - set(ours)), sorted(set(ours) - set(theirs))
            raise SystemExit(
                f"MISMATCH on post {post.id} ({post.source}, {post.lang}): the matcher "
                f"misses topics {missing} and adds topics {extra}.\n{post.content!r}"
            )


def compile_each(topics: Sequence[Topic], subset: bool) -> list[CompiledQuery]:
    """Every topic's query compiled alone; a refused query ends the run with a hint."""
    compiled = []
    for topic in topics:
        try:
            compiled.append(compile_query(topic.query))
        except QueryError as error:
            hint = "" if subset else " Until the full language is merged, run with --subset."
            raise SystemExit(
                f"Topic {topic.id} {topic.query!r} was refused: {error}{hint}"
            ) from None
    return compiled


def percentile(ordered: Sequence[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--topics", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=500, help="posts evaluated naively")
    parser.add_argument("--subset", action="store_true", help="write topics in the subset syntax")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(
            f"The shared data folder {args.data} is missing; bench_match.py reads its real "
            "posts from there (see its README.md). Pass --data PATH if it lives elsewhere."
        )
    print(f"Python {platform.python_version()}, one process, one thread; seed {args.seed}")
    figures, described = run(args)
    print(described)
    report(figures)


@dataclass
class Run:
    """What one run measured; seconds unless named otherwise."""

    topics: int
    posts: int
    sample: int
    compile_one_by_one: float
    compile: float
    match: float
    latencies: list[float]  # sorted
    naive: float
    scan: float
    change: float
    matches: int
    posts_matched: int
    naive_matches: int
    literals: int
    hits: int


def run(args: argparse.Namespace) -> tuple[Run, str]:
    """Measure everything; also returns a description of topics and posts."""
    brands, topics = make_topics(args.topics, args.seed, full=not args.subset)
    posts, corpus = make_posts(args.data, args.posts, brands, args.seed)
    step = max(1, len(posts) // args.naive_sample)
    sample_at = list(range(0, len(posts), step))[: args.naive_sample]
    sample = [posts[index] for index in sample_at]

    started = time.perf_counter()
    compiled = compile_each(topics, args.subset)
    one_by_one_s = time.perf_counter() - started
    started = time.perf_counter()
    matcher = TopicMatcher(topics)
    compile_s = time.perf_counter() - started
    # The posts held for the whole run are not garbage a streaming matcher would see.
    gc.collect()
    gc.freeze()

    match_s, latencies, results = time_matcher(matcher, posts)
    naive_s, naive_results = time_naive(topics, compiled, sample)
    check_agreement(sample, [results[index] for index in sample_at], naive_results)
    literals = query_literals(topics)
    scan_s, hits = time_literal_scan(literals, posts)
    change_s = time_change(matcher, topics, sample)

    syntax = "subset syntax (--subset)" if args.subset else "full query language"
    described = (
        f"topics: {len(topics):,} about {len(brands):,} brands, {syntax}\n"
        f"posts:  {len(posts):,}, mean {corpus['length']} characters, "
        f"{corpus['german'] / len(posts):.0%} German, {corpus['injected'] / len(posts):.0%} "
        f"with injected brand mentions;\n        texts drawn from {corpus['texts']:,} "
        f"distinct ones in {corpus['files']} files of ../shared/data"
    )
    figures = Run(
        topics=len(topics), posts=len(posts), sample=len(sample),
        compile_one_by_one=one_by_one_s, compile=compile_s, match=match_s,
        latencies=sorted(latencies), naive=naive_s, scan=scan_s, change=change_s,
        matches=sum(map(len, results)), posts_matched=sum(1 for found in results if found),
        naive_matches=sum(map(len, naive_results)), literals=len(literals), hits=hits,
    )  # fmt: skip
    return figures, described


def report(figures: Run) -> None:
    f = figures
    rate, naive_rate, scan_rate = f.posts / f.match, f.sample / f.naive, f.posts / f.scan
    p50, p99 = percentile(f.latencies, 0.5), percentile(f.latencies, 0.99)
    print(
        f"matches: {f.matches:,} topic matches, {f.posts_matched / f.posts:.1%} of posts match "
        f"a topic;\n         naive agrees on all {f.sample} sampled posts "
        f"({f.naive_matches:,} matches)"
    )
    print()
    print(f"{'':40}{'seconds':>9}{'posts/s':>11}")
    print(f"{'literal scan, pyahocorasick (ceiling)':40}{f.scan:9.2f}{scan_rate:11,.0f}")
    print(f"{'matcher':40}{f.match:9.2f}{rate:11,.0f}")
    print(f"{f'naive, {f.sample}-post sample':40}{f.naive:9.2f}{naive_rate:11,.1f}")
    print(f"  scan: {f.literals:,} query words, {f.hits:,} hits in normalised text")
    print(f"  naive: each post tokenised once, then all {f.topics:,} queries and filters "
          f"({_duration(f.posts / naive_rate)} for all {f.posts:,} posts)")  # fmt: skip
    print()
    print(f"matcher latency per post: p50 {p50 * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms, "
          f"max {f.latencies[-1] * 1e3:.1f} ms")  # fmt: skip
    print(f"compile {f.topics:,} topics: TopicMatcher {f.compile:.2f} s "
          f"(compile_query one by one: {f.compile_one_by_one:.2f} s)")  # fmt: skip
    print(f"change one topic (sync): {f.change * 1e3:.2f} ms, "
          f"{f.change / f.compile:.4f} of a full compile")  # fmt: skip
    print()
    print(f"ratio matcher/naive:        {rate / naive_rate:9,.0f}x   (target >= 100x)")
    print(f"ratio matcher/literal scan: {rate / scan_rate:9.2f}    (1.0 would equal the ceiling)")
    print(f"targets: >= 25,000 posts/s {_met(rate >= 25_000)}, p99 < 2 ms {_met(p99 < 0.002)}, "
          f">= 100x naive {_met(rate >= 100 * naive_rate)}, compile < 10 s "
          f"{_met(f.compile < 10)}")  # fmt: skip


def _duration(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds < 120 else f"{seconds / 60:,.0f} min"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT MET"


if __name__ == "__main__":
    main()
