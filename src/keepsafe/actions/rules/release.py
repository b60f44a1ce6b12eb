"""The release plan: what must be in place before someone leaves custody.

Why: seeds/001 (concerns 3, 4, 7: licence conditions set without the risk information; the restraining order never
seen) and seeds/004 (pre-release findings). A risk management plan can never rest on an unfinished assessment, so
licence conditions count only when confirmed after a completed risk assessment (issue 6 §3).
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from keepsafe.actions.rules.calendar import end_of_day, start_of_day
from keepsafe.actions.rules.checks import release_date
from keepsafe.actions.rules.common import (
    default_escalations,
    default_reminders,
    event_in_view,
    withdrawn_if_ended,
)
from keepsafe.actions.rules.facts import AssessmentFacts, CaseFacts, ReleasePlanItem
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole


class Item(enum.StrEnum):
    ACCOMMODATION = "ACCOMMODATION"
    LICENCE_CONDITIONS = "LICENCE_CONDITIONS"
    VICTIM_CONTACT = "VICTIM_CONTACT"
    MULTI_AGENCY = "MULTI_AGENCY"


ITEM_LABELS = {
    Item.ACCOMMODATION: "Accommodation confirmed for the day of release",
    Item.LICENCE_CONDITIONS: "Licence conditions set, after the risk assessment is complete",
    Item.VICTIM_CONTACT: "Victim contact scheme views considered",
    Item.MULTI_AGENCY: "MAPPA or IOM meeting held with the prison offender manager invited, or their written update",
}


def licence_conditions_problem(assessments: tuple[AssessmentFacts, ...], at: datetime) -> str | None:
    """Licence conditions may be confirmed only once a risk assessment is complete (issue 6 §3, RELEASE_PLAN)."""
    if any(a.completed_at <= at for a in assessments):
        return None
    return "complete the risk assessment first: licence conditions must rest on a completed assessment"


def items_needed(victim_registered: bool) -> list[Item]:
    return [i for i in Item if i is not Item.VICTIM_CONTACT or victim_registered]


def release_plan_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    for event in facts.events:
        release = release_date(event) if event.custodial else None
        if release is None:
            continue
        opens = start_of_day(release - timedelta(days=policy.release_plan_opens_days_before))
        key = f"event:{event.id}:release-plan:{release.isoformat()}"
        if not event_in_view(event, opens, key, facts, policy):
            continue
        confirmed: dict[str, ReleasePlanItem] = {}
        for item in facts.release_plan:
            if item.event != event.id or item.at > facts.as_of:
                continue
            if item.item == Item.LICENCE_CONDITIONS and licence_conditions_problem(facts.assessments, item.at):
                continue
            confirmed.setdefault(item.item, item)
        needed = items_needed(facts.victim_registered)
        missing = [i for i in needed if i not in confirmed]
        satisfied = None
        if not missing:
            last = max((confirmed[i] for i in needed), key=lambda c: c.at)
            satisfied = Evidence("release-plan", last.ref, last.at, "every release plan item confirmed")
        out.append(
            Expected(
                type=ActionType.RELEASE_PLAN,
                key=key,
                title=f"Release plan for release on {release:%-d %B %Y}",
                owner=OwnerRole.COM,
                opens_at=opens,
                due=end_of_day(release - timedelta(days=policy.release_plan_due_days_before)),
                evidence_needed="; ".join(ITEM_LABELS[i] for i in missing) or "Done",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                event=event.id,
                satisfied=satisfied,
                withdrawn=withdrawn_if_ended(event, facts, satisfied),
                detail={"missing": ",".join(missing)},
            )
        )
    return out
