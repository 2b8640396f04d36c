"""No platform payload, however broken, gets an exception past the mapping seam.

Hypothesis mutates each kind's recorded payload (``payload_mutations.py``) and feeds
it through ``read_payload`` and ``map_items``, as ``run`` and ``source parse`` do.
``benchmarks/fuzz_sources.py`` runs the same with 10,000 mutants per kind.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from horchposten.sources.guard import map_items, read_payload
from payload_mutations import SEEDS, Seed, Target, through_seam

TARGETS: dict[Seed, Target] = {}


def target(seed: Seed) -> Target:
    if seed not in TARGETS:
        TARGETS[seed] = Target.of(seed)
    return TARGETS[seed]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"{s.kind}-{s.payload.name}")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False))
def test_mutated_payloads_never_raise_past_the_seam(seed: Seed, rnd: random.Random) -> None:
    through_seam(target(seed), rnd)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"{s.kind}-{s.payload.name}")
def test_every_seed_maps_cleanly(seed: Seed) -> None:
    # Mutants of a seed that mapped nothing would test nothing.
    unchanged = target(seed)
    if seed.items_only:
        items = unchanged.document
    else:
        items = read_payload(unchanged.factory, seed.payload.read_bytes(), "seed").items
    posts, problems = map_items(unchanged.factory, items)
    assert posts and not problems, problems
