"""Every record and contact note is scanned when stored; the case shows its risk picture as known at any instant."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from keepsafe.cases.selectors import case_summary
from keepsafe.people.models import Contact, Person
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.records.services import contact_add, findings_rescan, record_add
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person

pytestmark = pytest.mark.django_db

LATER_RECORD = {
    "id": "POLICE-77",
    "source": "POLICE",
    "kind": "CALL_OUT",
    "occurred_at": "2022-06-01T22:00:00Z",
    "received_at": "2022-06-02T09:00:00Z",
    "author": "Greater Manchester Police",
    "text": "Domestic call-out: his partner says he threatened her with a knife.",
}


def person_with(*records, contacts=None):
    person = make_person()
    person["records"] = person["records"] + list(records)
    if contacts is not None:
        person["contacts"] = contacts
    return person


def test_import_scans_records_and_keeps_span_rule_and_dates(imported):
    imported()
    [finding] = IndicatorFinding.objects.filter(record__external_id="PRISON-INTEL-881")
    assert (finding.indicator, finding.text, finding.start, finding.end) == ("weapons", "Improvised blade", 0, 16)
    assert finding.rule == "weapons.improvised"
    assert finding.received_at == datetime(2021, 8, 3, 12, tzinfo=UTC)


def test_reimport_adds_no_duplicate_findings(imported):
    imported()
    imported()
    assert IndicatorFinding.objects.count() == 1


def test_contact_notes_are_scanned_and_rescanned_when_corrected(imported):
    contact = {
        "id": "C9",
        "type": "OFFICE_VISIT",
        "at": "2022-07-01T10:00:00Z",
        "staff": "STF0001",
        "outcome": "ATTENDED",
        "notes": "He disclosed he has started using crack cocaine again.",
    }
    imported(make_bundle(person_with(contacts=[contact])))
    assert list(IndicatorFinding.objects.filter(contact__external_id="C9").values_list("indicator", flat=True)) == [
        "substance_misuse"
    ]
    imported(make_bundle(person_with(contacts=[{**contact, "notes": "Attended and engaged well."}])))
    assert not IndicatorFinding.objects.filter(contact__external_id="C9").exists()


def test_record_and_contact_services_scan_what_they_store(imported):
    imported()
    person = Person.objects.get(crn="X123456")
    record, _ = record_add(
        actor=SYSTEM,
        person=person,
        external_id="CS-1",
        source="CHILDRENS_SERVICES",
        kind="SAFEGUARDING_REPLY",
        occurred_at=datetime(2022, 7, 1, tzinfo=UTC),
        received_at=datetime(2022, 7, 2, tzinfo=UTC),
        author="Children's services",
        text="The children are subject to child protection plans.",
    )
    assert record.findings.get().indicator == "child_safeguarding"
    contact = contact_add(
        actor=SYSTEM,
        person=person,
        external_id="C10",
        type="PHONE",
        at=datetime(2022, 7, 3, tzinfo=UTC),
        notes="He has been evicted and is sleeping rough.",
    )
    assert set(contact.findings.values_list("indicator", flat=True)) == {"accommodation_loss"}


def test_rescan_rebuilds_every_finding(imported):
    imported(make_bundle(person_with(LATER_RECORD)))
    IndicatorFinding.objects.all().delete()
    assert findings_rescan(actor=SYSTEM) == 5
    kinds = sorted(IndicatorFinding.objects.values_list("indicator", "text"))
    assert kinds == [
        ("domestic_abuse", "Domestic call-out"),
        ("domestic_abuse", "his partner says he threatened"),
        ("threats", "threatened her with a knife"),
        ("weapons", "Improvised blade"),
        ("weapons", "knife"),
    ]


def test_case_json_lists_indicators_with_evidence(imported):
    imported(make_bundle(person_with(LATER_RECORD)))
    summary = case_summary(crn="X123456", viewer=SYSTEM)
    weapons = summary["indicators"]["weapons"]
    assert weapons["count"] == 2
    assert weapons["sources"] == ["POLICE", "PRISON"]
    assert weapons["first_seen"] == "2021-08-03T09:00:00Z"
    assert weapons["last_seen"] == "2022-06-01T22:00:00Z"
    assert [(e["record"], e["text"]) for e in weapons["evidence"]] == [
        ("PRISON-INTEL-881", "Improvised blade"),
        ("POLICE-77", "knife"),
    ]
    assert weapons["group"] == "Weapons and violence"
    assert set(summary["indicators"]) == {"weapons", "threats", "domestic_abuse"}


def test_indicator_record_after_the_assessment_raises_a_risk_review_signal(imported):
    imported()
    assert case_summary(crn="X123456", viewer=SYSTEM)["signals"] == []  # the intel came before OASYS-1
    imported(make_bundle(person_with(LATER_RECORD)))
    [signal] = case_summary(crn="X123456", viewer=SYSTEM)["signals"]
    assert signal == {
        "id": "RISK_REVIEW:OASYS-1",
        "type": "RISK_REVIEW",
        "raised_at": "2022-06-02T09:00:00Z",
        "since_assessment": "OASYS-1",
        "records": ["POLICE-77"],
        "indicators": ["domestic_abuse", "threats", "weapons"],
    }


def test_a_later_assessment_answers_the_signal(imported):
    person = person_with(LATER_RECORD)
    person["assessments"] = person["assessments"] + [
        {**person["assessments"][0], "id": "OASYS-2", "completed_at": "2022-06-10T10:00:00Z"}
    ]
    imported(make_bundle(person))
    assert case_summary(crn="X123456", viewer=SYSTEM)["signals"] == []
    # ...but before OASYS-2 was completed, the signal was open.
    then = case_summary(crn="X123456", viewer=SYSTEM, as_of=datetime(2022, 6, 5, tzinfo=UTC))
    assert [s["records"] for s in then["signals"]] == [["POLICE-77"]]
    assert then["risk"]["assessment"]["id"] == "OASYS-1"


def test_as_of_leaves_out_what_was_received_later(imported):
    imported(make_bundle(person_with(LATER_RECORD)))
    before = case_summary(crn="X123456", viewer=SYSTEM, as_of=datetime(2022, 6, 2, 8, 59, tzinfo=UTC))
    assert [r["id"] for r in before["records"]] == ["PRISON-INTEL-881"]
    assert set(before["indicators"]) == {"weapons"}
    assert before["as_of"] == "2022-06-02T08:59:00Z"
    assert before["risk"]["tier"]["v2"] == "B2"  # from the inputs known then (issue 12 §11), no longer null
    at = case_summary(crn="X123456", viewer=SYSTEM, as_of=datetime(2022, 6, 2, 9, tzinfo=UTC))
    assert [r["id"] for r in at["records"]] == ["POLICE-77", "PRISON-INTEL-881"]
    long_before = case_summary(crn="X123456", viewer=SYSTEM, as_of=datetime(2020, 1, 1, tzinfo=UTC))
    assert long_before["records"] == []
    assert long_before["contacts"] == []
    assert long_before["registrations"] == []  # the flag was added by the import, after this instant
    assert long_before["risk"]["assessment"] is None


def test_escalation_appears_in_the_picture(imported):
    fights = [
        {
            **LATER_RECORD,
            "id": f"P{i}",
            "occurred_at": f"2022-0{m}-01T10:00:00Z",
            "received_at": f"2022-0{m}-02T10:00:00Z",
            "text": "He was arrested after a fight outside a pub.",
        }
        for i, m in enumerate((3, 5, 7, 8))
    ]
    imported(make_bundle(person_with(*fights)))
    escalation = case_summary(crn="X123456", viewer=SYSTEM)["indicators"]["violence_escalation"]
    assert escalation["count"] == 4
    assert escalation["why"].startswith("4 violent incidents in the six months to 2022-08-01")


def test_cli_as_of_and_its_errors(imported, capsys):
    imported(make_bundle(person_with(LATER_RECORD)))
    call_command("case_summary", "X123456", "--json", "--as-of", "2021-12-31T00:00:00Z")
    out = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in out["records"]] == ["PRISON-INTEL-881"]
    with pytest.raises(CommandError, match="needs an offset or Z"):
        call_command("case_summary", "X123456", "--as-of", "2021-12-31T00:00:00")
    with pytest.raises(CommandError, match="is not an ISO 8601 instant"):
        call_command("case_summary", "X123456", "--as-of", "yesterday")


def test_stored_records_are_left_alone_by_scanning(imported):
    imported()
    assert Record.objects.count() == 1
    assert Contact.objects.count() == 1
