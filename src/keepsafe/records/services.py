"""Storing records. Records are never updated: a second version with the same id is a conflict."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from keepsafe.audit.services import AuditEntry, audit_record, audit_record_many
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.signals import announce_case_changed, announce_information_arrived
from keepsafe.people import services as people_services
from keepsafe.people.appointment_services import appointment_outcome
from keepsafe.people.models import Appointment, Contact, Person, Registration
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.vocabulary import RecordSource
from keepsafe.people.selectors import case_write_check
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.records.rules.civil_orders import (
    CIVIL_ORDER_KIND,
    CivilOrder,
    order_from_json,
    order_json,
    order_problems,
    registration_plan,
    should_update,
)
from keepsafe.records.rules.immutability import changed_fields
from keepsafe.records.rules.kinds import kind_problem
from keepsafe.records.rules.lexicon import LEXICON_VERSION


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
    order: CivilOrder | None = None,
) -> tuple[Record, bool]:
    """Store a record; returns (record, created). The same id with the same content is accepted once.

    A CIVIL_ORDER record carries its order, which creates or updates the matching flag. Staff may add records only to
    cases they work (people/rules/case_work.py); a prison record is custody-phase work, which the POM may add."""
    case_write_check(actor=actor, person=person, work=Work.CUSTODY if source == "PRISON" else Work.CASE)
    problems = record_problems(
        external_id=external_id,
        source=source,
        kind=kind,
        occurred_at=occurred_at,
        received_at=received_at,
        author=author,
        text=text,
        order=order,
    )
    if problems:
        raise ValidationError(problems)
    incoming = {
        "source": source,
        "kind": kind,
        "occurred_at": occurred_at,
        "received_at": received_at,
        "author": author,
        "text": text,
        "order": order_json(order),
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
    findings_store(records=[record])
    civil_orders_apply(actor=actor, records=[record])
    audit_record(
        actor=actor,
        action="RECORD_ADD",
        crn=person.crn,
        details={"record": external_id, "source": source, "kind": kind},
    )
    announce_case_changed([person.pk], "record")
    announce_information_arrived(person.pk, record.pk, actor.staff_id)  # issue 14 §3: tell who holds the case
    return record, True


def record_problems(
    *,
    external_id: str,
    source: str,
    kind: str,
    occurred_at: datetime,
    received_at: datetime,
    author: str,
    text: str,
    order: CivilOrder | None,
) -> list[tuple[str, str]]:
    """Why a record cannot be stored, field by field (empty when it can): the one check every way in makes."""
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
    for field, words in (("id", external_id), ("author", author), ("text", text)):
        if "\x00" in words:
            problems.append((field, "contains a NUL character, which cannot be stored"))
    problems += order_problems(kind, order)
    return problems


# --- ingest (issue 20 §4): new records stored in bulk -------------------------------------------------------------
def records_store_new(*, actor: Actor, records: Sequence[Record]) -> list[Record]:
    """Store records already checked with `record_problems` and known to be new, in bulk, in the caller's
    transaction: one multi-row insert, the texts scanned as a batch (`scan_many`), civil orders applied, one
    RECORD_ADD audit event each, and one case-changed announcement for all their people (so the worker queues one
    reconcile per person, not one per record). A record whose id is already taken fails the whole insert with an
    IntegrityError; callers that cannot rule that out fall back to `record_add` one by one."""
    if not records:
        return []
    stored = Record.objects.bulk_create(records, batch_size=1000)
    findings_store(records=stored)
    civil_orders_apply(actor=actor, records=[r for r in stored if r.kind == CIVIL_ORDER_KIND])
    crns = dict(Person.objects.filter(pk__in={r.person_id for r in stored}).values_list("pk", "crn"))
    audit_record_many(
        actor=actor,
        entries=[
            AuditEntry(
                "RECORD_ADD",
                crns[r.person_id],
                details={"record": r.external_id, "source": r.source, "kind": r.kind},
            )
            for r in stored
        ],
    )
    announce_case_changed({r.person_id for r in stored}, "record")
    return stored


# --- end ingest ---------------------------------------------------------------------------------------------------


# What a finding is made from: (record or contact, its text, the link to it, when it happened, when probation had it).
ScannedText = tuple[Record | Contact, str, dict[str, Any], datetime, datetime]


def findings_store(*, records: Sequence[Record] = (), contacts: Sequence[Contact] = ()) -> int:
    """Scan new records and new or changed contact notes; returns how many findings were stored.

    Every path that stores a record or a contact calls this in the same transaction, so a text is never stored
    unscanned. A contact's earlier findings are replaced, because its notes may be corrected.
    """
    # spaCy takes a second to import: loaded when the first text is scanned, not when the service starts.
    from keepsafe.records.rules.scanner import scan_many

    IndicatorFinding.objects.filter(contact__in=[c.pk for c in contacts]).delete()
    # A contact note is probation's own record: known from the moment of the contact.
    sources: list[ScannedText] = [(r, r.text, {"record": r}, r.occurred_at, r.received_at) for r in records]
    sources += [(c, c.notes, {"contact": c}, c.at, c.at) for c in contacts if c.notes.strip()]
    rows = [
        IndicatorFinding(
            person_id=source.person_id,
            occurred_at=occurred,
            received_at=received,
            indicator=f.indicator,
            start=f.start,
            end=f.end,
            text=f.text[:500],
            rule=f.rule,
            why=f.why[:300],
            lexicon=LEXICON_VERSION,
            **link,
        )
        for (source, _, link, occurred, received), findings in zip(
            sources, scan_many(text for _, text, _, _, _ in sources), strict=True
        )
        for f in findings
    ]
    IndicatorFinding.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def contact_add(*, actor: Actor, person: Person, **fields: Any) -> Contact:
    """Add a contact and scan its notes (people.services.contact_add cannot: scanning sits above it)."""
    contact = people_services.contact_add(actor=actor, person=person, **fields)
    findings_store(contacts=[contact])
    announce_case_changed([person.pk], "contact")
    return contact


# --- issue 14: an appointment's outcome is a contact, its notes scanned like every other --------------------------
@transaction.atomic
def appointment_outcome_record(*, actor: Actor, appointment: Appointment, **fields: Any) -> Contact:
    """Record an appointment's outcome (people.appointment_services.appointment_outcome) and scan its notes."""
    contact = appointment_outcome(actor=actor, appointment=appointment, **fields)
    findings_store(contacts=[contact])
    announce_case_changed([contact.person_id], "contact")
    return contact


@transaction.atomic
def findings_rescan(*, actor: Actor, person_ids: Sequence[int] | None = None, chunk: int = 2000) -> int:
    """Rebuild every finding with the current lexicon (after the lexicon changes); returns the number stored."""
    records = Record.objects.order_by("pk")
    contacts = Contact.objects.order_by("pk")
    if person_ids is not None:
        records, contacts = records.filter(person_id__in=person_ids), contacts.filter(person_id__in=person_ids)
        IndicatorFinding.objects.filter(person_id__in=person_ids).delete()
    else:
        IndicatorFinding.objects.all().delete()
    stored = 0
    for queryset, kind in ((records, "records"), (contacts, "contacts")):
        batch: list[Any] = []
        for obj in queryset.iterator(chunk_size=chunk):
            batch.append(obj)
            if len(batch) >= chunk:
                stored += findings_store(**{kind: batch})
                batch = []
        stored += findings_store(**{kind: batch})
    audit_record(
        actor=actor,
        action="INDICATORS_RESCAN",
        crn=None,
        details={"lexicon": LEXICON_VERSION, "people": len(person_ids) if person_ids is not None else "all"},
    )
    return stored


def civil_orders_apply(*, actor: Actor, records: Sequence[Record]) -> list[str]:
    """Create or update the flag each CIVIL_ORDER record's order calls for; returns the flags touched. The flag is
    known from the record's receipt (point in time), not from when Keepsafe stored it."""
    touched: list[str] = []
    for record in records:
        order = order_from_json(record.order) if record.kind == CIVIL_ORDER_KIND else None
        if order is None:
            continue
        plan = registration_plan(order, record.external_id)
        existing = Registration.objects.filter(person_id=record.person_id, external_id=plan.external_id).first()
        if existing is None:
            people_services.registration_add(
                actor=actor,
                person=record.person,
                external_id=plan.external_id,
                type_code=plan.type_code,
                start=plan.start,
                end=plan.end,
                notes=plan.notes,
                known_from=record.received_at,
            )
            touched.append(plan.external_id)
        elif should_update(existing.start, order) and people_services.registration_amend(
            actor=actor,
            registration=existing,
            start=plan.start,
            end=plan.end,
            notes=plan.notes,
            reason=f"Order varied or renewed (record {record.external_id})",
            known_from=record.received_at,
        ):
            touched.append(plan.external_id)
    return touched
