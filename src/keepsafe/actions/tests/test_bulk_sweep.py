"""Issue 20 §1: a chunk of cases is read in a fixed number of queries and written in bulk, in one transaction; a
sweep that dies half-way through a chunk leaves that chunk untouched, and carrying on gives the uninterrupted result."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keepsafe.actions.models import Action, ActionLog, CaseSweep, Notification, SweepRun
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.selectors import case_facts_many
from keepsafe.actions.services import reconcile
from keepsafe.actions.services import sweep as sweep_module
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.reconcile import reconcile_many
from keepsafe.actions.services.sweep import sweep_everything, sweep_run, sweep_start
from keepsafe.actions.tests.test_sweep_equivalence import snapshot
from keepsafe.core.actor import Actor, Channel
from keepsafe.demo.seed import seed
from keepsafe.people.models import Person

pytestmark = pytest.mark.django_db
AS_OF = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _reads(queries: list[dict[str, str]]) -> int:
    return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT"))


def _without_demo_history() -> None:
    """The demo replays past sweeps for its flag-review history (demo/seed.demo_flag_review_replay); these tests
    sweep from an empty action table."""
    Notification.objects.all().delete()
    ActionLog.objects.all().delete()
    Action.objects.all().delete()
    CaseSweep.objects.all().delete()


def test_a_chunk_is_read_in_the_same_number_of_queries_for_10_cases_as_for_200():
    seed(actor=Actor.system(Channel.SYSTEM), today=date(2026, 11, 23), people=210)
    _without_demo_history()
    people = list(Person.objects.order_by("pk"))
    assert len(people) >= 210
    counts = {}
    for size in (10, 200):
        with CaptureQueriesContext(connection) as reads:
            facts = case_facts_many(people[:size], AS_OF, Policy())
        assert len(facts) == size
        assert sum(len(f.events) + len(f.contacts) + len(f.registrations) for f in facts.values()) > size
        counts[size] = len(reads.captured_queries)
    assert counts[10] == counts[200]

    directory = Directory.load()
    writes = {}
    for size, chunk in ((10, people[:10]), (200, people[10:210])):
        with CaptureQueriesContext(connection) as queries:
            outcome = reconcile_many(chunk, AS_OF, directory=directory)
        assert outcome.created > size
        assert outcome.reminded > 0
        writes[size] = queries.captured_queries
    # The same reads whatever the chunk's size; the writes are bulk statements (a few batches), never one per row.
    assert _reads(writes[10]) == _reads(writes[200])
    assert len(writes[200]) - _reads(writes[200]) < 30
    assert Action.objects.filter(person__in=people[:210]).count() > 400


def test_a_sweep_that_dies_half_way_through_a_chunk_leaves_it_untouched_and_carrying_on_gives_the_same_result(
    monkeypatch,
):
    seed(actor=Actor.system(Channel.SYSTEM), today=date(2026, 11, 23), people=60)
    _without_demo_history()
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    run = sweep_start(as_of=AS_OF)
    assert run is not None
    real = reconcile._insert
    calls = {"n": 0}

    def dies_in_the_second_chunk(model, rows):
        if model is Notification:
            calls["n"] += 1
            if calls["n"] == 2:  # the second chunk's notifications: its actions and log entries are already inserted
                raise SystemExit("worker killed")
        real(model, rows)

    monkeypatch.setattr(reconcile, "_insert", dies_in_the_second_chunk)
    with pytest.raises(SystemExit):
        sweep_run(run, batch=20)
    stored = SweepRun.objects.get(pk=run.pk)
    assert (stored.cursor, stored.cases, stored.finished_at) == (people[19], 20, None)
    assert Action.objects.filter(person_id__in=people[:20]).exists()
    assert not Action.objects.filter(person_id__in=people[20:]).exists()  # the chunk that died left nothing

    monkeypatch.setattr(reconcile, "_insert", real)
    sweep_run(stored, batch=20)  # the next worker carries on from the cursor
    assert SweepRun.objects.get(pk=run.pk).cases == len(people)
    carried_on = snapshot()

    Action.objects.all().delete()  # the same sweep uninterrupted, from the same start
    Notification.objects.all().delete()
    sweep_everything(as_of=AS_OF)
    assert snapshot() == carried_on
    assert len(carried_on["actions"]) > 50
    # Enough to compare (issue 15, helper "demo15": the demo records the work behind most actions, so fewer are overdue
    # and escalate than the 50-odd notifications of 60 people before; 36 now).
    assert len(carried_on["notifications"]) > 20


def test_on_sqlite_a_chunk_is_sized_to_hold_the_write_lock_about_as_long_as_a_job_may_before_its_pause(
    monkeypatch, settings
):
    settings.KEEPSAFE_SWEEP_CHUNK = 0
    monkeypatch.setattr(sweep_module, "connection", SimpleNamespace(vendor="sqlite"))
    assert sweep_module.chunk_size() == sweep_module.SQLITE_FIRST_CHUNK
    hold = sweep_module.HOLD_SECONDS
    assert sweep_module.next_chunk(20, hold * 2) == 10  # twice too long: half the cases
    assert sweep_module.next_chunk(20, hold / 10) == 40  # much too short: at most double at a time
    assert sweep_module.next_chunk(150, hold / 10) == 200  # never more than the most
    assert sweep_module.next_chunk(20, hold * 100) == 5  # never fewer than the least
    monkeypatch.setattr(sweep_module, "connection", SimpleNamespace(vendor="postgresql"))
    assert sweep_module.chunk_size() == 1000
    assert sweep_module.next_chunk(1000, hold * 100) == 1000  # PostgreSQL: no single write lock to share
    settings.KEEPSAFE_SWEEP_CHUNK = 7
    assert sweep_module.chunk_size() == 7
