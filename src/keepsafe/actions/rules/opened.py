"""The reminder and escalation plan of an action a person opened (types.OPENED_BY_PEOPLE): one rule, used both when
`actions/services/opened.action_open` opens it and by every sweep that reminds and escalates it afterwards.

Source: issue 17 §3 ("disagreement opens an action on the case") with the issue 6 §1 escalation chain; the same
default reminders and escalations as the rule-derived actions (rules/common.py), so a person-opened action is chased
exactly like any other once overdue. Nothing in the plan ever closes it: only a person does (MANUAL_COMPLETION).
"""

from __future__ import annotations

from datetime import datetime

from keepsafe.actions.rules.common import default_escalations, default_reminders
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import OPENED_BY_PEOPLE, ActionType, Expected, OwnerRole


def opened_expected(
    *,
    type: ActionType,
    key: str,
    title: str,
    opens_at: datetime,
    due: datetime,
    evidence_needed: str,
    detail: dict[str, str],
    policy: Policy,
) -> Expected:
    """The action as the reconciler sees it: owned by the community offender manager, reminded at opening, a day
    before due, on the due instant and daily while overdue; escalated to the line manager when overdue and to the
    head of PDU after `escalate_to_head_hours`. Never satisfied or withdrawn by the rules."""
    if type not in OPENED_BY_PEOPLE:
        raise ValueError(f"{type.value} actions are opened by the rules, not by a person")
    return Expected(
        type=type,
        key=key,
        title=title,
        owner=OwnerRole.COM,
        opens_at=opens_at,
        due=due,
        evidence_needed=evidence_needed,
        reminders=default_reminders(policy),
        escalations=default_escalations(policy),
        detail=dict(detail),
    )
