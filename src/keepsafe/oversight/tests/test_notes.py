"""Issue 15 ("overs"): an SPO oversight note, recorded as a contact of type SPO_OVERSIGHT, closes the touch points the
reconciler opened from the facts; only a manager who may see the case records it; the owner is always an SPO (or
someone up the chain) who may see the case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from keepsafe.actions.models import Action
from keepsafe.actions.services.manage import refresh
from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Role
from keepsafe.core.errors import ValidationError
from keepsafe.oversight.services import NOTE_MAX, oversight_note_record
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.visibility import may_see_case
from keepsafe.testing.fixtures import make_person, org_with_managers

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def _trainee_case(imported, crn="X500001", **changes):
    bundle = org_with_managers()
    for staff in bundle["staff"]:
        if staff["code"] == "STF0001":
            staff["grade"] = "PQIP"
    imported(bundle | {"people": [make_person(crn, contacts=[], records=[], **changes)]})
    return Person.objects.get(crn=crn)


def _touchpoints(person):
    return Action.objects.filter(person=person, type="OVERSIGHT_TOUCHPOINT")


@pytest.mark.django_db
def test_a_trainees_case_gets_an_interval_touch_point_owned_by_the_line_manager_and_a_note_closes_it(
    imported, staff_actor
):
    person = _trainee_case(imported)
    with time_machine.travel(NOW, tick=False):
        refresh(person.pk)
        open_ = _touchpoints(person).filter(status="OPEN")
        assert open_.exists()
        assert {a.owner.code for a in open_} == {"STF0100"}  # the PQiP's line manager SPO
        assert {a.owner_role for a in open_} == {"SPO"}
        spo = staff_actor("STF0100", Role.SPO)
        contact = oversight_note_record(actor=spo, person=person, notes="Reviewed the plan with the PQiP.")
    assert contact.type == "SPO_OVERSIGHT"
    assert contact.staff.code == "STF0100"
    assert not _touchpoints(person).filter(status="OPEN").exists()
    assert AuditEvent.objects.filter(action="OVERSIGHT_NOTE_ADD", crn=person.crn).exists()


@pytest.mark.django_db
def test_a_practitioner_cannot_record_an_spo_oversight_note_and_nothing_is_stored(imported, staff_actor):
    person = _trainee_case(imported)
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError, match="recorded by a manager"):
        oversight_note_record(actor=staff_actor("STF0001"), person=person, notes="Self-oversight")
    assert not Contact.objects.filter(person=person, type="SPO_OVERSIGHT").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("notes", "words"),
    [("", "Enter the oversight note"), ("   ", "Enter the oversight note"), ("x" * (NOTE_MAX + 1), "or fewer")],
)
def test_a_blank_or_overlong_note_is_refused_by_field(imported, staff_actor, notes, words):
    person = _trainee_case(imported)
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError, match=words) as raised:
        oversight_note_record(actor=staff_actor("STF0100", Role.SPO), person=person, notes=notes)
    assert raised.value.problems[0][0] == "notes"
    assert not Contact.objects.filter(person=person, type="SPO_OVERSIGHT").exists()


@pytest.mark.django_db
def test_a_note_cannot_be_dated_in_the_future(imported, staff_actor):
    person = _trainee_case(imported)
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError, match="future"):
        oversight_note_record(
            actor=staff_actor("STF0100", Role.SPO), person=person, notes="ok", at=NOW + timedelta(days=1)
        )


@pytest.mark.django_db
def test_when_the_line_manager_may_not_see_the_case_the_touch_point_goes_to_someone_who_may(imported):
    person = _trainee_case(imported, excluded=["STF0100"])
    with time_machine.travel(NOW, tick=False):
        refresh(person.pk)
    open_ = list(_touchpoints(person).filter(status="OPEN").select_related("owner"))
    assert open_
    for action in open_:
        assert action.owner is not None
        assert action.owner.code != "STF0100"
        restricted = set(person.access_lists.filter(kind="RESTRICTION").values_list("staff_id", flat=True))
        excluded = set(person.access_lists.filter(kind="EXCLUSION").values_list("staff_id", flat=True))
        assert may_see_case(
            is_system=False, viewer_staff_id=action.owner.pk, restricted_to=restricted, excluded=excluded
        )
