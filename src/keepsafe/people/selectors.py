"""Reading people on probation. The only way to fetch a person: every function here applies visibility."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from keepsafe.audit.models import Outcome
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor
from keepsafe.core.errors import NotFoundError
from keepsafe.core.ids import normalise_crn
from keepsafe.people.models import Person


def person_visible_queryset(*, viewer: Actor) -> QuerySet[Person]:
    return Person.objects.visible_to(is_system=viewer.is_system, staff_id=viewer.staff_id)


def person_get(*, crn: str, viewer: Actor, action: str = "CASE_VIEW", details: dict | None = None) -> Person:
    """Fetch one case and audit the read. A hidden case raises the same NotFoundError as a missing one;
    the audit trail (visible to auditors only) tells them apart."""
    canonical = normalise_crn(crn) or crn
    person = (
        person_visible_queryset(viewer=viewer)
        .select_related("pdu__region", "practitioner__team", "prison_offender_manager")
        .filter(crn=canonical)
        .first()
    )
    if person is None:
        exists = Person.objects.filter(crn=canonical).exists()
        audit_record(
            actor=viewer,
            action=action,
            crn=canonical if exists else None,
            outcome=Outcome.DENIED if exists else Outcome.NOT_FOUND,
            details={**(details or {}), **({} if exists else {"requested": canonical[:20]})},
        )
        raise NotFoundError(canonical)
    audit_record(actor=viewer, action=action, crn=person.crn, details=details or {})
    return person


def person_search(*, viewer: Actor, query: str, limit: int = 50) -> list[Person]:
    """Search by CRN or name. Only cases the viewer may see are ever matched, so nothing leaks by count."""
    text = query.strip()
    if not text:
        return []
    people = person_visible_queryset(viewer=viewer).select_related("practitioner", "pdu")
    crn = normalise_crn(text)
    if crn:
        people = people.filter(crn=crn)
    else:
        condition = Q()
        for word in text.split()[:4]:
            condition &= Q(forename__istartswith=word) | Q(surname__istartswith=word)
        people = people.filter(condition)
    found = list(people.order_by("surname", "forename", "crn")[:limit])
    # What was searched for, as typed (issue 11 §9: the audit trail says what each search looked for).
    audit_record(actor=viewer, action="CASE_SEARCH", details={"query": text, "results": [p.crn for p in found]})
    return found
