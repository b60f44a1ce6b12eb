"""The supervisor view (issue 15 §6): each practitioner's measures against their targets, each met / near / far with
the reason, and who stands out.

Source: issue 15 §6 (Recidiviz's supervisor insights, for probation); seeds/001 concerns 1 and 9 and seeds/000
(supervision of junior staff was "wholly reactive"; SPOs need to see who needs oversight). The thresholds are
Keepsafe defaults (docs/workforce.md "Supervisor view"): the workload tool counts 100% capacity as full (hmpps.md
§2c); the rest are Keepsafe's own reading of "timely".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from keepsafe.oversight.rules.workload import at_or_over_full, format_percent


class Standing(enum.StrEnum):
    MET = "MET"
    NEAR = "NEAR"
    FAR = "FAR"
    UNKNOWN = "UNKNOWN"


STANDING_LABELS = {
    Standing.MET: "Met",
    Standing.NEAR: "Near",
    Standing.FAR: "Far from target",
    Standing.UNKNOWN: "Not known",
}


@dataclass(frozen=True)
class Measure:
    name: str
    value: str
    standing: Standing
    reason: str


@dataclass(frozen=True)
class PractitionerFacts:
    overdue_safety_actions: int
    contact_met: int  # CONTACT_LEVEL periods met in the look-back
    contact_overdue: int  # CONTACT_LEVEL periods open and overdue
    risk_reviews_overdue: int
    days_since_oversight: int | None  # since the newest SPO oversight note on any of their cases; None: never
    capacity_percent: float | None  # None: not known


# Thresholds (docs/workforce.md "Supervisor view").
OVERDUE_NEAR = 2  # overdue safety actions: 0 met, 1-2 near, 3+ far
CONTACT_MET = 90  # % of contact-level periods met: 90+ met, 75-89 near, below 75 far
CONTACT_NEAR = 75
RISK_NEAR = 1  # overdue risk reviews: 0 met, 1 near, 2+ far
OVERSIGHT_MET_DAYS = 28  # days since the last oversight note: 28 or fewer met, up to 42 near, more (or never) far
OVERSIGHT_NEAR_DAYS = 42
CAPACITY_MET = 100  # capacity %: under 100 met (100 exactly is over capacity: workload.at_or_over_full), up to 110
# near, more far
CAPACITY_NEAR = 110


def _count(name: str, n: int, near: int, what: str) -> Measure:
    if n == 0:
        return Measure(name, "0", Standing.MET, f"no {what}")
    standing = Standing.NEAR if n <= near else Standing.FAR
    return Measure(name, str(n), standing, f"{n} {what} (target 0; {near} or fewer is near)")


def measures(facts: PractitionerFacts) -> list[Measure]:
    out = [
        _count("Overdue safety actions", facts.overdue_safety_actions, OVERDUE_NEAR, "overdue safety actions"),
    ]
    periods = facts.contact_met + facts.contact_overdue
    if periods == 0:
        out.append(Measure("Timely contact", "–", Standing.UNKNOWN, "no contact-level period due yet"))
    else:
        share = round(100 * facts.contact_met / periods)
        standing = Standing.MET if share >= CONTACT_MET else Standing.NEAR if share >= CONTACT_NEAR else Standing.FAR
        out.append(
            Measure(
                "Timely contact",
                f"{share}%",
                standing,
                f"{facts.contact_met} of {periods} contact-level periods met (target {CONTACT_MET}%)",
            )
        )
    out.append(_count("Timely risk assessment", facts.risk_reviews_overdue, RISK_NEAR, "overdue risk reviews"))
    days = facts.days_since_oversight
    if days is None:
        out.append(Measure("Last oversight note", "never", Standing.FAR, "no SPO oversight note on any of their cases"))
    else:
        standing = (
            Standing.MET
            if days <= OVERSIGHT_MET_DAYS
            else Standing.NEAR
            if days <= OVERSIGHT_NEAR_DAYS
            else Standing.FAR
        )
        out.append(
            Measure("Last oversight note", f"{days} days", standing, f"{days} days ago (target {OVERSIGHT_MET_DAYS})")
        )
    cap = facts.capacity_percent
    if cap is None:
        out.append(Measure("Capacity", "–", Standing.UNKNOWN, "capacity not known"))
    else:
        standing = Standing.MET if not at_or_over_full(cap) else Standing.NEAR if cap <= CAPACITY_NEAR else Standing.FAR
        shown = format_percent(cap)
        out.append(Measure("Capacity", shown, standing, f"{shown} of available points (target under 100%)"))
    return out


def is_outlier(found: list[Measure]) -> bool:
    """Highlighted: any measure far from its target."""
    return any(m.standing is Standing.FAR for m in found)
