"""Searching the audit trail: for auditors only."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from keepsafe.audit.models import AuditEvent, Outcome
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError

AUDIT_READERS = {Role.AUDITOR, Role.ADMINISTRATOR, Role.SYSTEM}


def _made_by(actor: str) -> Q:
    """Events made by `actor`: the account's username or the member of staff's code, in any case."""
    who = actor.strip()
    return Q(actor__iexact=who) | Q(actor_staff_code__iexact=who)


def audit_actor_known(*, viewer: Actor, actor: str) -> bool:
    """Whether any event was made by `actor` (a username or staff code, any case), for an auditor's search to say a
    name it has never seen is mistyped. False for a viewer who may not search (the search refuses them anyway)."""
    if viewer.role not in AUDIT_READERS:
        return False
    return AuditEvent.objects.filter(_made_by(actor)).exists()


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
        events = events.filter(_made_by(actor))
    if date_from:
        events = events.filter(at__gte=clock.start_of(date_from))
    if date_to:
        events = events.filter(at__lt=clock.start_of(date_to + timedelta(days=1)))
    return events.order_by("-at", "-id")
