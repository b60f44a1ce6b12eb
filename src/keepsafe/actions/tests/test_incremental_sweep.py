"""Issue 20 §2: incremental by default. On the frozen demo region (the equivalence test's input), incremental sweeps at
a series of instants give exactly the same actions, owners, due instants, logs and notifications (every type, the
contact levels included) as full sweeps at the same instants, while visiting only the cases that are dirty or due;
a write marks its case dirty in its own transaction; a crash half-way through an incremental sweep loses nothing."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction

from keepsafe.actions.models import Action, ActionLog, CaseSweep, Notification, SweepRun
from keepsafe.actions.services import reconcile as reconcile_module
from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.actions.services.sweep import due_people, sweep_everything, sweep_run, sweep_start
from keepsafe.actions.tests import test_sweep_equivalence as equivalence
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Channel
from keepsafe.people.models import Person

# Between the equivalence test's instants, more instants an hourly schedule would have swept.
INSTANTS = sorted(
    {
        *equivalence.INSTANTS,
        equivalence.START + timedelta(hours=1),
        equivalence.START + timedelta(hours=15),  # past midnight in London: every case is due once
        equivalence.START + timedelta(days=2, hours=2),
        equivalence.START + timedelta(days=9, minutes=20),
    }
)


def _reset() -> None:
    ActionLog.objects.all().delete()
    Notification.objects.all().delete()
    Action.objects.all().delete()
    CaseSweep.objects.all().delete()
    SweepRun.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_incremental_sweeps_give_exactly_what_full_sweeps_give_at_the_same_instants(monkeypatch):
    monkeypatch.setattr(equivalence, "NEW_TYPES", frozenset())  # compare every type, the newer ones too
    with monkeypatch.context() as pinned:
        pinned.setattr(clock, "now", lambda: equivalence.SEEDED)
        equivalence.seed_frozen(Actor.system(Channel.SYSTEM), pinned)
    people = Person.objects.count()

    _reset()
    full = []
    for instant in INSTANTS:
        sweep_everything(as_of=instant, full=True)
        full.append(equivalence.snapshot())

    _reset()
    visited = []
    for instant, want in zip(INSTANTS, full, strict=True):
        run, _ = sweep_everything(as_of=instant, full=False)
        visited.append(run.cases)
        have = equivalence.snapshot()
        for part in ("actions", "logs", "notifications"):
            assert equivalence.comparable(part, have[part]) == equivalence.comparable(part, want[part]), (
                f"{part} differ after the incremental sweep at {instant.isoformat()}"
            )
    assert visited[0] == people  # never reconciled: every case
    assert min(visited) < people / 2, visited  # later sweeps visit only the dirty and due cases
    # The same instant again: nothing is dirty or due.
    again, outcome = sweep_everything(as_of=INSTANTS[-1], full=False)
    assert again.cases == 0
    assert (outcome.created, outcome.reminded, outcome.escalated) == (0, 0, 0)


@pytest.mark.django_db
def test_a_write_marks_its_case_dirty_in_its_own_transaction_and_a_rolled_back_write_does_not(imported):
    from keepsafe.testing.fixtures import make_bundle, make_person

    imported(make_bundle(make_person("X000001"), make_person("X000002")))
    at = equivalence.START
    sweep_everything(as_of=at, full=False)
    assert due_people(0, at, 100) == []
    one, two = Person.objects.order_by("crn")
    with transaction.atomic():
        mark_dirty([one.pk])
        transaction.set_rollback(True)
    assert due_people(0, at, 100) == []
    with transaction.atomic():
        mark_dirty([two.pk])
    assert due_people(0, at, 100) == [two]
    run, _ = sweep_everything(as_of=at, full=False)
    assert run.cases == 1
    assert due_people(0, at, 100) == []
    # Its next change: due again by then (never later than the next midnight).
    state = CaseSweep.objects.get(person=one)
    assert at < state.next_due_at <= at + timedelta(days=1)
    assert one in due_people(0, state.next_due_at, 100)


@pytest.mark.django_db
def test_a_mark_made_while_a_reconcile_runs_keeps_the_case_dirty(imported):
    """The reconcile records the mark it read before reading the facts; a later mark is newer, so the case stays
    dirty (the write it stands for may not have been in the facts the reconcile read)."""
    from keepsafe.testing.fixtures import make_bundle

    imported(make_bundle())
    person = Person.objects.get()
    real = reconcile_module.case_facts_many

    def facts_then_a_write(*args, **kwargs):
        out = real(*args, **kwargs)
        mark_dirty([person.pk])  # as a write committed between our read of the mark and our commit
        return out

    with mock.patch.object(reconcile_module, "case_facts_many", facts_then_a_write):
        sweep_everything(as_of=equivalence.START, full=False)
    assert due_people(0, equivalence.START, 10) == [person]
    sweep_everything(as_of=equivalence.START, full=False)
    assert due_people(0, equivalence.START, 10) == []


@pytest.mark.django_db
def test_an_incremental_sweep_that_crashes_half_way_carries_on_and_clears_each_mark_once(imported):
    from keepsafe.testing.fixtures import make_bundle, make_person

    imported(make_bundle(*(make_person(f"X00000{i}") for i in range(1, 7))))
    at = equivalence.START
    run = sweep_start(as_of=at, full=False)
    assert run is not None
    chunks = 0
    real = reconcile_module.reconcile_many

    def crash_on_the_third_chunk(*args, **kwargs):
        nonlocal chunks
        chunks += 1
        out = real(*args, **kwargs)
        if chunks == 3:
            raise RuntimeError("worker lost")
        return out

    from keepsafe.actions.services import sweep as sweep_module

    with mock.patch.object(sweep_module, "reconcile_many", crash_on_the_third_chunk), pytest.raises(RuntimeError):
        sweep_run(run, batch=2)
    run.refresh_from_db()
    assert run.cases == 4
    assert len(due_people(0, at, 100)) == 2  # the crashed chunk was rolled back whole: still dirty
    sweep_run(run, batch=2)
    run.refresh_from_db()
    assert run.cases == 6
    assert due_people(0, at, 100) == []
    reminded = ActionLog.objects.filter(kind="REMINDED").values_list("action_id", "slot")
    assert len(reminded) == len(set(reminded))
    reference = {(a.person.crn, a.key) for a in Action.objects.select_related("person")}
    _reset()
    sweep_everything(as_of=at, full=True)
    assert {(a.person.crn, a.key) for a in Action.objects.select_related("person")} == reference


@pytest.mark.django_db
def test_known_later_in_one_statement_gives_what_the_orm_queries_gave():
    """Helper "sweep3": `known_later_many` sends KNOWN_LATER as one UNION ALL statement; per case it gives the same
    first instant as one ORM query per entry, at instants before, inside and after the demo's history."""
    from datetime import UTC, date, datetime

    from django.db.models import Min

    from keepsafe.actions.selectors import KNOWN_LATER, known_later_many
    from keepsafe.demo.seed import seed

    def by_the_orm(ids: list[int], as_of: datetime) -> dict[int, datetime]:
        out: dict[int, datetime] = {}
        for model, person, stamp in KNOWN_LATER:
            rows = model.objects.filter(**{f"{person}__in": ids, f"{stamp}__gt": as_of}).values_list(person)
            for pk, first in rows.annotate(first=Min(stamp)).order_by():
                out[pk] = min(first, out.get(pk, first))
        return out

    seed(actor=Actor.system(Channel.SYSTEM), today=date(2026, 11, 23), people=30)
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    found = 0
    for as_of in (
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2026, 6, 1, 12, 30, tzinfo=UTC),
        datetime(2026, 11, 23, 9, tzinfo=UTC),
        datetime(2027, 6, 1, tzinfo=UTC),
    ):
        for chunk in (ids, ids[:7], ids[7:8]):
            want = by_the_orm(chunk, as_of)
            assert known_later_many(chunk, as_of) == want, as_of
            found += len(want)
    assert found > 30  # the demo stores rows ahead of these instants
    assert known_later_many([], equivalence.START) == {}
