"""The partner API: idempotent batches with per-item results, keys and agreements, and partners kept apart."""

import json

import pytest
import time_machine
from django.core.management import CommandError
from django.utils import timezone

from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.sharing.models import CheckRequest
from keepsafe.sharing.services import api_key_revoke, check_request_create
from keepsafe.testing.fixtures import SYSTEM
from keepsafe.workforce.models import Staff

CALL_OUT = {
    "external_id": "CAD-2026-0001",
    "crn": "X123456",
    "kind": "CALL_OUT",
    "occurred_at": "2026-11-01T22:10:00Z",
    "author": "PC 1234",
    "text": "Domestic incident: his partner reported he threatened her with a knife.",
}


def test_schema_is_served_without_a_key(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/records" in response.json()["paths"]


def test_a_batch_stores_good_items_and_reports_each_bad_one(partners, api):
    items = [
        CALL_OUT,
        {**CALL_OUT, "external_id": "CAD-2"} | {"crn": "Z999999"},
        {k: v for k, v in CALL_OUT.items() if k != "text"} | {"external_id": "CAD-3"},
        {**CALL_OUT, "external_id": "CAD-4", "kind": "SAFEGUARDING_REPLY"},
        {**CALL_OUT, "external_id": "CAD-5", "crn": "Y000001"},
        "not an object",
    ]
    response = api("POST", "/records", partners["police_key"], {"records": items})
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["rejected"]) == (1, 5)
    results = body["results"]
    assert results[0]["status"] == "CREATED"
    assert results[0]["record_id"] == "GMP-CAD-2026-0001"
    assert results[1]["errors"] == [{"field": "crn", "reason": "no case Z999999 is covered by agreement ISA-GMP-1"}]
    assert results[2]["errors"][0]["field"] == "text"
    assert "not covered by agreement ISA-GMP-1" in results[3]["errors"][0]["reason"]
    # A case in a PDU outside the agreement is refused exactly like one that does not exist.
    assert results[4]["errors"] == [{"field": "crn", "reason": "no case Y000001 is covered by agreement ISA-GMP-1"}]
    assert results[5]["status"] == "REJECTED"
    record = Record.objects.get(external_id="GMP-CAD-2026-0001")
    assert (record.source, record.kind) == ("POLICE", "CALL_OUT")
    assert set(record.findings.values_list("indicator", flat=True)) == {"domestic_abuse", "threats", "weapons"}
    assert Record.objects.filter(person__crn="Y000001", external_id__startswith="GMP").count() == 0


def test_same_id_same_content_is_accepted_once_and_different_content_is_a_conflict(partners, api):
    key = partners["police_key"]
    api("POST", "/records", key, {"records": [CALL_OUT]})
    again = api("POST", "/records", key, {"records": [CALL_OUT]}).json()
    assert again["results"][0]["status"] == "DUPLICATE"
    changed = api("POST", "/records", key, {"records": [{**CALL_OUT, "text": "Something else."}]}).json()
    assert changed["results"][0]["status"] == "CONFLICT"
    assert "the stored one is kept" in changed["results"][0]["errors"][0]["reason"]
    assert Record.objects.get(external_id="GMP-CAD-2026-0001").text == CALL_OUT["text"]
    assert Record.objects.filter(external_id__startswith="GMP-").count() == 1


def test_batches_are_limited_to_a_thousand(partners, api):
    items = [{**CALL_OUT, "external_id": f"CAD-{i}"} for i in range(1001)]
    assert api("POST", "/records", partners["police_key"], {"records": items}).status_code == 422
    assert not Record.objects.filter(external_id__startswith="GMP-").exists()


def test_civil_order_through_the_api_raises_the_flag(partners, api):
    order = {
        **CALL_OUT,
        "external_id": "RO-1",
        "kind": "CIVIL_ORDER",
        "text": "Restraining order made.",
        "order": {
            "type": "RESTRAINING_ORDER",
            "start": "2026-10-01",
            "end": "2031-10-01",
            "protected_person": "Jo Bloggs",
        },
    }
    body = api("POST", "/records", partners["police_key"], {"records": [order]}).json()
    assert body["created"] == 1, body
    person = Person.objects.get(crn="X123456")
    assert person.registrations.filter(external_id__startswith="ORDER-RSTO", notes__contains="Jo Bloggs").exists()
    read = api("GET", "/records/RO-1", partners["police_key"]).json()
    assert read["order"]["protected_person"] == "Jo Bloggs"


def test_keys_are_checked_revoked_and_bound_to_the_agreement_dates(partners, api):
    assert api("GET", "/agreement", None).status_code == 401
    assert api("GET", "/agreement", "ksk_nope_nope").status_code == 401
    key = partners["police_key"]
    assert api("GET", "/agreement", key).json()["reference"] == "ISA-GMP-1"
    partners["police"].valid_until = timezone.localdate().replace(year=2025, month=1, day=1)
    partners["police"].save()
    expired = api("GET", "/agreement", key)
    assert expired.status_code == 403
    assert expired.json()["detail"] == "information sharing agreement ISA-GMP-1 expired on 2025-01-01"
    with time_machine.travel("2024-06-01T12:00:00Z"):
        assert api("GET", "/agreement", key).status_code == 200
    api_key_revoke(actor=SYSTEM, prefix=key.split("_")[1])
    with time_machine.travel("2024-06-01T12:00:00Z"):
        revoked = api("GET", "/agreement", key)
    assert revoked.status_code == 401
    assert revoked.json()["detail"] == "the API key is not valid or has been revoked"


def test_a_partner_never_sees_another_partners_records_or_checks(partners, api):
    api("POST", "/records", partners["police_key"], {"records": [CALL_OUT]})
    assert api("GET", "/records/CAD-2026-0001", partners["police_key"]).status_code == 200
    assert api("GET", "/records/CAD-2026-0001", partners["council_key"]).status_code == 404
    practitioner = Actor(  # the case holder, as the web builds them (with their staff record: issue 11 §6)
        username="stf0001",
        role=Role.PRACTITIONER,
        staff_id=Staff.objects.get(code="STF0001").pk,
        staff_code="STF0001",
    )
    person = Person.objects.get(crn="X123456")
    check = check_request_create(
        actor=practitioner, person=person, kind="DOMESTIC_ABUSE", partner_code="GMP", question="Any call-outs?"
    )
    assert [c["id"] for c in api("GET", "/checks", partners["police_key"]).json()] == [str(check.public_id)]
    assert api("GET", "/checks", partners["council_key"]).json() == []
    answer = {"external_id": "A1", "occurred_at": "2026-11-02T09:00:00Z", "author": "PC 1", "text": "No trace."}
    assert api("POST", f"/checks/{check.public_id}/answer", partners["council_key"], answer).status_code == 404
    assert CheckRequest.objects.get().status == "OPEN"


def test_a_check_is_requested_answered_once_and_stored_as_a_linked_scanned_record(partners, api):
    practitioner = Actor(  # the case holder, as the web builds them (with their staff record: issue 11 §6)
        username="stf0001",
        role=Role.PRACTITIONER,
        staff_id=Staff.objects.get(code="STF0001").pk,
        staff_code="STF0001",
    )
    person = Person.objects.get(crn="X123456")
    check = check_request_create(
        actor=practitioner, person=person, kind="DOMESTIC_ABUSE", partner_code="GMP", question=""
    )
    [listed] = api("GET", "/checks", partners["police_key"]).json()
    assert (listed["crn"], listed["kind"], listed["surname"]) == ("X123456", "DOMESTIC_ABUSE", person.surname)
    answer = {
        "external_id": "DA-CHECK-9",
        "occurred_at": "2026-11-02T09:00:00Z",
        "author": "Public protection unit",
        "text": "Three domestic call-outs in 2025; MARAC referral made in March.",
    }
    first = api("POST", f"/checks/{check.public_id}/answer", partners["police_key"], answer)
    assert first.status_code == 200
    assert first.json()["status"] == "CREATED"
    check.refresh_from_db()
    assert check.status == "ANSWERED"
    assert check.response_record.kind == "DOMESTIC_ABUSE_CHECK_RESPONSE"
    assert IndicatorFinding.objects.filter(record=check.response_record, indicator="domestic_abuse").exists()
    assert api("POST", f"/checks/{check.public_id}/answer", partners["police_key"], answer).json()["status"] == (
        "DUPLICATE"
    )
    different = api("POST", f"/checks/{check.public_id}/answer", partners["police_key"], {**answer, "text": "x"})
    assert different.status_code == 409
    assert api("GET", "/checks", partners["police_key"]).json() == []


def test_checks_can_only_be_requested_of_a_partner_whose_agreement_covers_them(partners):
    person = Person.objects.get(crn="X123456")
    with pytest.raises(ValidationError, match="no current agreement lets GMP answer a safeguarding check for X123456"):
        check_request_create(actor=SYSTEM, person=person, kind="SAFEGUARDING", partner_code="GMP", question="")


def test_api_activity_is_audited_as_the_partner(partners, api):
    api("POST", "/records", partners["police_key"], {"records": [CALL_OUT]})
    actions = set(AuditEvent.objects.filter(actor="partner:GMP").values_list("action", flat=True))
    assert {"PARTNER_RECORDS_SUBMIT", "RECORD_ADD"} <= actions


def test_agreements_and_keys_from_the_command_line(imported, capsys):
    from django.core.management import call_command

    imported()
    call_command(
        "agreement",
        "add",
        "--partner",
        "LHA",
        "--partner-name",
        "Leeds housing",
        "--partner-kind",
        "HOUSING",
        "--reference",
        "ISA-LHA-1",
        "--purpose",
        "Tenancy and eviction notices",
        "--send-kinds",
        "EVICTION_NOTICE",
        "--pdus",
        "GMR-MN",
        "--valid-from",
        "2026-01-01",
        "--valid-until",
        "2027-12-31",
    )
    call_command("agreement", "issue-key", "ISA-LHA-1", "--name", "Housing system")
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    assert key.startswith("ksk_")
    prefix = key.split("_")[1]
    call_command("agreement", "list")
    assert "ISA-LHA-1  LHA  2026-01-01..2027-12-31" in capsys.readouterr().out
    call_command("agreement", "revoke-key", prefix)
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(CommandError, match="answers: Domestic abuse checks are answered by POLICE"):
        call_command(
            "agreement",
            "add",
            "--partner",
            "LHA",
            "--partner-name",
            "x",
            "--partner-kind",
            "HOUSING",
            "--reference",
            "ISA-LHA-2",
            "--purpose",
            "x",
            "--answers",
            "DOMESTIC_ABUSE",
            "--pdus",
            "GMR-MN",
            "--valid-from",
            "2026-01-01",
            "--valid-until",
            "2027-12-31",
        )


@pytest.mark.parametrize(
    ("body", "key"),
    [
        # the same record's text twice: json.loads would store the second without a word
        (json.dumps({"records": [CALL_OUT]})[:-3] + ', "text": "Nothing of note."}]}', "text"),
        ('{"records": [], "records": ' + json.dumps([CALL_OUT]) + "}", "records"),
    ],
)
def test_a_key_given_twice_in_a_body_is_refused_naming_it(partners, api, body, key):
    """A try-out: a duplicated key in a partner's JSON body took the last value silently."""
    response = api("POST", "/records", partners["police_key"], body)
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"the JSON body gives `{key}` more than once in one object: give each key once"
    }
    assert not Record.objects.filter(external_id__startswith="GMP-").exists()
    refused = AuditEvent.objects.filter(action="API_REFUSED").latest("pk")
    assert refused.details["status"] == 400
    assert api("POST", "/records", partners["police_key"], "{not json").json() == {
        "detail": "Cannot parse request body"
    }
    assert api("POST", "/records", partners["police_key"], {"records": [CALL_OUT]}).status_code == 200
