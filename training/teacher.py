"""Accurate-tier heads over sentence embeddings, and the silver labels they give the fast tier.

The encoder is the package's own (``horchposten.enrich.encoder``); embeddings
are kept per text for the run, so cross-validation and labelling the unlabelled
pools encode each text once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from corpora import Corpus
from horchposten.enrich.encoder import EncoderHeadModel, sentence_encoder
from logistic import fit_logistic

_SEEN: dict[str, np.ndarray] = {}


def embed(texts: list[str]) -> np.ndarray:
    missing = list(dict.fromkeys(text for text in texts if text not in _SEEN))
    if missing:
        vectors = np.asarray(sentence_encoder().encode(missing), dtype=np.float32)
        _SEEN.update(zip(missing, vectors, strict=True))
    return np.stack([_SEEN[text] for text in texts]) if texts else np.zeros((0, 512), np.float32)


def fit_head(
    corpus: Corpus, weights: np.ndarray, labels: tuple[str, ...], c_value: float
) -> dict[str, Any]:
    """A logistic regression over embeddings, one weight column per label in label order."""
    columns, intercept = fit_logistic(embed(corpus.texts), corpus.labels, weights, labels, c_value)
    return {"weights": columns.astype(np.float32), "intercept": intercept.astype(np.float32)}


def head_model(arrays: dict[str, Any], meta: dict[str, Any]) -> EncoderHeadModel:
    return EncoderHeadModel(meta, arrays["weights"], arrays["intercept"])


def silver(teacher: EncoderHeadModel, texts: list[str]) -> tuple[Corpus, np.ndarray]:
    """The teacher's labels for unlabelled texts, and its confidence in each."""
    probabilities = teacher.scores_of_embeddings(embed(texts))
    labels = [teacher.labels[i] for i in probabilities.argmax(axis=1)]
    return Corpus(list(texts), labels), probabilities.max(axis=1)
