"""Reads for appointments (issue 14): a case's appointments (the Appointments tab, the case summary, the bundle) and a
member of staff's diary. The case pages read the case through `case_detail` (audited); the diary audits the CRNs it
lists, like a caseload."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q

from keepsafe.audit.services import audit_record
from keepsafe.bundles.exporter import appointment_bundle
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.formats import iso_instant
from keepsafe.people.models import Appointment, Contact, Person
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.workforce.models import Staff


@dataclass(frozen=True)
class PastEntry:
    """A row of the Appointments tab's Past list: an appointment whose time has come (`booked`: its outcome, or the
    tab asks for one), or a contact that was never booked (recorded with "Record a contact", or imported)."""

    at: datetime
    external_id: str
    type: str
    location: str
    staff: str  # the member of staff's name, or "" when not given
    outcome: str | None
    absence_reason: str
    absence_evidence: str
    booked: bool


def appointments_for_case(person: Person, now: datetime) -> tuple[list[Appointment], list[PastEntry]]:
    """Upcoming (booked, not yet happened: soonest first) and past (newest first): appointments that happened or have
    an outcome, and every contact not made from an appointment, with its outcome. A booked appointment whose time has
    passed without an outcome is past, and the tab asks for its outcome. (A try-out recorded a contact from this tab
    and could not find it here: only appointments were listed.)"""
    rows = list(
        Appointment.objects.filter(person=person).select_related("staff", "contact").prefetch_related("changes")
    )
    upcoming = sorted((a for a in rows if a.outcome is None and a.at > now), key=lambda a: (a.at, a.pk))
    past = [
        (
            PastEntry(
                a.at,
                a.external_id,
                a.type,
                a.location,
                a.staff.name if a.staff else "",
                a.outcome,
                a.absence_reason,
                a.absence_evidence,
                booked=True,
            ),
            (0, a.pk),
        )
        for a in rows
        if a.outcome is not None or a.at <= now
    ]
    unbooked = Contact.objects.filter(person=person, appointment__isnull=True).select_related("staff")
    past += [
        (
            PastEntry(
                c.at, c.external_id, c.type, "", c.staff.name if c.staff else "", c.outcome, "", "", booked=False
            ),
            (1, c.pk),
        )
        for c in unbooked
    ]
    return upcoming, [entry for entry, _ in sorted(past, key=lambda p: (p[0].at, p[1]), reverse=True)]


def appointment_for_case(person: Person, external_id: str) -> Appointment | None:
    return Appointment.objects.filter(person=person, external_id=external_id).select_related("staff").first()


def appointments_known(person: Person, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """The case's appointments in bundle form, soonest first (`keepsafe case CRN --json`, docs/case-json.md). As of an
    instant: those booked by then, at the time they were booked for then, with an outcome only if recorded by then."""
    rows = (
        Appointment.objects.filter(person=person)
        .select_related("staff", "contact")
        .prefetch_related("changes")
        .order_by("at", "pk")
    )
    if as_of is None:
        return [appointment_bundle(a) for a in rows]
    out = []
    for a in rows.filter(booked_at__lte=as_of):
        item = appointment_bundle(a)
        changes = sorted(a.changes.all(), key=lambda c: (c.at, c.pk))
        known = sum(1 for c in changes if c.at <= as_of)
        item["reschedules"] = item["reschedules"][:known]
        if known < len(changes):
            item["at"] = iso_instant(changes[known].from_at)
        if a.outcome_at is None or a.outcome_at > as_of:
            item.update({"outcome": None, "outcome_at": None, "outcome_by": None, "contact": None})
            item.update({"absence_reason": "", "absence_evidence": ""})
        out.append(item)
    return sorted(out, key=lambda i: i["at"])


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
