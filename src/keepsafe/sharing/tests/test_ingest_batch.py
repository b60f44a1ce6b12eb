"""Issue 20 §4: a partner's batch is stored in bulk, in one transaction, with every item's own answer kept."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from keepsafe.audit.models import AuditEvent
from keepsafe.core.signals import case_changed
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.sharing.models import PartnerSubmission

ITEM = {
    "external_id": "CAD-1",
    "crn": "X123456",
    "kind": "CALL_OUT",
    "occurred_at": "2026-11-01T22:10:00Z",
    "author": "PC 1234",
    "text": "Domestic incident: his partner reported he threatened her with a knife.",
}


def _client(partners):
    from keepsafe.sharing.selectors import api_client

    return api_client(partners["police_key"])


def _announcements():
    seen: list[list[int]] = []

    def receiver(sender, person_ids, why, **_):
        seen.append(list(person_ids))

    case_changed.connect(receiver, dispatch_uid="test-ingest-batch", weak=False)
    return seen, lambda: case_changed.disconnect(dispatch_uid="test-ingest-batch")


def test_a_batch_is_stored_in_a_fixed_number_of_statements(partners, api, django_assert_max_num_queries):
    """Per-item storage was about 11.5 statements per record; a batch of 200 is now a few dozen whatever its size."""
    items = [{**ITEM, "external_id": f"CAD-{i}", "crn": "X123456"} for i in range(200)]
    with django_assert_max_num_queries(60):
        body = api("POST", "/records", partners["police_key"], {"records": items}).json()
    assert body["created"] == 200
    assert Record.objects.filter(external_id__startswith="GMP-CAD-").count() == 200
    assert PartnerSubmission.objects.count() == 200
    # Every record scanned, and one RECORD_ADD event each.
    assert (
        IndicatorFinding.objects.filter(record__external_id__startswith="GMP-CAD-").values("record").distinct().count()
        == 200
    )
    assert AuditEvent.objects.filter(action="RECORD_ADD").count() == 200


def test_a_batch_announces_its_people_once_so_one_reconcile_is_queued_per_person(partners, api):
    seen, stop = _announcements()
    try:
        items = [{**ITEM, "external_id": f"CAD-{i}"} for i in range(30)]
        assert api("POST", "/records", partners["police_key"], {"records": items}).json()["created"] == 30
    finally:
        stop()
    person_id = Record.objects.filter(external_id="GMP-CAD-0").values_list("person_id", flat=True).get()
    assert seen == [[person_id]]


def test_the_same_id_twice_in_one_batch_is_stored_once_then_duplicate_or_conflict(partners, api):
    items = [ITEM, ITEM, {**ITEM, "text": "Something else."}]
    results = api("POST", "/records", partners["police_key"], {"records": items}).json()["results"]
    assert [r["status"] for r in results] == ["CREATED", "DUPLICATE", "CONFLICT"]
    assert {r["record_id"] for r in results} == {"GMP-CAD-1"}
    assert "the stored one is kept" in results[2]["errors"][0]["reason"]
    assert Record.objects.get(external_id="GMP-CAD-1").text == ITEM["text"]


def test_a_bad_item_in_a_batch_loses_none_of_the_good_ones(partners, api):
    items = [
        {**ITEM, "external_id": "CAD-A"},
        {**ITEM, "external_id": "CAD-B", "text": "   "},  # passes the schema, not the record's own rule
        {**ITEM, "external_id": "CAD-C", "crn": "Z999999"},
        {**ITEM, "external_id": "CAD-D"},
    ]
    body = api("POST", "/records", partners["police_key"], {"records": items}).json()
    assert [r["status"] for r in body["results"]] == ["CREATED", "REJECTED", "REJECTED", "CREATED"]
    assert body["results"][1]["errors"] == [{"field": "text", "reason": "a record needs some text"}]
    assert set(Record.objects.filter(external_id__startswith="GMP-").values_list("external_id", flat=True)) == {
        "GMP-CAD-A",
        "GMP-CAD-D",
    }


def test_a_batch_that_races_another_request_falls_back_to_one_item_at_a_time(partners, monkeypatch):
    """Should the bulk insert hit a unique id stored meanwhile, nothing of it stays and each item is stored alone,
    getting the answer it would have got after the other request."""
    from keepsafe.sharing import services

    original = services._store_batch

    def racing(client, pending):
        original(client, pending)
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "_store_batch", racing)
    items = [{**ITEM, "external_id": "CAD-X"}, {**ITEM, "external_id": "CAD-Y"}, {**ITEM, "external_id": "CAD-X"}]
    results = services.partner_records_submit(client=_client(partners), items=items)
    assert [r.status for r in results] == ["CREATED", "CREATED", "DUPLICATE"]
    assert Record.objects.filter(external_id__in=["GMP-CAD-X", "GMP-CAD-Y"]).count() == 2
    assert AuditEvent.objects.filter(action="RECORD_ADD").count() == 2
    event = AuditEvent.objects.get(action="PARTNER_RECORDS_SUBMIT")
    assert event.details["by_status"] == {"CREATED": 2, "DUPLICATE": 1}
    assert "failed_at_item" not in event.details


def test_a_failure_while_storing_the_batch_names_the_first_unanswered_item(partners, monkeypatch):
    from keepsafe.sharing import services

    def broken(client, pending):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "_store_batch", broken)
    items = [{**ITEM, "crn": "Z999999"}, {**ITEM, "external_id": "CAD-2"}]
    with pytest.raises(RuntimeError):
        services.partner_records_submit(client=_client(partners), items=items)
    event = AuditEvent.objects.get(action="PARTNER_RECORDS_SUBMIT")
    assert event.details["failed_at_item"] == 1
    assert not Record.objects.filter(external_id__startswith="GMP-").exists()
