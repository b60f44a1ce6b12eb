"""Write the case record back out in the bundle format: what `keepsafe import` reads, losslessly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import Prefetch

from keepsafe.actions.models import EnforcementDecisionRecord, Recall, ReleasePlanConfirmation
from keepsafe.audit.services import AuditEntry, audit_record, audit_record_many
from keepsafe.bundles.schema import FORMAT
from keepsafe.core.actor import Actor
from keepsafe.core.formats import iso_date as _d
from keepsafe.core.formats import iso_instant as _instant
from keepsafe.people.models import Appointment, CaseAccess, Contact, Event, Person, Registration
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.records.models import Record
from keepsafe.risk.rules.rosh import RoshRatings
from keepsafe.sharing.models import CheckRequest
from keepsafe.workforce.models import Pdu, Region, Staff, Team


def organisation_sections() -> dict[str, list[dict[str, Any]]]:
    return {
        "regions": [{"code": r.code, "name": r.name} for r in Region.objects.order_by("code")],
        "pdus": [
            {"code": p.code, "name": p.name, "region": p.region.code}
            for p in Pdu.objects.select_related("region").order_by("code")
        ],
        "teams": [
            {"code": t.code, "name": t.name, "pdu": t.pdu.code}
            for t in Team.objects.select_related("pdu").order_by("code")
        ],
        "staff": [
            {
                "code": s.code,
                "forename": s.forename,
                "surname": s.surname,
                "grade": s.grade,
                "team": s.team.code if s.team else None,
                "line_manager": s.line_manager.code if s.line_manager else None,
                "qualified_on": _d(s.qualified_on),
                "contracted_hours": float(s.contracted_hours),
                "email": s.email,
            }
            for s in Staff.objects.select_related("team", "line_manager").order_by("code")
        ],
    }


def event_bundle(e: Event) -> dict[str, Any]:
    """One event in bundle form (and in `keepsafe case --json`). Expects requirements and conditions prefetched."""
    return {
        "id": e.external_id,
        "offence": e.offence,
        "offence_category": e.offence_category,
        "offence_date": _d(e.offence_date),
        "sentence": {"type": e.sentence_type, "date": _d(e.sentence_date), "length_months": e.length_months},
        "dates": {
            "release": _d(e.release),
            "conditional_release": _d(e.conditional_release),
            "parole_eligibility": _d(e.parole_eligibility),
            "licence_expiry": _d(e.licence_expiry),
            "sentence_expiry": _d(e.sentence_expiry),
            "pss_end": _d(e.pss_end),
        },
        "requirements": [
            {"id": r.external_id, "type": r.type, "detail": r.detail, "start": _d(r.start)}
            for r in e.requirements.all()
        ],
        "licence_conditions": [
            {"id": c.external_id, "type": c.type, "text": c.text} for c in e.licence_conditions.all()
        ],
        "terminated": _d(e.terminated),
    }


def contact_bundle(c: Contact) -> dict[str, Any]:
    """One contact in bundle form (and in `keepsafe case --json`)."""
    return {
        "id": c.external_id,
        "type": c.type,
        "at": _instant(c.at),
        "staff": c.staff.code if c.staff else None,
        "outcome": c.outcome,
        "notes": c.notes,
    }


# --- issue 14: appointments ------------------------------------------------------------------------------------------
def appointment_bundle(a: Appointment) -> dict[str, Any]:
    """One appointment in bundle form (and in `keepsafe case --json`; docs/bundle-format.md)."""
    return {
        "id": a.external_id,
        "type": a.type,
        "at": _instant(a.at),
        "location": a.location,
        "staff": a.staff.code if a.staff else None,
        "booked_at": _instant(a.booked_at),
        "booked_by": a.booked_by,
        "outcome": a.outcome,
        "outcome_at": _instant(a.outcome_at),
        "outcome_by": a.outcome_by or None,
        "absence_reason": a.absence_reason,
        "absence_evidence": a.absence_evidence,
        "contact": a.contact.external_id if a.contact else None,
        "reschedules": [
            {"from_at": _instant(c.from_at), "to_at": _instant(c.to_at), "reason": c.reason, "at": _instant(c.at)}
            | {"by": c.by}
            for c in sorted(a.changes.all(), key=lambda c: (c.at, c.pk))
        ],
    }


# --- end issue 14 ----------------------------------------------------------------------------------------------------


def record_bundle(r: Record) -> dict[str, Any]:
    """One record in bundle form (and in `keepsafe case --json`)."""
    return {
        "id": r.external_id,
        "source": r.source,
        "kind": r.kind,
        "occurred_at": _instant(r.occurred_at),
        "received_at": _instant(r.received_at),
        "author": r.author,
        "text": r.text,
        "order": r.order,
    }


def person_bundle(p: Person) -> dict[str, Any]:
    """One person in bundle form. Expects the prefetches made by `people_for_export`."""
    access: dict[str, list[str]] = {CaseAccess.Kind.RESTRICTION: [], CaseAccess.Kind.EXCLUSION: []}
    for entry in p.access_lists.all():
        access[entry.kind].append(entry.staff.code)
    return {
        "crn": p.crn,
        "forename": p.forename,
        "surname": p.surname,
        "date_of_birth": _d(p.date_of_birth),
        "gender": p.gender,
        "ethnicity": p.ethnicity,
        "disability": p.disability,
        "pnc": p.pnc,
        "pdu": p.pdu.code,
        "practitioner": p.practitioner.code if p.practitioner else None,
        "prison_offender_manager": p.prison_offender_manager.code if p.prison_offender_manager else None,
        "restricted_to": sorted(access[CaseAccess.Kind.RESTRICTION]),
        "excluded": sorted(access[CaseAccess.Kind.EXCLUSION]),
        "criminal_history": (
            {
                "first_sanction_date": _d(p.first_sanction_date),
                "sanctions": p.sanctions,
                "violent_sanctions": p.violent_sanctions,
            }
            if p.has_criminal_history
            else None
        ),
        "events": [event_bundle(e) for e in sorted(p.events.all(), key=lambda e: e.external_id)],
        "registrations": [
            {
                "id": r.external_id,
                "type": r.type.code,
                "start": _d(r.start),
                "end": _d(r.end),
                "level": r.level,
                "category": r.category,
                "notes": r.notes,
                "end_reason": r.end_reason,
                "last_reviewed": _d(r.last_reviewed),
            }
            for r in sorted(p.registrations.all(), key=lambda r: r.external_id)
        ],
        "contacts": [contact_bundle(c) for c in sorted(p.contacts.all(), key=lambda c: c.external_id)],
        "records": [record_bundle(r) for r in sorted(p.records.all(), key=lambda r: r.external_id)],
        # Assessments completed elsewhere travel in bundles; Keepsafe's own carry their working and stay here.
        "assessments": [
            {
                "id": a.external_id,
                "completed_at": _instant(a.completed_at),
                "assessor": a.assessor_code,
                "status": a.status,
                "rosh": RoshRatings.from_json(a.rosh).as_json(),
                "predictors": a.predictors,
                "needs": a.needs,
                "risk_to_self": a.risk_to_self,
                "oasys_answers": a.oasys_answers,
            }
            for a in sorted(p.assessments.all(), key=lambda a: a.external_id)
            if a.status == "COMPLETE" and a.source == "IMPORTED"
        ],
        "recalls": [
            {
                "id": r.external_id,
                "event": r.event.external_id if r.event else None,
                "considered_at": _instant(r.considered_at),
                "decided_at": _instant(r.decided_at),
                "decision": r.decision,
                "type": r.recall_type,
                "emergency": r.emergency,
                "decided_by": r.decided_by or None,
                "revoked_at": _instant(r.revoked_at),
                "executed_at": _instant(r.executed_at),
                "cancelled_at": _instant(r.cancelled_at),
                "cancelled_by": r.cancelled_by or None,
            }
            for r in sorted(p.recalls.all(), key=lambda r: r.external_id)
            if r.event is not None
        ],
        "checks": [
            {
                "id": c.external_id,
                "kind": c.kind,
                "requested_at": _instant(c.requested_at),
                "response_record": c.response_record.external_id if c.response_record else None,
                "acted_on_at": _instant(c.acted_on_at),
                "acted_on_by": c.acted_on_by or None,
                "acted_on_outcome": c.acted_on_outcome or None,
                "acted_on_notes": c.acted_on_notes or None,
            }
            for c in sorted(p.check_requests.all(), key=lambda c: c.external_id or "")
            if c.external_id
        ],
        "enforcement_decisions": [
            {
                "contact": d.contact.external_id,
                "decision": d.decision,
                "at": _instant(d.at),
                "by": d.by,
                "notes": d.notes,
            }
            for d in sorted(p.enforcement_decisions.all(), key=lambda d: (d.contact.external_id, d.pk))
        ],
        "appointments": [  # issue 14
            appointment_bundle(a) for a in sorted(p.appointments.all(), key=lambda a: a.external_id)
        ],
        "release_plan": [
            {
                "event": r.event.external_id,
                "item": r.item,
                "at": _instant(r.at),
                "by": r.by,
                "notes": r.notes,
            }
            for r in sorted(p.release_plan_confirmations.all(), key=lambda r: (r.event.external_id, r.item))
        ],
    }


def people_for_export(*, viewer: Actor, crns: list[str] | None = None, chunk: int = 500) -> Iterator[Person]:
    people = (
        person_visible_queryset(viewer=viewer)
        .select_related("pdu", "practitioner", "prison_offender_manager")
        .order_by("crn")
    )
    if crns is not None:
        people = people.filter(crn__in=crns)
    return people.prefetch_related(
        Prefetch("access_lists", queryset=CaseAccess.objects.select_related("staff")),
        Prefetch("events", queryset=Event.objects.prefetch_related("requirements", "licence_conditions")),
        Prefetch("registrations", queryset=Registration.objects.select_related("type")),
        "contacts__staff",
        "records",
        "assessments",
        Prefetch("recalls", queryset=Recall.objects.select_related("event")),
        Prefetch("check_requests", queryset=CheckRequest.objects.select_related("response_record")),
        Prefetch("enforcement_decisions", queryset=EnforcementDecisionRecord.objects.select_related("contact")),
        Prefetch("release_plan_confirmations", queryset=ReleasePlanConfirmation.objects.select_related("event")),
        Prefetch(
            "appointments", queryset=Appointment.objects.select_related("staff", "contact").prefetch_related("changes")
        ),
    ).iterator(chunk_size=chunk)


def bundle_export(*, viewer: Actor, out: IO[str], crns: list[str] | None = None) -> int:
    """Stream the bundle as JSON so a national export never holds every case in memory. Audits each case."""
    out.write('{"format": ' + json.dumps(FORMAT))
    for section, items in organisation_sections().items():
        out.write(f', "{section}": ' + json.dumps(items, ensure_ascii=False))
    out.write(', "people": [')
    count, pending = 0, []
    for person in people_for_export(viewer=viewer, crns=crns):
        out.write(("," if count else "") + "\n" + json.dumps(person_bundle(person), ensure_ascii=False))
        count += 1
        pending.append(AuditEntry("CASE_EXPORT", person.crn))
        if len(pending) >= 1000:
            audit_record_many(actor=viewer, entries=pending)
            pending = []
    audit_record_many(actor=viewer, entries=pending)
    audit_record(actor=viewer, action="BUNDLE_EXPORT", details={"people": count})
    out.write("\n]}\n")
    return count
