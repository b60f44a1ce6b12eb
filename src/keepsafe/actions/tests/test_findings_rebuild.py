"""The worker's housekeeping rebuilds indicator findings once when the store was built by another scanner (an upgrade
changed the lexicon or classifier), a slice a round, and not at all when it is current
(records/services.findings_rebuild_step)."""

from __future__ import annotations

import pytest
from django.tasks import TaskResultStatus
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from keepsafe.actions.services.worker import housekeeping
from keepsafe.actions.tasks import reconcile_people
from keepsafe.audit.models import AuditEvent
from keepsafe.cli.management.commands.worker import Command as WorkerCommand
from keepsafe.people.models import Person
from keepsafe.records import services as records_services
from keepsafe.records.models import IndicatorFinding, ScanState
from keepsafe.records.selectors import findings_staleness
from keepsafe.testing.fixtures import make_bundle, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(imported):
    imported(make_bundle(make_person("X123456"), make_person("X654321")))
    found = IndicatorFinding.objects.count()
    assert found
    IndicatorFinding.objects.all().delete()  # what an older scanner did not find
    return found


def rescans() -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(action="INDICATORS_RESCAN").values_list("actor_role", "channel"))


def test_the_worker_rebuilds_stale_findings_exactly_once(two_cases):
    ScanState.objects.filter(pk=1).update(lexicon="2026-01-01.1", model="2026-01-01.1+lr1000")
    beats: list[int] = []
    assert housekeeping(alive=lambda: beats.append(1))["rebuilt"] == 1
    assert IndicatorFinding.objects.count() == two_cases
    assert findings_staleness() is None
    assert beats  # the worker's heartbeat kept beating through the rebuild
    assert rescans() == [("SYSTEM", "SYSTEM")]
    assert housekeeping()["rebuilt"] == 0
    assert rescans() == [("SYSTEM", "SYSTEM")]


def test_the_worker_leaves_current_findings_alone(two_cases):
    assert findings_staleness() is None
    assert housekeeping()["rebuilt"] == 0
    assert not IndicatorFinding.objects.exists()
    assert rescans() == []


# django_tasks_db's worker closes connections it finds outside autocommit after each task, as a real worker's must be
# between tasks: on PostgreSQL that closes a test's wrapping transaction, so this test commits as the worker does.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_a_worker_round_runs_its_queued_tasks_and_only_a_slice_of_the_rebuild(two_cases, monkeypatch):
    monkeypatch.setattr(records_services, "REBUILD_CHUNK", 1)  # a chunk a slice: two people, two rounds
    monkeypatch.setattr(records_services, "REBUILD_SLICE_SECONDS", 0)
    first, second = Person.objects.order_by("pk").values_list("pk", flat=True)
    ScanState.objects.filter(pk=1).update(lexicon="2026-01-01.1", model="2026-01-01.1+lr1000")
    queued = reconcile_people.enqueue([first, second])
    worker = WorkerCommand()
    done = worker.round("keepsafe-test")
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL  # not kept waiting
    state = ScanState.objects.get(pk=1)
    assert (state.lexicon, state.rebuild_by, state.rebuild_cursor) == ("2026-01-01.1", "keepsafe-test", first)
    assert (done["rebuilding"], done["rebuilt"]) == (1, 0)
    assert set(IndicatorFinding.objects.values_list("person_id", flat=True)) == {first}
    assert findings_staleness() is not None
    assert rescans() == []
    done = worker.round("keepsafe-test")
    assert (done["rebuilding"], done["rebuilt"]) == (1, 1)
    assert IndicatorFinding.objects.count() == two_cases
    assert findings_staleness() is None
    assert worker.round("keepsafe-test")["rebuilding"] == 0
    assert rescans() == [("SYSTEM", "SYSTEM")]
