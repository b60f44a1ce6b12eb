"""Predictor fairness: how a risk score performs for each group of people (issue 17 item 6, docs/assurance.md).

Why: the COMPAS controversy (Angwin et al., ProPublica 2016; Chouldechova 2017) made error rates, predictive value,
calibration and discrimination per group the standard questions to ask of any risk predictor.

Every rate is a fraction with a stated numerator and denominator; a rate whose denominator is zero is None (shown
as null), never a made-up number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import norm, rankdata

# Disclosure control: groups with fewer people than this are reported but flagged small (issue 17: counts < 10).
SMALL_GROUP = 10

# Two-sided 95% interval.
CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Observation:
    """One person: the predictor's score and whether the outcome happened (1) or not (0)."""

    score: float
    outcome: int

    def __post_init__(self) -> None:
        if self.outcome not in (0, 1):
            raise ValueError(f"outcome must be 0 or 1, not {self.outcome!r}")
        if not math.isfinite(self.score):
            raise ValueError(f"score must be a finite number, not {self.score!r}")


@dataclass(frozen=True, slots=True)
class ConfusionMatrix:
    """Counts at a threshold: predicted high risk (score ≥ threshold) against the outcome."""

    tp: int  # high risk, outcome happened
    fp: int  # high risk, outcome did not happen
    tn: int  # low risk, outcome did not happen
    fn: int  # low risk, outcome happened

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.tn + self.fn


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """People with one score value and the share of them for whom the outcome happened."""

    score: float
    n: int
    positives: int

    @property
    def observed_rate(self) -> float:
        return self.positives / self.n


@dataclass(frozen=True, slots=True)
class GroupReport:
    n: int
    matrix: ConfusionMatrix
    fpr: float | None
    fnr: float | None
    ppv: float | None
    auc: float | None
    auc_ci: tuple[float, float] | None
    calibration: tuple[CalibrationRow, ...]
    small: bool


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when the denominator is zero (the rate is undefined, not 0)."""
    return numerator / denominator if denominator else None


def confusion_matrix(observations: Iterable[Observation], threshold: float) -> ConfusionMatrix:
    """Scores ≥ threshold count as predicted high risk (ProPublica 2016 counted COMPAS decile ≥ 5 as high)."""
    tp = fp = tn = fn = 0
    for o in observations:
        high = o.score >= threshold
        if high and o.outcome:
            tp += 1
        elif high:
            fp += 1
        elif o.outcome:
            fn += 1
        else:
            tn += 1
    return ConfusionMatrix(tp=tp, fp=fp, tn=tn, fn=fn)


def false_positive_rate(m: ConfusionMatrix) -> float | None:
    """FP / (FP + TN): of those the outcome did not happen to, the share called high risk (Fawcett 2006)."""
    return ratio(m.fp, m.fp + m.tn)


def false_negative_rate(m: ConfusionMatrix) -> float | None:
    """FN / (FN + TP): of those the outcome happened to, the share called low risk (Fawcett 2006)."""
    return ratio(m.fn, m.fn + m.tp)


def positive_predictive_value(m: ConfusionMatrix) -> float | None:
    """TP / (TP + FP): of those called high risk, the share the outcome happened to (Chouldechova 2017)."""
    return ratio(m.tp, m.tp + m.fp)


def _split(observations: Sequence[Observation]) -> tuple[list[float], list[float]]:
    positives = [o.score for o in observations if o.outcome == 1]
    negatives = [o.score for o in observations if o.outcome == 0]
    return positives, negatives


def _placements(positives: Sequence[float], negatives: Sequence[float]) -> tuple[list[float], list[float]]:
    """DeLong's structural components via midranks (Sun & Xu 2014): for each positive, the share of negatives it
    outscores (ties half); for each negative, the share of positives that outscore it (ties half)."""
    n1, n0 = len(positives), len(negatives)
    combined = [float(x) for x in rankdata([*positives, *negatives])]
    within_pos = [float(x) for x in rankdata(positives)]
    within_neg = [float(x) for x in rankdata(negatives)]
    v10 = [(combined[i] - within_pos[i]) / n0 for i in range(n1)]
    v01 = [1.0 - (combined[n1 + j] - within_neg[j]) / n1 for j in range(n0)]
    return v10, v01


def area_under_curve(observations: Sequence[Observation]) -> float | None:
    """AUC = U / (n₁·n₀), U the Mann–Whitney statistic with ties counted half (Hanley & McNeil 1982); None without
    both an outcome and a non-outcome."""
    positives, negatives = _split(observations)
    if not positives or not negatives:
        return None
    v10, _ = _placements(positives, negatives)
    return math.fsum(v10) / len(v10)


def _variance(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def auc_confidence_interval(
    observations: Sequence[Observation], confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """Wald interval AUC ± z·SE with DeLong's variance S₁₀/n₁ + S₀₁/n₀ (DeLong, DeLong & Clarke-Pearson 1988),
    clipped to [0, 1] as pROC does; None with fewer than two outcomes or two non-outcomes (no variance)."""
    positives, negatives = _split(observations)
    if len(positives) < 2 or len(negatives) < 2:
        return None
    v10, v01 = _placements(positives, negatives)
    auc = math.fsum(v10) / len(v10)
    se = math.sqrt(_variance(v10) / len(v10) + _variance(v01) / len(v01))
    z = float(norm.ppf(0.5 + confidence / 2))
    return max(0.0, auc - z * se), min(1.0, auc + z * se)


def calibration(observations: Iterable[Observation]) -> tuple[CalibrationRow, ...]:
    """For each score value, in ascending order: how many people had it and the observed outcome rate (the
    calibration-within-groups check of Kleinberg, Mullainathan & Raghavan 2016)."""
    counts: dict[float, list[int]] = {}
    for o in observations:
        tally = counts.setdefault(o.score, [0, 0])
        tally[0] += 1
        tally[1] += o.outcome
    return tuple(CalibrationRow(score=s, n=c[0], positives=c[1]) for s, c in sorted(counts.items()))


def group_report(observations: Sequence[Observation], threshold: float) -> GroupReport:
    """Every measure for one group of people (docs/assurance.md defines each)."""
    matrix = confusion_matrix(observations, threshold)
    return GroupReport(
        n=matrix.n,
        matrix=matrix,
        fpr=false_positive_rate(matrix),
        fnr=false_negative_rate(matrix),
        ppv=positive_predictive_value(matrix),
        auc=area_under_curve(observations),
        auc_ci=auc_confidence_interval(observations),
        calibration=calibration(observations),
        small=matrix.n < SMALL_GROUP,
    )


@dataclass(frozen=True, slots=True)
class FairnessReport:
    threshold: float
    overall: GroupReport
    groups: Mapping[str, GroupReport]


def fairness_report(rows: Iterable[tuple[str, Observation]], threshold: float) -> FairnessReport:
    """The report over (group, observation) pairs: everyone together, then each group in sorted order."""
    everyone: list[Observation] = []
    by_group: dict[str, list[Observation]] = {}
    for group, observation in rows:
        everyone.append(observation)
        by_group.setdefault(group, []).append(observation)
    return FairnessReport(
        threshold=threshold,
        overall=group_report(everyone, threshold),
        groups={g: group_report(by_group[g], threshold) for g in sorted(by_group)},
    )
