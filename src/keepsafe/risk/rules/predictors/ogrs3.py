"""OGRS3 — the Offender Group Reconviction Scale, version 3.

Howard, Francis, Soothill & Humphreys (2009), OGRS 3: the revised Offender Group Reconviction Scale, MoJ Research
Summary 7/09; coefficients as in NOMS-DIGITAL-STUDIO/rsr-calculator lib/data/coefficients.json ("whitepaper", 9 dp);
rounding, bands and validation as in ministryofjustice/hmpps-arns-risk-actuarial-api
(shared/reference/predictors.md §1).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import numpy as np
import numpy.typing as npt

from keepsafe.people.rules.vocabulary import OffenceCategory
from keepsafe.risk.rules.predictors import PredictorInputError, check_sex, given, not_one_of, plausible_count

Sex = Literal["M", "F"]

INTERCEPT_1YR = 1.402562384
INTERCEPT_2YR = 2.121705678
COPAS = 1.251124464
STATUS_FIRST_SANCTION = 0.126142106
STATUS_REPEAT = 0.463062792
# The reference outputs cap previous sanctions at 50 (S ≤ 51): predictors.md §1.1 "Sanction cap", case T37.
PREVIOUS_SANCTIONS_CAP = 50

# Whole-year age bands (lower bounds): 10–11, 12–13, 14–15, 16–17, 18–20, 21–24, 25–29, 30–34, 35–39, 40–49, 50+.
AGE_BAND_LOWER = (10, 12, 14, 16, 18, 21, 25, 30, 35, 40, 50)
AGE_BAND_LABELS = ("10-11", "12-13", "14-15", "16-17", "18-20", "21-24", "25-29", "30-34", "35-39", "40-49", "50+")
MALE_AGE = (
    0.0,
    0.083922902,
    0.075775765,
    -0.061594199,
    -0.625103618,
    -1.051515067,
    -1.166679288,
    -1.325976554,
    -1.368045933,
    -1.499690953,
    -2.025261458,
)
# Girls aged 10–15: ARNS has positive values, the whitepaper negative; we take the whitepaper (predictors.md §1.4.1).
FEMALE_AGE = (
    -0.785038489,
    -0.613852078,
    -0.669521331,
    -0.959179629,
    -0.897480934,
    -1.028488454,
    -1.052777806,
    -1.129127959,
    -1.42187494,
    -1.524652221,
    -2.44983716,
)

OFFENCE = {
    OffenceCategory.VIOLENCE: 0.0,
    OffenceCategory.ROBBERY: -0.634795912,
    OffenceCategory.PUBLIC_ORDER: 0.181917975,
    # Whitepaper 0.003276327, not the OASys table's 0.0328 (a likely transcription slip): predictors.md §1.4.2.
    OffenceCategory.SEXUAL_NOT_CHILD: 0.003276327,
    OffenceCategory.SEXUAL_CHILD: -0.653434071,
    OffenceCategory.SOLICITING_PROSTITUTION: 0.760608858,
    OffenceCategory.BURGLARY_DOMESTIC: -0.12394352,
    OffenceCategory.BURGLARY_OTHER: 0.240604429,
    OffenceCategory.THEFT_NON_MOTOR: 0.661244321,
    OffenceCategory.HANDLING_STOLEN_GOODS: 0.351866973,
    OffenceCategory.FRAUD_FORGERY: 0.159910192,
    OffenceCategory.ABSCONDING_BAIL: 0.733378677,
    OffenceCategory.TAKING_DRIVING_AWAY: 0.380059431,
    OffenceCategory.THEFT_FROM_VEHICLES: 0.427225615,
    # Index 14 is "Other motoring" and 15 "Drink driving" (OASys labels; rsr-calc swaps them): §1.4.3.
    OffenceCategory.OTHER_MOTORING: 0.262228428,
    OffenceCategory.DRINK_DRIVING: -0.121439408,
    OffenceCategory.CRIMINAL_DAMAGE: 0.204960477,
    OffenceCategory.DRUG_IMPORT_EXPORT_PRODUCTION: -0.795556373,
    OffenceCategory.DRUG_POSSESSION_SUPPLY: 0.077165871,
    OffenceCategory.OTHER: -0.060667525,
}
OFFENCE_BY_INDEX = tuple(OFFENCE[c] for c in OffenceCategory)

# Bands on the 2-year percentage (ARNS getRiskBand): Low 0–49, Medium 50–74, High 75–89, Very high 90+.
BANDS = (("LOW", 0), ("MEDIUM", 50), ("HIGH", 75), ("VERY_HIGH", 90))
MAX_AGE = 120


# Each group in words, as the OASys offence table labels it (offence_codes reads the table by these labels).
OFFENCE_WORDS = {
    OffenceCategory.VIOLENCE: "Violence",
    OffenceCategory.ROBBERY: "Robbery",
    OffenceCategory.PUBLIC_ORDER: "Public order",
    OffenceCategory.SEXUAL_NOT_CHILD: "Sexual (not against child)",
    OffenceCategory.SEXUAL_CHILD: "Sexual (against child)",
    OffenceCategory.SOLICITING_PROSTITUTION: "Soliciting or prostitution",
    OffenceCategory.BURGLARY_DOMESTIC: "Burglary (domestic)",
    OffenceCategory.BURGLARY_OTHER: "Burglary (other)",
    OffenceCategory.THEFT_NON_MOTOR: "Theft (non-motor)",
    OffenceCategory.HANDLING_STOLEN_GOODS: "Handling stolen goods",
    OffenceCategory.FRAUD_FORGERY: "Fraud and forgery",
    OffenceCategory.ABSCONDING_BAIL: "Absconding or bail offences",
    OffenceCategory.TAKING_DRIVING_AWAY: "Taking & driving away and related offences",
    OffenceCategory.THEFT_FROM_VEHICLES: "Theft from vehicles",
    OffenceCategory.OTHER_MOTORING: "Other motoring",
    OffenceCategory.DRINK_DRIVING: "Drink driving and related offences",
    OffenceCategory.CRIMINAL_DAMAGE: "Criminal damage",
    OffenceCategory.DRUG_IMPORT_EXPORT_PRODUCTION: "Drug import/export/production",
    OffenceCategory.DRUG_POSSESSION_SUPPLY: "Drug possession/supply",
    OffenceCategory.OTHER: "Other offence",
}


@dataclass(frozen=True)
class Ogrs3Input:
    sex: Sex
    age: int  # the age that sets the age band: at the start of follow-up (OASys spec, ARNS ACT-217)
    age_at_conviction: int
    age_at_first_sanction: int
    previous_sanctions: int
    offence_category: OffenceCategory


@dataclass(frozen=True)
class Ogrs3Score:
    ogrs3_1y: float
    ogrs3_2y: float
    percent_1y: int
    percent_2y: int
    band: str
    age_band: str
    inputs: Ogrs3Input
    source: str = "OGRS3 — Howard et al. 2009 (MoJ Research Summary 7/09); rsr-calculator whitepaper coefficients"


def validate(i: Ogrs3Input) -> None:
    """ARNS validation: conviction at 10 or older, first sanction no later than conviction, counts not negative; and
    the age at the start of follow-up not below the age at conviction (an impossible pair, found in a try-out); and
    no more previous sanctions than a real record holds (`plausible_count`: a try-out scored 2,000,000,000 as 82 %)."""
    check_sex(i.sex)
    for name in ("age", "age_at_conviction", "age_at_first_sanction", "previous_sanctions"):
        value = getattr(i, name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise PredictorInputError(name, f"must be a whole number, got {given(value)}")
    if not 10 <= i.age <= MAX_AGE:
        raise PredictorInputError("age", f"must be between 10 and {MAX_AGE}, got {i.age}")
    if not 10 <= i.age_at_conviction <= MAX_AGE:
        raise PredictorInputError("age_at_conviction", f"must be between 10 and {MAX_AGE}, got {i.age_at_conviction}")
    if i.age < i.age_at_conviction:  # the age that sets the band is at the start of follow-up, after conviction
        raise PredictorInputError(
            "age", f"must not be below the age at conviction ({i.age_at_conviction}), got {i.age}"
        )
    if not 0 <= i.age_at_first_sanction <= i.age_at_conviction:
        raise PredictorInputError(
            "age_at_first_sanction",
            f"must be from 0 to the age at conviction ({i.age_at_conviction}), got {i.age_at_first_sanction}",
        )
    if i.previous_sanctions < 0:
        raise PredictorInputError("previous_sanctions", f"must not be negative, got {i.previous_sanctions}")
    plausible_count("previous_sanctions", i.previous_sanctions)  # over 1,000 is a data error, as in SNSV and ARP
    if i.offence_category not in OFFENCE:
        raise not_one_of("offence_category", i.offence_category, "an OGRS3 offence category", OFFENCE_WORDS)


def age_band_index(age: int) -> int:
    index = 0
    for position, lower in enumerate(AGE_BAND_LOWER):
        if age >= lower:
            index = position
    return index


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def percentage(probability: float) -> int:
    """ARNS sanitisePercentage: round to 5 dp, then to a whole % (HALF_UP), then clamp to 1–99."""
    five_dp = Decimal(repr(probability)).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
    whole = int((five_dp * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return min(99, max(1, whole))


def band(percent_2y: int) -> str:
    name = BANDS[0][0]
    for candidate, lower in BANDS:
        if percent_2y >= lower:
            name = candidate
    return name


def linear_score(i: Ogrs3Input) -> float:
    """x = age × gender + status + Copas rate + offence (Howard et al. 2009, Table 4)."""
    ages = MALE_AGE if i.sex == "M" else FEMALE_AGE
    sanctions = min(i.previous_sanctions, PREVIOUS_SANCTIONS_CAP) + 1
    copas = COPAS * math.log(sanctions / (10 + i.age_at_conviction - i.age_at_first_sanction))
    status = STATUS_FIRST_SANCTION if i.previous_sanctions == 0 else STATUS_REPEAT
    return ages[age_band_index(i.age)] + status + copas + OFFENCE[i.offence_category]


def ogrs3(i: Ogrs3Input) -> Ogrs3Score:
    """OGRS3 1- and 2-year probabilities of proven reoffending — Howard et al. 2009; predictors.md §1.1–1.3."""
    validate(i)
    x = linear_score(i)
    p1, p2 = _logistic(x + INTERCEPT_1YR), _logistic(x + INTERCEPT_2YR)
    pct2 = percentage(p2)
    return Ogrs3Score(
        ogrs3_1y=p1,
        ogrs3_2y=p2,
        percent_1y=percentage(p1),
        percent_2y=pct2,
        band=band(pct2),
        age_band=AGE_BAND_LABELS[age_band_index(i.age)],
        inputs=i,
    )


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def ogrs3_batch(
    *,
    male: npt.NDArray[np.bool_],
    age: IntArray,
    age_at_conviction: IntArray,
    age_at_first_sanction: IntArray,
    previous_sanctions: IntArray,
    offence_index: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """OGRS3 over arrays (analysts, national recalculation): the same formula as `ogrs3`, inputs pre-validated.

    Returns (p_1yr, p_2yr). Howard et al. 2009; predictors.md §1.1.
    """
    band_index = np.searchsorted(np.array(AGE_BAND_LOWER), age, side="right") - 1
    ages = np.where(male, np.array(MALE_AGE)[band_index], np.array(FEMALE_AGE)[band_index])
    sanctions = np.minimum(previous_sanctions, PREVIOUS_SANCTIONS_CAP) + 1
    copas = COPAS * _libm(math.log, sanctions / (10 + age_at_conviction - age_at_first_sanction))
    status = np.where(previous_sanctions == 0, STATUS_FIRST_SANCTION, STATUS_REPEAT)
    x = ages + status + copas + np.array(OFFENCE_BY_INDEX)[offence_index]
    p1: FloatArray = 1.0 / (1.0 + _libm(math.exp, -(x + INTERCEPT_1YR)))
    p2: FloatArray = 1.0 / (1.0 + _libm(math.exp, -(x + INTERCEPT_2YR)))
    return p1, p2


def _libm(function: Callable[[float], float], values: FloatArray) -> FloatArray:
    """`function` (math.log or math.exp, the C library's, as the one-case formula uses) over an array, element by
    element. Not numpy's log and exp: on CPUs with AVX-512 they differ from the C library by one unit in the last
    place, so a batch would not score a person exactly as one at a time does (found when CI moved to such a CPU)."""
    return np.fromiter(map(function, values.tolist()), dtype=np.float64, count=values.size)
