"""Aspect-category sentiment on GermEval 2017 dev with German models that never saw it.

The shipped German fast sentiment model learned GermEval 2017 dev (its in-domain
set), so scoring the voice-of-the-customer polarity on that set with it flatters
it. Here, in 5 folds, a fast German model is fitted like the shipped one (same
features, gold corpora and in-domain weights, C = 2) on everything but the fold's
fifth of GermEval, without the teacher's silver labels, and judges only that fifth.

    .venv/bin/python training/aspects_held_out.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

import corpora as c
from horchposten.analytics.aspect_polarity import SentimentJudge
from horchposten.analytics.aspects import mentions
from horchposten.analytics.themes import Doc
from horchposten.enrich.textmodels import LinearTextModel, dense_weights, featuriser, quantise
from logistic import fit_logistic
from recipes import GERMAN_SENTIMENT_TWEETS, GERMEVAL2017, SENTIMENT_DE_C, _sentiment_de
from train_text_models import FEATURES, gold, learned_data

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from test_analytics_germeval import BAHN_ASPECTS, GENERAL, majority_baseline, read_dev

# A model's negative or positive counts only at this probability or more.
CONFIDENCES = (0.0, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    documents = read_dev()
    germeval = learned_data(GERMEVAL2017)
    fixed = gold(_sentiment_de())
    for learned in GERMAN_SENTIMENT_TWEETS:
        fixed = fixed + learned_data(learned)
    texts = fixed.corpus.texts + germeval.corpus.texts
    features = featuriser(FEATURES).transform(texts)
    n_fixed = len(fixed.corpus)
    position = {text: i for i, text in enumerate(germeval.corpus.texts)}
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    ways = [(confidence, general) for confidence in CONFIDENCES for general in (True, False)]
    guesses = {way: [set() for _ in documents] for way in ways}
    labels = germeval.corpus.labels
    for number, (fit_rows, held_rows) in enumerate(folds.split(germeval.corpus.texts, labels)):
        rows = np.concatenate([np.arange(n_fixed), n_fixed + fit_rows])
        truth = fixed.corpus.labels + [labels[i] for i in fit_rows]
        weights = np.concatenate([fixed.weights, germeval.weights[fit_rows]])
        weight, intercept = fit_logistic(
            features[rows], truth, weights, c.SENTIMENT, SENTIMENT_DE_C[0]
        )
        arrays = quantise(weight)
        meta = {"name": f"held-out-{number}", "version": "0", "labels": list(c.SENTIMENT),
                "language": "de", "features": FEATURES.to_json()}  # fmt: skip
        model = LinearTextModel(meta, dense_weights(arrays, FEATURES.n_features), intercept)
        held_texts = {germeval.corpus.texts[i] for i in held_rows}
        chosen = [i for i, (text, _) in enumerate(documents) if text in held_texts]
        docs = [Doc(0, documents[i][0], lang="de") for i in chosen]
        for confidence, general in ways:
            judge = SentimentJudge({"de": model}, confidence)
            found = mentions(docs, BAHN_ASPECTS, judge)
            overall = judge([(doc.text, "de") for doc in docs])
            for i, named, mood in zip(chosen, found, overall, strict=True):
                pairs = {(m.aspect, m.polarity) for m in named}
                guesses[(confidence, general)][i] = (
                    pairs | {(GENERAL, mood)} if general or not pairs else pairs
                )
        print(f"fold {number + 1}: {len(chosen)} documents", flush=True)
    missing = sum(1 for text, _ in documents if text not in position)
    print(f"{len(documents)} documents ({missing} not in a fold); "
          f"majority baseline F1 {majority_baseline(documents):.3f}")  # fmt: skip
    for (confidence, general), found in guesses.items():
        hits = sum(len(g & gold_) for g, (_, gold_) in zip(found, documents, strict=True))
        predicted = sum(len(g) for g in found)
        expected = sum(len(gold_) for _, gold_ in documents)
        precision, recall = hits / predicted, hits / expected
        f1 = 2 * precision * recall / (precision + recall)
        where = "always" if general else "without an aspect"
        print(f"confidence {confidence}, Allgemein {where}: "
              f"P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
