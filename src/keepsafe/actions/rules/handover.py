"""Handover of a custodial case from the prison offender manager (POM) to the community offender manager (COM).

Source: OMiC handover rules, offender-management-allocation-manager handover_calculation.rb and
handover_email_batch_run.rb (hmpps.md §4). Why: seeds/001 concern 12, no prompt to hand a case over.
"""

from __future__ import annotations

from datetime import date, timedelta

from keepsafe.actions.rules.calendar import local_date, start_of_day
from keepsafe.actions.rules.common import event_in_view, withdrawn_if_ended
from keepsafe.actions.rules.facts import CaseFacts, EventFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Escalation, Evidence, Expected, OwnerRole, ReminderPlan, Step
from keepsafe.people.rules.registration_review import add_months


def handover_date(
    *, sentence_type: str, sentence_start: date, earliest_release: date, parole_eligible: bool, early_allocation: bool
) -> date | None:
    """handover_calculation.rb: ERD − 15 months (early allocation), − 12 months (indeterminate or parole-eligible),
    none when sentence start + 10 months ≥ ERD (community responsible from the start), else ERD − 8 months − 14 days."""
    if early_allocation:
        return add_months(earliest_release, -15)
    if sentence_type == "INDETERMINATE":
        return add_months(earliest_release, -12)
    if add_months(sentence_start, 10) >= earliest_release:
        return None
    if parole_eligible:
        return add_months(earliest_release, -12)
    return add_months(earliest_release, -8) - timedelta(days=14)


def event_handover_date(event: EventFacts) -> date | None:
    if not event.custodial or event.earliest_release is None:
        return None
    return handover_date(
        sentence_type=event.sentence_type,
        sentence_start=event.sentence_date,
        earliest_release=event.earliest_release,
        parole_eligible=event.parole_eligibility is not None,
        early_allocation=event.early_allocation,
    )


def handover_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """Open 8 weeks before the handover date; done once a COM is allocated and the date has come. Reminders 8 weeks
    before, on the day, and 14 days after (when the head of PDU is told no COM is allocated)."""
    out: list[Expected] = []
    today = local_date(facts.as_of)
    for event in facts.events:
        day = event_handover_date(event)
        if day is None:
            continue
        key = f"event:{event.id}:handover:{day.isoformat()}"
        opens = start_of_day(day - timedelta(days=policy.handover_reminder_days_before))
        if not event_in_view(event, opens, key, facts, policy):
            continue
        satisfied = None
        if facts.com_allocated and today >= day:
            satisfied = Evidence("allocation", event.id, start_of_day(day), "community offender manager allocated")
        due = start_of_day(day)
        after = timedelta(days=policy.handover_unallocated_days_after)
        out.append(
            Expected(
                type=ActionType.HANDOVER,
                key=key,
                title=f"Handover to the community offender manager on {day:%-d %B %Y}",
                owner=OwnerRole.COM if facts.com_allocated else OwnerRole.POM,
                opens_at=opens,
                due=due,
                evidence_needed="A community offender manager allocated by the handover date"
                if not facts.com_allocated
                else "Handover meeting held; the community offender manager takes responsibility on the day",
                reminders=ReminderPlan(
                    offsets=(-timedelta(days=policy.handover_reminder_days_before), timedelta(0), after)
                ),
                escalations=(Escalation(after, Step.HEAD_OF_PDU),),
                event=event.id,
                satisfied=satisfied,
                withdrawn=withdrawn_if_ended(event, facts, satisfied),
                detail={"handover_date": day.isoformat()},
            )
        )
    return out
