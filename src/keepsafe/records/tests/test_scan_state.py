"""What the stored findings were built with (records.ScanState), and their rebuild once after an upgrade changed the
lexicon or classifier: written by a full rescan only, rebuilt by one worker, resumed after a lost one."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.checks import Warning
from django.core.management import CommandError, call_command

from keepsafe.audit.models import AuditEvent
from keepsafe.core import clock
from keepsafe.people.models import Contact, Person
from keepsafe.records.checks import STALE_FINDINGS, findings_built_by_running_scanner
from keepsafe.records.models import IndicatorFinding, ScanState
from keepsafe.records.rules.classifier import shipped_model, shipped_model_version
from keepsafe.records.rules.lexicon import LEXICON_VERSION
from keepsafe.records.selectors import ScannerVersions, findings_staleness, scanner_versions
from keepsafe.records.services import (
    RebuildSlice,
    findings_rebuild_step,
    findings_rescan,
    findings_store,
    scan_state_ensure,
)
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person

pytestmark = pytest.mark.django_db
OLD = {"lexicon": "2026-01-01.1", "model": "2026-01-01.1+lr1000"}


def findings() -> list[tuple]:
    return sorted(
        IndicatorFinding.objects.values_list("person__crn", "record_id", "contact_id", "indicator", "start", "end")
    )


def made_stale() -> None:
    ScanState.objects.filter(pk=1).update(**OLD)


@pytest.fixture
def two_cases(imported):
    imported(make_bundle(make_person("X123456"), make_person("X654321")))
    return list(Person.objects.order_by("pk"))


def test_the_shipped_model_s_version_is_read_without_loading_it_and_agrees():
    assert shipped_model_version() == shipped_model().version
    assert scanner_versions() == ScannerVersions(LEXICON_VERSION, shipped_model().version)


def test_a_fresh_store_is_recorded_as_built_by_the_running_scanner():
    state = ScanState.objects.get(pk=1)  # made by `migrate`, on an empty store
    assert (state.lexicon, state.model) == (LEXICON_VERSION, shipped_model().version)
    assert findings_staleness() is None


def test_an_upgraded_store_with_records_and_no_scan_on_record_is_stale(imported):
    imported()
    ScanState.objects.all().delete()
    scan_state_ensure()  # as `migrate` does after this version's migration, on a store that already has records
    state = ScanState.objects.get(pk=1)
    assert (state.lexicon, state.model) == ("", "")
    staleness = findings_staleness()
    assert staleness is not None
    assert staleness.running == scanner_versions()


def test_a_full_rescan_records_the_scanner_and_a_partial_one_does_not(two_cases):
    made_stale()
    call_command("rescan", crn=["X123456"])
    assert ScanState.objects.filter(**OLD).exists()
    assert findings_staleness() is not None
    findings_rescan(actor=SYSTEM, person_ids=[two_cases[1].pk])
    assert findings_staleness() is not None
    call_command("rescan")
    state = ScanState.objects.get(pk=1)
    assert (state.lexicon, state.model) == (LEXICON_VERSION, shipped_model().version)
    assert state.completed_at is not None
    assert findings_staleness() is None


def test_a_stale_store_is_rebuilt_once_as_the_system_and_then_left_alone(two_cases):
    expected = findings()
    assert expected
    IndicatorFinding.objects.all().delete()  # what the old scanner missed
    made_stale()
    assert findings_rebuild_step(lease_seconds=900, chunk=1, budget_seconds=60) == RebuildSlice(
        people=2, stored=len(expected), finished=True
    )
    assert findings() == expected
    assert findings_staleness() is None
    events = list(AuditEvent.objects.filter(action="INDICATORS_RESCAN"))
    assert [(e.actor_role, e.crn, e.details["people"], e.details["lexicon"]) for e in events] == [
        ("SYSTEM", None, "all", LEXICON_VERSION)
    ]
    IndicatorFinding.objects.all().delete()
    assert findings_rebuild_step(lease_seconds=900) is None  # current: nothing rebuilt
    assert not IndicatorFinding.objects.exists()
    assert AuditEvent.objects.filter(action="INDICATORS_RESCAN").count() == 1


def test_a_rebuild_another_worker_is_running_is_left_to_it(two_cases):
    made_stale()
    ScanState.objects.filter(pk=1).update(rebuild_by="another-worker", rebuild_heartbeat_at=clock.now())
    IndicatorFinding.objects.all().delete()
    assert findings_rebuild_step(lease_seconds=900) is None
    assert not IndicatorFinding.objects.exists()
    assert ScanState.objects.get(pk=1).rebuild_by == "another-worker"


def test_a_rebuild_that_dies_part_way_stays_stale_and_the_next_worker_carries_on(two_cases, monkeypatch):
    from keepsafe.records import services

    expected = findings()
    IndicatorFinding.objects.all().delete()
    made_stale()
    scanned = services.findings_scanned
    calls = {"n": 0}

    def dies_at_the_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return scanned(**kwargs)

    monkeypatch.setattr(services, "findings_scanned", dies_at_the_second_chunk)
    with pytest.raises(RuntimeError):
        findings_rebuild_step(lease_seconds=900, worker="lost", chunk=1, budget_seconds=60)
    state = ScanState.objects.get(pk=1)
    assert (state.lexicon, state.model) == (OLD["lexicon"], OLD["model"])
    assert state.rebuild_cursor == two_cases[0].pk
    assert {f[0] for f in findings()} == {"X123456"}
    # Within the lease the lost worker's claim still stands; once it has passed, the next worker carries on.
    assert findings_rebuild_step(lease_seconds=900, worker="next") is None
    ScanState.objects.filter(pk=1).update(rebuild_heartbeat_at=clock.now() - timedelta(seconds=901))
    IndicatorFinding.objects.filter(person=two_cases[0]).delete()  # so carrying on is told from starting over
    done = findings_rebuild_step(lease_seconds=900, worker="next")
    assert done is not None
    assert (done.people, done.finished) == (1, True)
    assert {f[0] for f in findings()} == {"X654321"}
    assert findings() == [f for f in expected if f[0] == "X654321"]
    assert findings_staleness() is None
    assert ScanState.objects.get(pk=1).rebuild_by == ""


def test_a_contact_note_corrected_while_its_chunk_is_scanned_keeps_the_correction_s_findings(two_cases, monkeypatch):
    from keepsafe.records import services

    person = two_cases[0]
    contact = Contact.objects.filter(person=person).first()
    assert contact is not None
    made_stale()
    scanned = services.findings_scanned
    edited: list[int] = []

    def corrected_meanwhile(**kwargs):
        rows = scanned(**kwargs)
        if not edited:  # the rebuild's first chunk (the edit's own scan comes through here too)
            edited.append(contact.pk)
            Contact.objects.filter(pk=contact.pk).update(notes="He disclosed he has started using crack cocaine again.")
            findings_store(contacts=[Contact.objects.get(pk=contact.pk)])
        return rows

    monkeypatch.setattr(services, "findings_scanned", corrected_meanwhile)
    findings_rebuild_step(lease_seconds=900, chunk=1)
    assert list(IndicatorFinding.objects.filter(contact=contact).values_list("indicator", flat=True)) == [
        "substance_misuse"
    ]


def test_a_rebuild_goes_a_slice_at_a_time_and_its_worker_carries_on_next_round(two_cases):
    expected = findings()
    IndicatorFinding.objects.all().delete()
    made_stale()
    first = findings_rebuild_step(lease_seconds=900, worker="w1", chunk=1, budget_seconds=0)
    assert first == RebuildSlice(people=1, stored=len([f for f in expected if f[0] == "X123456"]), finished=False)
    state = ScanState.objects.get(pk=1)
    assert (state.lexicon, state.rebuild_by, state.rebuild_cursor) == (OLD["lexicon"], "w1", two_cases[0].pk)
    assert {f[0] for f in findings()} == {"X123456"}
    assert not AuditEvent.objects.filter(action="INDICATORS_RESCAN").exists()
    assert findings_rebuild_step(lease_seconds=900, worker="w2", chunk=1, budget_seconds=0) is None  # w1's, live
    last = findings_rebuild_step(lease_seconds=900, worker="w1", chunk=1, budget_seconds=0)
    assert last is not None
    assert (last.people, last.finished) == (1, True)
    assert findings() == expected
    assert findings_staleness() is None
    assert AuditEvent.objects.filter(action="INDICATORS_RESCAN").count() == 1


def test_a_rescan_in_chunks_gives_the_same_findings_and_reports_its_progress(two_cases):
    expected = findings()
    assert {f[0] for f in expected} == {"X123456", "X654321"}
    IndicatorFinding.objects.all().delete()
    made_stale()
    ScanState.objects.filter(pk=1).update(rebuild_by="a-worker", rebuild_cursor=two_cases[0].pk)
    seen: list[tuple[int, int]] = []
    stored = findings_rescan(actor=SYSTEM, chunk=1, progress=lambda done, total, _: seen.append((done, total)))
    assert stored == len(expected)
    assert findings() == expected
    assert seen == [(1, 2), (2, 2)]
    state = ScanState.objects.get(pk=1)  # as the worker leaves it when it finishes: current, no rebuild claimed
    assert (state.lexicon, state.model, state.rebuild_by, state.rebuild_cursor) == (
        LEXICON_VERSION,
        shipped_model().version,
        "",
        0,
    )
    findings_rescan(actor=SYSTEM, chunk=1)  # again: the same findings, none twice
    assert findings() == expected


def test_a_rescan_interrupted_part_way_keeps_its_finished_chunks_and_a_rerun_completes(two_cases, monkeypatch):
    from keepsafe.records import services

    expected = findings()
    IndicatorFinding.objects.all().delete()
    made_stale()
    scanned = services.findings_scanned
    calls = {"n": 0}

    def interrupted_at_the_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return scanned(**kwargs)

    monkeypatch.setattr(services, "findings_scanned", interrupted_at_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        findings_rescan(actor=SYSTEM, chunk=1)
    assert findings() == [f for f in expected if f[0] == "X123456"]  # the first chunk's transaction committed
    assert findings_staleness() is not None
    assert not AuditEvent.objects.filter(action="INDICATORS_RESCAN").exists()
    monkeypatch.setattr(services, "findings_scanned", scanned)
    findings_rescan(actor=SYSTEM, chunk=1)
    assert findings() == expected
    assert findings_staleness() is None
    assert AuditEvent.objects.filter(action="INDICATORS_RESCAN").count() == 1


def test_the_rescan_command_prints_its_progress_and_names_an_unknown_crn(two_cases):
    out = StringIO()
    call_command("rescan", stdout=out)
    assert "2 of 2 people rescanned" in out.getvalue()
    with pytest.raises(CommandError, match="no case with CRN X999999: nothing was rescanned"):
        call_command("rescan", crn=["X123456", "X999999"])


def test_the_system_check_warns_only_while_findings_are_stale():
    assert findings_built_by_running_scanner() == []
    made_stale()
    (warning,) = findings_built_by_running_scanner()
    assert isinstance(warning, Warning)
    assert warning.id == STALE_FINDINGS
    assert OLD["lexicon"] in warning.msg
    assert OLD["model"] in warning.msg
    assert LEXICON_VERSION in warning.msg
    assert shipped_model().version in warning.msg
