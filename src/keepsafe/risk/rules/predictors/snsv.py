"""SNSV — the serious non-sexual violence part of RSR (Risk of Serious Recidivism, OASys v1), static and dynamic.

Coefficients: NOMS-DIGITAL-STUDIO/rsr-calculator lib/data/coefficients.json (identical in ARNS
SNSVTransformationHelper.kt @ dd72488), shipped as risk/reference/predictor-coefficients.json → RSR_v1_SNSV;
formula shared/reference/predictors.md §2.1. Dynamic ("extended") needs an OASys interview; static ("brief") does not.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from keepsafe.risk.rules.predictors import PredictorInputError, check_sex, given, plausible_count

COEFFICIENTS = Path(__file__).resolve().parents[2] / "reference" / "predictor-coefficients.json"
OFFENCE_FREE_MONTHS_CAP = 36
MAX_AGE = 120


class RsrOffenceCategory(enum.StrEnum):
    """The twenty OGRS4/RSR offence categories, alphabetical as in rsr-svc api/controllers/register.js (index 0–19)."""

    ABSCONDING_BAIL = "absconding_bail"
    ACQUISITIVE_VIOLENCE = "acquisitive_violence"
    BURGLARY_DOMESTIC = "burglary_domestic"
    BURGLARY_OTHER = "burglary_other"
    CRIMINAL_DAMAGE = "criminal_damage"
    DRINK_DRIVING = "drink_driving"
    DRUG_IMPORT_EXPORT_PRODUCTION = "drug_import_export_production"
    DRUG_POSSESSION_SUPPLY = "drug_possession_supply"
    DRUNKENNESS = "drunkenness"
    FRAUD_FORGERY_MISREPRESENTATION = "fraud_forgery_misrepresentation"
    HANDLING_STOLEN_GOODS = "handling_stolen_goods"
    MOTORING_NOT_DRINK_DRIVING = "motoring_not_drink_driving"
    OTHER = "other"
    PUBLIC_ORDER_HARASSMENT = "public_order_harassment"
    SEXUAL_CHILD = "sexual_child"
    SEXUAL_NOT_CHILD = "sexual_not_child"
    THEFT_NOT_VEHICLE = "theft_not_vehicle"
    VEHICLE_THEFT = "vehicle_theft"
    VIOLENCE = "violence"
    WELFARE_FRAUD = "welfare_fraud"


class ViolenceSubtype(enum.IntEnum):
    """VATP add-on, for violence against the person only (predictors.md §2.2)."""

    SUMMARY = 0
    FIREARMS_USE = 1
    FIREARMS_OTHER = 2
    WEAPONS_NON_FIREARM = 3
    INDICTABLE_ABH_PLUS = 4


# Each category and VATP subtype in words, as the OASys offence table labels them (offence_codes reads the table by
# these labels).
RSR_OFFENCE_WORDS = {
    RsrOffenceCategory.ABSCONDING_BAIL: "Absconding/bail",
    RsrOffenceCategory.ACQUISITIVE_VIOLENCE: "Acquisitive violence",
    RsrOffenceCategory.BURGLARY_DOMESTIC: "Burglary (domestic)",
    RsrOffenceCategory.BURGLARY_OTHER: "Burglary (other)",
    RsrOffenceCategory.CRIMINAL_DAMAGE: "Criminal damage",
    RsrOffenceCategory.DRINK_DRIVING: "Drink driving",
    RsrOffenceCategory.DRUG_IMPORT_EXPORT_PRODUCTION: "Drug import/export/production",
    RsrOffenceCategory.DRUG_POSSESSION_SUPPLY: "Drug possession/supply",
    RsrOffenceCategory.DRUNKENNESS: "Drunkenness",
    RsrOffenceCategory.FRAUD_FORGERY_MISREPRESENTATION: "Fraud and forgery",
    RsrOffenceCategory.HANDLING_STOLEN_GOODS: "Handling stolen goods",
    RsrOffenceCategory.MOTORING_NOT_DRINK_DRIVING: "Motoring offences",
    RsrOffenceCategory.OTHER: "Other offences",
    RsrOffenceCategory.PUBLIC_ORDER_HARASSMENT: "Public order and harassment",
    RsrOffenceCategory.SEXUAL_CHILD: "Sexual (against child)",
    RsrOffenceCategory.SEXUAL_NOT_CHILD: "Sexual (not against child)",
    RsrOffenceCategory.THEFT_NOT_VEHICLE: "Theft (non-motor)",
    RsrOffenceCategory.VEHICLE_THEFT: "Vehicle-related theft",
    RsrOffenceCategory.VIOLENCE: "Violence against the person",
    RsrOffenceCategory.WELFARE_FRAUD: "Welfare fraud",
}
VATP_WORDS = {
    ViolenceSubtype.SUMMARY: "Violence against the person (sub-ABH)",
    ViolenceSubtype.FIREARMS_USE: "Firearms (most serious)",
    ViolenceSubtype.FIREARMS_OTHER: "Firearms (other)",
    ViolenceSubtype.WEAPONS_NON_FIREARM: "Weapons (non-firearm)",
    ViolenceSubtype.INDICTABLE_ABH_PLUS: "Violence against the person (ABH+)",
}


# OASys items of the dynamic version, in the coding of predictors.md §2.1.
PAST_OFFENCES = {  # yes/no: counts when answered yes
    "homicide": "PastHomicide",
    "wounding_gbh": "PastWoundingGBH",
    "aggravated_burglary": "PastAggresiveBurglary",
    "arson": "PastArson",
    "criminal_damage_endangering_life": "PastCDLife",
    "kidnap": "PastKidnap",
    "firearm": "PastFirearm",
    "robbery": "PastRobbery",
    "other_weapon": "PastWeapon",
}
GRADED_ITEMS = {  # 0–2 × coefficient
    "accommodation": "S3Q4",
    "partner_relationship": "S6Q4",
    "alcohol_current_use": "S9Q1",
    "binge_drinking": "S9Q2",
    "impulsivity": "S11Q2",
    "temper_control": "S11Q4",
    "pro_criminal_attitudes": "S12Q1",
}


@dataclass(frozen=True)
class DynamicItems:
    """OASys answers for the extended SNSV. Past offences and yes/no items as booleans, graded items 0–2."""

    past: frozenset[str] = frozenset()  # keys of PAST_OFFENCES answered yes
    weapon_in_current_offence: bool = False  # S2Q2A
    unemployed: bool = False  # S4Q2: adds 2 × its coefficient
    domestic_abuse_perpetrator: bool = False  # S6Q7
    graded: Mapping[str, int] = field(default_factory=dict)  # keys of GRADED_ITEMS → 0, 1 or 2


@dataclass(frozen=True)
class SnsvInput:
    sex: Literal["M", "F"]
    age_at_sentence: int  # or at the start of follow-up (ARNS)
    age_at_conviction: int
    age_at_first_sanction: int
    previous_sanctions: int
    violent_sanctions: int
    offence: RsrOffenceCategory
    violence_subtype: ViolenceSubtype | None = None
    offence_free_months: int = 0
    dynamic: DynamicItems | None = None  # None: the static (brief) version


@dataclass(frozen=True)
class SnsvScore:
    snsv_1y: float
    snsv_2y: float
    static: bool
    source: str = "SNSV (RSR v1) — rsr-calculator coefficients; shared/reference/predictors.md §2"


@cache
def coefficients() -> dict[str, Any]:
    with COEFFICIENTS.open(encoding="utf-8") as handle:
        table: dict[str, Any] = json.load(handle)["RSR_v1_SNSV"]
    return table


def validate(i: SnsvInput) -> None:
    check_sex(i.sex)
    # Each input named as `keepsafe predict snsv` reads it: the age at sentence is its `age` (a try-out saw an `age`
    # of 200 reported as "age_at_conviction").
    for name, value in (
        ("age", i.age_at_sentence),
        ("age_at_conviction", i.age_at_conviction),
        ("age_at_first_sanction", i.age_at_first_sanction),
        ("previous_sanctions", i.previous_sanctions),
        ("violent_sanctions", i.violent_sanctions),
        ("offence_free_months", i.offence_free_months),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise PredictorInputError(name, f"must be a whole number, not negative, got {given(value)}")
        if not name.startswith("age"):
            plausible_count(name, value)
    for name, age in (("age", i.age_at_sentence), ("age_at_conviction", i.age_at_conviction)):
        if not 10 <= age <= MAX_AGE:
            raise PredictorInputError(name, f"must be between 10 and {MAX_AGE}, got {age}")
    if i.age_at_first_sanction > i.age_at_conviction:
        raise PredictorInputError("age_at_first_sanction", "must not be after the age at conviction")
    if i.violent_sanctions > i.previous_sanctions + 1:
        raise PredictorInputError("violent_sanctions", "cannot exceed the sanctions in all (previous + current)")
    if i.violence_subtype is not None and i.offence is not RsrOffenceCategory.VIOLENCE:
        raise PredictorInputError("violence_subtype", "applies only to violence against the person")
    if i.dynamic is not None:
        unknown = (set(i.dynamic.past) - set(PAST_OFFENCES)) | (set(i.dynamic.graded) - set(GRADED_ITEMS))
        if unknown:
            raise PredictorInputError("dynamic", f"unknown OASys items: {', '.join(sorted(unknown))}")
        for name, value in i.dynamic.graded.items():
            if value not in (0, 1, 2):
                raise PredictorInputError(f"dynamic.{name}", f"must be 0, 1 or 2, got {given(value)}")


def linear_score(i: SnsvInput) -> float:
    """x = A(age) + OFF + VATP + CAREER + SANCT·S + VIOL + OFM(m) [+ dynamic items] — predictors.md §2.1."""
    c = coefficients()
    k = 1 if i.dynamic is None else 0  # column: [dynamic, static]
    male = i.sex == "M"
    poly = c["male_age_poly_a0_to_a4"] if male else c["female_age_poly_a0_to_a4 (a0 = female constant)"]
    age = i.age_at_sentence
    x = sum(poly[p][k] * age**p for p in range(5))
    x += c["offence"][list(RsrOffenceCategory).index(i.offence)]["coefficient"][k]
    if i.offence is RsrOffenceCategory.VIOLENCE and i.violence_subtype is not None:
        x += c["vatp (added only when offence is Violence against the person)"][i.violence_subtype]["coefficient"][k]
    sanctions = i.previous_sanctions + 1
    years = i.age_at_conviction - i.age_at_first_sanction
    if sanctions == 1:
        x += c["firstsanction"][k]
    elif sanctions == 2:
        rate = c["malesecondsanctionyearssincefirs" if male else "femalesecondsanctionyearssincefi"][k]
        x += c["secondsanction"][k] + years * rate
    else:
        rate = c["malethreeplussanctionsogrs4v_rat" if male else "femalethreeplussanctionsogrs4v_r"][k]
        x += math.log(sanctions / (years + 12)) * rate
    x += c["ogrs3_sanctionoccasions"][k] * sanctions
    violent = i.violent_sanctions
    if violent == 0:
        x += c["maleneverviolent" if male else "femaleneverviolent"][k]
    else:
        x += violent * c["ogrs3_ovp_sanct"][k] + (c["onceviolent"][k] if violent == 1 else 0.0)
        x += math.log(violent / (years + 30)) * c["ogrs4v_rate_violent"][k]
    months = min(i.offence_free_months, OFFENCE_FREE_MONTHS_CAP)
    x += sum(c["OffenceFreeMonths"][p][k] * months ** (p + 1) for p in range(4))
    if i.dynamic is not None:
        x += _dynamic(i.dynamic, c["dynamic_only"])
    return float(x)


def _dynamic(d: DynamicItems, w: Mapping[str, float]) -> float:
    total = sum(w[PAST_OFFENCES[name]] for name in d.past)
    total += w["S2Q2A"] if d.weapon_in_current_offence else 0.0
    total += 2 * w["S4Q2"] if d.unemployed else 0.0
    total += w["S6Q7_PERP"] if d.domestic_abuse_perpetrator else 0.0
    total += sum(w[GRADED_ITEMS[name]] * value for name, value in d.graded.items())
    return total


def _logistic(z: float) -> float:
    """1 / (1 + e^-z), the rsr-calculator's form; 0 where e^-z is beyond a float (a count in the billions made the
    command fail with "math range error" instead of scoring, a user try-out)."""
    try:
        return 1 / (1 + math.exp(-z))
    except OverflowError:
        return 0.0


def snsv(i: SnsvInput) -> SnsvScore:
    """SNSV 1- and 2-year probabilities — rsr-calculator calculateRiskOfSeriousRecidivism.js; predictors.md §2.1."""
    validate(i)
    x = linear_score(i)
    c = coefficients()
    k = 1 if i.dynamic is None else 0
    return SnsvScore(
        snsv_1y=_logistic(c["intercept_1yr"][k] + x),
        snsv_2y=_logistic(c["intercept_2yr"][k] + x),
        static=i.dynamic is None,
    )
