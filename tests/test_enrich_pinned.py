"""The enrichment path gives exactly the pinned results (tests/pinned_enrichments.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pinned_enrichments import PINNED, current_output


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    return json.loads(PINNED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def current() -> dict[str, Any]:
    # Through JSON like the pinned file, so tuples and lists compare alike.
    return json.loads(json.dumps(current_output(), ensure_ascii=False))  # type: ignore[no-any-return]


def test_every_text_model_scores_bit_identically(
    pinned: dict[str, Any], current: dict[str, Any]
) -> None:
    assert current["score_digests"] == pinned["score_digests"]


def test_every_prepared_post_is_as_pinned(pinned: dict[str, Any], current: dict[str, Any]) -> None:
    assert len(current["prepared"]) == len(pinned["prepared"])
    for now, before in zip(current["prepared"], pinned["prepared"], strict=True):
        assert now == before, before["key"]
