"""Allocation guardrails: who may be given a case (issue 15 §2; docs/workforce.md "Allocation").

HMPPS enforces no grade-to-case rule (hmpps.md §2b: "the check is SPO judgement"); the seeds show what that cost
(seeds/001 concerns 1, 2, 4: a high-RoSH licence case held by a PSO, a DA and child-safeguarding case held by a
trainee; seeds/003 recs 8, 11). These rules are Keepsafe's own, stated in issue 15 §2.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from keepsafe.core.actor import Role
from keepsafe.oversight.rules.training import CaseNeed
from keepsafe.oversight.rules.workload import format_percent
from keepsafe.people.rules.vocabulary import DOMESTIC_ABUSE_REGISTRATIONS as DOMESTIC_ABUSE
from keepsafe.workforce.rules.grades import GRADE_LABELS, Grade

# hmpps.md §2a: the allocation journey offers only these grades (workloadService.ts `grades=PSO,PQiP,PO`).
PRACTITIONER_GRADES = frozenset({Grade.PSO, Grade.PQIP, Grade.PO})
# issue 15 §2: grades that never hold a complex case without an SPO's override countersigned by the head of PDU.
UNQUALIFIED_GRADES = frozenset({Grade.PSO, Grade.PQIP})
HIGH_ROSH = frozenset({"HIGH", "VERY_HIGH"})  # risk.rules.rosh.Level values
HIGH_MAPPA_LEVELS = frozenset({"M2", "M3"})  # MAPPA guidance: level 2 and 3 are multi-agency managed
# registration-types.csv: the child safeguarding flags (the SAFEGUARDING check of actions/rules/checks.py).
CHILD_SAFEGUARDING_REGISTRATIONS = frozenset({"RCPR", "RCCO", "RCHD"})
FULL_CAPACITY = Decimal(100)  # hmpps.md §2c: capacity % = points ÷ available points; above 100 is over capacity


class AllocationReason(enum.StrEnum):
    """hmpps.md §2d: the reallocation reasons of WL/domain/ReallocateCase.kt."""

    INITIAL_ALLOCATION = "INITIAL_ALLOCATION"
    ALLOCATED_TO_RESPONSIBLE_OFFICER = "ALLOCATED_TO_RESPONSIBLE_OFFICER"
    CASELOAD_ADJUSTMENT = "CASELOAD_ADJUSTMENT"
    CHANGE_IN_TIER_OR_RISK = "CHANGE_IN_TIER_OR_RISK"
    CHANGE_OF_ADDRESS = "CHANGE_OF_ADDRESS"
    OFFICER_LEFT = "OFFICER_LEFT"
    OTHER = "OTHER"
    RISK_TO_STAFF = "RISK_TO_STAFF"
    TRANSFER_IN = "TRANSFER_IN"
    PROBATION_RESET = "PROBATION_RESET"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    AllocationReason.INITIAL_ALLOCATION: "Initial allocation",
    AllocationReason.ALLOCATED_TO_RESPONSIBLE_OFFICER: "Allocated to the responsible officer",
    AllocationReason.CASELOAD_ADJUSTMENT: "Caseload adjustment",
    AllocationReason.CHANGE_IN_TIER_OR_RISK: "Change in tier or risk",
    AllocationReason.CHANGE_OF_ADDRESS: "Change of address",
    AllocationReason.OFFICER_LEFT: "Officer left",
    AllocationReason.OTHER: "Other",
    AllocationReason.RISK_TO_STAFF: "Risk to staff",
    AllocationReason.TRANSFER_IN: "Transfer in",
    AllocationReason.PROBATION_RESET: "Probation reset",
}
# A case nobody holds is allocated for the first time or on arrival; a held case is reallocated for a reason.
FIRST_ALLOCATION_REASONS = frozenset({AllocationReason.INITIAL_ALLOCATION, AllocationReason.TRANSFER_IN})


# --- who allocates to whom (helper "alloc2": the try-out's 403 for an SPO allocating to another team of their PDU) ---
# hmpps.md §2a/§2d: the allocating SPO (or their head of PDU) allocates the PDU's cases to the PDU's practitioners —
# any team of the PDU, not only their own; a practitioner outside the PDU is reached by transferring the case first.
ALLOCATING_ROLES = frozenset({Role.SPO, Role.HEAD_OF_PDU})
NOT_AN_ALLOCATOR = "Only a senior probation officer or head of PDU allocates cases"


def allocator_problem(role: Role, allocator_pdu: int | None, case_pdu: int | None) -> str | None:
    """Why this person may not allocate this case (None: they may): an SPO or head of PDU allocates their own PDU's
    cases (hmpps.md §2a: the PDU's allocation queue)."""
    if role not in ALLOCATING_ROLES:
        return NOT_AN_ALLOCATOR
    if allocator_pdu is None or allocator_pdu != case_pdu:
        return "You allocate only the cases of your own PDU"
    return None


def candidate_pdu_problem(
    candidate_pdu: int | None, case_pdu: int | None, candidate: str, case_pdu_code: str
) -> str | None:
    """Why a practitioner cannot be chosen because of where they work (None: any team of the case's PDU will do)."""
    if candidate_pdu is None or candidate_pdu != case_pdu:
        return f"{candidate} is not in the case's PDU ({case_pdu_code}): transfer the case first"
    return None


class Refusal(enum.StrEnum):
    EXCLUDED = "EXCLUDED"  # on the case's exclusion list: never, whatever the override
    NOT_ON_RESTRICTION = "NOT_ON_RESTRICTION"  # a restricted case goes only to listed staff: never overridden
    NOT_A_PRACTITIONER = "NOT_A_PRACTITIONER"  # only PSO, PQiP and PO hold cases (hmpps.md §2a)
    GRADE = "GRADE"  # complex case to a PSO or PQiP without an override
    NQO_WITHOUT_PLAN = "NQO_WITHOUT_PLAN"  # complex case to an NQO without an enhanced-oversight plan or override
    OVER_CAPACITY = "OVER_CAPACITY"  # above 100 % without a recorded reason


# Refusals an SPO's override reason lifts (countersigned by the head of PDU); the rest never lift.
OVERRIDABLE = frozenset({Refusal.GRADE, Refusal.NQO_WITHOUT_PLAN})


@dataclass(frozen=True)
class CaseProfile:
    """What about a case decides who may hold it."""

    rosh: str | None  # risk Level value, None when not assessed
    mappa_levels: frozenset[str]  # levels of the active MAPPA registrations (M0–M3)
    registrations: frozenset[str]  # codes of the active registrations
    restricted_to: frozenset[int]  # staff ids on a restriction list (empty: not restricted)
    excluded: frozenset[int]  # staff ids on the exclusion list


@dataclass(frozen=True)
class Candidate:
    staff_id: int
    grade: Grade
    newly_qualified: bool


@dataclass(frozen=True)
class Problem:
    refusal: Refusal
    message: str


@dataclass(frozen=True)
class Verdict:
    problems: tuple[Problem, ...]  # empty: the allocation may go ahead
    override_used: bool  # an override reason lifted a guardrail: the head of PDU countersigns
    plan_used: bool  # an enhanced-oversight plan made an NQO allocation possible
    complexity: tuple[str, ...]  # why the case is complex, in words (empty: it is not)

    @property
    def allowed(self) -> bool:
        return not self.problems

    def one_line(self) -> str:
        return "; ".join(p.message for p in self.problems)


def complexity(case: CaseProfile) -> tuple[str, ...]:
    """issue 15 §2: high or very high RoSH, MAPPA level 2 or 3, an active domestic abuse or child safeguarding flag."""
    out: list[str] = []
    if case.rosh in HIGH_ROSH:
        out.append(f"{case.rosh.replace('_', ' ').lower()} RoSH")
    levels = sorted(case.mappa_levels & HIGH_MAPPA_LEVELS)
    if levels:
        out.append(f"MAPPA level {levels[-1][1]}")
    if case.registrations & DOMESTIC_ABUSE:
        out.append("an active domestic abuse flag")
    if case.registrations & CHILD_SAFEGUARDING_REGISTRATIONS:
        out.append("an active child safeguarding flag")
    return tuple(out)


def reason_problem(reason: AllocationReason, currently_held: bool) -> str | None:
    """A first allocation is INITIAL_ALLOCATION or TRANSFER_IN; a reallocation gives any other reason (hmpps.md §2d)."""
    if currently_held and reason in FIRST_ALLOCATION_REASONS:
        return f"the case is already held: give the reason it is reallocated, not {reason.label.lower()}"
    if not currently_held and reason not in FIRST_ALLOCATION_REASONS:
        return "nobody holds the case: the reason is Initial allocation or Transfer in"
    return None


def over_capacity(after: Decimal | None) -> bool:
    return after is not None and after > FULL_CAPACITY


def allocation_verdict(
    case: CaseProfile,
    candidate: Candidate,
    *,
    capacity_after: Decimal | None,
    override_reason: str,
    oversight_plan: str,
    capacity_reason: str,
    capacity_not_measured: str | None = None,
) -> Verdict:
    """May `candidate` be given `case`? Issue 15 §2 guardrails; an override reason lifts only the grade and NQO rules,
    never an exclusion, a restriction, a non-practitioner grade or the capacity reason."""
    override = override_reason.strip()
    plan = oversight_plan.strip()
    label = GRADE_LABELS[candidate.grade]
    grade = label[0].lower() + label[1:]  # "trainee probation officer (PQiP)": the acronym stays as written
    why = complexity(case)
    problems: list[Problem] = []
    if candidate.staff_id in case.excluded:
        problems.append(Problem(Refusal.EXCLUDED, "they are excluded from this case (case access exclusion)"))
    if case.restricted_to and candidate.staff_id not in case.restricted_to:
        problems.append(Problem(Refusal.NOT_ON_RESTRICTION, "the case is restricted and they are not on its list"))
    if candidate.grade not in PRACTITIONER_GRADES:
        problems.append(Problem(Refusal.NOT_A_PRACTITIONER, f"a {grade} does not hold cases (PSO, PQiP or PO only)"))
    guarded: list[Problem] = []
    plan_used = False
    if why and candidate.grade in UNQUALIFIED_GRADES:
        guarded.append(
            Problem(Refusal.GRADE, f"a case with {', '.join(why)} never goes to a {grade} without an SPO override")
        )
    elif why and candidate.grade is Grade.PO and candidate.newly_qualified:
        if plan:
            plan_used = True
        else:
            guarded.append(
                Problem(
                    Refusal.NQO_WITHOUT_PLAN,
                    f"a case with {', '.join(why)} goes to a newly qualified officer only with an enhanced-oversight "
                    "plan (or an SPO override)",
                )
            )
    override_used = bool(guarded) and bool(override)
    if not override_used:
        problems.extend(guarded)
    if over_capacity(capacity_after) and not capacity_reason.strip():
        shown = format_percent(capacity_after)
        problems.append(Problem(Refusal.OVER_CAPACITY, f"this takes them to {shown} of capacity: record why"))
    elif capacity_not_measured and not capacity_reason.strip():
        # No available hours (long-term sickness, say): no capacity to take the case at all (hmpps.md §2c).
        problems.append(
            Problem(Refusal.OVER_CAPACITY, f"they have no available time ({capacity_not_measured}): record why")
        )
    # An override is recorded (and countersigned) only with the allocation it made possible.
    return Verdict(tuple(problems), override_used and not problems, plan_used and not problems, why)


def case_needs(case: CaseProfile) -> frozenset[CaseNeed]:
    """Issue 15 §5: what a case asks of whoever holds it, for the training it needs (oversight/rules/training.py) —
    the same features that make it complex for the guardrails above."""
    needs: set[CaseNeed] = set()
    if case.rosh in HIGH_ROSH:
        needs.add(CaseNeed.HIGH_ROSH)
    if case.registrations & DOMESTIC_ABUSE:
        needs.add(CaseNeed.DOMESTIC_ABUSE)
    if case.registrations & CHILD_SAFEGUARDING_REGISTRATIONS:
        needs.add(CaseNeed.CHILD_SAFEGUARDING)
    if case.mappa_levels:
        needs.add(CaseNeed.MAPPA)
    return frozenset(needs)
