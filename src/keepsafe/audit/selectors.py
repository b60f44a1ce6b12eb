"""Searching the audit trail: for auditors only."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from keepsafe.audit.models import AuditEvent, Outcome
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError

AUDIT_READERS = {Role.AUDITOR, Role.ADMINISTRATOR, Role.SYSTEM}


def audit_actor_known(*, viewer: Actor, actor: str) -> bool:
    """Whether any event was made by `actor` (a username or staff code, any case), for an auditor's search to say a
    name it has never seen is mistyped. False for a viewer who may not search (the search refuses them anyway)."""
    if viewer.role not in AUDIT_READERS:
        return False
    who = actor.strip()
    return (
        AuditEvent.objects.filter(actor__iexact=who).exists()
        or AuditEvent.objects.filter(actor_staff_code__iexact=who).exists()
    )


def audit_search(
    *,
    viewer: Actor,
    crn: str | None = None,
    actor: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The events matching the filters. The search itself is audited, and so is a refused attempt (issue 11 §9)."""
    filters = {
        "crn": crn,
        "actor": actor,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
    }
    if viewer.role not in AUDIT_READERS:
        audit_record(actor=viewer, action="AUDIT_SEARCH", outcome=Outcome.DENIED, details={"filters": filters})
        raise PermissionDeniedError("Only auditors may search the audit trail")
    audit_record(actor=viewer, action="AUDIT_SEARCH", details={"filters": filters})
    events = AuditEvent.objects.all()
    if crn:
        events = events.filter(crn=crn.strip().upper())
    if actor:
        events = events.filter(actor__iexact=actor.strip()) | events.filter(actor_staff_code__iexact=actor.strip())
    if date_from:
        events = events.filter(at__gte=clock.start_of(date_from))
    if date_to:
        events = events.filter(at__lt=clock.start_of(date_to + timedelta(days=1)))
    return events.order_by("-at", "-id")
