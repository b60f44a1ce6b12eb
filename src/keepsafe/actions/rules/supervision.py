"""Starting and enforcing supervision: first appointment, enforcement after a failure to attend, requirements started.

Why: seeds/002: enforcement not taken in 27 of 70 cases; sentence requirements not started promptly in 47% of cases.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from keepsafe.actions.rules.calendar import local_date, start_of_day, working_days_after
from keepsafe.actions.rules.checks import release_date
from keepsafe.actions.rules.common import (
    default_escalations,
    default_reminders,
    event_in_view,
    in_view,
    withdrawn_if_ended,
)
from keepsafe.actions.rules.facts import CaseFacts, ContactFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole
from keepsafe.people.rules.vocabulary import ENFORCEABLE_OUTCOMES, ContactType

# The contacts that are a first face-to-face appointment with the probation practitioner: an office appointment, a home
# visit, and an imported generic "appointment" (older bundles and imports that do not say which, in person). Not a
# phone or video call (not face to face), nor a programme session, unpaid work or partner meeting (run by others, in a
# group or at a partner: not the COM's induction). Keepsafe's own choice (docs/actions.md); hmpps.md gives no list.
FIRST_APPOINTMENT_TYPES: frozenset[str] = frozenset(
    {ContactType.OFFICE_VISIT.value, ContactType.HOME_VISIT.value, ContactType.APPOINTMENT.value}
)


class EnforcementDecision(enum.StrEnum):
    WARNING = "WARNING"
    BREACH = "BREACH"
    RECALL_CONSIDERATION = "RECALL_CONSIDERATION"


def first_appointment_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """After release (by the next working day) and at the start of a community sentence (within 5 working days):
    Keepsafe defaults in actions/rules/policy.py. Satisfied by an attended face-to-face contact since."""
    out: list[Expected] = []
    today = local_date(facts.as_of)
    for event in facts.events:
        if event.custodial:
            start = release_date(event)
            days = policy.first_appointment_working_days_after_release
            what = "after release"
        else:
            start = event.sentence_date
            days = policy.first_appointment_working_days_after_start
            what = "at the start of the sentence"
        if start is None or start > today:
            continue
        opens = start_of_day(start)
        key = f"event:{event.id}:first-appointment:{start.isoformat()}"
        if not event_in_view(event, opens, key, facts, policy):
            continue
        attended = sorted(
            (
                c
                for c in facts.contacts
                if c.type in FIRST_APPOINTMENT_TYPES and c.outcome == "ATTENDED" and opens <= c.at <= facts.as_of
            ),
            key=lambda c: c.at,
        )
        satisfied = Evidence("contact", attended[0].id, attended[0].at, "attended") if attended else None
        out.append(
            Expected(
                type=ActionType.FIRST_APPOINTMENT,
                key=key,
                title=f"First appointment {what}",
                owner=OwnerRole.COM,
                opens_at=opens,
                due=working_days_after(opens, days),
                evidence_needed="An attended face-to-face appointment",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                event=event.id,
                satisfied=satisfied,
                withdrawn=withdrawn_if_ended(event, facts, satisfied),
            )
        )
    return out


def earlier_absences(contact: ContactFacts, contacts: tuple[ContactFacts, ...], days: int) -> list[ContactFacts]:
    """Unacceptable absences (and failures to comply, issue 14) in the `days` before this one."""
    window = timedelta(days=days)
    return [
        c
        for c in contacts
        if c.outcome in ENFORCEABLE_OUTCOMES and contact.at - window <= c.at < contact.at and c.id != contact.id
    ]


# What the contact was, in words (ENFORCEABLE_OUTCOMES): every title and text about an enforcement decision names the
# failure it follows — a try-out found "after a failure to attend" and "a further unacceptable absence" on a decision
# after "Attended — failed to comply".
FAILURE_WORDS = {"FAILED_TO_ATTEND": "failure to attend", "FAILED_TO_COMPLY": "failure to comply"}


def failure_words(outcome: str) -> str:
    """ "failure to attend" or "failure to comply"; refuses an outcome that calls for no enforcement decision."""
    if outcome not in FAILURE_WORDS:
        raise ValueError(f"{outcome!r} is not a failure to attend or to comply")
    return FAILURE_WORDS[outcome]


def further_failure(outcome: str) -> str:
    """The reason a warning is not enough: "This failure to comply follows another failure to attend or comply within
    12 months" (the earlier ones counted are of either kind: earlier_absences)."""
    return f"this {failure_words(outcome)} follows another failure to attend or comply within 12 months"


def decision_allowed(decision: str, earlier_absences: int, outcome: str) -> str | None:
    """A second failure to attend or comply within 12 months requires breach or recall consideration (issue 6 §3);
    `outcome` is the contact's (FAILED_TO_ATTEND or FAILED_TO_COMPLY), named in the refusal."""
    if decision not in EnforcementDecision.__members__:
        return "choose a warning, breach action or recall consideration"
    if earlier_absences and decision == EnforcementDecision.WARNING:
        return f"{further_failure(outcome)}: start breach action or consider recall"
    return None


def enforcement_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """Every failure to attend without an acceptable absence, and every failure to comply (issue 14), needs a recorded
    decision within 2 working days."""
    out: list[Expected] = []
    decisions = {d.contact: d for d in facts.enforcement if d.at <= facts.as_of}
    for contact in facts.contacts:
        if contact.outcome not in ENFORCEABLE_OUTCOMES:
            continue
        key = f"contact:{contact.id}:enforcement"
        if not in_view(contact.at, key, facts, policy):
            continue
        earlier = len(earlier_absences(contact, facts.contacts, policy.enforcement_second_absence_days))
        decision = decisions.get(contact.id)
        satisfied = None
        outcome = contact.outcome or ""
        if decision is not None and decision_allowed(decision.decision, earlier, outcome) is None:
            satisfied = Evidence("decision", decision.ref, decision.at, f"enforcement decision: {decision.decision}")
        needed = (
            f"{further_failure(outcome).capitalize()}: record breach action or a recall consideration"
            if earlier
            else "A recorded decision: warning, breach action, or recall consideration"
        )
        out.append(
            Expected(
                type=ActionType.ENFORCEMENT_DECISION,
                key=key,
                title=f"{failure_words(outcome).capitalize()} on {local_date(contact.at):%-d %B %Y}",
                owner=OwnerRole.COM,
                opens_at=contact.at,
                due=working_days_after(contact.at, policy.enforcement_working_days),
                evidence_needed=needed,
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                satisfied=satisfied,
                detail={"contact": contact.id, "earlier_absences": str(earlier)},
            )
        )
    return out


def requirement_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """Each sentence requirement started within the configured window of the sentence."""
    out: list[Expected] = []
    today = local_date(facts.as_of)
    for event in facts.events:
        opens = start_of_day(event.sentence_date)
        for requirement in event.requirements:
            key = f"event:{event.id}:requirement:{requirement.id}"
            if not event_in_view(event, opens, key, facts, policy):
                continue
            started = requirement.start is not None and requirement.start <= today
            satisfied = None
            if started and requirement.start is not None:
                satisfied = Evidence("requirement", requirement.id, start_of_day(requirement.start), "started")
            out.append(
                Expected(
                    type=ActionType.REQUIREMENT_START,
                    key=key,
                    title=f"Start the {requirement.type.replace('_', ' ').lower()} requirement",
                    owner=OwnerRole.COM,
                    opens_at=opens,
                    due=working_days_after(opens, policy.requirement_start_working_days),
                    evidence_needed="The date the requirement started",
                    reminders=default_reminders(policy),
                    escalations=default_escalations(policy),
                    event=event.id,
                    satisfied=satisfied,
                    withdrawn=withdrawn_if_ended(event, facts, satisfied),
                    detail={"requirement": requirement.id},
                )
            )
    return out
