"""Authority: PageRank over who replies to, mentions and reposts whom inside a topic.

An edge A -> B means A gave B attention (replied to, quoted or reposted B's post,
or wrote @B), so authority flows to the authors others respond to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx
from sqlalchemy import Connection, select

from horchposten.analytics.facts import post_rows
from horchposten.analytics.period import Period
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


def attention_graph(conn: Connection, topic_id: int, period: Period) -> nx.DiGraph:
    graph: nx.DiGraph = nx.DiGraph()
    rows = list(post_rows(conn, [topic_id], period))
    parents = sorted({row.parent_key for row in rows if row.parent_key})
    parent_authors = {}
    for part in chunks(parents):
        query = select(posts.c.key, posts.c.source, posts.c.author_handle).where(
            posts.c.key.in_(part)
        )
        for key, source, handle in conn.execute(query):
            if handle:
                parent_authors[key] = f"{source}:{handle}"
    for row in rows:
        if not row.author_handle:
            continue
        me = f"{row.source}:{row.author_handle}"
        graph.add_node(me)
        targets = [f"{row.source}:{handle}" for handle in mentions(row.text)]
        if row.parent_key in parent_authors:
            targets.append(parent_authors[row.parent_key])
        for target in targets:
            if target != me:
                weight = graph.get_edge_data(me, target, {"weight": 0})["weight"]
                graph.add_edge(me, target, weight=weight + 1)
    return graph


def authority(
    conn: Connection, topic_id: int, period: Period, *, limit: int = 10
) -> list[Authority]:
    """The authors with the highest PageRank (damping 0.85, edges weighted by count)."""
    graph = attention_graph(conn, topic_id, period)
    if graph.number_of_nodes() == 0:
        return []
    ranks = nx.pagerank(graph, alpha=0.85, weight="weight")
    ranked = sorted(ranks.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [Authority(author, round(score, 6), graph.in_degree(author)) for author, score in ranked]
