"""OGRS3 scores per second for one million people, vectorised and one at a time, measured in one run.

    .venv/bin/python bench/ogrs3_throughput.py [--people 1000000] [--scalar-sample 100000]

The vectorised form (`ogrs3_batch`, numpy) is what a national recalculation uses; the scalar form (`ogrs3`, with
validation, rounding and band) is what each case page uses (`keepsafe predict ogrs3`: bench/predict_throughput.py).
Inputs are synthetic but span every age band, offence category and sanction count. Prints both rates and their ratio.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.predictors.ogrs3 import Ogrs3Input, ogrs3, ogrs3_batch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--scalar-sample", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    n = args.people
    age_at_conviction = rng.integers(18, 80, n)
    age_at_first_sanction = age_at_conviction - rng.integers(0, 8, n).clip(max=age_at_conviction - 10)
    age = age_at_conviction + rng.integers(0, 3, n)
    previous = rng.integers(0, 60, n)
    male = rng.random(n) < 0.85
    offence = rng.integers(0, 20, n)

    started = time.perf_counter()
    p1, p2 = ogrs3_batch(
        male=male,
        age=age,
        age_at_conviction=age_at_conviction,
        age_at_first_sanction=age_at_first_sanction,
        previous_sanctions=previous,
        offence_index=offence,
    )
    vector_seconds = time.perf_counter() - started
    assert p1.shape == p2.shape == (n,)

    categories = list(OffenceCategory)
    sample = [
        Ogrs3Input(
            "M" if male[i] else "F",
            int(age[i]),
            int(age_at_conviction[i]),
            int(age_at_first_sanction[i]),
            int(previous[i]),
            categories[int(offence[i])],
        )
        for i in range(args.scalar_sample)
    ]
    started = time.perf_counter()
    scalar = [ogrs3(i) for i in sample]
    scalar_seconds = time.perf_counter() - started
    worst = max(abs(s.ogrs3_2y - float(p2[i])) for i, s in enumerate(scalar))

    vector_rate, scalar_rate = n / vector_seconds, len(sample) / scalar_seconds
    print(f"vectorised: {n:,} people in {vector_seconds:.3f}s = {vector_rate:,.0f} scores/s")
    print(
        f"scalar (validated, rounded, banded): {len(sample):,} in {scalar_seconds:.2f}s = {scalar_rate:,.0f} scores/s"
    )
    print(f"ratio vectorised/scalar: {vector_rate / scalar_rate:.0f}x; largest difference between the two: {worst:.1e}")
    print(f"one million people: {1_000_000 / vector_rate:.2f}s vectorised, {1_000_000 / scalar_rate:.1f}s scalar")


if __name__ == "__main__":
    main()
