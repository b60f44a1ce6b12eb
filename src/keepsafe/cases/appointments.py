"""Reads for appointments (issue 14): a case's appointments (the Appointments tab, the case summary, the bundle) and a
member of staff's diary. The case pages read the case through `case_detail` (audited); the diary audits the CRNs it
lists, like a caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.formats import iso_instant
from keepsafe.people.models import Appointment, Person
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.workforce.models import Staff


def appointments_for_case(person: Person, now: datetime) -> tuple[list[Appointment], list[Appointment]]:
    """Upcoming (booked, not yet happened: soonest first) and past (happened or outcome recorded: newest first).
    A booked appointment whose time has passed without an outcome is past, and the tab asks for its outcome."""
    rows = list(
        Appointment.objects.filter(person=person).select_related("staff", "contact").prefetch_related("changes")
    )
    upcoming = sorted((a for a in rows if a.outcome is None and a.at > now), key=lambda a: (a.at, a.pk))
    past = sorted((a for a in rows if a.outcome is not None or a.at <= now), key=lambda a: (a.at, a.pk), reverse=True)
    return upcoming, past


def appointment_for_case(person: Person, external_id: str) -> Appointment | None:
    return Appointment.objects.filter(person=person, external_id=external_id).select_related("staff").first()


def appointment_json(a: Appointment) -> dict[str, Any]:
    """One appointment as `keepsafe case CRN --json` and the bundle carry it (docs/bundle-format.md)."""
    return {
        "id": a.external_id,
        "type": a.type,
        "at": iso_instant(a.at),
        "location": a.location,
        "staff": a.staff.code if a.staff else None,
        "outcome": a.outcome,
        "booked_at": iso_instant(a.booked_at),
        "booked_by": a.booked_by,
        "outcome_at": iso_instant(a.outcome_at) if a.outcome_at else None,
        "outcome_by": a.outcome_by or None,
        "absence_reason": a.absence_reason,
        "absence_evidence": a.absence_evidence,
        "contact": a.contact.external_id if a.contact else None,
        "reschedules": [
            {
                "from": iso_instant(c.from_at),
                "to": iso_instant(c.to_at),
                "reason": c.reason,
                "at": iso_instant(c.at),
                "by": c.by,
            }
            for c in a.changes.all()
        ],
    }


def staff_choices(person: Person) -> list[tuple[int, str]]:
    """Who an appointment can be with: staff in the case's PDU, the case holder first, named by name."""
    staff = Staff.objects.filter(Q(team__pdu_id=person.pdu_id) | Q(pk=person.practitioner_id)).order_by(
        "surname", "forename", "pk"
    )
    rows = [(s.pk, s.name) for s in staff]
    rows.sort(key=lambda r: r[0] != person.practitioner_id)
    return rows


@dataclass(frozen=True)
class DiaryRow:
    at: datetime
    appointment: str
    type: str
    location: str
    outcome: str | None
    crn: str
    name: str


def diary(*, viewer: Actor, start: date, days: int) -> list[DiaryRow]:
    """The viewer's own appointments from `start` for `days` days, on cases they may see (a case hidden from them is
    left out, as everywhere); the CRNs listed are audited."""
    if viewer.staff_id is None:
        return []
    begin = clock.start_of(start)
    end = clock.start_of(start + timedelta(days=days))
    people = person_visible_queryset(viewer=viewer)
    rows = [
        DiaryRow(a.at, a.external_id, a.type, a.location, a.outcome, a.person.crn, a.person.name)
        for a in Appointment.objects.filter(staff_id=viewer.staff_id, at__gte=begin, at__lt=end, person__in=people)
        .select_related("person")
        .order_by("at", "pk")
    ]
    audit_record(
        actor=viewer,
        action="DIARY_VIEW",
        details={"from": start.isoformat(), "days": days, "crns": sorted({r.crn for r in rows})},
    )
    return rows
