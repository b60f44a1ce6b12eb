"""Appointments (issue 14): booking, rescheduling with history, outcomes that become the contacts the enforcement
rule reads, and the bad input each refuses with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Action
from keepsafe.actions.services.manage import refresh
from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.people.appointment_services import appointment_book, appointment_reschedule
from keepsafe.people.models import Appointment, AppointmentChange, Contact, Person
from keepsafe.people.rules.appointments import APPOINTMENT_LENGTH, DoubleBookingError, clashes
from keepsafe.people.rules.vocabulary import APPOINTMENT_TYPES, ENFORCEABLE_OUTCOMES, ContactOutcome
from keepsafe.records.models import IndicatorFinding
from keepsafe.records.services import appointment_outcome_record, contact_add
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def case(imported, staff_actor):
    """A community order case held by STF0001, with no contacts yet."""
    person = make_person("X200001", contacts=[], records=[], assessments=[], registrations=[])
    person["events"][0].update(
        {
            "sentence": {"type": "COMMUNITY_ORDER", "date": "2026-09-01", "length_months": 24},
            "dates": {k: None for k in person["events"][0]["dates"]} | {"sentence_expiry": "2028-09-01"},
            "requirements": [],
            "licence_conditions": [],
        }
    )
    imported(org_with_managers() | {"people": [person]})
    return Person.objects.get(crn="X200001"), staff_actor("STF0001"), Staff.objects.get(code="STF0001")


def _book(actor, person, staff, at, **kw):
    return appointment_book(
        actor=actor,
        person=person,
        type=kw.pop("type", "OFFICE_VISIT"),
        at=at,
        location="Manchester office",
        staff_id=staff.pk,
        **kw,
    )


def test_book_then_fail_to_attend_opens_an_enforcement_decision(case):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, NOW + timedelta(days=2))
    assert Appointment.objects.get().outcome is None
    assert not Contact.objects.filter(person=person).exists()  # a booking is not yet a contact
    with time_machine.travel(NOW + timedelta(days=2, hours=2), tick=False):
        contact = appointment_outcome_record(actor=actor, appointment=appointment, outcome="FAILED_TO_ATTEND")
        refresh(person.pk)
    assert (contact.external_id, contact.type, contact.at, contact.outcome) == (
        appointment.external_id,
        "OFFICE_VISIT",
        NOW + timedelta(days=2),
        "FAILED_TO_ATTEND",
    )
    action = Action.objects.get(person=person, type="ENFORCEMENT_DECISION")
    assert action.status == "OPEN"
    assert action.detail["contact"] == appointment.external_id
    assert set(AuditEvent.objects.filter(crn="X200001").values_list("action", flat=True)) >= {
        "APPOINTMENT_BOOK",
        "APPOINTMENT_OUTCOME",
        "CONTACT_ADD",
    }


def test_failure_to_comply_also_needs_an_enforcement_decision(case):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, NOW + timedelta(hours=3), type="UNPAID_WORK")
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        appointment_outcome_record(
            actor=actor, appointment=appointment, outcome="FAILED_TO_COMPLY", notes="Left the site after an hour"
        )
        refresh(person.pk)
    action = Action.objects.get(person=person, type="ENFORCEMENT_DECISION")
    assert action.title.startswith("Failure to comply")


@pytest.mark.parametrize("outcome", [o.value for o in ContactOutcome])
def test_only_enforceable_outcomes_open_an_enforcement_decision(case, outcome):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, NOW + timedelta(hours=3))
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        appointment_outcome_record(
            actor=actor,
            appointment=appointment,
            outcome=outcome,
            notes="Notes",
            absence_reason="In hospital",
            absence_evidence="Discharge letter seen",
        )
        refresh(person.pk)
    opened = Action.objects.filter(person=person, type="ENFORCEMENT_DECISION").exists()
    assert opened == (outcome in ENFORCEABLE_OUTCOMES)


def test_cannot_book_in_the_past_and_nothing_is_written(case):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as exc:
            _book(actor, person, staff, NOW - timedelta(minutes=1))
    assert exc.value.problems[0][0] == "at"
    assert "future" in exc.value.problems[0][1]
    assert not Appointment.objects.exists()
    assert not AuditEvent.objects.filter(action="APPOINTMENT_BOOK").exists()


def test_every_bad_field_is_reported_at_once(case):
    person, actor, _ = case
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as exc:
            appointment_book(actor=actor, person=person, type="TEA", at=None, location="x" * 201, staff_id=None)
    assert {p for p, _ in exc.value.problems} == {"type", "at", "location", "staff"}


def test_double_booking_warns_and_books_once_confirmed(case):
    person, actor, staff = case
    at = NOW + timedelta(days=1)
    with time_machine.travel(NOW, tick=False):
        _book(actor, person, staff, at)
        with pytest.raises(DoubleBookingError) as exc:
            _book(actor, person, staff, at + timedelta(minutes=30))
        assert exc.value.clashes == [at]
        assert str(exc.value) == "1 other appointment overlaps"
        assert Appointment.objects.count() == 1
        _book(actor, person, staff, at + timedelta(minutes=30), confirmed=True)
        _book(actor, person, staff, at - APPOINTMENT_LENGTH)  # back to back is not a clash
    assert Appointment.objects.count() == 3


def test_reschedule_keeps_the_history_and_refuses_after_an_outcome(case):
    person, actor, staff = case
    first = NOW + timedelta(days=1)
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, first)
        with pytest.raises(ValidationError) as exc:
            appointment_reschedule(actor=actor, appointment=appointment, at=first + timedelta(days=1), reason=" ")
        assert exc.value.problems == [("reason", "Enter why the appointment is being rescheduled")]
        appointment_reschedule(actor=actor, appointment=appointment, at=first + timedelta(days=1), reason="Court")
    change = AppointmentChange.objects.get()
    assert (change.from_at, change.to_at, change.reason) == (first, first + timedelta(days=1), "Court")
    with time_machine.travel(first + timedelta(days=2), tick=False):
        appointment_outcome_record(actor=actor, appointment=appointment, outcome="ATTENDED")
        with pytest.raises(ValidationError):
            appointment_reschedule(actor=actor, appointment=appointment, at=first + timedelta(days=5), reason="x")
        with pytest.raises(ValidationError):  # an outcome is recorded once
            appointment_outcome_record(actor=actor, appointment=appointment, outcome="FAILED_TO_ATTEND")
    assert Contact.objects.get().outcome == "ATTENDED"


def test_outcome_needs_the_appointment_to_have_happened_except_a_service_reschedule(case):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, NOW + timedelta(days=1))
        with pytest.raises(ValidationError) as exc:
            appointment_outcome_record(actor=actor, appointment=appointment, outcome="ATTENDED")
        assert "not happened yet" in exc.value.problems[0][1]
        appointment_outcome_record(actor=actor, appointment=appointment, outcome="RESCHEDULED")
    assert Contact.objects.get().outcome == "RESCHEDULED"


def test_acceptable_absence_needs_a_reason_and_evidence(case):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, NOW + timedelta(hours=1))
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        with pytest.raises(ValidationError) as exc:
            appointment_outcome_record(actor=actor, appointment=appointment, outcome="ACCEPTABLE_ABSENCE")
        assert {p for p, _ in exc.value.problems} == {"absence_reason", "absence_evidence"}
        assert not Contact.objects.exists()
        appointment_outcome_record(
            actor=actor,
            appointment=appointment,
            outcome="ACCEPTABLE_ABSENCE",
            absence_reason="In hospital",
            absence_evidence="Discharge letter seen",
        )
    stored = Appointment.objects.get()
    assert (stored.absence_reason, stored.absence_evidence) == ("In hospital", "Discharge letter seen")


def test_outcome_and_contact_notes_are_scanned_for_indicators(case):
    person, actor, staff = case
    with time_machine.travel(NOW, tick=False):
        appointment = _book(actor, person, staff, NOW + timedelta(hours=1))
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        contact = appointment_outcome_record(
            actor=actor,
            appointment=appointment,
            outcome="ATTENDED",
            notes="He said he would kill his ex-partner if she went to the police.",
        )
        other = contact_add(
            actor=actor,
            person=person,
            external_id="PHONE-1",
            type="PHONE",
            at=NOW,
            outcome="ATTENDED",
            notes="Says he has a knife at home and will use it on her.",
        )
    assert IndicatorFinding.objects.filter(contact=contact).exists()
    assert IndicatorFinding.objects.filter(contact=other).exists()


def test_staff_who_do_not_work_the_case_cannot_book(case, staff_actor):
    person, _, staff = case
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(PermissionDeniedError):
            _book(staff_actor("STF0002"), person, staff, NOW + timedelta(days=1))
        with pytest.raises(PermissionDeniedError):
            _book(staff_actor("STF0001", Role.AUDITOR), person, staff, NOW + timedelta(days=1))
    assert not Appointment.objects.exists()


def test_appointment_types_are_contact_types():
    from keepsafe.people.rules.vocabulary import CONTACT_TYPE_LABELS, ContactType

    assert {t.value for t in APPOINTMENT_TYPES} <= {t.value for t in ContactType}
    assert set(CONTACT_TYPE_LABELS) == set(ContactType)


@settings(deadline=None)
@given(
    at=st.integers(-600, 600),
    others=st.lists(st.integers(-600, 600), max_size=8),
)
def test_clashes_are_exactly_the_overlapping_hours(at, others):
    base = NOW
    found = clashes(base + timedelta(minutes=at), [base + timedelta(minutes=o) for o in others])
    assert found == sorted(base + timedelta(minutes=o) for o in others if abs(o - at) < 60)


def test_forms_refuse_what_a_bundle_would_refuse_so_every_export_imports_again():
    # The try-out booked 9999, recorded a contact in 1800 and 200,000 characters of notes; the export then failed.
    from datetime import UTC, datetime

    from keepsafe.people.rules import appointments as rules

    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert rules.booking_problems(type="OFFICE_VISIT", at=datetime(9999, 12, 10, 10, tzinfo=UTC), now=now, location="")
    assert rules.contact_problems(type="PHONE_CONTACT", at=datetime(1800, 12, 1, 9, tzinfo=UTC), now=now, notes="x")
    assert rules.contact_problems(
        type="PHONE_CONTACT", at=datetime(2026, 11, 30, 9, tzinfo=UTC), now=now, notes="x" * 20_001
    )
    assert not rules.contact_problems(
        type="PHONE_CONTACT", at=datetime(2026, 11, 30, 9, tzinfo=UTC), now=now, notes="x" * 20_000
    )
    assert not rules.booking_problems(
        type="OFFICE_VISIT", at=datetime(2027, 1, 4, 10, tzinfo=UTC), now=now, location=""
    )
