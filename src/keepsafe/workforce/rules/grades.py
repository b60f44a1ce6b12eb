"""Staff grades and what follows from them."""

from __future__ import annotations

import enum
from datetime import date

from keepsafe.core.actor import Role


class Grade(enum.StrEnum):
    PSO = "PSO"
    PQIP = "PQIP"
    PO = "PO"
    SPO = "SPO"
    HEAD_OF_PDU = "HEAD_OF_PDU"
    ACO = "ACO"
    POM = "POM"
    ADMIN = "ADMIN"


GRADE_LABELS = {
    Grade.PSO: "Probation services officer",
    Grade.PQIP: "Trainee probation officer (PQiP)",
    Grade.PO: "Probation officer",
    Grade.SPO: "Senior probation officer",
    Grade.HEAD_OF_PDU: "Head of PDU",
    Grade.ACO: "Assistant chief officer",
    Grade.POM: "Prison offender manager",
    Grade.ADMIN: "Administrator",
}

NQO_MONTHS = 12


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(f"cannot step back {months} months from {day}")


def is_newly_qualified(grade: Grade, qualified_on: date | None, today: date) -> bool:
    """NQO — HMPPS Probation Workforce Strategy: a PO in the first 12 months after qualifying (issue 2 §2)."""
    if grade is not Grade.PO or qualified_on is None:
        return False
    return qualified_on > _months_before(today, NQO_MONTHS)


def default_role(grade: Grade) -> Role:
    """The sign-in role a grade normally holds; an auditor's role is granted separately, never by grade."""
    match grade:
        case Grade.PSO | Grade.PQIP | Grade.PO:
            return Role.PRACTITIONER
        case Grade.SPO:
            return Role.SPO
        case Grade.HEAD_OF_PDU:
            return Role.HEAD_OF_PDU
        case Grade.ACO:
            return Role.REGIONAL_LEADER
        case Grade.POM:
            return Role.POM
        case Grade.ADMIN:
            return Role.ADMINISTRATOR
    raise ValueError(f"unknown grade {grade!r}")


# --- issue 14 §8 (helper "flags"): which sign-in role an account for a member of staff may hold ---------------------


def role_problem(grade: Grade, role: Role) -> str | None:
    """Keepsafe's own rule: an account holds its grade's usual role (default_role) or the auditor's role, which is
    granted separately; the system and partner roles are never a person's. None when the role fits."""
    if role in (Role.SYSTEM, Role.PARTNER):
        return f"the {role.label} role is not a person's"
    if role is Role.AUDITOR or role is default_role(grade):
        return None
    return f"staff of grade {GRADE_LABELS[grade]} sign in as {default_role(grade).label} (or Auditor), not {role.label}"
