"""A user's own Hugging Face model as a classifier: loaded from a folder, offline.

The test builds a tiny BERT classifier and its tokenizer itself (random
encoder, a classification head set by hand), saves them the way
``save_pretrained`` does, and loads them back through our code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

from horchposten.enrich.base import EnrichSettings
from horchposten.enrich.classifier import enricher_version
from horchposten.enrich.huggingface import HuggingFaceClassifier
from horchposten.errors import ConfigError
from horchposten.models import Post
from horchposten.plugins import plugins
from horchposten.query import compile_query

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "gut", "schlecht", "nicht", "die", "creme"]


def tiny_model(folder: Path, id2label: dict[int, str], bias: list[float]) -> Path:
    """A 1-layer BERT whose head ignores the text and prefers labels by ``bias``."""
    (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True)
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=1,
        intermediate_size=16,
        max_position_embeddings=64,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={label: index for index, label in id2label.items()},
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor(bias))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_a_saved_model_scores_texts_in_our_label_order(tmp_path: Path) -> None:
    # The model's own order differs from ours, and it has an extra label.
    folder = tiny_model(
        tmp_path, {0: "POS", 1: "neg", 2: "Neutral", 3: "mixed"}, [2.0, 0.0, 1.0, 5.0]
    )
    model = HuggingFaceClassifier(str(folder), ("negative", "neutral", "positive"), "setting")
    scores = model.scores(["Die Creme ist gut", "nicht schlecht", "ganz unbekannte Wörter"])
    expected = np.exp([0.0, 1.0, 2.0]) / np.exp([0.0, 1.0, 2.0]).sum()
    assert scores.shape == (3, 3)
    assert np.allclose(scores, expected)
    assert model.scores([]).shape == (0, 3)
    assert model.name == f"huggingface:{tmp_path.name}"
    assert model.version.startswith(model.name + ":")


def test_models_with_unknown_labels_or_no_model_are_refused(tmp_path: Path) -> None:
    folder = tiny_model(tmp_path, {0: "LABEL_0", 1: "LABEL_1"}, [0.0, 0.0])
    with pytest.raises(ConfigError, match=r"labels .* should name negative, neutral, positive"):
        HuggingFaceClassifier(str(folder), ("negative", "neutral", "positive"), "enrich.x")
    with pytest.raises(ConfigError, match=r"config\.json is missing"):
        HuggingFaceClassifier(str(tmp_path / "none"), ("toxic", "not_toxic"), "enrich.x")


def test_a_configured_model_becomes_the_enrichment_and_its_query_field(tmp_path: Path) -> None:
    folder = tiny_model(tmp_path, {0: "NEG", 1: "NEU", 2: "POS"}, [0.0, 1.0, 3.0])
    settings = EnrichSettings(sentiment_model=str(folder))
    [enricher] = [e for e in plugins().enrichers(settings) if e.name == "sentiment"]
    own = HuggingFaceClassifier(str(folder), ("negative", "neutral", "positive"), "x")
    assert enricher.version == enricher_version("sentiment", "custom", {"mul": own})
    # German and English alike: the user's model reads every language.
    posts = [
        Post(id="1", text="Die Creme ist gut", created_at=datetime.now(UTC)),
        Post(id="2", text="The cream is bad", created_at=datetime.now(UTC)),
    ]
    results = enricher.enrich(posts, [{}, {}])
    assert [fields["model"] for fields in results] == [own.name, own.name]
    fields = results[0]
    assert fields["label"] == "positive"
    assert fields["scores"]["positive"] == fields["score"] > fields["scores"]["neutral"]
    assert compile_query("sentiment:positive").matches(posts[0], {"sentiment": fields})
    [builtin] = [e for e in plugins().enrichers(EnrichSettings()) if e.name == "sentiment"]
    assert builtin.version.startswith("sentiment-fast-")
    # The other tasks keep their built-in models.
    [emotion] = [e for e in plugins().enrichers(settings) if e.name == "emotion"]
    assert emotion.version.startswith("emotion-fast-")
