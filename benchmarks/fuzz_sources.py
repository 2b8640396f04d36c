"""Fuzzing the mapping seam: mutated platform payloads through reading and mapping.

For each recorded seed of ``tests/payload_mutations.py`` (one or two per source
kind), feeds ``--per-seed`` mutants through ``read_payload`` and ``map_items`` as
``run`` and ``source parse`` do, and counts the exceptions that escaped (crashes,
must be 0). Beside it, the baseline measured in the same run: how many mutated
items would have raised something other than a validation error from the bare
``to_post``, i.e. how many would have ended a run without the guard.

    .venv/bin/python benchmarks/fuzz_sources.py [--per-seed 10000] [--seed 1]

Target (issue 20): >= 10,000 mutants per kind, 0 crashes.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

from pydantic import ValidationError

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from horchposten.errors import HorchpostenError
from horchposten.sources.guard import read_payload
from payload_mutations import SEEDS, Target, through_seam


def unguarded(target: Target, rnd: random.Random) -> int:
    """Items of one mutant whose bare ``to_post`` raises something unexpected."""
    data, items = target.mutant(rnd)
    if data is not None:
        try:
            items = read_payload(target.factory, data, "mutant").items
        except HorchpostenError:
            return 0
    unexpected = 0
    for item in items:
        try:
            target.factory.to_post(item)
        except (ValidationError, HorchpostenError):
            continue
        except Exception:
            unexpected += 1
    return unexpected


def fuzz(target: Target, count: int, seed: int) -> tuple[int, int, int]:
    """(posts mapped, crashes, unguarded crash items) over ``count`` mutants."""
    posts = crashes = baseline = 0
    for number in range(count):
        try:
            posts += through_seam(target, random.Random(f"{seed}-{number}"))
        except Exception:
            crashes += 1
            if crashes <= 3:
                traceback.print_exc()
        baseline += unguarded(target, random.Random(f"{seed}-{number}"))
    return posts, crashes, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-seed", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"load average: {Path('/proc/loadavg').read_text().split()[:3]}")
    print(f"{'kind':<18} {'seed payload':<40} {'inputs':>7} {'posts':>8} {'crashes':>7} "
          f"{'unguarded':>9} {'s':>6}")  # fmt: skip
    total_inputs = total_crashes = 0
    for seed in SEEDS:
        target = Target.of(seed)
        started = time.perf_counter()
        posts, crashes, baseline = fuzz(target, args.per_seed, args.seed)
        took = time.perf_counter() - started
        total_inputs += args.per_seed
        total_crashes += crashes
        print(
            f"{seed.kind:<18} {seed.payload.name:<40} {args.per_seed:>7} {posts:>8} "
            f"{crashes:>7} {baseline:>9} {took:>6.1f}"
        )
    print(f"total: {total_inputs} inputs, {total_crashes} crashes")
    sys.exit(1 if total_crashes else 0)


if __name__ == "__main__":
    main()
