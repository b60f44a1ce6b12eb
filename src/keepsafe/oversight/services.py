"""Writes for management oversight (issue 15 §3): an SPO oversight note on a case, which closes its touch points."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from keepsafe.actions.services.manage import refresh
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.appointment_services import new_appointment_id
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactType
from keepsafe.records.services import contact_add

NOTE_MAX = 4000  # characters; refused with a field error beyond this, never cut short


@transaction.atomic
def oversight_note_record(*, actor: Actor, person: Person, notes: str, at: datetime | None = None) -> Contact:
    """Record an SPO oversight note as a contact of type SPO_OVERSIGHT (the nDelius "SPO Oversight" contact) and
    re-evaluate the case's actions at once, so the touch points it answers close on the page that recorded it.
    Only a manager may record it (people.services.contact_add) and only on a case they may see and work on."""
    text = notes.strip()
    problems = []
    if not text:
        problems.append(("notes", "Enter the oversight note"))
    elif len(text) > NOTE_MAX:
        problems.append(("notes", f"The oversight note must be {NOTE_MAX} characters or fewer (it has {len(text)})"))
    when = at or clock.now()
    if when > clock.now():
        problems.append(("at", "An oversight note cannot be dated in the future"))
    if problems:
        raise ValidationError(problems)
    contact = contact_add(
        actor=actor,
        person=person,
        external_id=new_appointment_id(person, "OVS"),
        type=ContactType.SPO_OVERSIGHT.value,
        at=when,
        staff_id=actor.staff_id,
        outcome=None,
        notes=text,
    )
    audit_record(actor=actor, action="OVERSIGHT_NOTE_ADD", crn=person.crn, details={"contact": contact.external_id})
    refresh(person.pk)
    return contact
