"""Logistic regression as every built-in model is fitted: one weight column per label."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression


def fit_logistic(
    features: Any, truth: list[str], weights: np.ndarray, labels: tuple[str, ...], c_value: float
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features x labels) and intercepts, columns in ``labels`` order."""
    model = LogisticRegression(C=c_value, max_iter=3000)
    model.fit(features, truth, sample_weight=weights)
    classes = [str(label) for label in model.classes_]
    if len(classes) == 2:  # one logit for the second class: softmax(0, z) is its sigmoid
        if classes != list(labels):
            raise ValueError(f"binary labels must be given as {classes}, not {labels}")
        columns = np.hstack([np.zeros_like(model.coef_.T), model.coef_.T])
        return columns, np.array([0.0, model.intercept_[0]])
    order = [classes.index(label) for label in labels]
    return model.coef_.T[:, order], model.intercept_[order]
