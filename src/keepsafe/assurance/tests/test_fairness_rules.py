"""The fairness measures on tables built by hand (every expected number worked out in the comments, not by the
code under test), and invariants over generated tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.assurance.rules.fairness import (
    SMALL_GROUP,
    ConfusionMatrix,
    Observation,
    area_under_curve,
    auc_confidence_interval,
    calibration,
    confusion_matrix,
    fairness_report,
    false_negative_rate,
    false_positive_rate,
    positive_predictive_value,
)


def obs(*pairs: tuple[float, int]) -> list[Observation]:
    return [Observation(score=s, outcome=o) for s, o in pairs]


# Group A, threshold 5. High (≥5): 6/0 FP, 8/1 TP, 7/1 TP, 5/0 FP, 9/1 TP; low: 2/0 TN, 4/0 TN, 3/1 FN.
A = obs((2, 0), (4, 0), (6, 0), (8, 1), (3, 1), (7, 1), (5, 0), (9, 1))
# Group B, with tied scores. High: 5/1 TP, 5/0 FP, 10/1 TP; low: 1/0 TN, 1/0 TN.
B = obs((5, 1), (5, 0), (1, 0), (1, 0), (10, 1))
# Group C: nobody had the outcome. High: 7/0 FP; low: 3/0 TN.
C = obs((3, 0), (7, 0))
# Group D: nobody called high risk. Low: 1/1 FN, 2/0 TN.
D = obs((1, 1), (2, 0))


def test_hand_table_per_group():
    report = fairness_report([(g, o) for g, rows in {"A": A, "B": B, "C": C, "D": D}.items() for o in rows], 5)
    a, b, c, d = (report.groups[k] for k in "ABCD")

    assert a.matrix == ConfusionMatrix(tp=3, fp=2, tn=2, fn=1)
    assert (a.n, a.fpr, a.fnr, a.ppv) == (8, 2 / 4, 1 / 4, 3 / 5)
    # positives 8, 3, 7, 9 against negatives 2, 4, 6, 5: 8 beats 4, 3 beats 1 (2), 7 beats 4, 9 beats 4 → 13 of 16
    assert a.auc == pytest.approx(13 / 16)

    assert b.matrix == ConfusionMatrix(tp=2, fp=1, tn=2, fn=0)
    assert (b.n, b.fpr, b.fnr, b.ppv) == (5, 1 / 3, 0.0, 2 / 3)
    # positives 5, 10 against negatives 5, 1, 1: 5 ties 5 (½) and beats 1, 1 (2) → 2.5; 10 beats 3 → 5.5 of 6
    assert b.auc == pytest.approx(5.5 / 6)

    assert c.matrix == ConfusionMatrix(tp=0, fp=1, tn=1, fn=0)
    # no one had the outcome: the false negative rate and the AUC are undefined, not 0
    assert (c.fpr, c.fnr, c.ppv, c.auc, c.auc_ci) == (1 / 2, None, 0.0, None, None)

    assert d.matrix == ConfusionMatrix(tp=0, fp=0, tn=1, fn=1)
    # no one called high risk: the positive predictive value is undefined; the one outcome (1) scored below the one
    # non-outcome (2): AUC 0; one outcome only: no interval
    assert (d.fpr, d.fnr, d.ppv, d.auc, d.auc_ci) == (0.0, 1.0, None, 0.0, None)

    assert all(g.small for g in (a, b, c, d))


def test_hand_table_overall():
    report = fairness_report([("x", o) for o in [*A, *B, *C, *D]], 5)
    overall = report.overall
    # TP 3+2+0+0, FP 2+1+1+0, TN 2+2+1+1, FN 1+0+0+1
    assert overall.matrix == ConfusionMatrix(tp=5, fp=4, tn=6, fn=2)
    assert (overall.n, overall.fpr, overall.fnr, overall.ppv) == (17, 4 / 10, 2 / 7, 5 / 9)
    assert not overall.small
    # positives 1 3 5 7 8 9 10; negatives 1 1 2 2 3 4 5 5 6 7. Negatives below (+½ per tie): 1 → 0+1, 3 → 4+½,
    # 5 → 6+1, 7 → 9+½, 8 → 10, 9 → 10, 10 → 10; total 52 of 7×10 pairs.
    assert overall.auc == pytest.approx(52 / 70)
    # score: n, positives → 1: 3,1  2: 2,0  3: 2,1  4: 1,0  5: 3,1  6: 1,0  7: 2,1  8: 1,1  9: 1,1  10: 1,1
    assert [(c.score, c.n, c.observed_rate) for c in overall.calibration] == [
        (1, 3, 1 / 3),
        (2, 2, 0.0),
        (3, 2, 0.5),
        (4, 1, 0.0),
        (5, 3, 1 / 3),
        (6, 1, 0.0),
        (7, 2, 0.5),
        (8, 1, 1.0),
        (9, 1, 1.0),
        (10, 1, 1.0),
    ]


def test_threshold_is_inclusive():
    assert confusion_matrix(obs((5, 1), (5, 0), (4.999, 1), (4.999, 0)), 5) == ConfusionMatrix(tp=1, fp=1, tn=1, fn=1)


def test_rates_with_empty_denominators_are_none():
    empty = ConfusionMatrix(tp=0, fp=0, tn=0, fn=0)
    assert (false_positive_rate(empty), false_negative_rate(empty), positive_predictive_value(empty)) == (
        None,
        None,
        None,
    )


def test_mann_whitney_textbook_example():
    # Hanley & McNeil (1982) table 1: radiologists' ratings (1 definitely normal … 5 definitely abnormal) of 58
    # normal and 51 abnormal images. Normal counts by rating 33, 6, 6, 11, 2; abnormal 3, 2, 2, 11, 33.
    # U = Σ over abnormal ratings r of count(r) × (normals rated below r + ½ × normals rated r):
    #   r1: 3 × (0 + 16.5) = 49.5; r2: 2 × (33 + 3) = 72; r3: 2 × (39 + 3) = 84; r4: 11 × (45 + 5.5) = 555.5;
    #   r5: 33 × (56 + 1) = 1881 → U = 2642, AUC = 2642 / (51 × 58) = 2642 / 2958 = 0.8932 (the paper's 0.893).
    normal = [1] * 33 + [2] * 6 + [3] * 6 + [4] * 11 + [5] * 2
    abnormal = [1] * 3 + [2] * 2 + [3] * 2 + [4] * 11 + [5] * 33
    table = [Observation(r, 0) for r in normal] + [Observation(r, 1) for r in abnormal]
    assert area_under_curve(table) == pytest.approx(2642 / 2958)
    assert round(2642 / 2958, 3) == 0.893


def test_delong_interval_by_hand():
    # Group B: positives 5, 10; negatives 5, 1, 1.
    # V10 (share of negatives each positive outscores, ties ½): 5 → 2.5/3 = 5/6, 10 → 1. Mean 11/12.
    #   S10 = ((5/6 − 11/12)² + (1 − 11/12)²) / (2 − 1) = 2 × (1/12)² = 1/72.
    # V01 (share of positives outscoring each negative): 5 → 1.5/2 = 3/4, 1 → 1, 1 → 1. Mean 11/12.
    #   S01 = ((3/4 − 11/12)² + 2 × (1/12)²) / (3 − 1) = (1/36 + 1/72) / 2 = 1/48.
    # Var = S10/2 + S01/3 = 1/144 + 1/144 = 1/72; z(97.5%) = 1.959963985.
    low, high = auc_confidence_interval(B)  # type: ignore[misc]
    assert low == pytest.approx(11 / 12 - 1.959963985 * math.sqrt(1 / 72))
    assert low == pytest.approx(0.6856828, abs=1e-6)
    assert high == 1.0  # 11/12 + 0.2310 passes 1 and is clipped, as pROC does


def test_calibration_by_score_value():
    rows = calibration(obs((2.5, 1), (1, 0), (2.5, 0), (2.5, 1)))
    assert [(c.score, c.n, c.positives, c.observed_rate) for c in rows] == [(1, 1, 0, 0.0), (2.5, 3, 2, 2 / 3)]


def test_small_flag_at_the_disclosure_threshold():
    nine = [("g", Observation(1, i % 2)) for i in range(SMALL_GROUP - 1)]
    ten = [("g", Observation(1, i % 2)) for i in range(SMALL_GROUP)]
    assert fairness_report(nine, 1).groups["g"].small
    assert not fairness_report(ten, 1).groups["g"].small


@pytest.mark.parametrize(("score", "outcome"), [(1.0, 2), (1.0, -1), (math.nan, 0), (math.inf, 1)])
def test_observation_refuses_impossible_values(score, outcome):
    with pytest.raises(ValueError, match="must be"):
        Observation(score, outcome)


# ---- invariants over generated tables ----

scores = st.integers(min_value=-50, max_value=50)
tables = st.lists(st.tuples(scores, st.integers(0, 1)), min_size=0, max_size=60).map(
    lambda rows: [Observation(float(s), o) for s, o in rows]
)


def brute_force_auc(table: list[Observation]) -> float | None:
    """Every (outcome, non-outcome) pair: 1 if the outcome scored higher, ½ if tied."""
    pos = [o.score for o in table if o.outcome]
    neg = [o.score for o in table if not o.outcome]
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def brute_force_delong_variance(table: list[Observation]) -> float:
    pos = [o.score for o in table if o.outcome]
    neg = [o.score for o in table if not o.outcome]

    def psi(p: float, q: float) -> float:
        return 1.0 if p > q else 0.5 if p == q else 0.0

    v10 = [sum(psi(p, q) for q in neg) / len(neg) for p in pos]
    v01 = [sum(psi(p, q) for p in pos) / len(pos) for q in neg]

    def var(v: list[float]) -> float:
        m = sum(v) / len(v)
        return sum((x - m) ** 2 for x in v) / (len(v) - 1)

    return var(v10) / len(pos) + var(v01) / len(neg)


@given(tables, scores)
def test_counts_add_up_and_rates_are_proportions(table, threshold):
    m = confusion_matrix(table, threshold)
    assert m.tp + m.fp + m.tn + m.fn == m.n == len(table)
    assert m.tp + m.fn == sum(o.outcome for o in table)
    for rate in (false_positive_rate(m), false_negative_rate(m), positive_predictive_value(m)):
        assert rate is None or 0.0 <= rate <= 1.0


@given(tables)
def test_auc_equals_brute_force_pair_counting(table):
    expected = brute_force_auc(table)
    got = area_under_curve(table)
    assert (got is None) == (expected is None)
    if expected is not None:
        assert got == pytest.approx(expected)


@given(tables)
def test_interval_matches_brute_force_delong_and_holds_the_auc(table):
    interval = auc_confidence_interval(table)
    positives = sum(o.outcome for o in table)
    if positives < 2 or len(table) - positives < 2:
        assert interval is None
        return
    assert interval is not None
    low, high = interval
    auc = brute_force_auc(table)
    assert auc is not None
    half = 1.959963985 * math.sqrt(brute_force_delong_variance(table))
    assert low == pytest.approx(max(0.0, auc - half), abs=1e-9)
    assert high == pytest.approx(min(1.0, auc + half), abs=1e-9)
    assert 0.0 <= low <= auc <= high <= 1.0


@given(st.lists(scores, min_size=1, max_size=30, unique=True), st.integers(1, 29))
def test_perfect_separation_gives_one_and_its_reverse_zero(values, cut):
    values = sorted(values)
    if len(values) < 2:
        return
    cut = min(cut, len(values) - 1)
    table = [Observation(float(s), int(i >= cut)) for i, s in enumerate(values)]
    assert area_under_curve(table) == 1.0
    assert area_under_curve([Observation(-o.score, o.outcome) for o in table]) == 0.0


@given(tables)
def test_auc_unchanged_by_a_strictly_increasing_transform(table):
    # s ↦ s³ + 5s + 7 is strictly increasing on the integers and exact in floating point at this range.
    moved = [Observation(o.score**3 + 5 * o.score + 7, o.outcome) for o in table]
    assert area_under_curve(moved) == area_under_curve(table)
    assert auc_confidence_interval(moved) == auc_confidence_interval(table)
