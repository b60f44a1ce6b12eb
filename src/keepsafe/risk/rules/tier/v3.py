"""Tier version 3: a single tier A–G (plus MISSING, NOT_SUPERVISED) with a provisional flag.

hmpps-tier TierCalculator.kt, ReoffendingPredictorTable.kt and ProvisionalStatusCalculator.kt, as published in
shared/reference/tiering.md (and shared/research/hmpps.md §1c for the provisional rules in full).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from keepsafe.people.rules.vocabulary import DOMESTIC_ABUSE_REGISTRATIONS
from keepsafe.risk.rules.tier import Reason, TierInputError, level_words

TIERS = "ABCDEFG"
RoshLevel = Literal["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]

CSRP_ROWS = (6.9, 3.0, 1.0, 0.5, 0.0)
ARP_COLUMNS = (90.0, 75.0, 50.0, 25.0, 15.0, 0.0)
REOFFENDING_TABLE = (
    "AABBBB",
    "ABCCCC",
    "BCDEEE",
    "CDEEFF",
    "DDEFFG",
)


@dataclass(frozen=True)
class TierV3Input:
    today: date
    has_active_event: bool = True
    arp: float | None = None  # all reoffending predictor %: OGP2 (dynamic) or OGRS4/G (static)
    arp_static: bool = False
    csrp: float | None = None  # combined serious reoffending predictor % (RSR)
    csrp_static: bool = False
    dc_srp_band: RoshLevel | None = None  # direct-contact sexual reoffending predictor (OSP/DC) band
    dc_srp_score: float | None = None
    risk_reduction: bool = False  # OSP/DC risk-reduction rules applied
    mappa: bool = False
    rosh: RoshLevel | None = None
    registrations: frozenset[str] = frozenset()
    lifer_latest_release: date | None = None
    ever_sexual_offence: bool = False


@dataclass(frozen=True)
class TierV3:
    tier: str  # A–G, MISSING or NOT_SUPERVISED
    provisional: bool
    reasons: tuple[Reason, ...]


def _index(value: float, thresholds: tuple[float, ...]) -> int:
    for position, threshold in enumerate(thresholds):
        if value >= threshold:
            return position
    return len(thresholds) - 1


def reoffending_step(arp: float, csrp: float) -> str:
    """ReoffendingPredictorTable.kt: CSRP (rows) against ARP (columns); tiering.md v3 table."""
    if arp < 0 or csrp < 0:
        raise TierInputError(f"predictor percentages cannot be negative (ARP {arp}, CSRP {csrp})")
    return REOFFENDING_TABLE[_index(csrp, CSRP_ROWS)][_index(arp, ARP_COLUMNS)]


def sexual_step(band: RoshLevel | None, score: float | None, risk_reduction: bool) -> str | None:
    """DC-SRP step: VERY_HIGH → A, HIGH → B, LOW → E; MEDIUM by score (with/without risk reduction)."""
    if band is None or score is None or score <= 0:
        return None
    if band == "VERY_HIGH":
        return "A"
    if band == "HIGH":
        return "B"
    if band == "LOW":
        return "E"
    c_from, d_from = (1.12, 0.60) if risk_reduction else (3.36, 2.11)
    if score >= c_from:
        return "C"
    if score >= d_from:
        return "D"
    raise TierInputError(f"a MEDIUM direct-contact sexual predictor needs a score of at least {d_from}, got {score}")


def mappa_rosh_step(mappa: bool, rosh: RoshLevel | None) -> str | None:
    """With MAPPA: VH → A, H → C, M → D, L or missing → E. Without: VH → C, H → D, else no result."""
    if mappa:
        return {"VERY_HIGH": "A", "HIGH": "C", "MEDIUM": "D"}.get(rosh or "", "E")
    return {"VERY_HIGH": "C", "HIGH": "D"}.get(rosh or "")


def lifer_step(registrations: frozenset[str], released: date | None, today: date) -> str | None:
    """Lifer/IPP (INLL) by latest release: ≤ 1 year ago → B; ≤ 5 years → D; longer → E."""
    if "INLL" not in registrations or released is None:
        return None
    years = (today - released).days / 365.25
    if years <= 1:
        return "B"
    if years <= 5:
        return "D"
    return "E"


# The coded results that are not a tier letter, in the words of shared/reference/tiering.md ("Version 3").
TIER_WORDS = {
    "MISSING": "Not calculated: a reoffending predictor (ARP or CSRP) is missing",
    "NOT_SUPERVISED": "Not supervised: no active event",
}


def tier_words(tier: str | None) -> str:
    """A stored tier as people read it: a letter (or version 2 code) as it is, MISSING and NOT_SUPERVISED in words."""
    if not tier:
        return ""
    return TIER_WORDS.get(tier, tier)


def _best(*tiers: str | None) -> str | None:
    present = [t for t in tiers if t is not None]
    return min(present, key=TIERS.index) if present else None


def _at_least(tier: str | None, target: str) -> bool:
    return tier is not None and TIERS.index(tier) <= TIERS.index(target)


def tier_v3(i: TierV3Input) -> TierV3:
    """Tier v3 — hmpps-tier TierCalculator.kt: the highest of the steps wins (default G)."""
    if not i.has_active_event:
        return TierV3("NOT_SUPERVISED", False, (Reason("event", "no active event", "NOT_SUPERVISED"),))
    if i.arp is None or i.csrp is None:
        missing = "ARP" if i.arp is None else "CSRP"
        return TierV3("MISSING", False, (Reason("predictors", f"{missing} is missing", "MISSING"),))
    reasons: list[Reason] = []
    reoffending = reoffending_step(i.arp, i.csrp)
    reasons.append(Reason("reoffending", f"CSRP {i.csrp}% against ARP {i.arp}%", reoffending))
    steps: dict[str, str | None] = {
        "sexual": sexual_step(i.dc_srp_band, i.dc_srp_score, i.risk_reduction),
        "mappa_rosh": mappa_rosh_step(i.mappa, i.rosh),
        "lifer": lifer_step(i.registrations, i.lifer_latest_release, i.today),
        "domestic_abuse": "E" if DOMESTIC_ABUSE_REGISTRATIONS & i.registrations else None,
        "stalking": "F" if "SPO" in i.registrations else None,
        "child_protection": "F" if "RCPR" in i.registrations else None,
        "sexual_offence_history": "E" if i.ever_sexual_offence else None,
    }
    band = level_words(i.dc_srp_band) if i.dc_srp_band else "missing"
    rosh = level_words(i.rosh) if i.rosh else "missing"
    details = {
        "sexual": f"direct-contact sexual predictor {band} ({i.dc_srp_score})",
        "mappa_rosh": f"{'MAPPA' if i.mappa else 'no MAPPA'}, RoSH {rosh}",
        "lifer": f"lifer/IPP released {i.lifer_latest_release}",
        "domestic_abuse": "domestic abuse registration (ADVP or REG30)",
        "stalking": "stalking protection order registration (SPO)",
        "child_protection": "child protection registration (RCPR)",
        "sexual_offence_history": "ever convicted of a sexual offence",
    }
    for name, result in steps.items():
        if result is not None:
            reasons.append(Reason(name, details[name], result))
    others = _best(*steps.values())
    tier = _best(reoffending, others) or "G"
    provisional, why = _provisional(i, i.arp, i.csrp, others, steps)
    if provisional:
        reasons.append(Reason("provisional", why, tier))
    return TierV3(tier, provisional, tuple(reasons))


def _provisional(
    i: TierV3Input, arp: float, csrp: float, others: str | None, steps: dict[str, str | None]
) -> tuple[bool, str]:
    """ProvisionalStatusCalculator.kt (hmpps.md §1c.3)."""
    if i.arp_static and i.csrp_static and not _at_least(others, "A"):
        return True, "both predictors are static and no other step reaches A"
    if i.arp_static != i.csrp_static:
        # The best the table could give for the dynamic predictor's value.
        ceiling = reoffending_step(arp, max(CSRP_ROWS)) if i.csrp_static else reoffending_step(max(ARP_COLUMNS), csrp)
        if not _at_least(others, ceiling):
            return True, f"one predictor is static and no other step reaches {ceiling}"
    if i.rosh is None:
        if i.mappa:
            non_rosh = _best(*(v for k, v in steps.items() if k != "mappa_rosh"))
            if not _at_least(non_rosh, "A"):
                return True, "RoSH is missing (with MAPPA) and no other step reaches A"
        else:
            counted = others
            if not i.arp_static and not i.csrp_static:
                counted = _best(others, reoffending_step(arp, csrp))
            if not _at_least(counted, "C"):
                return True, "RoSH is missing and no step reaches C"
    return False, ""
