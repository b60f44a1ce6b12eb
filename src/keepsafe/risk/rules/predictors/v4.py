"""The OASys "v4.1.2" suite: ARP (all reoffending), VRP (violent), SVRP (serious violent), CSRP (combined serious).

As implemented by ministryofjustice/hmpps-arns-risk-actuarial-api HEAD 016919c (*TransformationHelper.kt), with the
coefficient tables shipped in risk/reference/predictor-coefficients.json → v4_1_2_ARNS (shared/reference/predictors.md
§5.2). Dynamic versions (OGP2, OVP2, SNSV dynamic) need OASys interview answers; static ones (OGRS4/G, OGRS4/V, SNSV
static) do not. All are 2-year logistic models reported as a percentage to 2 dp.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from keepsafe.risk.rules.predictors import PredictorInputError, check_sex, given, not_one_of, plausible_count

COEFFICIENTS = Path(__file__).resolve().parents[2] / "reference" / "predictor-coefficients.json"
OFFENCE_FREE_MONTHS_CAP = 36
MAX_AGE = 120
FEMALE_SEXUAL_OFFENDER_PERCENT = 100 * 0.0038314176245211  # CSRP add-on, ARNS FEMALE_SEXUAL_OFFENDER (1/261)


class Model(enum.StrEnum):
    ARP = "ARP"
    VRP = "VRP"
    SVRP = "SVRP"


TABLES = {
    (Model.ARP, False): "AllReoffendingPredictorStatic",
    (Model.ARP, True): "AllReoffendingPredictorDynamic",
    (Model.VRP, False): "ViolentReoffendingPredictorStatic",
    (Model.VRP, True): "ViolentReoffendingPredictorDynamic",
    (Model.SVRP, False): "SeriousViolentReoffendingPredictorStatic",
    (Model.SVRP, True): "SeriousViolentReoffendingPredictorDynamic",
}
# Bands on the percentage (ARNS *TransformationHelper getRiskBand): lower bounds.
BANDS = {
    Model.ARP: (("LOW", 0.0), ("MEDIUM", 50.0), ("HIGH", 75.0), ("VERY_HIGH", 90.0)),
    Model.VRP: (("LOW", 0.0), ("MEDIUM", 30.0), ("HIGH", 60.0), ("VERY_HIGH", 80.0)),
    Model.SVRP: (("LOW", 0.0), ("MEDIUM", 1.0), ("HIGH", 3.0), ("VERY_HIGH", 6.9)),
}
CSRP_BANDS = BANDS[Model.SVRP]

# OASys answers the dynamic models use, by their OASys codes: graded 0–2 (S4Q2: 2 when unemployed).
GRADED_ITEMS = (
    "S2Q2A",
    "S3Q2_PARTNER",
    "S3Q4",
    "S4Q2",
    "S6Q4",
    "S6Q7_PERP",
    "S7Q2",
    "S8Q8",
    "S9Q1",
    "S9Q2",
    "S11Q2",
    "S11Q4",
    "S12Q1",
)
# Yes/no flags: drugs misused, and (SVRP) past serious offences.
FLAGS = (
    "heroin",
    "methadone",
    "otheropiate",
    "crack",
    "cokepowder",
    "prescribed",
    "benzo",
    "cannabis",
    "steroid",
    "otherdrug_code_iln",
    "pasthomicide",
    "pastwoundinggbh",
    "pastaggrburg",
    "pastarson",
    "pastcdlife",
    "pastkidnap",
    "pastfirearm",
    "pastrobbery",
    "pastweapon",
)


@cache
def tables() -> dict[str, Any]:
    with COEFFICIENTS.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)["v4_1_2_ARNS"]
    return loaded


def actuarial_categories() -> tuple[str, ...]:
    """The 24 ARNS ActuarialCategory values (offence-code-actuarial-mapping.csv, v4_actuarial_category)."""
    return tuple(tables()["AllReoffendingPredictorStatic"]["offence_category"])


# Each ActuarialCategory in words: the OASys offence table's RSR label of its codes, or the VATP label for the five
# violence subtypes (a test checks them against the table). The ARNS spelling HARRASSMENT is the code's own.
ACTUARIAL_WORDS = {
    "BURGLARY_DOMESTIC": "Burglary (domestic)",
    "BURGLARY_OTHER": "Burglary (other)",
    "DRUNKENNESS": "Drunkenness",
    "DRINK_DRIVING": "Drink driving",
    "MOTORING_OFFENCES": "Motoring offences",
    "VEHICLE_RELATED_THEFT": "Vehicle-related theft",
    "FRAUD_AND_FORGERY": "Fraud and forgery",
    "WELFARE_FRAUD": "Welfare fraud",
    "DRUG_IMPORT_EXPORT_OR_PRODUCTION": "Drug import/export/production",
    "DRUG_POSSESSION_OR_SUPPLY": "Drug possession/supply",
    "VIOLENCE_AGAINST_THE_PERSON_ABH_PLUS": "Violence against the person (ABH+)",
    "VIOLENCE_AGAINST_THE_PERSON_SUB_ABH": "Violence against the person (sub-ABH)",
    "PUBLIC_ORDER_AND_HARRASSMENT": "Public order and harassment",
    "WEAPONS_NON_FIREARM": "Weapons (non-firearm)",
    "FIREARMS_MOST_SERIOUS": "Firearms (most serious)",
    "FIREARMS_OTHER": "Firearms (other)",
    "HANDLING_STOLEN_GOODS": "Handling stolen goods",
    "CRIMINAL_DAMAGE": "Criminal damage",
    "ACQUISITIVE_VIOLENCE": "Acquisitive violence",
    "OTHER_OFFENCES": "Other offences",
    "ABSCONDING_OR_BAIL": "Absconding/bail",
    "SEXUAL_AGAINST_CHILD": "Sexual (against child)",
    "SEXUAL_NOT_AGAINST_CHILD": "Sexual (not against child)",
    "THEFT_NON_MOTOR": "Theft (non-motor)",
}


@dataclass(frozen=True)
class Dynamic:
    graded: Mapping[str, int] = field(default_factory=dict)  # GRADED_ITEMS → 0, 1 or 2
    flags: frozenset[str] = frozenset()  # FLAGS answered yes


@dataclass(frozen=True)
class V4Input:
    sex: Literal["M", "F"]
    age: int  # at the start of follow-up
    age_at_conviction: int
    age_at_first_sanction: int
    total_sanctions: int  # S, including the current one
    violent_sanctions: int  # V (VRP and SVRP)
    offence: str  # an ActuarialCategory, e.g. CRIMINAL_DAMAGE
    offence_free_months: int = 0  # 0 when the assessment is before follow-up starts
    dynamic: Dynamic | None = None


@dataclass(frozen=True)
class V4Score:
    model: Model
    static: bool
    linear: float
    percent: float  # 2 dp
    band: str


def validate(i: V4Input) -> None:
    check_sex(i.sex)
    for name in (
        "age",
        "age_at_conviction",
        "age_at_first_sanction",
        "total_sanctions",
        "violent_sanctions",
        "offence_free_months",
    ):
        value = getattr(i, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise PredictorInputError(name, f"must be a whole number, not negative, got {given(value)}")
        if not name.startswith("age"):
            plausible_count(name, value)
    if i.total_sanctions < 1:
        raise PredictorInputError("total_sanctions", "includes the current sanction, so it is at least 1")
    for name, age in (("age", i.age), ("age_at_conviction", i.age_at_conviction)):  # the field at fault, and its value
        if not 10 <= age <= MAX_AGE:
            raise PredictorInputError(name, f"must be between 10 and {MAX_AGE}, got {age}")
    if i.age_at_first_sanction > i.age_at_conviction:
        raise PredictorInputError("age_at_first_sanction", "must not be after the age at conviction")
    if i.violent_sanctions > i.total_sanctions:
        raise PredictorInputError("violent_sanctions", "cannot exceed the total sanctions")
    if i.offence not in actuarial_categories():
        raise not_one_of("offence", i.offence, "an actuarial offence category", ACTUARIAL_WORDS)
    if i.dynamic is not None:
        for name, value in i.dynamic.graded.items():
            if name not in GRADED_ITEMS:
                raise PredictorInputError(f"dynamic.{name}", "unknown OASys item")
            if value not in (0, 1, 2):
                raise PredictorInputError(f"dynamic.{name}", f"must be 0, 1 or 2, got {given(value)}")
        unknown = set(i.dynamic.flags) - set(FLAGS)
        if unknown:
            raise PredictorInputError("dynamic.flags", f"unknown flags: {', '.join(sorted(unknown))}")


def linear_score(model: Model, i: V4Input) -> float:
    """Intercept_2 + age polynomial + sanction career + offence-free months + offence [+ violence] [+ dynamic]."""
    table = tables()[TABLES[(model, i.dynamic is not None)]]
    t: Mapping[str, float] = table["terms"]
    male = i.sex == "M"
    x = t["Intercept_2"]
    powers = (
        ("maleaai", "maleaaiaai", "maleaaiaaiaai", "maleaaiaaiaaiaai")
        if male
        else ("aaifemale", "aaiaaifemale", "aaiaaiaaifemale", "aaiaaiaaiaaifemale")
    )
    # Models differ in polynomial order (SVRP is quadratic in age): an absent term contributes nothing.
    x += sum(t.get(name, 0.0) * i.age ** (p + 1) for p, name in enumerate(powers))
    x += 0.0 if male else t["female"]
    s, gap = i.total_sanctions, i.age_at_conviction - i.age_at_first_sanction
    if s == 1:
        x += t["firstsanction"]
    elif s == 2:
        x += (
            t["secondsanction"]
            + gap * t["malesecondsanctionyearssincefirs" if male else "femalesecondsanctionyearssincefi"]
        )
    elif model is Model.ARP:
        rate = math.log(s / (gap + 26))
        linear, square = (
            ("malethreeplussanctionsogrs4g_rat", "malethreeplussanctionsogrs4g_rao")
            if male
            else ("femalethreeplussanctionsogrs4g_r", "femalethreeplussanctionsogrs4g_o")
        )
        x += t[linear] * rate + t[square] * rate**2
    else:
        x += t["malethreeplussanctionsogrs4v_rat" if male else "femalethreeplussanctionsogrs4v_r"] * math.log(
            s / (gap + 12)
        )
    x += s * t["ogrs3_sanctionoccasions"]
    months = min(i.offence_free_months, OFFENCE_FREE_MONTHS_CAP)
    x += sum(
        t.get(name, 0.0) * months ** (p + 1) for p, name in enumerate(("ofm", "ofmofm", "ofmofmofm", "ofmofmofmofm"))
    )
    x += table["offence_category"][i.offence]
    if model is not Model.ARP:
        v = i.violent_sanctions
        if v == 0:
            x += t["maleneverviolent" if male else "femaleneverviolent"]
        else:
            x += (t["onceviolent"] if v == 1 else 0.0) + v * t["ogrs3_ovp_sanct"]
            x += t["ogrs4v_rate_violent"] * math.log(v / (gap + 30))
    if i.dynamic is not None:
        for name, value in i.dynamic.graded.items():
            x += t.get(name, 0.0) * value
        partner, relationship = i.dynamic.graded.get("S3Q2_PARTNER", 0), i.dynamic.graded.get("S6Q4", 0)
        x += t.get("S3Q2_PARTNERS6Q4", 0.0) * partner * relationship
        x += sum(t.get(flag, 0.0) for flag in i.dynamic.flags)
    return float(x)


def two_dp(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def band(percent: float, bands: tuple[tuple[str, float], ...]) -> str:
    return [name for name, lower in bands if percent >= lower][-1]


def score(model: Model, i: V4Input) -> V4Score:
    """ARP, VRP or SVRP as a 2-year percentage — ARNS v4.1.2 (predictors.md §5.2)."""
    validate(i)
    x = linear_score(model, i)
    try:
        percent = two_dp(100 / (1 + math.exp(-x)))
    except OverflowError:  # e^-x beyond a float (counts in the billions): 0 %, not "math range error" (a try-out)
        percent = 0.0
    return V4Score(model, i.dynamic is None, x, percent, band(percent, BANDS[model]))


def csrp(
    *,
    svrp_percent: float,
    dc_srp_percent: float = 0.0,
    iic_srp_percent: float = 0.0,
    female_sexual_offender: bool = False,
) -> tuple[float, str]:
    """CSRP = SVRP % + DC-SRP % + IIC-SRP % (+ 0.383 % for a woman with a sexual offence), 2 dp — ARNS (§5.2)."""
    total = svrp_percent + dc_srp_percent + iic_srp_percent
    total += FEMALE_SEXUAL_OFFENDER_PERCENT if female_sexual_offender else 0.0
    percent = two_dp(total)
    return percent, band(percent, CSRP_BANDS)
