"""Issue 17: an action a person opened (types.OPENED_BY_PEOPLE) is chased by the sweep like any other once overdue:
reminded before it is due, escalated to the line manager then the head of PDU, each once, to people who may see the
case; never closed by the sweep. Each test fails on the code before (the sweep ignored these actions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.opened import opened_expected
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.types import OPENED_BY_PEOPLE, ActionType, reminder_slot
from keepsafe.actions.services import reconcile as reconcile_module
from keepsafe.actions.services.notify import deliver
from keepsafe.actions.services.opened import action_open
from keepsafe.actions.services.reconcile import reconcile_case
from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.core.actor import Role
from keepsafe.people.models import CaseAccess, Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db
OPENED = datetime(2026, 11, 23, 10, tzinfo=UTC)
DUE = OPENED + timedelta(days=5)
OWNER, LINE_MANAGER, HEAD = "STF0001", "STF0100", "STF0800"


@pytest.fixture
def opened(imported, staff_actor):
    """One case, and one person-opened action of each type in OPENED_BY_PEOPLE on it (all due at DUE)."""

    def _open(*excluded: str) -> list[Action]:
        imported(org_with_managers() | {"people": [make_person("X123456", excluded=list(excluded))]})
        person = Person.objects.get()
        return [
            action_open(
                actor=staff_actor("STF0100", Role.SPO),
                person=person,
                type=kind,
                key=f"test:{kind.value}",
                title=f"Reconsider ({kind.value})",
                opens_at=OPENED,
                due=DUE,
                evidence_needed="A recorded decision",
            )
            for kind in sorted(OPENED_BY_PEOPLE)
        ]

    return _open


def _notes(action: Action, kind: str) -> list[str]:
    return sorted(Notification.objects.filter(action=action, kind=kind).values_list("recipient__code", flat=True))


def _sweep(at: datetime) -> None:
    sweep_everything(as_of=at)


def test_an_opened_action_is_reminded_before_due_and_escalated_up_the_chain_when_overdue_once_each(opened):
    actions = opened()
    for action in actions:
        assert _notes(action, "REMINDER") == [OWNER, LINE_MANAGER]  # told when it opened
        assert action.last_reminded_slot == OPENED
        assert [link["staff"] for link in action.chain] == [LINE_MANAGER, HEAD]

    # The first sweep after opening does not repeat the opening email.
    _sweep(OPENED + timedelta(hours=1))
    _sweep(OPENED + timedelta(hours=2))
    for action in actions:
        assert _notes(action, "REMINDER") == [OWNER, LINE_MANAGER]
        assert not action.log.filter(kind=ActionLog.Kind.REMINDED).exists()

    # A day before it is due: the owner is reminded, once however often the sweep runs.
    for at in (DUE - timedelta(hours=23), DUE - timedelta(hours=22)):
        _sweep(at)
    for action in actions:
        assert _notes(action, "REMINDER") == [OWNER, OWNER, LINE_MANAGER]

    # Overdue: escalated to the line manager (who is reminded with the owner from then on).
    for at in (DUE + timedelta(hours=1), DUE + timedelta(hours=2)):
        _sweep(at)
    for action in actions:
        action.refresh_from_db()
        assert action.status == Action.Status.OPEN
        assert action.escalation_level == 1
        assert _notes(action, "ESCALATION") == [LINE_MANAGER]
        assert _notes(action, "REMINDER") == [OWNER, OWNER, OWNER, LINE_MANAGER]

    # 48 hours overdue: the head of PDU.
    for at in (DUE + timedelta(hours=49), DUE + timedelta(hours=50)):
        _sweep(at)
    for action in actions:
        action.refresh_from_db()
        assert action.escalation_level == 2
        assert _notes(action, "ESCALATION") == [LINE_MANAGER, HEAD]
        levels = list(action.log.filter(kind=ActionLog.Kind.ESCALATED).values_list("level", "to"))
        assert levels == [(1, [LINE_MANAGER]), (2, [HEAD])]

    # A year later it is still open: only a person closes it.
    _sweep(DUE + timedelta(days=365))
    for action in actions:
        action.refresh_from_db()
        assert action.status == Action.Status.OPEN
        assert action.closed_at is None


def test_an_excluded_line_manager_is_never_in_the_chain_nor_told_and_an_exclusion_added_later_refreshes_it(opened):
    actions = opened(LINE_MANAGER)
    for action in actions:
        assert LINE_MANAGER not in {link["staff"] for link in action.chain}
    _sweep(DUE + timedelta(hours=50))
    for action in actions:
        action.refresh_from_db()
        assert action.escalation_level == 2
        assert LINE_MANAGER not in _notes(action, "ESCALATION") + _notes(action, "REMINDER")
        assert all(LINE_MANAGER not in entry.to for entry in action.log.all())
    assert not Notification.objects.filter(recipient__code=LINE_MANAGER).exists()


def test_an_exclusion_added_after_opening_takes_the_line_manager_out_of_the_chain_before_escalating(opened):
    actions = opened()
    assert all(action.chain[0]["staff"] == LINE_MANAGER for action in actions)
    person = Person.objects.get()
    CaseAccess.objects.create(person=person, staff=Staff.objects.get(code=LINE_MANAGER), kind="EXCLUSION")
    deliver()  # the opening email to the line manager, queued before the exclusion, is withheld
    told_at_opening = Notification.objects.filter(recipient__code=LINE_MANAGER).count()
    _sweep(DUE + timedelta(hours=50))
    for action in actions:
        action.refresh_from_db()
        assert LINE_MANAGER not in {link["staff"] for link in action.chain}
        assert action.escalation_level == 2
    assert Notification.objects.filter(recipient__code=LINE_MANAGER).count() == told_at_opening


def test_a_sweep_that_crashes_after_writing_leaves_nothing_and_the_rerun_reminds_and_escalates_once(opened):
    actions = opened()
    at = DUE + timedelta(hours=50)
    real_save = reconcile_module._Writes.save

    def save_then_crash(self):
        real_save(self)
        raise RuntimeError("worker lost")

    with mock.patch.object(reconcile_module._Writes, "save", save_then_crash), pytest.raises(RuntimeError):
        _sweep(at)
    for action in actions:
        assert not action.log.exclude(kind=ActionLog.Kind.CREATED).exists()
        assert _notes(action, "ESCALATION") == []
    _sweep(at)
    _sweep(at)
    for action in actions:
        action.refresh_from_db()
        assert action.escalation_level == 2
        assert _notes(action, "ESCALATION") == [LINE_MANAGER, HEAD]
        slots = list(action.log.filter(kind=ActionLog.Kind.REMINDED).values_list("slot", flat=True))
        assert slots == [reminder_slot(opened_expected_for(action).reminders, OPENED, DUE, at)]


def opened_expected_for(action: Action):
    return opened_expected(
        type=ActionType(action.type),
        key=action.key,
        title=action.title,
        opens_at=action.opens_at,
        due=action.due,
        evidence_needed=action.evidence_needed,
        detail={},
        policy=DEFAULT_POLICY,
    )


def test_the_plan_is_for_person_opened_types_only():
    rule_type = next(t for t in ActionType if t not in OPENED_BY_PEOPLE)
    with pytest.raises(ValueError, match="opened by the rules"):
        opened_expected(
            type=rule_type,
            key="k",
            title="t",
            opens_at=OPENED,
            due=DUE,
            evidence_needed="",
            detail={},
            policy=DEFAULT_POLICY,
        )


class _RollbackError(Exception):
    pass


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.integers(min_value=-3 * 24, max_value=30 * 24), min_size=1, max_size=8))
def test_for_any_sweep_instants_person_opened_actions_stay_open_and_each_slot_and_level_fires_at_most_once(
    opened, offsets
):
    """Sweeps at any instants, in any order (hours from opening, before it too): the action stays open, each reminder
    slot is logged at most once and only if it is later than every slot already reminded (the opening counts), each
    escalation level at most once and in order, and the notifications match the log entries one for one."""
    try:
        with transaction.atomic():
            actions = opened()
            person = Person.objects.get()
            plan = opened_expected_for(actions[0])
            expected_slots: list[datetime] = []
            last = OPENED
            for hours in offsets:
                at = OPENED + timedelta(hours=hours)
                reconcile_case(person, at)
                slot = reminder_slot(plan.reminders, OPENED, DUE, at) if at >= OPENED else None
                if slot is not None and slot > last:
                    expected_slots.append(slot)
                    last = slot
            for action in actions:
                action.refresh_from_db()
                assert action.status == Action.Status.OPEN
                assert action.closed_at is None
                reminded = list(action.log.filter(kind=ActionLog.Kind.REMINDED).order_by("id"))
                assert [r.slot for r in reminded] == expected_slots
                levels = list(
                    action.log.filter(kind=ActionLog.Kind.ESCALATED).order_by("id").values_list("level", flat=True)
                )
                assert levels == list(range(1, len(levels) + 1))
                assert len(_notes(action, "ESCALATION")) == len(levels)
                told = sum(len(r.to) for r in reminded)
                assert len(_notes(action, "REMINDER")) == 2 + told  # the opening email, then one per log recipient
            raise _RollbackError
    except _RollbackError:
        pass
