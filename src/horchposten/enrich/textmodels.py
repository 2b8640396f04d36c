"""Built-in text classifiers: hashed n-gram features and linear models shipped as .npz.

The featuriser here is the only one: the training script imports it, so a model
sees at run time exactly the features it was trained on. Hashing needs no
vocabulary; a model file holds only the weight rows that are not zero, int8
with one scale per class, and a JSON beside it names the labels, the feature
settings and the dev figures (nothing is pickled).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.preprocessing import normalize as l2_normalise

from horchposten.enrich.textnorm import Analysed, analyse, is_negator, normalise
from horchposten.errors import HorchpostenError

Matrix = npt.NDArray[np.float32]
MODELS = "horchposten.enrich"


@runtime_checkable
class TextClassifier(Protocol):
    """Anything that turns texts into one probability per label."""

    labels: tuple[str, ...]
    name: str
    version: str

    def scores(self, texts: Sequence[str]) -> Matrix:
        """Probabilities of shape (len(texts), len(labels)); rows sum to 1."""
        ...


@dataclass(frozen=True)
class FeatureSettings:
    """How texts become hashed features; stored in every model's JSON."""

    n_features: int = 2**20
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    # The character block's weight relative to the word block (each is L2-normalised).
    char_weight: float = 1.0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureSettings:
        return cls(
            n_features=int(data["n_features"]),
            word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
            char_ngrams=(int(data["char_ngrams"][0]), int(data["char_ngrams"][1])),
            char_weight=float(data["char_weight"]),
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def word_features(text: Analysed, low: int, high: int) -> list[tuple[str, float]]:
    """Word n-grams; a negated word counts -1, so "not bad" weighs against "bad".

    Negators themselves are left out of the unigrams (see ``textnorm.analyse``).
    """
    words = text.tokens
    features = [
        (word, -1.0 if negated else 1.0)
        for word, negated in zip(words, text.negated, strict=True)
        if not (negated and is_negator(word))
    ]
    grams = features if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend((" ".join(words[i : i + n]), 1.0) for i in range(len(words) - n + 1))
    return grams


def padded(text: str) -> str:
    """The text with single spaces and one at each end, so grams see word edges."""
    return f" {' '.join(text.split())} "


def char_gram_counts(
    texts: Sequence[str], low: int, high: int, n_features: int
) -> sparse.csr_matrix:
    """Counts of the hashed character n-grams of each (normalised) text.

    All texts are hashed at once in numpy: a polynomial rolling hash over the
    code points, mixed by the murmur3 finaliser. Grams run across word
    boundaries on purpose ("t ba" carries "not bad"); never across texts.
    """
    pieces = [padded(text) for text in texts]
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    codes = np.frombuffer("\0".join(pieces).encode("utf-32-le"), dtype=np.uint32)
    # The text of each position; the separators between texts belong to none (-1).
    owner = np.repeat(np.arange(len(pieces)), lengths + 1)[: codes.size]
    owner[np.cumsum(lengths + 1)[:-1] - 1] = -1
    # Each gram as one key, row * n_features + column: one sort counts them all
    # and leaves them in the order (row, then column) a CSR matrix keeps.
    keys: list[npt.NDArray[np.uint64]] = []
    width = np.uint64(n_features)
    hashed = codes.astype(np.uint64)
    for n in range(1, high + 1):
        if n > 1:
            hashed = hashed[:-1] * np.uint64(_PRIME) + codes[n - 1 :]
        if n >= low:
            starts, ends = owner[: hashed.size], owner[n - 1 :]
            inside = (starts == ends) & (starts >= 0)
            column = _mix(hashed[inside] + np.uint64(n)) % width
            keys.append(starts[inside].astype(np.uint64) * width + column)
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    indptr = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum(
        np.bincount((unique // width).astype(np.int64), minlength=len(pieces)), out=indptr[1:]
    )
    columns = (unique % width).astype(np.int64)
    return sparse.csr_matrix(
        (counts.astype(np.float64), columns, indptr), shape=(len(pieces), n_features)
    )


_PRIME = 1_000_003


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """murmur3's 64-bit finaliser: spreads a rolling hash over all bits."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


class Featuriser:
    """Texts to a sparse feature matrix; remembers its last few batches.

    The sentiment, emotion and toxicity models share settings, so the three
    enrichers featurise each batch (or language subset) once between them.
    """

    CACHED_BATCHES = 8

    def __init__(self, settings: FeatureSettings) -> None:
        self.settings = settings
        self._hasher = FeatureHasher(settings.n_features, input_type="pair", alternate_sign=False)
        self._recent: OrderedDict[tuple[str, ...], sparse.csr_matrix] = OrderedDict()

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        key = tuple(texts)
        found = self._recent.get(key)
        if found is None:
            found = self._compute(key)
            self._recent[key] = found
            if len(self._recent) > self.CACHED_BATCHES:
                self._recent.popitem(last=False)
        return found

    def _compute(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if not texts:
            return sparse.csr_matrix((0, self.settings.n_features), dtype=np.float64)
        analysed = [analyse(normalise(text)) for text in texts]
        low, high = self.settings.word_ngrams
        words = self._hasher.transform(word_features(a, low, high) for a in analysed).tocsr()
        low, high = self.settings.char_ngrams
        plain = [a.plain for a in analysed]
        chars = char_gram_counts(plain, low, high, self.settings.n_features)
        return (sublinear(words) + sublinear(chars) * self.settings.char_weight).tocsr()


def sublinear(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Signed log(1 + |count|), then unit length per row: the tenth "!" adds little."""
    counts.data = np.sign(counts.data) * np.log1p(np.abs(counts.data))
    normalised: sparse.csr_matrix = l2_normalise(counts, copy=False)
    return normalised


@cache
def featuriser(settings: FeatureSettings) -> Featuriser:
    """The one shared featuriser for these settings."""
    return Featuriser(settings)


def softmax(logits: Matrix) -> Matrix:
    shifted: Matrix = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities: Matrix = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
    return probabilities


class LinearTextModel:
    """A multinomial linear model over the shared features, read from package files."""

    def __init__(self, meta: dict[str, Any], weights: Matrix, intercept: Matrix) -> None:
        self.meta = meta
        self.name: str = meta["name"]
        self.version: str = meta["version"]
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self.language: str = meta["language"]
        self.featuriser = featuriser(FeatureSettings.from_json(meta["features"]))
        self._weights = weights
        self._intercept = intercept

    @classmethod
    def load(cls, name: str) -> LinearTextModel:
        """Load ``models/{name}.json`` and ``models/{name}.npz`` from the package."""
        meta, arrays = read_model_files(name)
        n_features = int(meta["features"]["n_features"])
        return cls(meta, dense_weights(arrays, n_features), arrays["intercept"])

    def scores(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        features = self.featuriser.transform(texts)
        logits: Matrix = np.asarray(features @ self._weights, dtype=np.float32)
        return softmax(logits + self._intercept)


def read_model_files(name: str) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    """A built-in model's JSON and arrays, from the package's ``models`` folder."""
    folder = files(MODELS).joinpath("models")
    try:
        meta = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        with folder.joinpath(f"{name}.npz").open("rb") as handle, np.load(handle) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except FileNotFoundError as error:
        raise HorchpostenError(
            f"The built-in text model {name!r} is missing from the package ({error}); "
            "reinstall horchposten or rebuild the models with training/train_text_models.py."
        ) from error
    return meta, arrays


def dense_weights(arrays: dict[str, npt.NDArray[Any]], n_features: int) -> Matrix:
    """The full weight matrix from the stored non-zero rows and their int8 values."""
    weights = np.zeros((n_features, arrays["scale"].shape[0]), dtype=np.float32)
    weights[arrays["rows"]] = arrays["values"].astype(np.float32) * arrays["scale"]
    return weights


def quantise(weights: npt.NDArray[Any]) -> dict[str, npt.NDArray[Any]]:
    """The arrays a model file stores: non-zero rows, int8 values, one scale per class."""
    rows = np.flatnonzero(np.abs(weights).max(axis=1) > 0).astype(np.int32)
    scale = (np.abs(weights).max(axis=0) / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0
    values = np.round(weights[rows] / scale).astype(np.int8)
    return {"rows": rows, "values": values, "scale": scale}
