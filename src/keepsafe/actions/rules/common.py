"""Helpers the per-type rules share: default reminder and escalation plans, look-back, withdrawal on termination."""

from __future__ import annotations

from datetime import datetime, timedelta

from keepsafe.actions.rules.calendar import local_date
from keepsafe.actions.rules.facts import CaseFacts, EventFacts
from keepsafe.actions.rules.policy import Policy, hours
from keepsafe.actions.rules.types import Escalation, Evidence, ReminderPlan, Step


def default_reminders(policy: Policy) -> ReminderPlan:
    """At opening, a day before it is due, on the due instant, then daily while overdue (Keepsafe default)."""
    return ReminderPlan(offsets=(-timedelta(days=1), timedelta(0)), every_overdue=hours(policy.overdue_reminder_hours))


def default_escalations(policy: Policy) -> tuple[Escalation, ...]:
    """Owner → line manager when overdue → head of PDU (issue 6 §1 escalation chain)."""
    return (
        Escalation(hours(policy.escalate_to_line_manager_hours), Step.LINE_MANAGER),
        Escalation(hours(policy.escalate_to_head_hours), Step.HEAD_OF_PDU),
    )


def in_view(trigger: datetime, key: str, facts: CaseFacts, policy: Policy) -> bool:
    """A trigger opens an action if it happened by the instant, recently enough, or its action is already open."""
    if trigger > facts.as_of:
        return False
    return key in facts.open_keys or trigger >= facts.as_of - timedelta(days=policy.trigger_lookback_days)


def terminated_by(event: EventFacts, facts: CaseFacts) -> bool:
    return event.terminated is not None and event.terminated <= local_date(facts.as_of)


def event_in_view(event: EventFacts, opens: datetime, key: str, facts: CaseFacts, policy: Policy) -> bool:
    """In view, and not for a sentence that ended before its action was ever opened."""
    return in_view(opens, key, facts, policy) and (not terminated_by(event, facts) or key in facts.open_keys)


def withdrawn_if_ended(event: EventFacts, facts: CaseFacts, satisfied: Evidence | None) -> str | None:
    """An open action whose sentence has since ended is withdrawn, unless the facts show it was done."""
    return "sentence terminated" if satisfied is None and terminated_by(event, facts) else None
