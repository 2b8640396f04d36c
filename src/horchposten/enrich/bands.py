"""The near-duplicate index: band keys of the most recent posts, mapped to their clusters.

A post's band keys (see ``duplicates.py``) point to the cluster it joined. A new
post joins the cluster that most of its band keys point to, if at least
``votes`` of them do; otherwise it starts a cluster of its own. Requiring
several bands, not one, is what keeps posts that merely share a topic apart.

The index holds at most ``capacity`` posts; the oldest leaves first, and with
it every band key it was the last to write. A band key always belongs to the
newest post that has it, so a cluster stays findable while any of its recent
posts is in the index.

Memory, measured with tracemalloc (benchmarks/bench_enrich.py): about 1.6 KB
per post with 16 bands, for each band key a dictionary entry and an integer,
plus the post's tuple of keys, cluster id and sequence number. The enricher's
default of 500,000 posts takes about 0.8 GB.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


class BandIndex:
    """Band keys of at most ``capacity`` recent posts; ``votes`` keys make a match."""

    def __init__(self, capacity: int, votes: int) -> None:
        if capacity < 1:
            raise ValueError(
                f"The near-duplicate index needs room for at least one post; "
                f"the capacity given was {capacity}."
            )
        self.capacity = capacity
        self.votes = votes
        self._owner: dict[int, int] = {}  # band key -> sequence number of its newest post
        # Ring buffers by sequence number modulo capacity: the posts' clusters and band keys.
        self._clusters: list[str] = []
        self._bands: list[tuple[int, ...]] = []
        self._next = 0

    def __len__(self) -> int:
        return len(self._clusters)

    def cluster_of(self, bands: Sequence[int]) -> str | None:
        """The cluster that at least ``votes`` of these band keys point to, or None."""
        seqs = [seq for seq in map(self._owner.get, bands) if seq is not None]
        if len(seqs) < self.votes:  # most posts: no need to count
            return None
        clusters, capacity = self._clusters, self.capacity
        found = Counter(clusters[seq % capacity] for seq in seqs)
        # On a tie the cluster of the earliest band wins: deterministic.
        cluster, count = found.most_common(1)[0]
        return cluster if count >= self.votes else None

    def add(self, cluster: str, bands: Sequence[int]) -> None:
        """Record a post of ``cluster``; the oldest post leaves when the index is full."""
        seq = self._next
        self._next += 1
        slot = seq % self.capacity
        keys = tuple(bands)
        if slot < len(self._clusters):
            self._forget(seq - self.capacity, self._bands[slot])
            self._clusters[slot] = cluster
            self._bands[slot] = keys
        else:
            self._clusters.append(cluster)
            self._bands.append(keys)
        owner = self._owner
        for key in keys:
            owner[key] = seq

    def _forget(self, seq: int, bands: tuple[int, ...]) -> None:
        owner = self._owner
        for key in bands:
            if owner.get(key) == seq:
                del owner[key]
