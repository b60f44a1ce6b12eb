"""Issue 14: the bundle format's `appointments` (docs/bundle-format.md) — validated with the path of every problem,
imported, exported losslessly, and shown by `keepsafe case CRN --json`."""

from __future__ import annotations

import copy
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.selectors import case_summary
from keepsafe.core.errors import ValidationError
from keepsafe.people.appointment_services import appointment_book, appointment_reschedule
from keepsafe.people.models import Appointment, AppointmentChange, Person
from keepsafe.records.services import appointment_outcome_record
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db

APPOINTMENTS: list[dict[str, Any]] = [
    {
        "id": "A1",
        "type": "OFFICE_VISIT",
        "at": "2022-06-16T10:00:00Z",
        "location": "Manchester North office",
        "staff": "STF0001",
        "booked_at": "2022-06-10T09:00:00Z",
        "booked_by": "STF0001",
        "outcome": "FAILED_TO_ATTEND",
        "outcome_at": "2022-06-16T12:00:00Z",
        "outcome_by": "STF0001",
        "absence_reason": "",
        "absence_evidence": "",
        "contact": "C1",
        "reschedules": [
            {
                "from_at": "2022-06-15T10:00:00Z",
                "to_at": "2022-06-16T10:00:00Z",
                "reason": "Office closed",
                "at": "2022-06-11T09:00:00Z",
                "by": "STF0001",
            }
        ],
    },
    {
        "id": "A2",
        "type": "HOME_VISIT",
        "at": "2030-01-07T14:00:00Z",
        "location": "",
        "staff": None,
        "booked_at": "2022-06-17T09:00:00Z",
        "booked_by": "STF0001",
        "outcome": None,
        "outcome_at": None,
        "outcome_by": None,
        "absence_reason": "",
        "absence_evidence": "",
        "contact": None,
        "reschedules": [],
    },
]


def _bundle(appointments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    person = make_person()
    person["contacts"][0]["type"] = "OFFICE_VISIT"  # C1: the failure to attend appointment A1 became
    person["appointments"] = copy.deepcopy(APPOINTMENTS if appointments is None else appointments)
    return make_bundle(person)


def _export() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_appointments_round_trip_and_reimport_changes_nothing():
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle()))
    assert summary.as_dict()["appointments"] == {"created": 2, "updated": 0}
    assert AppointmentChange.objects.get().reason == "Office closed"
    exported = _export()
    assert exported["people"][0]["appointments"] == APPOINTMENTS
    again = bundle_import(actor=SYSTEM, raw=json.dumps(exported))
    assert again.as_dict().get("appointments", {"created": 0, "updated": 0}) == {"created": 0, "updated": 0}
    assert _export()["people"][0]["appointments"] == APPOINTMENTS


def test_a_changed_reschedule_history_is_replaced():
    bundle_import(actor=SYSTEM, raw=raw(_bundle()))
    changed = copy.deepcopy(APPOINTMENTS)
    changed[0]["reschedules"][0]["reason"] = "Practitioner ill"
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle(changed)))
    assert summary.as_dict()["appointments"] == {"created": 0, "updated": 1}
    assert list(AppointmentChange.objects.values_list("reason", flat=True)) == ["Practitioner ill"]


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    rows = copy.deepcopy(APPOINTMENTS)
    rows[index].update(changes)
    return rows


@pytest.mark.parametrize(
    ("appointments", "path", "words"),
    [
        (_with(1, type="APPOINTMENT"), "people[0].appointments[1].type", "is not booked"),
        (_with(1, staff="NOPE"), "people[0].appointments[1].staff", "no staff member"),
        (_with(1, contact="C1"), "people[0].appointments[1].contact", "must be null"),
        (_with(0, contact=None), "people[0].appointments[0].contact", "needs the id of the contact"),
        (_with(0, contact="C404"), "people[0].appointments[0].contact", "no contact 'C404'"),
        (_with(0, outcome="ATTENDED"), "people[0].appointments[0].contact", "type, time and outcome"),
        (_with(0, outcome_at=None), "people[0].appointments[0].outcome_at", "needs the instant"),
        (_with(0, at="2022-06-16T11:00:00Z"), "people[0].appointments[0].contact", "type, time and outcome"),
        (_with(1, id="A1"), "people[0].appointments[1].id", "appears more than once"),
        (_with(0, outcome="ACCEPTABLE_ABSENCE"), "people[0].appointments[0].absence_reason", "reason and evidence"),
        (_with(1, reschedules=APPOINTMENTS[0]["reschedules"]), "people[0].appointments[1].reschedules", "last"),
        (_with(1, colour="blue"), "people[0].appointments[1].colour", ""),
        (_with(1, booked_by=""), "people[0].appointments[1].booked_by", ""),
    ],
)
def test_bad_appointments_are_refused_with_their_path_and_nothing_is_written(appointments, path, words):
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(_bundle(appointments)))
    found = [reason for p, reason in exc.value.problems if p == path]
    assert found, exc.value.problems
    assert any(words in reason for reason in found)
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()


def test_case_json_lists_appointments_made_in_keepsafe_and_as_known_at_an_instant(imported, staff_actor):
    imported()
    person = Person.objects.get(crn="X123456")
    actor = staff_actor("STF0001")
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        booked = appointment_book(
            actor=actor,
            person=person,
            type="PHONE",
            at=now + timedelta(days=1),
            location="By phone",
            staff_id=person.practitioner_id,
        )
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        appointment_reschedule(actor=actor, appointment=booked, at=now + timedelta(days=2), reason="Court")
    with time_machine.travel(now + timedelta(days=3), tick=False):
        appointment_outcome_record(actor=actor, appointment=booked, outcome="ATTENDED", notes="Talked about work")
        summary = case_summary(crn="X123456", viewer=SYSTEM)
    [item] = summary["appointments"]
    assert {k: item[k] for k in ("id", "type", "at", "outcome", "staff")} == {
        "id": booked.external_id,
        "type": "PHONE",
        "at": "2026-11-25T10:00:00Z",
        "outcome": "ATTENDED",
        "staff": "STF0001",
    }
    assert item["contact"] == booked.external_id
    with time_machine.travel(now + timedelta(days=3), tick=False):
        before_reschedule = case_summary(crn="X123456", viewer=SYSTEM, as_of=now + timedelta(minutes=30))
        before_booking = case_summary(crn="X123456", viewer=SYSTEM, as_of=now - timedelta(minutes=1))
    [then] = before_reschedule["appointments"]
    assert (then["at"], then["outcome"], then["reschedules"]) == ("2026-11-24T10:00:00Z", None, [])
    assert before_booking["appointments"] == []
    # and the bundle carries what Keepsafe recorded, which imports back unchanged
    exported = _export()
    assert exported["people"][0]["appointments"][0]["reschedules"][0]["reason"] == "Court"
    assert bundle_import(actor=SYSTEM, raw=json.dumps(exported)).as_dict().get("appointments") in (
        None,
        {"created": 0, "updated": 0},
    )
