"""Rebuild the built-in text models in src/horchposten/enrich/models/ from ../shared/data.

    .venv/bin/python training/train_text_models.py                  # every model
    .venv/bin/python training/train_text_models.py emotion-en-fast  # one (and its teacher)

For each recipe (training/recipes.py): drop the dev texts from the training
data, add the teacher's silver labels for the unlabelled pool if the recipe
distils, choose C by 3-fold cross-validation on the training data, fit, score
the dev sets with the stored (quantised) model through the package's own code,
then fit the shipped model (with the recipe's learned sets, each first
cross-validated 5-fold, if any) and write its
.npz and .json. The heads need the 'accurate' extra installed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, recall_score
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.class_weight import compute_sample_weight

from corpora import Corpus, text_key
from horchposten.enrich.encoder import EncoderHeadModel
from horchposten.enrich.textmodels import (
    FeatureSettings,
    LinearTextModel,
    TextClassifier,
    dense_weights,
    featuriser,
    quantise,
)
from logistic import fit_logistic
from recipes import RECIPES, DevSet, Learned, Recipe
from teacher import embed, fit_head, head_model, silver

MODELS = Path(__file__).resolve().parents[1] / "src/horchposten/enrich/models"
RELEASE = "2026.11"
SEED = 0
FEATURES = FeatureSettings(n_features=2**19)
# Dev-free heads of this run, by name: the teachers of the fast recipes.
TEACHERS: dict[str, EncoderHeadModel] = {}


@dataclass(frozen=True)
class Weighted:
    """A corpus with one sample weight per text (1 for gold, confidence for silver)."""

    corpus: Corpus
    weights: np.ndarray

    def __add__(self, other: Weighted) -> Weighted:
        return Weighted(self.corpus + other.corpus, np.concatenate([self.weights, other.weights]))

    def rows(self, rows: np.ndarray) -> Weighted:
        texts = [self.corpus.texts[i] for i in rows]
        return Weighted(Corpus(texts, [self.corpus.labels[i] for i in rows]), self.weights[rows])


@dataclass(frozen=True)
class TeacherData:
    """What a head was fitted on, so that it can be fitted again with in-domain data."""

    recipe: Recipe
    data: Weighted
    c_value: float
    meta: dict[str, Any]


TEACHER_DATA: dict[str, TeacherData] = {}


def gold(corpus: Corpus, balanced: bool = True, factor: float = 1.0) -> Weighted:
    """Gold labels, each class weighing the same in all (or weighted as they come)."""
    if not balanced or len(corpus) == 0:
        return Weighted(corpus, np.full(len(corpus), factor))
    return Weighted(corpus, compute_sample_weight("balanced", corpus.labels) * factor)


def metric(name: str, truth: list[str], predicted: list[str]) -> float:
    if name == "accuracy":
        return float(accuracy_score(truth, predicted))
    average = recall_score if name == "macro_recall" else f1_score
    return float(average(truth, predicted, average="macro"))


def fit(recipe: Recipe, data: Weighted, c_value: float) -> dict[str, Any]:
    if recipe.kind == "head":
        return fit_head(data.corpus, data.weights, recipe.labels, c_value)
    features = featuriser(FEATURES).transform(data.corpus.texts)
    weights, intercept = fit_logistic(
        features, data.corpus.labels, data.weights, recipe.labels, c_value
    )
    arrays = quantise(weights)
    arrays["intercept"] = intercept.astype(np.float32)
    return arrays


def as_model(recipe: Recipe, arrays: dict[str, Any], meta: dict[str, Any]) -> TextClassifier:
    if recipe.kind == "head":
        return head_model(arrays, meta)
    return LinearTextModel(meta, dense_weights(arrays, FEATURES.n_features), arrays["intercept"])


def predict(model: TextClassifier, texts: list[str]) -> list[str]:
    if isinstance(model, EncoderHeadModel):  # embeddings of this run, computed once per text
        scores = model.scores_of_embeddings(embed(texts))
    else:
        scores = model.scores(texts)
    return [model.labels[i] for i in scores.argmax(axis=1)]


def score_dev(model: TextClassifier, dev: DevSet) -> float:
    corpus = dev.corpus()
    return round(metric(dev.metric, corpus.labels, predict(model, corpus.texts)), 4)


def choose_c(
    recipe: Recipe, train: Weighted, added: Weighted, meta: dict[str, Any]
) -> tuple[float, dict[str, float]]:
    """C by 3-fold cross-validation on ``train``; ``added`` joins every fitting fold."""
    if len(recipe.grid) == 1:  # fixed by the recipe (from an earlier run's search)
        return recipe.grid[0], {}
    name = recipe.dev[0].metric if recipe.dev else "macro_f1"
    folds = StratifiedKFold(3, shuffle=True, random_state=SEED)
    scores: dict[str, float] = {}
    for c_value in recipe.grid:
        per_fold = []
        for fit_rows, held_rows in folds.split(train.corpus.texts, train.corpus.labels):
            model = as_model(recipe, fit(recipe, train.rows(fit_rows) + added, c_value), meta)
            held = train.rows(held_rows).corpus
            per_fold.append(metric(name, held.labels, predict(model, held.texts)))
        scores[str(c_value)] = round(float(np.mean(per_fold)), 4)
    return max(recipe.grid, key=lambda value: scores[str(value)]), scores


def cross_validate(
    recipe: Recipe,
    learned: Learned,
    rest: Weighted,
    rest_learned: Weighted,
    c_value: float,
    meta: dict[str, Any],
    exclude: list[str],
) -> float:
    """The learned set's 5-fold figure: trained on ``rest`` plus 4/5 of it, scored on the fifth.

    A distilled recipe's teacher learns the same in-domain data in each fold
    (``rest_learned`` plus the four fifths) before it labels the pool again.
    """
    data = learned_data(learned)
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    truth: list[str] = []
    predicted: list[str] = []
    for fit_rows, held_rows in folds.split(data.corpus.texts, data.corpus.labels):
        held = data.rows(held_rows).corpus
        in_domain = rest_learned + data.rows(fit_rows)
        fitting = rest + in_domain + distilled(recipe, exclude, in_domain)
        held_keys = {text_key(text) for text in held.texts}
        rows = np.array(
            [i for i, t in enumerate(fitting.corpus.texts) if text_key(t) not in held_keys]
        )
        model = as_model(recipe, fit(recipe, fitting.rows(rows), c_value), meta)
        truth += held.labels
        predicted += predict(model, held.texts)
    assert learned.metric is not None
    return round(metric(learned.metric, truth, predicted), 4)


def distilled(recipe: Recipe, exclude: list[str], in_domain: Weighted | None = None) -> Weighted:
    """The teacher's labels for the recipe's pool, less the dev and gold texts.

    With ``in_domain`` data the teacher is fitted again with it first, so the
    silver labels follow the in-domain labelling (TweetEval's idea of neutral,
    say) rather than only that of the teacher's own training data.
    """
    if recipe.teacher is None or recipe.pool is None:
        return gold(Corpus([], []))
    teacher = TEACHERS[recipe.teacher]
    if in_domain is not None and len(in_domain.corpus):
        known = TEACHER_DATA[recipe.teacher]
        arrays = fit(known.recipe, known.data + in_domain, known.c_value)
        teacher = head_model(arrays, known.meta)
    pool = recipe.pool()
    texts = Corpus(pool, [""] * len(pool)).without(exclude).first_of_each().texts
    corpus, confidence = silver(teacher, texts)
    return Weighted(corpus, gold(corpus).weights * confidence)


def learned_data(learned: Learned) -> Weighted:
    return gold(learned.corpus(), learned.balanced, learned.weight)


def npz_bytes(arrays: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def build(recipe: Recipe) -> dict[str, Any]:
    started = time.perf_counter()
    dev_texts = [text for dev in recipe.dev for text in dev.corpus().texts]
    train = gold(recipe.train().without(dev_texts).first_of_each())
    learned_texts = [text for item in recipe.learned for text in item.corpus().texts]
    exclude = dev_texts + train.corpus.texts + learned_texts
    added = distilled(recipe, exclude)
    meta: dict[str, Any] = {
        "name": recipe.name,
        "version": "unset",
        "language": recipe.language,
        "labels": list(recipe.labels),
    }
    if recipe.kind == "fast":
        meta["features"] = FEATURES.to_json()
    counts = {"gold_examples": len(train.corpus), "silver_examples": len(added.corpus)}
    if len(train.corpus) == 0:  # silver only: cross-validate on the silver labels
        train, added = added, gold(Corpus([], []))
    c_value, cv_scores = choose_c(recipe, train, added, meta)
    evaluated = as_model(recipe, fit(recipe, train + added, c_value), meta)
    if isinstance(evaluated, EncoderHeadModel):
        TEACHERS[recipe.name] = evaluated
        TEACHER_DATA[recipe.name] = TeacherData(recipe, train + added, c_value, dict(meta))
    dev = {d.name: {d.metric: score_dev(evaluated, d)} for d in recipe.dev}
    learned = [learned_data(item) for item in recipe.learned]
    empty = gold(Corpus([], []))
    for index, item in enumerate(recipe.learned):
        if item.metric is not None:
            others = sum((data for other, data in enumerate(learned) if other != index), empty)
            figure = cross_validate(recipe, item, train, others, c_value, meta, exclude)
            dev[item.name] = {item.metric: figure}
    # The shipped model's silver labels come from a teacher that learned every learned set too.
    all_learned = sum(learned, empty)
    if recipe.teacher is not None and len(all_learned.corpus):
        added = distilled(recipe, exclude, all_learned)
    shipped_data = train + added + all_learned
    arrays = fit(recipe, shipped_data, c_value)
    blob = npz_bytes(arrays)
    meta["version"] = f"{RELEASE}-{hashlib.sha256(blob).hexdigest()[:8]}"
    shipped = as_model(recipe, arrays, meta)
    meta["training"] = {
        **counts,
        "learned_examples_in_shipped_model": len(all_learned.corpus),
        "teacher": recipe.teacher,
        "c": c_value,
        "cv_on_train": cv_scores,
        "seconds": round(time.perf_counter() - started),
    }
    meta["dev"] = dev
    # What the shipped file itself scores; tests re-compute these. With learned
    # data they include dev sets the shipped model was trained on (see "dev").
    meta["shipped_model_check"] = {d.name: {d.metric: score_dev(shipped, d)} for d in recipe.dev}
    (MODELS / f"{recipe.name}.npz").write_bytes(blob)
    (MODELS / f"{recipe.name}.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def wanted(names: list[str]) -> list[Recipe]:
    """The named recipes and the teachers they need, teachers first."""
    chosen = {r.name for r in RECIPES if not names or r.name in names}
    chosen |= {r.teacher for r in RECIPES if r.name in chosen and r.teacher}
    return [r for r in RECIPES if r.name in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("names", nargs="*", help="recipes to build (default: all)")
    for recipe in wanted(parser.parse_args().names):
        meta = build(recipe)
        print(recipe.name, json.dumps(meta["dev"]), meta["training"], file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
