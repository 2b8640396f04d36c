"""A user's own Hugging Face classification model as a text classifier.

The model is read from a local folder (``save_pretrained`` output: config,
weights, tokenizer); nothing is downloaded. Its labels (``config.id2label``)
are mapped onto the enrichment's labels by name, so a sentiment model may call
them ``negative``/``neutral``/``positive``, ``neg``/``neu``/``pos`` or
``LABEL_0``… with the order given. ``transformers`` and ``torch`` come with
``pip install 'horchposten[huggingface]'``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from horchposten.errors import ConfigError, NotConfigured

MAX_TOKENS = 256
BATCH = 32
# Label spellings of common models, by the label they mean here.
SYNONYMS = {
    "negative": ("negative", "neg", "negativ"),
    "neutral": ("neutral", "neu"),
    "positive": ("positive", "pos", "positiv"),
    "toxic": ("toxic", "offense", "offensive", "hate", "abusive"),
    "not_toxic": ("not_toxic", "non-toxic", "non_toxic", "nontoxic", "other", "neither", "none"),
    "anger": ("anger", "angry"),
    "joy": ("joy", "happy", "happiness"),
    "optimism": ("optimism", "optimistic"),
    "sadness": ("sadness", "sad"),
}


class HuggingFaceClassifier:
    """Scores texts with a local sequence-classification model, columns in ``labels`` order."""

    def __init__(self, folder: str, labels: Sequence[str], setting: str) -> None:
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError:
            raise NotConfigured(
                f"The setting {setting} names a Hugging Face model, but transformers and torch "
                "are not installed. Install them with: pip install 'horchposten[huggingface]'."
            ) from None
        path = Path(folder).expanduser()
        if not (path / "config.json").is_file():
            expected = "it should be a local folder with a saved model, and config.json is missing"
            raise ConfigError(setting, folder, expected)
        self.labels = tuple(labels)
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = AutoModelForSequenceClassification.from_pretrained(
            path, local_files_only=True
        ).eval()
        self._columns = label_columns(self._model.config.id2label, self.labels, setting, folder)
        self.name = f"huggingface:{path.name}"
        self.version = f"{self.name}:{_fingerprint(path)}"

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        found = []
        for start in range(0, len(texts), BATCH):
            inputs = self._tokenizer(
                list(texts[start : start + BATCH]),
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            with self._torch.no_grad():
                logits = self._model(**inputs).logits
            found.append(self._torch.softmax(logits, dim=-1).numpy().astype(np.float64))
        if not found:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        probabilities: npt.NDArray[np.float64] = np.concatenate(found)[:, self._columns]
        # Labels the model has beyond ours (a "mixed" class, say) drop out: renormalise.
        normalised: npt.NDArray[np.float32] = (
            probabilities / probabilities.sum(axis=1, keepdims=True)
        ).astype(np.float32)
        return normalised


def label_columns(
    id2label: Mapping[Any, str], labels: Sequence[str], setting: str, folder: str
) -> list[int]:
    """For each of ``labels``, the model's output column that means it."""
    names = {str(name).strip().lower(): int(index) for index, name in id2label.items()}
    columns = []
    for label in labels:
        spellings = SYNONYMS.get(label, (label,))
        found = [names[s] for s in spellings if s in names]
        if not found:
            expected = ", ".join(labels)
            have = ", ".join(str(name) for name in id2label.values())
            raise ConfigError(
                setting,
                folder,
                f"the model's labels (config.json id2label) should name {expected}, "
                f"and they are {have}",
            )
        columns.append(found[0])
    return columns


def _fingerprint(path: Path) -> str:
    """A short hash of the model's config and weight file sizes: changes when the model does."""
    digest = hashlib.sha256((path / "config.json").read_bytes())
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return digest.hexdigest()[:12]
