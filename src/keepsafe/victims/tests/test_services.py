"""victims.services and selectors: recording, outcomes, refusals by field, audit, and the prompt on a real case."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.people.models import LicenceCondition, Person
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers
from keepsafe.victims.models import VictimRepresentation
from keepsafe.victims.selectors import victim_prompts
from keepsafe.victims.services import RepresentationInput, representation_outcome, representation_record

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"


@pytest.fixture
def person(imported):
    p = make_person()
    p["events"][0]["licence_conditions"] = [{"id": "L1", "type": "STANDARD", "text": "Be of good behaviour"}]
    p["events"][0]["dates"]["licence_expiry"] = "2027-09-01"
    imported(org_with_managers() | {"people": [p]})
    return Person.objects.get(crn="X123456")


def com(person: Person) -> Actor:
    return Actor(username="ada", role=Role.PRACTITIONER, staff_id=person.practitioner_id, staff_code="STF0001")


NO_CONTACT = RepresentationInput(
    vlo_name="Val Lowe (VLO)",
    received_on=date(2026, 11, 20),
    kind="NO_CONTACT",
    no_contact_victim=True,
    no_contact_named=["Jane Doe's daughter, Amy"],
)


@time_machine.travel(NOW, tick=False)
def test_record_then_prompt_then_condition_answers_it(person):
    rep = representation_record(actor=com(person), person=person, data=NO_CONTACT)
    assert rep.status == "REQUESTED"
    assert rep.recorded_by == "STF0001"
    audit = AuditEvent.objects.get(action="VICTIM_REPRESENTATION_RECORD")
    assert audit.crn == person.crn
    assert audit.details["representation"] == rep.external_id
    prompts = victim_prompts(person)
    assert [(p.representation_id, p.event_id) for p in prompts] == [(rep.external_id, "1")]
    assert "the victim, Jane Doe's daughter, Amy" in prompts[0].message
    LicenceCondition.objects.create(event=person.events.get(), external_id="L2", type="NO_CONTACT", text="No contact")
    assert victim_prompts(person) == []


@time_machine.travel(NOW, tick=False)
def test_declined_with_reason_stops_the_prompt_and_is_audited(person):
    rep = representation_record(
        actor=com(person),
        person=person,
        data=RepresentationInput(vlo_name="Val", received_on=date(2026, 11, 1), kind="EXCLUSION_ZONE", zone="M8"),
    )
    assert len(victim_prompts(person)) == 1
    with pytest.raises(ValidationError) as refused:
        representation_outcome(actor=com(person), rep=rep, status="DECLINED", decided_on=date(2026, 11, 2), reason="")
    assert [f for f, _ in refused.value.problems] == ["decline_reason"]
    representation_outcome(
        actor=com(person), rep=rep, status="DECLINED", decided_on=date(2026, 11, 2), reason="Lives in M8: not workable"
    )
    rep.refresh_from_db()
    assert (rep.status, rep.decided_by, rep.decline_reason) == ("DECLINED", "STF0001", "Lives in M8: not workable")
    assert victim_prompts(person) == []
    assert AuditEvent.objects.filter(action="VICTIM_REPRESENTATION_OUTCOME", crn=person.crn).count() == 1


@time_machine.travel(NOW, tick=False)
def test_no_case_without_a_licence_is_prompted(person):
    event = person.events.get()
    event.release = event.conditional_release = event.licence_expiry = None
    event.save()
    LicenceCondition.objects.filter(event=event).delete()
    representation_record(actor=com(person), person=person, data=NO_CONTACT)
    assert victim_prompts(person) == []


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"vlo_name": " "}, ["vlo_name"]),
        ({"received_on": date(2027, 1, 1)}, ["received_on"]),
        ({"kind": "CURFEW"}, ["kind"]),
        ({"no_contact_victim": False, "no_contact_named": []}, ["no_contact_named"]),
        ({"kind": "EXCLUSION_ZONE"}, ["no_contact_named", "zone"]),
        ({"kind": "OTHER", "no_contact_victim": False, "no_contact_named": [], "zone": "M8"}, ["zone", "text"]),
        ({"vlo_staff_code": "NOPE"}, ["vlo_staff"]),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_each_refusal_names_its_field_and_writes_nothing(person, changes, fields):
    data = RepresentationInput(**(NO_CONTACT.__dict__ | changes))
    with pytest.raises(ValidationError) as refused:
        representation_record(actor=com(person), person=person, data=data)
    assert [f for f, _ in refused.value.problems] == fields
    assert not VictimRepresentation.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="VICTIM").exists()


@time_machine.travel(NOW, tick=False)
def test_outcome_refusals(person):
    rep = representation_record(actor=SYSTEM, person=person, data=NO_CONTACT)
    with pytest.raises(ValidationError) as refused:
        representation_outcome(actor=SYSTEM, rep=rep, status="REQUESTED", decided_on=date(2026, 11, 19), reason="x")
    assert [f for f, _ in refused.value.problems] == ["status", "decided_on"]
    with pytest.raises(ValidationError) as refused:
        representation_outcome(actor=SYSTEM, rep=rep, status="INCLUDED", decided_on=date(2026, 11, 21), reason="x")
    assert [f for f, _ in refused.value.problems] == ["decline_reason"]


@time_machine.travel(NOW, tick=False)
def test_someone_not_on_the_case_may_not_record(person, staff_actor):
    other = staff_actor("STF0002")
    with pytest.raises(PermissionDeniedError):
        representation_record(actor=other, person=person, data=NO_CONTACT)
    assert not VictimRepresentation.objects.exists()
