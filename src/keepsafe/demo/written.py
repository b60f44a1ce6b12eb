"""What the demo writes after the import (oversight notes, contacts, flag reviews) is audited and marks its cases for
the next incremental sweep, as any write of a case is (one place for the three history writers)."""

from __future__ import annotations

from collections.abc import Iterable

from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.audit.services import AuditEntry, audit_record_many
from keepsafe.core.actor import Actor


def audited(actor: Actor, action: str, written: Iterable[tuple[int, str, dict[str, str]]]) -> int:
    """Audits each (person id, CRN, details) written as `action` and marks those cases dirty; returns how many."""
    rows = list(written)
    audit_record_many(actor=actor, entries=(AuditEntry(action, crn, details=details) for _, crn, details in rows))
    mark_dirty({person_id for person_id, _, _ in rows})
    return len(rows)
