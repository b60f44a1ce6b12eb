"""A reminder or escalation instant is the same whether the action's instants came from the rules (London time) or
back from the database (UTC). Python adds a timedelta to an aware datetime on its own zone's clock, so `due + offset`
across a clock change gave two instants an hour apart: the full sweep then sent a stale reminder an hour after it had
created the action (found by the incremental-versus-full sweep equivalence test, issue 20 §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.rules.calendar import LONDON, start_of_day
from keepsafe.actions.rules.types import Escalation, ReminderPlan, Step, escalation_level, reminder_slot


def _handover_plan() -> ReminderPlan:
    return ReminderPlan(offsets=(-timedelta(days=56), timedelta(0), timedelta(days=14)))


def test_eight_weeks_before_a_winter_midnight_is_the_summer_midnight_the_action_opened_at():
    due = start_of_day(date(2026, 12, 8))  # GMT
    opens = start_of_day(date(2026, 10, 13))  # BST: 23:00 UTC on 12 October
    at = datetime(2026, 11, 23, 9, tzinfo=UTC)
    from_rules = reminder_slot(_handover_plan(), opens, due, at)
    from_database = reminder_slot(_handover_plan(), opens.astimezone(UTC), due.astimezone(UTC), at)
    assert from_rules == from_database == opens  # one slot, not the opening and another an hour later


@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    before=st.integers(min_value=0, max_value=120),
    after_days=st.integers(min_value=0, max_value=60),
    hours=st.integers(min_value=0, max_value=24 * 200),
)
def test_reminder_and_escalation_instants_do_not_depend_on_the_zone_the_instants_arrive_in(
    day, before, after_days, hours
):
    due = start_of_day(day)
    opens = start_of_day(day - timedelta(days=before))
    plan = ReminderPlan(offsets=(-timedelta(days=before), timedelta(0), timedelta(days=after_days)))
    at = opens.astimezone(UTC) + timedelta(hours=hours)
    zones = [(opens, due, at), (opens.astimezone(UTC), due.astimezone(UTC), at.astimezone(LONDON))]
    slots = {reminder_slot(plan, o, d, a) for o, d, a in zones}
    assert len(slots) == 1
    steps = (Escalation(timedelta(days=after_days), Step.HEAD_OF_PDU),)
    assert len({escalation_level(steps, d, a) for _, d, a in zones}) == 1
