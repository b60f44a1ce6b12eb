"""What an action is: its type, who owns it, what satisfies it, who may cancel it, how it reminds and escalates."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from keepsafe.actions.rules.calendar import on_london_clock, repeat_on_london_clock
from keepsafe.core.actor import Role


class ActionType(enum.StrEnum):
    RECALL_CONSIDERATION = "RECALL_CONSIDERATION"  # an arrest or charge on licence: consider recall
    RECALL_DECISION = "RECALL_DECISION"  # the step before: an SPO decides a recall being considered
    RECALL_EXECUTION = "RECALL_EXECUTION"
    DOMESTIC_ABUSE_CHECK = "DOMESTIC_ABUSE_CHECK"
    SAFEGUARDING_CHECK = "SAFEGUARDING_CHECK"
    HANDOVER = "HANDOVER"
    RELEASE_PLAN = "RELEASE_PLAN"
    FIRST_APPOINTMENT = "FIRST_APPOINTMENT"
    ENFORCEMENT_DECISION = "ENFORCEMENT_DECISION"
    REQUIREMENT_START = "REQUIREMENT_START"
    RISK_REVIEW = "RISK_REVIEW"
    REGISTRATION_REVIEW = "REGISTRATION_REVIEW"
    TERMINATION = "TERMINATION"
    COUNTERSIGN = "COUNTERSIGN"
    # assurance (issue 17 §3): opened by a person, never by the rules
    RECALL_DECISION_REVIEW = "RECALL_DECISION_REVIEW"  # a second reviewer disagreed with a recall decision
    CONTACT_LEVEL = "CONTACT_LEVEL"  # issue 14: the minimum contacts in a period
    HOME_VISIT = "HOME_VISIT"  # issue 14: home visits in a period (high RoSH, domestic abuse)
    # --- issue 15 §2 (helper "alloc"): opened by a person's allocation decision (oversight/allocation.py) ---
    ALLOCATION = "ALLOCATION"  # a case nobody holds: allocate it (actions/rules/allocation.py)
    ALLOCATION_COUNTERSIGN = "ALLOCATION_COUNTERSIGN"  # head of PDU countersigns an SPO override
    REALLOCATION_HANDOVER = "REALLOCATION_HANDOVER"  # the new practitioner takes over a reallocated case
    OVERSIGHT_TOUCHPOINT = "OVERSIGHT_TOUCHPOINT"  # issue 15 ("overs"): an SPO oversight note is due
    TRANSFER_DECISION = "TRANSFER_DECISION"  # issue 16 §2 (helper "transfer"): the receiving head decides a transfer
    # issue 16 §1 (helper "court"): before sentence
    PRE_SENTENCE_CHECK = "PRE_SENTENCE_CHECK"  # a PSR's domestic abuse or safeguarding check, due before court
    ADDRESS_SUITABILITY = "ADDRESS_SUITABILITY"  # a curfew or residence address considered and not yet assessed
    MEETING_ACTION = "MEETING_ACTION"  # issue 16 §4 (helper "share"): agreed at a MAPPA or IOM meeting
    AP_REFERRAL = "AP_REFERRAL"  # issue 16 §5 (helper "ap"): a premises' decision awaited, or no place before release


LABELS = {
    ActionType.RECALL_CONSIDERATION: "Arrested or charged on licence: consider recall",
    ActionType.RECALL_DECISION: "Recall being considered: SPO decision",
    ActionType.RECALL_EXECUTION: "Recall: get the person back into custody",
    ActionType.DOMESTIC_ABUSE_CHECK: "Domestic abuse check",
    ActionType.SAFEGUARDING_CHECK: "Safeguarding check",
    ActionType.HANDOVER: "Handover from prison to community offender manager",
    ActionType.RELEASE_PLAN: "Release plan",
    ActionType.FIRST_APPOINTMENT: "First appointment",
    ActionType.ENFORCEMENT_DECISION: "Enforcement decision",  # the title names the failure: to attend or to comply
    ActionType.REQUIREMENT_START: "Start a sentence requirement",
    ActionType.RISK_REVIEW: "Review the risk assessment",
    ActionType.REGISTRATION_REVIEW: "Review a registration",
    ActionType.TERMINATION: "Termination assessment and closure",
    ActionType.COUNTERSIGN: "Countersign an assessment",
    ActionType.RECALL_DECISION_REVIEW: "Second reviewer disagreed with a recall decision: reconsider",
    ActionType.CONTACT_LEVEL: "Contact level: see the person as often as expected",  # issue 14
    ActionType.HOME_VISIT: "Home visit due",  # issue 14
    # issue 15 §2 (helper "alloc")
    ActionType.ALLOCATION: "Allocate a community practitioner",
    ActionType.ALLOCATION_COUNTERSIGN: "Countersign an allocation guardrail override",
    ActionType.REALLOCATION_HANDOVER: "Take over a reallocated case",
    ActionType.OVERSIGHT_TOUCHPOINT: "Management oversight: SPO oversight note due",  # issue 15 ("overs")
    ActionType.TRANSFER_DECISION: "Accept or reject a case transferred to your PDU",  # issue 16 §2
    ActionType.PRE_SENTENCE_CHECK: "Pre-sentence check: answer needed before the court date",  # issue 16 §1
    ActionType.ADDRESS_SUITABILITY: "Assess the proposed address before a curfew or residence proposal",  # 16 §1
    ActionType.MEETING_ACTION: "Action agreed at a MAPPA or IOM meeting",  # issue 16 §4 (helper "share")
    ActionType.AP_REFERRAL: "Approved premises: a decision awaited or a place needed before release",  # 16 §5 ("ap")
}
# The short name of each type, for lists and filters (GOV.UK style: sentence case, acronyms in capitals; one per
# member, tested). A name derived from the code read "Ap referral" and "Oversight touchpoint" (issue 20 try-out).
NAMES: dict[ActionType, str] = {
    ActionType.RECALL_CONSIDERATION: "Recall consideration",
    ActionType.RECALL_DECISION: "Recall decision",
    ActionType.RECALL_EXECUTION: "Recall execution",
    ActionType.DOMESTIC_ABUSE_CHECK: "Domestic abuse check",
    ActionType.SAFEGUARDING_CHECK: "Safeguarding check",
    ActionType.HANDOVER: "Handover",
    ActionType.RELEASE_PLAN: "Release plan",
    ActionType.FIRST_APPOINTMENT: "First appointment",
    ActionType.ENFORCEMENT_DECISION: "Enforcement decision",
    ActionType.REQUIREMENT_START: "Requirement start",
    ActionType.RISK_REVIEW: "Risk review",
    ActionType.REGISTRATION_REVIEW: "Registration review",
    ActionType.TERMINATION: "Termination",
    ActionType.COUNTERSIGN: "Countersignature",
    ActionType.RECALL_DECISION_REVIEW: "Recall decision review",
    ActionType.CONTACT_LEVEL: "Contact level",
    ActionType.HOME_VISIT: "Home visit",
    ActionType.ALLOCATION: "Allocation",
    ActionType.ALLOCATION_COUNTERSIGN: "Allocation countersignature",
    ActionType.REALLOCATION_HANDOVER: "Reallocation handover",
    ActionType.OVERSIGHT_TOUCHPOINT: "Oversight touch point",
    ActionType.TRANSFER_DECISION: "Transfer decision",
    ActionType.PRE_SENTENCE_CHECK: "Pre-sentence check",
    ActionType.ADDRESS_SUITABILITY: "Address suitability",
    ActionType.MEETING_ACTION: "MAPPA or IOM meeting action",
    ActionType.AP_REFERRAL: "Approved premises referral",
}


def type_name(code: str) -> str:
    """The short name of an action type code; an unknown code is an error, never shown raw."""
    return NAMES[ActionType(code)]


# Types opened by a person's finding (assurance/services.py), never by the rules, so no sweep creates or closes them.
OPENED_BY_PEOPLE = frozenset(
    {
        ActionType.RECALL_DECISION_REVIEW,
        # issue 15 §2 (helper "alloc"): opened by an allocation decision
        ActionType.ALLOCATION_COUNTERSIGN,
        ActionType.REALLOCATION_HANDOVER,
        ActionType.TRANSFER_DECISION,  # issue 16 §2 (helper "transfer"): opened by a transfer request
        ActionType.MEETING_ACTION,  # issue 16 §4 (helper "share"): owner and due date chosen at the meeting
    }
)


class OwnerRole(enum.StrEnum):
    """Whose job it is, resolved to a member of staff by the reconciler."""

    COM = "COM"  # community offender manager (the case's practitioner)
    POM = "POM"  # prison offender manager
    SPO = "SPO"  # the community offender manager's line manager


class Step(enum.StrEnum):
    """Who an action escalates to, in order: the owner's line manager, then the head of PDU, or the ACO for recall."""

    LINE_MANAGER = "LINE_MANAGER"
    HEAD_OF_PDU = "HEAD_OF_PDU"
    ACO = "ACO"


@dataclass(frozen=True)
class Escalation:
    after_due: timedelta
    to: Step


@dataclass(frozen=True)
class ReminderPlan:
    """When to remind: at fixed offsets from the due instant, and/or every `every` from opening until closed."""

    offsets: tuple[timedelta, ...] = ()
    every: timedelta | None = None
    every_overdue: timedelta | None = None
    line_manager_too: bool = False
    also_at: tuple[datetime, ...] = ()  # further instants to remind anew (a risk review's new, more serious record)


@dataclass(frozen=True)
class Evidence:
    """What satisfied an action: a contact, record, decision, document, assessment, check or date."""

    kind: str
    ref: str
    at: datetime
    summary: str


@dataclass(frozen=True)
class Expected:
    """One action the facts call for at an instant. `key` names its subject, so re-evaluating finds the same action."""

    type: ActionType
    key: str
    title: str
    owner: OwnerRole
    opens_at: datetime
    due: datetime
    evidence_needed: str
    reminders: ReminderPlan
    escalations: tuple[Escalation, ...]
    event: str | None = None
    satisfied: Evidence | None = None
    withdrawn: str | None = None  # the reason it no longer applies (never for a recall execution)
    detail: dict[str, str] = field(default_factory=dict)
    raised_at: datetime | None = None  # from this instant it is escalated to the first step even before it is due


# Who may cancel each type (issue 6 §1: "a recall execution only by an ACO"). Everything else: the line manager's
# grades and above, because cancelling a safety action is a management decision, never the owner's alone.
MANAGERS = frozenset({Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})
CANCEL_ROLES: dict[ActionType, frozenset[Role]] = {t: MANAGERS for t in ActionType} | {
    ActionType.RECALL_EXECUTION: frozenset({Role.REGIONAL_LEADER}),
    ActionType.HANDOVER: frozenset({Role.HEAD_OF_PDU, Role.REGIONAL_LEADER}),
    # issue 16 §2 (helper "transfer"): a transfer decision closes only by accepting or rejecting the transfer
    ActionType.TRANSFER_DECISION: frozenset(),
}

# Types a person may complete by pointing at evidence; the rest close only when the facts show it (an answered and
# acted-on check, a person back in custody, a decision recorded, an assessment completed or countersigned).
MANUAL_COMPLETION = frozenset({ActionType.HANDOVER, ActionType.TERMINATION}) | OPENED_BY_PEOPLE
MANUAL_COMPLETION -= {ActionType.TRANSFER_DECISION}  # issue 16 §2: closed by the decision (cases/transfers.py)


def may_cancel(action_type: ActionType, role: Role) -> bool:
    return role in CANCEL_ROLES[action_type]


def escalation_level(
    escalations: tuple[Escalation, ...], due: datetime, at: datetime, raised_at: datetime | None = None
) -> int:
    """How many escalation steps have been reached at `at` (0: still only the owner). An action raised (a risk review
    that received a more serious indicator) has reached at least the first step from the instant it was raised."""
    level = sum(1 for step in escalations if at >= on_london_clock(due, step.after_due))
    if raised_at is not None and at >= raised_at and escalations:
        level = max(level, 1)
    return level


def reminder_slot(plan: ReminderPlan, opens_at: datetime, due: datetime, at: datetime) -> datetime | None:
    """The latest reminder instant at or before `at` (None: no reminder yet). A sweep sends a reminder only for a slot
    newer than the last one it recorded, so sweeping twice never reminds twice and a missed sweep is made up once."""
    # Offsets and repeats move on London's clocks (calendar.on_london_clock, repeat_on_london_clock), compared in
    # UTC; the answer is the same whether the instants came from the rules (London time) or the database (UTC).
    opens_at, due, at = opens_at.astimezone(UTC), due.astimezone(UTC), at.astimezone(UTC)
    if at < opens_at:
        return None
    slots = [opens_at]
    slots += [t for t in (on_london_clock(due, offset) for offset in plan.offsets) if opens_at <= t <= at]
    slots += [instant.astimezone(UTC) for instant in plan.also_at if opens_at <= instant <= at]
    if plan.every is not None and plan.every > timedelta(0):
        slots.append(repeat_on_london_clock(opens_at, plan.every, at))
    if plan.every_overdue is not None and plan.every_overdue > timedelta(0) and at >= due:
        slots.append(repeat_on_london_clock(due, plan.every_overdue, at))
    return max(slot for slot in slots if slot <= at)


# --- severity: the order action lists show (issue 14 §4; helper "recall") ----------------------------------------
# Recall execution first, emergency before standard, then the rest of the recall workflow, then the checks that
# protect a victim or a child, then everything else. Within one severity, soonest due first. Why: a recall decided
# and never executed was lost among routine work (seeds/003 rec. 5, seeds/001 concern 9). Types added later and not
# listed here come last, never first.
SEVERITY_ORDER: tuple[ActionType, ...] = (
    ActionType.RECALL_EXECUTION,
    ActionType.RECALL_DECISION,
    ActionType.RECALL_CONSIDERATION,
    ActionType.RECALL_DECISION_REVIEW,
    ActionType.ALLOCATION_COUNTERSIGN,  # issue 15 §2: a complex case held below its grade
    ActionType.DOMESTIC_ABUSE_CHECK,
    ActionType.SAFEGUARDING_CHECK,
    ActionType.PRE_SENTENCE_CHECK,  # issue 16 §1: the same checks, before sentence
    ActionType.ADDRESS_SUITABILITY,  # issue 16 §1
    ActionType.ENFORCEMENT_DECISION,
    ActionType.MEETING_ACTION,  # issue 16 §4 (helper "share"): agreed by MAPPA or IOM to protect someone
    ActionType.RELEASE_PLAN,
    ActionType.AP_REFERRAL,  # issue 16 §5: a place at approved premises before release
    ActionType.HANDOVER,
    ActionType.REALLOCATION_HANDOVER,  # issue 15 §2
    ActionType.TRANSFER_DECISION,  # issue 16 §2 (helper "transfer"): who holds the case, like a handover
    ActionType.ALLOCATION,  # issue 15 §2
    ActionType.FIRST_APPOINTMENT,
    ActionType.HOME_VISIT,
    ActionType.CONTACT_LEVEL,
    ActionType.COUNTERSIGN,
    ActionType.OVERSIGHT_TOUCHPOINT,  # issue 15 ("overs")
    ActionType.RISK_REVIEW,
    ActionType.REGISTRATION_REVIEW,
    ActionType.REQUIREMENT_START,
    ActionType.TERMINATION,
)


def severity(action_type: str, emergency: bool) -> int:
    """0 is the most severe: an emergency recall waiting to be executed; then each type in SEVERITY_ORDER."""
    if action_type == ActionType.RECALL_EXECUTION and emergency:
        return 0
    for rank, known in enumerate(SEVERITY_ORDER, start=1):
        if action_type == known:
            return rank
    return len(SEVERITY_ORDER) + 1
