"""OSP — the OASys Sexual reoffending Predictor: OSP/C and OSP/I (v1, in RSR v1), OSP/DC and OSP/IIC (current).

shared/reference/predictors.md §3: rsr-calculator calculateOSPStaticScore.js / calculateIndecentImageProbability.js
(v1); ARNS DirectContactSexualReoffendingPredictorTransformationHelper.kt and
ImagesAndIndirectContactSexualReoffendingPredictorStatic.kt (DC and IIC). Probabilities, not percentages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from keepsafe.risk.rules.predictors import PredictorInputError, check_sex, given

FEMALE_SEXUAL_HISTORY_OSP_V1 = 1 / 193  # rsr-calc: a woman with sexual history gets 1/193 for both years (§2)


@dataclass(frozen=True)
class SexualHistory:
    sex: Literal["M", "F"]
    age: int  # at the risk date / start of follow-up
    total_sanctions: int  # including the current one
    contact_adult: int = 0
    contact_child: int = 0
    paraphilia: int = 0  # non-contact sexual sanctions excluding indecent images
    indecent_images: int = 0  # IIOC sanctions
    age_at_last_sexual_offence: int | None = None
    stranger_victim: bool = False

    @property
    def any_sexual(self) -> bool:
        return (self.contact_adult + self.contact_child + self.paraphilia + self.indecent_images) > 0


def _check(h: SexualHistory) -> None:
    check_sex(h.sex)
    for name in ("age", "total_sanctions", "contact_adult", "contact_child", "paraphilia", "indecent_images"):
        value = getattr(h, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise PredictorInputError(name, f"must be a whole number, not negative, got {given(value)}")
    last = h.age_at_last_sexual_offence
    if last is not None and (not isinstance(last, int) or isinstance(last, bool)):
        raise PredictorInputError(
            "age_at_last_sexual_offence", f"must be a whole number (or null with no sexual sanction), got {given(last)}"
        )
    if h.any_sexual and h.age_at_last_sexual_offence is None:
        raise PredictorInputError("age_at_last_sexual_offence", "needed when there is a sexual sanction")
    if h.age_at_last_sexual_offence is not None and not 10 <= h.age_at_last_sexual_offence <= h.age:
        raise PredictorInputError("age_at_last_sexual_offence", "must be from 10 to the current age")


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _steps(count: int, points: tuple[int, int, int]) -> int:
    return 0 if count <= 0 else points[min(count, 3) - 1]


def osp_c_points(h: SexualHistory) -> int:
    """OSP/C v1 points — rsr-calc calculateOSPStaticScore.js (predictors.md §3.1)."""
    points = _steps(h.contact_adult, (3, 5, 8)) + _steps(h.contact_child, (2, 3, 4)) + min(h.paraphilia, 3)
    points += 3 if h.total_sanctions > 1 else 0  # any previous sanction
    points += 2 if h.stranger_victim else 0
    last = h.age_at_last_sexual_offence or 0
    points += 3 if 16 <= last <= 17 else 5 if last >= 18 else 0
    for lower, value in ((60, 0), (54, 1), (48, 2), (42, 3), (36, 4), (30, 5), (24, 6), (10, 7)):
        if h.age >= lower:
            points += value
            break
    return points


def osp_c(h: SexualHistory) -> tuple[float, float]:
    """OSP/C v1 (1 yr, 2 yr): logistic(−8.817398615 / −8.216503478 + 0.2545385404·points); 0 without sexual history."""
    _check(h)
    if not h.any_sexual:
        return 0.0, 0.0
    if h.sex == "F":
        return FEMALE_SEXUAL_HISTORY_OSP_V1, FEMALE_SEXUAL_HISTORY_OSP_V1
    points = osp_c_points(h)
    return _logistic(-8.817398615 + 0.2545385404 * points), _logistic(-8.216503478 + 0.2545385404 * points)


def osp_i(h: SexualHistory) -> tuple[float, float]:
    """OSP/I v1 hierarchy (1 yr, 2 yr), males — rsr-calc calculateIndecentImageProbability.js (§3.1)."""
    _check(h)
    if h.sex == "F" or not h.any_sexual:
        return (0.000098, 0.000152) if h.sex == "M" else (0.0, 0.0)
    if h.indecent_images >= 2:
        return 0.038087, 0.057949
    if h.indecent_images == 1:
        return 0.018237, 0.02805
    if h.contact_child >= 2:
        return 0.004615, 0.007151
    if h.contact_child == 1:
        return 0.00224, 0.003476
    return 0.000683, 0.001061


@dataclass(frozen=True)
class OspDc:
    points: int
    probability: float
    band: str
    reduced: bool


def osp_dc_points(h: SexualHistory, non_contact_excluding_images: int) -> int:
    """OSP/DC 64-point score — ARNS DirectContactSexualReoffendingPredictorTransformationHelper.kt (§3.2)."""
    points = _steps(h.contact_adult, (5, 10, 15)) + _steps(h.contact_child, (3, 6, 9))
    points += _steps(non_contact_excluding_images, (2, 4, 6))
    points += 0 if h.age >= 60 else max(0, 14 - max(0, (h.age - 18) // 3))
    last = h.age_at_last_sexual_offence or 0
    points += 5 if 16 <= last <= 17 else 10 if last >= 18 else 0
    points += 6 if h.total_sanctions >= 2 else 0
    points += 4 if h.stranger_victim else 0
    return points


DC_BANDS = (("LOW", 0), ("MEDIUM", 22), ("HIGH", 30), ("VERY_HIGH", 36))


def osp_dc(
    h: SexualHistory,
    *,
    non_contact_excluding_images: int = 0,
    in_custody: bool = False,
    years_since_last_offence: float = 0,
    years_since_last_sexual_offence: float = 0,
    years_since_follow_up_start: float = 0,
) -> OspDc | None:
    """OSP/DC for men with a contact or non-contact sexual history; None (not applicable) otherwise (§3.2).

    Risk reduction drops one band when: not in custody, and ≥ 5 years since the last offence, the last sexual
    offence and the start of follow-up, and the band is above LOW.
    """
    _check(h)
    if h.sex == "F" or not h.any_sexual:
        return None
    points = osp_dc_points(h, non_contact_excluding_images)
    probability = 0.0 if points == 0 else _logistic(-8.633 + 0.1598 * points)
    index = max(i for i, (_, lower) in enumerate(DC_BANDS) if points >= lower)
    reduced = (
        not in_custody
        and index > 0
        and years_since_last_offence >= 5
        and years_since_last_sexual_offence >= 5
        and years_since_follow_up_start >= 5
    )
    return OspDc(points, probability, DC_BANDS[index - 1 if reduced else index][0], reduced)


def osp_iic(h: SexualHistory) -> tuple[float, str] | None:
    """OSP/IIC hierarchy (probability, band), men only — ARNS OSPIICHierarchyBand.kt (§3.3)."""
    _check(h)
    if h.sex == "F" or not h.any_sexual:
        return None
    if h.indecent_images >= 2:
        return 0.10310, "HIGH"
    if h.indecent_images == 1:
        return 0.03328, "MEDIUM"
    if h.contact_child >= 2:
        return 0.00926, "LOW"
    if h.contact_child == 1:
        return 0.00634, "LOW"
    return 0.00281, "LOW"
