"""Tier version 2: protect level A–D and change level 0–3, e.g. "B2" ("S" suffix when unsupervised).

hmpps-tier ProtectLevelCalculator.kt and ChangeLevelCalculator.kt, as published in shared/reference/tiering.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from keepsafe.risk.rules.tier import Reason, TierInputError, level_words

RoshLevel = Literal["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
NeedSeverity = Literal["NO_NEED", "STANDARD", "SEVERE"]

ROSH_POINTS = {"VERY_HIGH": 150, "HIGH": 20, "MEDIUM": 10, "LOW": 0}
COMPLEXITY_REGISTRATIONS = ("RMDO", "ALSH", "RVLN", "RCCO", "RCPR", "RCHD", "RPIR", "RVAD", "STRG", "RTAO")
NEED_WEIGHTS = {
    "accommodation": 1,
    "education_training_employment": 1,
    "relationships": 1,
    "lifestyle": 1,
    "drugs": 1,
    "alcohol": 1,
    "thinking_behaviour": 2,
    "attitudes": 2,
    "finance": 0,
    "emotional_wellbeing": 0,
}
SEVERITY = {"NO_NEED": 0, "STANDARD": 1, "SEVERE": 2}
# The reasons name need areas and flags in words (the OASys section; registration-types.csv's name and its code).
NEED_WORDS = {
    "accommodation": "accommodation",
    "education_training_employment": "education, training and employment",
    "relationships": "relationships",
    "lifestyle": "lifestyle and associates",
    "drugs": "drug misuse",
    "alcohol": "alcohol misuse",
    "thinking_behaviour": "thinking and behaviour",
    "attitudes": "attitudes",
    "finance": "financial management and income",
    "emotional_wellbeing": "emotional well-being",
}
COMPLEXITY_WORDS = {
    "RMDO": "mentally disordered offender",
    "ALSH": "suicide or self-harm",
    "RVLN": "vulnerable",
    "RCCO": "child concerns",
    "RCPR": "child protection",
    "RCHD": "risk to children",
    "RPIR": "public interest case",
    "RVAD": "safeguarding: adult at risk",
    "STRG": "street gangs",
    "RTAO": "Terrorism Act offender",
}
IOM_POINTS = 2
UNSUPERVISED_REGISTRATION = "PRC"


@dataclass(frozen=True)
class TierV2Input:
    rsr: float | None = None  # RSR percentage
    rosh: RoshLevel | None = None
    mappa_level: int | None = None  # 0 (nDelius M0: no points), 1, 2 or 3
    registrations: frozenset[str] = frozenset()
    female: bool = False
    parenting_responsibilities: bool = False  # women only (OASys 6.9)
    impulsivity_or_temper: bool = False  # women only (OASys 11.2 or 11.4), counted once
    previous_enforcement: bool = False  # women only: breach or recall
    mandate_for_change: bool = True  # rules.tier.mandate_for_change: custody, or a non-restrictive requirement
    valid_assessment: bool = False  # one completed in the last 55 weeks
    needs: dict[str, NeedSeverity] = field(default_factory=dict)
    ogrs3_2y_percent: int | None = None


@dataclass(frozen=True)
class TierV2:
    tier: str
    protect: str
    protect_points: int
    change: int
    change_points: int | None
    unsupervised: bool
    reasons: tuple[Reason, ...]


def women_factors(answers: Mapping[str, object]) -> tuple[bool, bool]:
    """(parenting responsibilities, impulsivity or temper control) from the OASys answers 6.9, 11.2 and 11.4:
    "YES" to 6.9; some (1) or significant (2) problems with 11.2 or 11.4 (hmpps-tier AdditionalFactorsForWomen.kt,
    SectionAnswer.kt; BDD additionalFactorsFemaleComplexity.6.11.2)."""
    problems = (answers.get("impulsivity"), answers.get("temper_control"))
    return answers.get("parenting_responsibilities") == "YES", any(a in (1, 2) for a in problems)


def rsr_points(rsr: float | None) -> int:
    """RSR 7.00–99.99 → 20; 3.00–6.99 → 10 (RsrThresholds.kt). Keepsafe counts 6.99 ≤ RSR < 7.00 as 10: the
    published calculator's gap there (a BigDecimal boundary quirk) is not a rule (tiering.md)."""
    if rsr is None:
        return 0
    if 7.0 <= rsr <= 99.99:
        return 20
    if 3.0 <= rsr < 7.0:
        return 10
    return 0


def protect_level(points: int) -> str:
    """A ≥ 150; B 20–149; C 10–19; D < 10 (ProtectLevelCalculator.kt)."""
    if points >= 150:
        return "A"
    if points >= 20:
        return "B"
    if points >= 10:
        return "C"
    return "D"


def change_level(points: int) -> int:
    """3 ≥ 20; 2 for 10–19; 1 < 10 (ChangeLevelCalculator.kt)."""
    if points >= 20:
        return 3
    if points >= 10:
        return 2
    return 1


def tier_v2(i: TierV2Input) -> TierV2:
    """Tier v2 — hmpps-tier ProtectLevelCalculator/ChangeLevelCalculator; shared/reference/tiering.md."""
    if i.mappa_level not in (None, 0, 1, 2, 3):
        raise TierInputError(f"MAPPA level must be 0, 1, 2 or 3, got {i.mappa_level!r}")
    unknown_needs = set(i.needs) - set(NEED_WEIGHTS)
    if unknown_needs:
        raise TierInputError(f"unknown need areas: {', '.join(sorted(unknown_needs))}")
    reasons: list[Reason] = []
    rsr, rosh = rsr_points(i.rsr), ROSH_POINTS[i.rosh] if i.rosh else 0
    reasons.append(Reason("protect", f"RSR {i.rsr if i.rsr is not None else 'missing'}", f"+{rsr}"))
    reasons.append(Reason("protect", f"RoSH {level_words(i.rosh) if i.rosh else 'none'}", f"+{rosh}"))
    points = rsr + rosh
    if min(rsr, rosh):
        reasons.append(Reason("protect", "only the higher of RSR and RoSH counts", f"-{min(rsr, rosh)}"))
        points -= min(rsr, rosh)
    mappa = 150 if i.mappa_level in (2, 3) else 5 if i.mappa_level == 1 else 0
    if mappa:
        reasons.append(Reason("protect", f"MAPPA level {i.mappa_level}", f"+{mappa}"))
        points += mappa
    elif i.mappa_level == 0:
        reasons.append(Reason("protect", "MAPPA level M0 scores no points (hmpps-tier MappaLevel: M1–M3)", "+0"))
    for code in COMPLEXITY_REGISTRATIONS:
        if code in i.registrations:
            reasons.append(Reason("protect", f"complexity registration: {COMPLEXITY_WORDS[code]} ({code})", "+2"))
            points += 2
    if i.female:
        for present, label in (
            (i.parenting_responsibilities, "parenting responsibilities"),
            (i.impulsivity_or_temper, "impulsivity or temper control"),
            (i.previous_enforcement, "previous enforcement (breach or recall)"),
        ):
            if present:
                reasons.append(Reason("protect", f"women: {label}", "+2"))
                points += 2
    protect = protect_level(points)

    change_points: int | None = None
    if not i.mandate_for_change:
        change = 0
        reasons.append(
            Reason(
                "change",
                "no mandate for change (no current custodial sentence, and no requirement other than unpaid work "
                "or restrictive ones such as curfew, exclusion or prohibited activity)",
                "0",
            )
        )
    elif not i.valid_assessment:
        change = 2
        reasons.append(Reason("change", "no assessment completed in the last 55 weeks", "2"))
    else:
        change_points = 0
        for area, severity in sorted(i.needs.items()):
            need = NEED_WEIGHTS[area] * SEVERITY[severity]
            if need:
                reasons.append(Reason("change", f"need: {NEED_WORDS[area]}, {severity.lower()}", f"+{need}"))
                change_points += need
        ogrs = (i.ogrs3_2y_percent or 0) // 10
        if ogrs:
            reasons.append(Reason("change", f"OGRS {i.ogrs3_2y_percent}% ÷ 10", f"+{ogrs}"))
            change_points += ogrs
        if "IIOM" in i.registrations:
            reasons.append(Reason("change", "integrated offender management (IIOM)", f"+{IOM_POINTS}"))
            change_points += IOM_POINTS
        change = change_level(change_points)
    unsupervised = UNSUPERVISED_REGISTRATION in i.registrations
    tier = f"{protect}{change}" + ("S" if unsupervised else "")
    return TierV2(
        tier=tier,
        protect=protect,
        protect_points=points,
        change=change,
        change_points=change_points,
        unsupervised=unsupervised,
        reasons=tuple(reasons),
    )
