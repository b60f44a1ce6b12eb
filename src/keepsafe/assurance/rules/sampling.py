"""Random stratified samples of cases, drawn reproducibly from a recorded seed.

Source: issue 17 §2 (samples stratified by tier, RoSH and practitioner grade); proportional allocation with the
largest-remainder method (Hamilton), each stratum sampled by Python's Mersenne Twister seeded with the recorded seed,
so the same population and seed always give the same sample.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from keepsafe.core.words import counted


@dataclass(frozen=True)
class Candidate:
    case: int
    stratum: tuple[str, ...]  # (tier, RoSH, grade) as the case stood when drawn


class SampleError(ValueError):
    pass


def allocate(sizes: dict[tuple[str, ...], int], n: int) -> dict[tuple[str, ...], int]:
    """How many to draw from each stratum: n shared in proportion to the strata's sizes, remainders to the largest
    fractional parts (ties: larger stratum, then stratum name), never more than a stratum holds."""
    total = sum(sizes.values())
    if n < 1:
        raise SampleError("the sample size must be at least 1")
    if n > total:
        raise SampleError(f"the sample size {n} is larger than the {counted(total, 'case')} to draw from")
    quotas = {s: Fraction(size * n, total) for s, size in sizes.items()}
    out = {s: int(q) for s, q in quotas.items()}
    left = n - sum(out.values())
    order = sorted(sizes, key=lambda s: (-(quotas[s] - out[s]), -sizes[s], s))
    for s in order[:left]:
        out[s] += 1
    return out


def draw(candidates: Sequence[Candidate], n: int, seed: int) -> list[int]:
    """The sampled cases' ids, sorted: the same candidates (in any order) and seed always give the same sample."""
    strata: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for c in candidates:
        strata[c.stratum].append(c.case)
    if len({c.case for c in candidates}) != len(candidates):
        raise SampleError("a case appears twice among the candidates")
    quotas = allocate({s: len(v) for s, v in strata.items()}, n)
    chosen: list[int] = []
    for stratum in sorted(strata):
        rng = random.Random(f"{seed}:{'|'.join(stratum)}")  # noqa: S311 - reproducible by design, not a secret
        chosen += rng.sample(sorted(strata[stratum]), quotas[stratum])
    return sorted(chosen)
