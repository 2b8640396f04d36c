"""The prepare stage's own behaviour (its results are pinned in test_enrich_pinned.py)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

import pytest

from horchposten.models import Post, Topic
from horchposten.prepare import Preparer, collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_prepare_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    preparer = Preparer([Topic(id=1, name="Kaffee", query="kaffee")])
    post = Post(id="1", text="Kaffee am Morgen", created_at=datetime(2026, 11, 21, tzinfo=UTC))
    (gc.enable if enabled else gc.disable)()
    try:
        [prepared] = preparer.prepare([post])
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert prepared.topic_ids == [1]


def test_the_collector_is_back_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError("boom")
    assert gc.isenabled()


def test_preparer_counts_cpu_per_step() -> None:
    preparer = Preparer([Topic(id=1, name="Kaffee", query="kaffee")])
    post = Post(id="1", text="Kaffee", created_at=datetime(2026, 11, 21, tzinfo=UTC))
    preparer.prepare([post])
    assert set(preparer.seconds) == {"tokens", "match", "rows"}
