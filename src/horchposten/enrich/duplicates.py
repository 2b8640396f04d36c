"""The ``duplicates`` enricher: one cluster id for copies and near-copies of a post.

Copy-paste campaigns and bot floods post the same text again and again, with a
retweet prefix, another link, or a word or two changed. Each post gets the key
(``source:id``) of the first post seen in its cluster, its own key when it is
the first, so a campaign is counted once by counting distinct clusters.

How a post is compared:

* Its words are normalised: a leading ``RT @handle:`` goes, links and emoji go,
  mentions and hashtags lose their signs, case and accents are folded (the
  loose forms of ``horchposten.text``).
* A post with fewer than ``MIN_WORDS`` words gets no cluster (``None``): short
  replies such as "Danke, sehr gut!" are written alike by many people
  independently, and a copy of five words or less says little.
* The words and word pairs are fingerprinted with MinHash (rensa's
  ``RMinHash``, ``PERMUTATIONS`` values), cut into ``BANDS`` bands of
  ``ROWS`` values. Two posts whose word sets overlap by a Jaccard similarity
  ``s`` share a band with probability ``s ** ROWS``. A post joins a cluster
  when ``VOTES`` of its bands meet that cluster's posts in the index
  (``bands.py``), which clusters a text with one or two words changed and keeps
  posts that merely share a topic apart (figures in docs/models.md).

A band key is the band's number in the top bits and 48 bits of its two MinHash
values below: under 2**53, so it survives JSON anywhere. The fields stored per
post hold the band keys, so the index can be refilled from stored results after
a restart (``warm``, with ``store.enrichments.recent_duplicate_bands``).

The result depends on the posts seen before, in order: the same stream always
gives the same clusters. A post seen again (an edit, a re-import) finds its own
earlier entry and keeps its cluster. No count of the cluster's size is stored: the index
forgets old posts and the store counts exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice, pairwise

from rensa import RMinHash

from horchposten.enrich.bands import BandIndex
from horchposten.enrich.base import Earlier, Enricher, EnrichSettings, Fields
from horchposten.hookspecs import hookimpl
from horchposten.models import Post
from horchposten.text import tokenize

MIN_WORDS = 5
BANDS = 16
ROWS = 2  # band_keys packs two MinHash values into a key
PERMUTATIONS = BANDS * ROWS
VOTES = 3
SEED = 20261122
MODEL = "minhash-32p-16x2-words12"
DEFAULT_CAPACITY = 500_000  # about 0.8 GB (bands.py)
_LOW_48 = (1 << 48) - 1


class DuplicateEnricher:
    """Clusters copies and near-copies among the posts it has seen, newest ``capacity`` kept."""

    name = "duplicates"
    version = "minhash-1"
    requires: tuple[str, ...] = ()

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.index = BandIndex(capacity, VOTES)

    def enrich(self, batch: Sequence[Post], earlier: Sequence[Earlier]) -> list[Fields]:
        words = [shingle_words(post.content) for post in batch]
        long_enough = [shingles(w) for w in words if len(w) >= MIN_WORDS]
        digests = iter(RMinHash.digests_from_token_sets(long_enough, PERMUTATIONS, SEED))
        results: list[Fields] = []
        for post, post_words in zip(batch, words, strict=True):
            if len(post_words) < MIN_WORDS:
                results.append({"cluster": None, "bands": [], "model": MODEL})
                continue
            bands = band_keys(next(digests))
            cluster = self.index.cluster_of(bands) or post.key
            self.index.add(cluster, bands)
            results.append({"cluster": cluster, "bands": bands, "model": MODEL})
        return results

    def warm(self, rows: Iterable[tuple[str, str | None, list[int]]]) -> None:
        """Refill the empty index at start from stored results, given newest first.

        Each row is a post's key, its cluster and its band keys; the newest
        ``capacity`` posts with bands are kept, and enter oldest first.
        """
        fingerprinted = ((key, cluster, bands) for key, cluster, bands in rows if bands)
        for key, cluster, bands in reversed(list(islice(fingerprinted, self.index.capacity))):
            self.index.add(cluster or key, bands)


def shingle_words(text: str) -> list[str]:
    """The normalised words of ``text`` that fingerprints are made of."""
    tokens = [token for token in tokenize(text) if token.kind != "symbol"]
    start = 0  # past "RT @handle", also nested ("RT @a: RT @b: …"); a reply's mentions stay
    while (
        len(tokens) > start + 1
        and tokens[start].loose == "rt"
        and tokens[start + 1].kind == "mention"
    ):
        start += 2
    return [token.loose.lstrip("#@") for token in tokens[start:]]


def shingles(words: list[str]) -> list[str]:
    """The words and the pairs of neighbouring words."""
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def band_keys(digest: Sequence[int]) -> list[int]:
    """One key per band: the band number above 48 bits of its two MinHash values."""
    return [
        (band << 48) | (((digest[2 * band] << 16) ^ digest[2 * band + 1]) & _LOW_48)
        for band in range(BANDS)
    ]


@hookimpl
def register_enrichers(settings: EnrichSettings) -> list[Enricher]:
    return [DuplicateEnricher(settings.duplicates_capacity)]
