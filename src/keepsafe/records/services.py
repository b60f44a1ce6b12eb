"""Storing records. Records are never updated: a second version with the same id is a conflict."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.people.rules.vocabulary import RecordSource
from keepsafe.records.models import Record
from keepsafe.records.rules.immutability import changed_fields
from keepsafe.records.rules.kinds import kind_problem


@transaction.atomic
def record_add(
    *,
    actor: Actor,
    person: Person,
    external_id: str,
    source: str,
    kind: str,
    occurred_at: datetime,
    received_at: datetime,
    author: str,
    text: str,
) -> tuple[Record, bool]:
    """Store a record; returns (record, created). The same id with the same content is accepted once."""
    problems: list[tuple[str, str]] = []
    if source not in RecordSource.__members__:
        problems.append(("source", f"unknown source {source!r}; one of {', '.join(RecordSource)}"))
    if (reason := kind_problem(kind)) is not None:
        problems.append(("kind", reason))
    for name, value in (("occurred_at", occurred_at), ("received_at", received_at)):
        if value.tzinfo is None:
            problems.append((name, "the instant needs an offset or Z"))
    if not text.strip():
        problems.append(("text", "a record needs some text"))
    if problems:
        raise ValidationError(problems)
    incoming = {
        "source": source,
        "kind": kind,
        "occurred_at": occurred_at,
        "received_at": received_at,
        "author": author,
        "text": text,
    }
    existing = Record.objects.filter(person=person, external_id=external_id).first()
    if existing is not None:
        stored = {name: getattr(existing, name) for name in incoming}
        differing = changed_fields(stored, incoming)
        if differing:
            raise ValidationError(
                [
                    (
                        "id",
                        f"record {external_id!r} is already stored with different "
                        f"{', '.join(differing)}; records cannot be changed",
                    )
                ]
            )
        return existing, False
    record = Record.objects.create(person=person, external_id=external_id, **incoming)
    audit_record(
        actor=actor,
        action="RECORD_ADD",
        crn=person.crn,
        details={"record": external_id, "source": source, "kind": kind},
    )
    return record, True
