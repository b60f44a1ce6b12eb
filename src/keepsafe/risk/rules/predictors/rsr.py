"""RSR v1 — Risk of Serious Recidivism = SNSV + OSP/C + OSP/I (rsr-calculator calculateRiskOfSeriousRecidivism.js).

shared/reference/predictors.md §2: the sum of three probabilities; a woman with a sexual history gets 1/193 in place
of the OSP parts (rsr-calc). Bands: Low < 3 %, Medium 3 % to < 6.9 %, High ≥ 6.9 % (ARNS RSRTransformationHelper).
The reference spreadsheet's extra `output_non_sex` component is not public and is not added (§2.5).
"""

from __future__ import annotations

from dataclasses import dataclass

from keepsafe.risk.rules.predictors.osp import SexualHistory, osp_c, osp_i
from keepsafe.risk.rules.predictors.snsv import SnsvInput, snsv

BANDS = (("LOW", 0.0), ("MEDIUM", 3.0), ("HIGH", 6.9))


@dataclass(frozen=True)
class RsrScore:
    rsr_1y: float
    rsr_2y: float
    percent_1y: float  # 2 dp
    percent_2y: float
    band: str  # on the 2-year percentage
    snsv_2y: float
    osp_c_2y: float
    osp_i_2y: float
    static: bool


def band(percent: float) -> str:
    return [name for name, lower in BANDS if percent >= lower][-1]


def rsr(snsv_input: SnsvInput, sexual: SexualHistory | None = None) -> RsrScore:
    """RSR = SNSV + OSP/C + OSP/I — rsr-calculator; predictors.md §2."""
    violence = snsv(snsv_input)
    c1 = c2 = i1 = i2 = 0.0
    if sexual is not None and sexual.any_sexual:
        c1, c2 = osp_c(sexual)
        if sexual.sex == "M":
            i1, i2 = osp_i(sexual)
    total_1y, total_2y = violence.snsv_1y + c1 + i1, violence.snsv_2y + c2 + i2
    pct_2y = round(100 * total_2y, 2)
    return RsrScore(
        rsr_1y=total_1y,
        rsr_2y=total_2y,
        percent_1y=round(100 * total_1y, 2),
        percent_2y=pct_2y,
        band=band(pct_2y),
        snsv_2y=violence.snsv_2y,
        osp_c_2y=c2,
        osp_i_2y=i2,
        static=violence.static,
    )
