"""Issue 20 §2: `next_change(facts, policy)` is a safe next visit for the incremental sweep. For generated facts, the
expected actions and every action's reminder slot and escalation level are the same at every instant in
[as_of, next_change), once the actions the sweep at `as_of` opened and closed are taken into account."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.next_change import next_change
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.types import Expected, escalation_level, reminder_slot
from keepsafe.actions.tests.test_invariants import case_facts


def _after_sweep(facts: CaseFacts) -> CaseFacts:
    """The facts as the next sweep reads them: what this one opened is open, what it closed is not."""
    first = expected_actions(facts, DEFAULT_POLICY)
    closed = {e.key for e in first if e.satisfied is not None or e.withdrawn is not None}
    opened = {e.key for e in first if e.satisfied is None and e.withdrawn is None}
    return replace(facts, open_keys=frozenset((facts.open_keys - closed) | opened))


def _state(facts: CaseFacts, at: datetime) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for e in expected_actions(replace(facts, as_of=at), DEFAULT_POLICY):
        shown: Expected = e if e.withdrawn is None else replace(e, opens_at=facts.as_of, due=facts.as_of)
        plan: tuple[object, ...] = ()
        if e.withdrawn is None and e.satisfied is None:
            plan = (
                reminder_slot(e.reminders, e.opens_at, e.due, at),
                escalation_level(e.escalations, e.due, at, e.raised_at),
            )
        out.append((shown, plan))
    return sorted(out, key=lambda pair: pair[0].key)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_facts(), st.lists(st.floats(min_value=0, max_value=1, exclude_max=True), min_size=1, max_size=6))
def test_nothing_the_sweep_acts_on_changes_before_the_next_change(facts, fractions):
    facts = _after_sweep(facts)
    until = next_change(facts, DEFAULT_POLICY)
    assert until > facts.as_of
    at_start = _state(facts, facts.as_of)
    micros = (until - facts.as_of) // timedelta(microseconds=1)
    offsets = [min(int(micros * x), micros - 1) for x in fractions] + [micros - 1]
    for t in [facts.as_of + timedelta(microseconds=n) for n in offsets]:
        assert _state(facts, t) == at_start, f"changed at {t.isoformat()} before next_change {until.isoformat()}"


def test_a_day_after_any_instant_is_always_at_or_after_the_next_change():
    """Date-based rules change at midnight: no case waits longer than a day for its next visit."""
    facts = CaseFacts(crn="X000001", as_of=datetime.fromisoformat("2026-06-01T12:30:00+00:00"), com_allocated=True)
    until = next_change(facts, DEFAULT_POLICY)
    assert until == datetime.fromisoformat("2026-06-01T23:00:00+00:00")  # midnight in London (BST)
