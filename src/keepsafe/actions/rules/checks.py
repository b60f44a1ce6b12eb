"""Domestic abuse and safeguarding checks before release and at the start of a community sentence.

Why: inspectors found domestic abuse checks done before release in 55% of cases and safeguarding information shared
in 59% (seeds/004), and information received but not acted on (seeds/002). So a check is done only when the partner's
answer is recorded *and* the practitioner records what was done with it (issue 6 §3).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from keepsafe.actions.rules.calendar import end_of_day, start_of_day, working_days_after
from keepsafe.actions.rules.common import (
    default_escalations,
    default_reminders,
    event_in_view,
    withdrawn_if_ended,
)
from keepsafe.actions.rules.facts import CaseFacts, CheckFacts, EventFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole

KINDS = {"DOMESTIC_ABUSE": ActionType.DOMESTIC_ABUSE_CHECK, "SAFEGUARDING": ActionType.SAFEGUARDING_CHECK}
WORDS = {"DOMESTIC_ABUSE": "domestic abuse", "SAFEGUARDING": "safeguarding"}


def release_date(event: EventFacts) -> date | None:
    return event.release or event.conditional_release or event.parole_eligibility


def _state(kind: str, checks: list[CheckFacts], facts: CaseFacts) -> tuple[Evidence | None, str]:
    """Satisfied by the newest check of the kind both answered and acted on; otherwise what is still missing."""
    known = [c for c in checks if c.requested_at <= facts.as_of]
    done = [
        c
        for c in known
        if c.answered_at is not None
        and c.answered_at <= facts.as_of
        and c.acted_on_at is not None
        and c.acted_on_at <= facts.as_of
    ]
    if done:
        last = max(done, key=lambda c: c.acted_on_at or c.requested_at)
        assert last.acted_on_at is not None
        return Evidence("check", last.id, last.acted_on_at, f"{WORDS[kind]} check answered and acted on"), ""
    answered = [c for c in known if c.answered_at is not None and c.answered_at <= facts.as_of]
    if answered:
        return None, "The answer has arrived: record what was done with it"
    if known:
        return None, "Requested; waiting for the partner's answer, then record what was done with it"
    return None, f"Request a {WORDS[kind]} check, record the answer and what was done with it"


def check_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    for event in facts.events:
        triggers: list[tuple[str, datetime, datetime, date | None]] = []
        if event.custodial and (release := release_date(event)) is not None:
            due_day = release - timedelta(days=policy.checks_days_before_release)
            opens = start_of_day(max(event.sentence_date, due_day - timedelta(days=28)))
            triggers.append(("release", opens, end_of_day(due_day), release))
        elif not event.custodial:
            opens = start_of_day(event.sentence_date)
            triggers.append(("start", opens, working_days_after(opens, policy.checks_working_days_after_start), None))
        for when, opens, due, release in triggers:
            window_from = opens - timedelta(days=policy.checks_valid_days_before)
            for kind, action_type in KINDS.items():
                key = f"event:{event.id}:{when}:{kind}"
                if not event_in_view(event, opens, key, facts, policy):
                    continue
                relevant = [c for c in facts.checks if c.kind == kind and c.requested_at >= window_from]
                satisfied, missing = _state(kind, relevant, facts)
                title = f"{WORDS[kind].capitalize()} check " + (
                    f"before release on {release:%-d %B %Y}" if release else "at the start of the sentence"
                )
                out.append(
                    Expected(
                        type=action_type,
                        key=key,
                        title=title,
                        owner=OwnerRole.COM,
                        opens_at=opens,
                        due=due,
                        evidence_needed=missing or "Done",
                        reminders=default_reminders(policy),
                        escalations=default_escalations(policy),
                        event=event.id,
                        satisfied=satisfied,
                        withdrawn=withdrawn_if_ended(event, facts, satisfied),
                    )
                )
    return out
