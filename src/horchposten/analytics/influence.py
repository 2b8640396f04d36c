"""Authority: PageRank over who replies to, mentions and reposts whom inside a topic.

An edge A -> B means A gave B attention (replied to, quoted or reposted B's post,
or wrote @B), so authority flows to the authors others respond to. The graph is
built from about ``AUTHORITY_SIZE`` of the period's posts, every n-th by id
(``sample.py``), which bounds the work on a busy topic; the answer says how many
posts that was.

An account is one node however it is spelled (``accounts.py``: case, a leading @, a
Bluesky or Mastodon handle with or without its domain), named as its posts give it.
A topic's own accounts (``Topic.own_accounts``) take part in the graph, since whom the
brand answers says something, but are left out of the ranking unless asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
from sqlalchemy import Connection, select

from horchposten.accounts import account_key, is_own, merged_forms
from horchposten.analytics.period import Period
from horchposten.analytics.sample import AUTHORITY_SIZE, SampleInfo, spread
from horchposten.store.dialect import chunks
from horchposten.store.schema import posts

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]+(?:@[A-Za-z0-9_.-]+\.[a-z]{2,})?)")


@dataclass(frozen=True)
class Authority:
    author: str  # "source:handle"
    score: float
    in_links: int


def mentions(text: str | None) -> list[str]:
    """Handles written as @name (Mastodon's @name@instance included), without the @."""
    return [m.group(1).rstrip(".") for m in MENTION.finditer(text or "")]


def attention_graph(
    conn: Connection, topic_id: int, period: Period, size: int = AUTHORITY_SIZE
) -> tuple[nx.DiGraph, SampleInfo]:
    graph: nx.DiGraph = nx.DiGraph()
    columns = [posts.c.source, posts.c.author_handle, posts.c.text, posts.c.parent_key]
    rows, info = spread(conn, columns, topic_id, period, size)
    parents = sorted({row.parent_key for row in rows if row.parent_key})
    parent_authors = {}
    names: dict[str, str] = {}  # account key -> the spelling of its posts
    for part in chunks(parents):
        query = select(posts.c.key, posts.c.source, posts.c.author_handle).where(
            posts.c.key.in_(part)
        )
        for key, source, handle in conn.execute(query):
            if handle:
                parent_authors[key] = account_key(source, handle)
                names.setdefault(parent_authors[key], f"{source}:{handle}")
    heard: dict[str, str] = {}  # accounts only mentioned, as first written
    authors: set[str] = set()
    edges: dict[tuple[str, str], int] = {}
    for row in rows:
        if not row.author_handle:
            continue
        me = account_key(row.source, row.author_handle)
        names.setdefault(me, f"{row.source}:{row.author_handle}")
        authors.add(me)
        targets = [account_key(row.source, handle) for handle in mentions(row.text)]
        if row.parent_key in parent_authors:
            targets.append(parent_authors[row.parent_key])
        for target in targets:
            heard.setdefault(target, f"{row.source}:{target.partition(':')[2]}")
            edges[me, target] = edges.get((me, target), 0) + 1
    names = heard | names
    merged = merged_forms(names)
    graph.add_nodes_from(merged[key] for key in authors)
    for (me, target), count in edges.items():
        a, b = merged[me], merged[target]
        if a != b:
            weight = graph.get_edge_data(a, b, {"weight": 0})["weight"]
            graph.add_edge(a, b, weight=weight + count)
    return nx.relabel_nodes(graph, {key: names[key] for key in graph}), info


def authority(
    conn: Connection,
    topic_id: int,
    period: Period,
    *,
    limit: int = 10,
    size: int = AUTHORITY_SIZE,
    leave_out: Sequence[str] = (),
) -> tuple[list[Authority], SampleInfo]:
    """The authors with the highest PageRank (damping 0.85, edges weighted by count) in
    the graph of about ``size`` of the period's posts, and how many posts that was;
    the accounts of ``leave_out`` ("source:handle", any spelling) are not ranked."""
    graph, info = attention_graph(conn, topic_id, period, size)
    if graph.number_of_nodes() == 0:
        return [], info
    ranks = nx.pagerank(graph, alpha=0.85, weight="weight")
    own = [account_key(*account.split(":", 1)) for account in leave_out]
    ranked = sorted(
        ((a, rank) for a, rank in ranks.items() if not is_own(account_key(*a.split(":", 1)), own)),
        key=lambda item: (-item[1], item[0]),
    )[:limit]
    found = [Authority(a, round(score, 6), graph.in_degree(a)) for a, score in ranked]
    return found, info
