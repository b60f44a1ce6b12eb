"""Writes for appointments (issue 14): book, reschedule, record the outcome. Each runs in one transaction with its
audit event; the case-work rule (people/rules/case_work.py) decides who may write.

Recording an outcome writes the Contact the appointment became; call `records.services.appointment_outcome_record`,
which also scans its notes for serious-harm indicators (scanning sits above this layer).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.signals import announce_case_changed
from keepsafe.people.models import Appointment, AppointmentChange, Contact, Person
from keepsafe.people.rules import appointments as rules
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import case_write_check
from keepsafe.people.services import contact_add
from keepsafe.workforce.models import Staff


def new_appointment_id(person: Person, prefix: str = "APT") -> str:
    """An id no appointment or contact of the person has (the contact it becomes carries the same id)."""
    while True:
        candidate = f"{prefix}-{uuid.uuid4().hex[:12].upper()}"
        taken = Appointment.objects.filter(person=person, external_id=candidate).exists()
        if not taken and not Contact.objects.filter(person=person, external_id=candidate).exists():
            return candidate


def staff_clashes(staff_id: int | None, at: datetime, *, exclude: int | None = None) -> list[datetime]:
    """The practitioner's other booked (not yet outcome-recorded) appointments that overlap `at`, on any case. Only
    their times are returned: a clash must not tell the person booking about a case they may not see."""
    if staff_id is None:
        return []
    rows = Appointment.objects.filter(
        staff_id=staff_id,
        outcome__isnull=True,
        at__gt=at - rules.APPOINTMENT_LENGTH,
        at__lt=at + rules.APPOINTMENT_LENGTH,
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rules.clashes(at, rows.values_list("at", flat=True))


def _staff_problems(staff_id: int | None) -> list[tuple[str, str]]:
    if staff_id is None:
        return [("staff", "Choose who the appointment is with")]
    if not Staff.objects.filter(pk=staff_id).exists():
        return [("staff", "Choose who the appointment is with from the list")]
    return []


@transaction.atomic
def appointment_book(
    *,
    actor: Actor,
    person: Person,
    type: str,
    at: datetime | None,
    location: str,
    staff_id: int | None,
    confirmed: bool = False,
) -> Appointment:
    """Book an appointment in the future. A double-booked practitioner raises DoubleBookingError unless `confirmed`."""
    cover = case_write_check(actor=actor, person=person, work=Work.CASE)
    now = clock.now()
    problems = rules.booking_problems(type=type, at=at, now=now, location=location.strip())
    problems += _staff_problems(staff_id)
    if problems:
        raise ValidationError(problems)
    assert at is not None
    overlapping = staff_clashes(staff_id, at)
    if overlapping and not confirmed:
        raise rules.DoubleBookingError(overlapping)
    appointment = Appointment.objects.create(
        person=person,
        external_id=new_appointment_id(person),
        type=type,
        at=at,
        location=location.strip(),
        staff_id=staff_id,
        booked_at=now,
        booked_by=actor.code,
    )
    audit_record(
        actor=actor,
        action="APPOINTMENT_BOOK",
        crn=person.crn,
        details={"appointment": appointment.external_id, "type": type, "double_booked": bool(overlapping)} | cover,
    )
    announce_case_changed([person.pk], "appointment")
    return appointment


@transaction.atomic
def appointment_reschedule(
    *, actor: Actor, appointment: Appointment, at: datetime | None, reason: str, confirmed: bool = False
) -> Appointment:
    """Move a booked appointment to a new time; the old time and the reason stay in its history."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    person = appointment.person
    cover = case_write_check(actor=actor, person=person, work=Work.CASE)
    now = clock.now()
    problems = rules.reschedule_problems(
        at=at, current=appointment.at, now=now, reason=reason, has_outcome=appointment.outcome is not None
    )
    if problems:
        raise ValidationError(problems)
    assert at is not None
    overlapping = staff_clashes(appointment.staff_id, at, exclude=appointment.pk)
    if overlapping and not confirmed:
        raise rules.DoubleBookingError(overlapping)
    AppointmentChange.objects.create(
        appointment=appointment, from_at=appointment.at, to_at=at, reason=reason.strip(), at=now, by=actor.code
    )
    before = appointment.at
    appointment.at = at
    appointment.save(update_fields=["at"])
    audit_record(
        actor=actor,
        action="APPOINTMENT_RESCHEDULE",
        crn=person.crn,
        details={"appointment": appointment.external_id, "at": [before.isoformat(), at.isoformat()]} | cover,
    )
    announce_case_changed([person.pk], "appointment")
    return appointment


@transaction.atomic
def appointment_outcome(
    *,
    actor: Actor,
    appointment: Appointment,
    outcome: str,
    notes: str = "",
    absence_reason: str = "",
    absence_evidence: str = "",
) -> Contact:
    """Record what happened: the appointment's Contact (same id, type, time and staff) with the outcome and notes.
    Failures to attend and to comply are the contacts the enforcement rule reads."""
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    person = appointment.person
    cover = case_write_check(actor=actor, person=person, work=Work.CASE)
    now = clock.now()
    problems = rules.outcome_problems(
        outcome=outcome,
        at=appointment.at,
        now=now,
        notes=notes,
        absence_reason=absence_reason,
        absence_evidence=absence_evidence,
        has_outcome=appointment.outcome is not None,
    )
    if problems:
        raise ValidationError(problems)
    contact = contact_add(
        actor=actor,
        person=person,
        external_id=appointment.external_id,
        type=appointment.type,
        at=appointment.at,
        staff_id=appointment.staff_id,
        outcome=outcome,
        notes=notes.strip(),
    )
    appointment.outcome = outcome
    appointment.outcome_at = now
    appointment.outcome_by = actor.code
    appointment.absence_reason = absence_reason.strip()
    appointment.absence_evidence = absence_evidence.strip()
    appointment.contact = contact
    appointment.save(
        update_fields=["outcome", "outcome_at", "outcome_by", "absence_reason", "absence_evidence", "contact"]
    )
    audit_record(
        actor=actor,
        action="APPOINTMENT_OUTCOME",
        crn=person.crn,
        details={"appointment": appointment.external_id, "outcome": outcome} | cover,
    )
    return contact
