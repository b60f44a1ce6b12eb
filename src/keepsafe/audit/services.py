"""The only code that writes audit events. Callers write them inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from keepsafe.audit.models import AuditEvent, Outcome
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.request_context import current_request_id


@dataclass(frozen=True)
class AuditEntry:
    action: str
    crn: str | None = None
    outcome: str = Outcome.OK
    details: dict[str, Any] = field(default_factory=dict)


def _event(actor: Actor, entry: AuditEntry, correlation_id: str | None) -> AuditEvent:
    return AuditEvent(
        at=clock.now(),
        actor=actor.username,
        actor_staff_code=actor.staff_code,
        actor_role=str(actor.role),
        channel=str(actor.channel),
        action=entry.action,
        crn=entry.crn,
        outcome=entry.outcome,
        details=entry.details,
        # A web request's id (X-Request-ID) ties its audit events to its log lines (docs/operations.md).
        correlation_id=correlation_id or current_request_id(),
    )


def audit_record(
    *,
    actor: Actor,
    action: str,
    crn: str | None = None,
    outcome: str = Outcome.OK,
    details: dict[str, Any] | None = None,
    correlation_id: str | None = None,
) -> AuditEvent:
    event = _event(actor, AuditEntry(action, crn, outcome, details or {}), correlation_id)
    event.save()
    return event


def audit_record_many(*, actor: Actor, entries: Iterable[AuditEntry], correlation_id: str | None = None) -> int:
    events = [_event(actor, entry, correlation_id) for entry in entries]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)
