"""Approved premises (issue 16 §5): the premises' decision on a referral, and a place before release.

Why: seeds/003 recommendation 13 asks for "clear and responsive arrangements for emergency referral to approved
premises" for people who present a high risk of serious harm, and recommendation 4 for a placement for every high risk
of harm offender who requires one. So (a) a referral awaiting the premises' decision is a safety action due within
`ap_emergency_decision_hours` hours of an emergency (out-of-hours) referral, or by the end of the
`ap_decision_working_days`-th working day after any other (Keepsafe defaults: the sources give no time), escalating
like every safety action and closed by the decision; and (b) a licence condition to reside at approved premises
(its code, premises/rules/referral.AP_CONDITION) with no confirmed place (no accepted referral with a place) is
flagged as soon as it is known while release is ahead, due `ap_place_days_before_release` days before the release
date (at once, and raised, when known later than that), and closed when a place is confirmed. It is never withdrawn
because the release date passed: a person released without the place their licence requires stays overdue.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from keepsafe.actions.rules.calendar import add_working_days, end_of_day, local_date, start_of_day
from keepsafe.actions.rules.common import default_escalations, default_reminders, in_view
from keepsafe.actions.rules.facts import CaseFacts, EventFacts
from keepsafe.actions.rules.policy import Policy, hours
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole
from keepsafe.premises.rules.referral import ApReferralFacts, decision_words


def release_of(event: EventFacts) -> date | None:
    """The date the person is expected out on licence: the release date if set, else the conditional release date."""
    return event.release if event.release is not None else event.conditional_release


def ap_decision_due(referral: ApReferralFacts, policy: Policy) -> datetime:
    """When the premises' decision on a referral is due: hours after an emergency referral, else the end of the n-th
    working day after the referral day."""
    if referral.emergency:
        return referral.referred_at + hours(policy.ap_emergency_decision_hours)
    return end_of_day(add_working_days(local_date(referral.referred_at), policy.ap_decision_working_days))


def ap_place_due(release: date, policy: Policy) -> datetime:
    """The start of the day `ap_place_days_before_release` days before release."""
    return start_of_day(release - timedelta(days=policy.ap_place_days_before_release))


def ap_referral_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    ap = facts.approved_premises
    out: list[Expected] = []
    for referral in ap.referrals:
        key = f"ap:{referral.id}:decision"
        if not in_view(referral.referred_at, key, facts, policy):
            continue
        decided = referral.decided_at is not None and referral.decided_at <= facts.as_of
        done = (
            Evidence(
                "ap_referral",
                referral.id,
                referral.decided_at,
                f"premises decision: {decision_words(referral.decision)}",
            )
            if decided and referral.decided_at is not None
            else None
        )
        kind = "Emergency approved premises referral" if referral.emergency else "Approved premises referral"
        out.append(
            Expected(
                type=ActionType.AP_REFERRAL,
                key=key,
                title=f"{kind} to {referral.premises}: get the premises' decision",
                owner=OwnerRole.COM,
                opens_at=referral.referred_at,
                due=ap_decision_due(referral, policy),
                evidence_needed="Done"
                if done
                else "Record the premises' decision: a place and its date, or the reason for refusal",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                satisfied=done,
                detail={
                    "referral": referral.id,
                    "premises": referral.premises,
                    "emergency": str(referral.emergency),
                    "stage": "decision",
                },
            )
        )
    today = local_date(facts.as_of)
    placed = ap.confirmed_place(facts.as_of)
    events = {e.id: e for e in facts.events}
    seen: set[str] = set()
    for condition in sorted(ap.conditions, key=lambda c: (c.known_from, c.condition)):
        event = events.get(condition.event)
        if event is None or condition.event in seen or condition.known_from > facts.as_of:
            continue
        release = release_of(event)
        key = f"ap:{condition.event}:place"
        if release is None or (release <= today and key not in facts.open_keys):
            continue  # no release date to work to, or released before the action was ever opened
        seen.add(condition.event)
        target = ap_place_due(release, policy)
        late = target < condition.known_from
        done = (
            Evidence("ap_referral", placed.id, placed.decided_at, f"place confirmed at {placed.premises}")
            if placed is not None and placed.decided_at is not None
            else None
        )
        out.append(
            Expected(
                type=ActionType.AP_REFERRAL,
                key=key,
                title=f"Licence requires approved premises: confirm a place before release on {release:%-d %B %Y}",
                owner=OwnerRole.COM,
                opens_at=condition.known_from,
                due=condition.known_from if late else target,
                evidence_needed="Done" if done else "Refer to approved premises and record the accepted place",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                satisfied=done,
                detail={"event": condition.event, "release": release.isoformat(), "stage": "place", "late": str(late)},
                raised_at=condition.known_from if late else None,
            )
        )
    return out
