"""OGP and OVP — the OASys General and Violence Predictors, version 1 (100-point scales).

shared/reference/predictors.md §4: ARNS OGPTransformationHelper.kt and OVPTransformationHelper.kt @ 52792f4.
OASys answers are 0 (no problems), 1 (some) or 2 (significant); yes/no answers are booleans here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Literal

from keepsafe.risk.rules.predictors import PredictorInputError, check_sex, given
from keepsafe.risk.rules.predictors.ogrs3 import percentage

OGP_BANDS = (("LOW", 1), ("MEDIUM", 34), ("HIGH", 67), ("VERY_HIGH", 85))
OVP_BANDS = (("LOW", 1), ("MEDIUM", 30), ("HIGH", 60), ("VERY_HIGH", 80))


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _grade(name: str, value: int) -> int:
    if value not in (0, 1, 2):
        raise PredictorInputError(name, f"must be 0, 1 or 2, got {given(value)}")
    return value


def _band(percent: int, bands: tuple[tuple[str, int], ...]) -> str:
    return max((lower, name) for name, lower in bands if percent >= lower)[1] if percent >= 1 else bands[0][0]


@dataclass(frozen=True)
class PointsScore:
    points: int
    percent_1y: int
    percent_2y: int
    band: str


@dataclass(frozen=True)
class OgpInput:
    ogrs3_2y_percent: int
    no_fixed_abode: bool = False
    unemployed: bool = False
    regular_activities_encourage_offending: int = 0
    drug_misuse: int = 0
    drug_motivation: int = 0
    problem_solving: int = 0
    awareness_of_consequences: int = 0
    understands_others_views: int = 0
    pro_criminal_attitudes: int = 0


def ogp(i: OgpInput) -> PointsScore:
    """OGP v1 — ARNS OGPTransformationHelper.kt: logistic(0.0616·score − 3.6832 / −3.0795) (predictors.md §4.1)."""
    if not 0 <= i.ogrs3_2y_percent <= 100:
        raise PredictorInputError("ogrs3_2y_percent", f"must be 0–100, got {i.ogrs3_2y_percent}")
    points = _half_up(Decimal(i.ogrs3_2y_percent) * Decimal("0.6"))
    points += 5 if i.no_fixed_abode else 0
    points += 5 if i.unemployed else 0
    points += (0, 3, 5)[_grade("regular_activities_encourage_offending", i.regular_activities_encourage_offending)]
    drugs = _grade("drug_misuse", i.drug_misuse) + _grade("drug_motivation", i.drug_motivation)
    points += _half_up(Decimal(drugs) * Decimal("3.75"))
    thinking = (
        _grade("problem_solving", i.problem_solving)
        + _grade("awareness_of_consequences", i.awareness_of_consequences)
        + _grade("understands_others_views", i.understands_others_views)
    )
    points += _half_up(Decimal(thinking) * 5 / 6)
    points += (0, 3, 5)[_grade("pro_criminal_attitudes", i.pro_criminal_attitudes)]
    p1 = 1 / (1 + math.exp(-(0.0616 * points - 3.6832)))
    p2 = 1 / (1 + math.exp(-(0.0616 * points - 3.0795)))
    pct2 = percentage(p2)
    return PointsScore(points, percentage(p1), pct2, _band(pct2, OGP_BANDS))


@dataclass(frozen=True)
class OvpInput:
    sex: Literal["M", "F"]
    age: int  # at the start of follow-up; under 18 is rejected
    total_sanctions: int
    violent_sanctions: int
    does_not_recognise_impact: bool = False
    no_fixed_abode: bool = False
    unemployed: bool = False
    alcohol_current: int = 0
    binge_drinking: int = 0
    psychiatric_treatment: bool = False
    temper_control: int = 0
    pro_criminal_attitudes: int = 0


def ovp_violent_points(violent: int) -> int:
    """0 / 4 / 7 / 9 / 11 / 12 / 13 … (+1 per sanction) / 24 at 17 / 25 at 18+ (§4.2)."""
    if violent <= 4:
        return (0, 4, 7, 9, 11)[violent]
    return min(25, 7 + violent)


def ovp(i: OvpInput) -> PointsScore:
    """OVP v1 — ARNS OVPTransformationHelper.kt: logistic(0.0722·score − 4.5215 / −3.8773) (predictors.md §4.2)."""
    check_sex(i.sex)  # any other value scored as a woman's (a try-out of the categorical inputs)
    if i.age < 18:
        raise PredictorInputError("age", f"OVP is for people aged 18 or over, got {i.age}")
    if not 0 <= i.violent_sanctions <= i.total_sanctions:
        raise PredictorInputError("violent_sanctions", "must be from 0 to the total number of sanctions")
    points = 5 if i.total_sanctions > 0 else 0
    points += 5 if i.sex == "M" else 0
    points += ovp_violent_points(i.violent_sanctions)
    non_violent = i.total_sanctions - i.violent_sanctions
    points += (
        0 if non_violent <= 2 else 2 if non_violent <= 4 else 3 if non_violent <= 10 else 4 if non_violent <= 20 else 5
    )
    for upper, value in ((19, 20), (21, 17), (23, 14), (25, 12), (30, 10), (35, 8), (40, 6), (45, 4), (50, 2)):
        if i.age <= upper:
            points += value
            break
    points += 4 if i.does_not_recognise_impact else 0
    points += 4 if i.no_fixed_abode else 0
    points += 4 if i.unemployed else 0
    alcohol = _grade("alcohol_current", i.alcohol_current) + _grade("binge_drinking", i.binge_drinking)
    points += int((Decimal(alcohol) * Decimal("2.5")).quantize(Decimal("1"), rounding=ROUND_CEILING))
    points += 4 if i.psychiatric_treatment else 0
    points += 3 * _grade("temper_control", i.temper_control)
    points += 3 * _grade("pro_criminal_attitudes", i.pro_criminal_attitudes)
    p1 = 1 / (1 + math.exp(-(0.0722 * points - 4.5215)))
    p2 = 1 / (1 + math.exp(-(0.0722 * points - 3.8773)))
    pct2 = percentage(p2)
    return PointsScore(points, percentage(p1), pct2, _band(pct2, OVP_BANDS))
