"""A sentence that ends while the person is on remand for another matter (issue 16 §6).

Source: seeds/001 concern 13 and 13.1 — nothing alerted the prison offender manager to hand the case to the
community offender manager when a sentence ended while the person stayed in prison on remand; the COM stays
responsible to the sentence expiry date and must complete the termination assessment and close the record. The
termination (licence-expiry) action comes from reviews.termination_actions for every sentence with an end; this rule
adds the handover that a remand makes easy to miss. Opens with the termination action (policy.termination_lead_days
before the end), due on the day the sentence ends, escalated like every safety action.
"""

from __future__ import annotations

from datetime import date, timedelta

from keepsafe.actions.rules.calendar import start_of_day
from keepsafe.actions.rules.common import default_escalations, default_reminders, event_in_view, withdrawn_if_ended
from keepsafe.actions.rules.facts import CaseFacts, RemandFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Expected, OwnerRole


def on_remand(periods: tuple[RemandFacts, ...], day: date) -> RemandFacts | None:
    """The remand period the person is in on `day` (the earliest started, if several), else None."""
    return next((p for p in periods if p.start <= day and (p.end is None or p.end >= day)), None)


def remand_handover_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    for event in facts.events:
        expiry = event.expiry
        if expiry is None:
            continue
        period = on_remand(facts.remand, expiry)
        if period is None:
            continue
        key = f"event:{event.id}:remand-handover:{expiry.isoformat()}"
        opens = start_of_day(expiry - timedelta(days=policy.termination_lead_days))
        if not event_in_view(event, opens, key, facts, policy):
            continue
        out.append(
            Expected(
                type=ActionType.HANDOVER,
                key=key,
                title=f"Sentence ends on {expiry:%-d %B %Y} while on remand ({period.matter}): hand over to the COM",
                owner=OwnerRole.POM,
                opens_at=opens,
                due=start_of_day(expiry),
                evidence_needed="The prison offender manager has handed the case to the community offender manager, "
                "who completes the termination assessment and closes the sentence at its expiry",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                event=event.id,
                withdrawn=withdrawn_if_ended(event, facts, None),
                detail={"remand": period.id, "sentence_ends": expiry.isoformat()},
            )
        )
    return out
