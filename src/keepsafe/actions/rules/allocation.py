"""issue 15 §2 (helper "alloc"): a case with a current sentence and no community practitioner is allocated within
5 working days of arriving — a community sentence from its sentence date, a release from its release date (Keepsafe's
default, docs/workforce.md "Allocation"; hmpps.md §2a: the unallocated cases list). Satisfied when a practitioner
holds the case (the allocation service reconciles at once, so the evidence carries the allocation's instant)."""

from __future__ import annotations

from keepsafe.actions.rules.calendar import local_date, start_of_day, working_days_after
from keepsafe.actions.rules.checks import release_date
from keepsafe.actions.rules.common import default_escalations, default_reminders, event_in_view, withdrawn_if_ended
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole

ALLOCATE_WITHIN_WORKING_DAYS = 5


def allocation_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    today = local_date(facts.as_of)
    for event in facts.events:
        start = release_date(event) if event.custodial else event.sentence_date
        if start is None or start > today:
            continue
        opens = start_of_day(start)
        key = f"event:{event.id}:allocation:{start.isoformat()}"
        if not event_in_view(event, opens, key, facts, policy):
            continue
        if facts.com_allocated and key not in facts.open_keys:
            continue  # held already: nothing to allocate
        satisfied = (
            Evidence("allocation", facts.crn, facts.as_of, "a community practitioner holds the case")
            if facts.com_allocated
            else None
        )
        out.append(
            Expected(
                type=ActionType.ALLOCATION,
                key=key,
                title="Allocate a community practitioner",
                owner=OwnerRole.SPO,
                opens_at=opens,
                due=working_days_after(opens, ALLOCATE_WITHIN_WORKING_DAYS),
                evidence_needed="The case allocated to a practitioner (/allocations)",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                event=event.id,
                satisfied=satisfied,
                withdrawn=withdrawn_if_ended(event, facts, satisfied),
            )
        )
    return out
