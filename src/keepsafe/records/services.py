"""Storing records. Records are never updated: a second version with the same id is a conflict."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction

from keepsafe.audit.services import AuditEntry, audit_record, audit_record_many
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Channel
from keepsafe.core.dbturns import Turns, retrying
from keepsafe.core.errors import ValidationError
from keepsafe.core.signals import announce_case_changed, announce_information_arrived
from keepsafe.people import services as people_services
from keepsafe.people.appointment_services import appointment_outcome
from keepsafe.people.models import Appointment, Contact, Person, Registration
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.vocabulary import RecordSource
from keepsafe.people.selectors import case_write_check
from keepsafe.records.models import IndicatorFinding, Record, ScanState
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
from keepsafe.records.selectors import ScannerVersions, scanner_versions

log = logging.getLogger(__name__)


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
    rows = findings_scanned(records=records, contacts=contacts)
    IndicatorFinding.objects.filter(contact__in=[c.pk for c in contacts]).delete()
    IndicatorFinding.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def findings_scanned(*, records: Sequence[Record] = (), contacts: Sequence[Contact] = ()) -> list[IndicatorFinding]:
    """The findings the running scanner makes of these records and contact notes, unsaved (no database access)."""
    # spaCy takes a second to import: loaded when the first text is scanned, not when the service starts.
    from keepsafe.records.rules.scanner import scan_many

    # A contact note is probation's own record: known from the moment of the contact.
    sources: list[ScannedText] = [(r, r.text, {"record": r}, r.occurred_at, r.received_at) for r in records]
    sources += [(c, c.notes, {"contact": c}, c.at, c.at) for c in contacts if c.notes.strip()]
    return [
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


def findings_rescan(
    *,
    actor: Actor,
    person_ids: Sequence[int] | None = None,
    chunk: int | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> int:
    """Rebuild the findings of every case (or of `person_ids`) with the running scanner; returns the number stored.

    Chunk by chunk of people, exactly as the worker's rebuild (`_findings_chunk_rebuild`): each chunk's texts are
    scanned outside any transaction and its findings replaced in one short transaction, pausing between chunks on
    SQLite (core/dbturns.py); `progress(people done, people in all, findings stored)` is called after each chunk.
    Idempotent: a rescan interrupted part-way leaves the chunks it finished committed (and, if full, the store still
    recorded as stale); running it again rescans every case from the first and finishes the job. Only a full rescan
    that reaches the end records the running scanner in ScanState (ending any rebuild a worker had claimed, as the
    worker does when it finishes) and is audited, once, as INDICATORS_RESCAN by `actor`."""
    size = chunk or REBUILD_CHUNK
    people = Person.objects.order_by("pk")
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    ids = list(people.values_list("pk", flat=True))
    stored, turns = 0, Turns()
    for start in range(0, len(ids), size):
        stored += _findings_chunk_rebuild(ids[start : start + size], what="findings rescan")
        turns.taken()
        if progress is not None:
            progress(min(start + size, len(ids)), len(ids), stored)
    running = scanner_versions()
    with transaction.atomic():
        if person_ids is None:  # only a full rescan says what the whole store was built with
            scan_state_ensure()
            ScanState.objects.filter(pk=1).update(**_rebuilt_state(running))
        audit_record(
            actor=actor,
            action="INDICATORS_RESCAN",
            crn=None,
            details={
                "lexicon": running.lexicon,
                "model": running.model,
                "people": len(ids) if person_ids is not None else "all",
            },
        )
    return stored


# --- rebuilding findings after an upgrade: the worker, a slice each round, in short turns (docs/indicators.md) -------
REBUILD_CHUNK = 50  # people per write: their texts are scanned before the transaction, so it holds the lock briefly
REBUILD_SLICE_SECONDS = 1.0  # a worker round rebuilds chunks for about this long, then gets on with its other work

# The claim a worker process holds when its caller names no worker (a test, `housekeeping()` called bare).
THIS_PROCESS = f"process-{uuid.uuid4().hex[:24]}"


def scan_state_ensure() -> None:
    """Make the scan state's row if there is none: on a store with nothing scanned yet (a fresh install, a new demo)
    it records the running scanner, so nothing is stale; on one with records or contacts (an install upgraded to this
    version) it records no scan, so the worker rebuilds every finding once. Run after every `migrate`."""
    if ScanState.objects.filter(pk=1).exists():
        return
    empty = not Record.objects.exists() and not Contact.objects.exists()
    running = scanner_versions()
    defaults: dict[str, Any] = (
        {"lexicon": running.lexicon, "model": running.model, "completed_at": clock.now()} if empty else {}
    )
    ScanState.objects.get_or_create(pk=1, defaults=defaults)


class _ClaimLostError(Exception):
    """Another worker took the rebuild over (this one had stopped reporting for longer than the lease)."""


@dataclass(frozen=True)
class RebuildSlice:
    """What one worker round did of the rebuild: people rebuilt, findings stored, and whether the rebuild is done."""

    people: int
    stored: int
    finished: bool


def findings_rebuild_step(
    *,
    lease_seconds: int,
    worker: str = THIS_PROCESS,
    chunk: int | None = None,
    budget_seconds: float | None = None,
    progress: Callable[[], None] | None = None,
) -> RebuildSlice | None:
    """One worker round's slice of the rebuild of every finding with the running scanner, when the store was last
    fully scanned with another lexicon or model: chunks of `chunk` people (REBUILD_CHUNK) for about `budget_seconds`
    (REBUILD_SLICE_SECONDS; at least one chunk), so the round's queued tasks, sweep and email wait a second at most.
    Returns the slice, or None when there was nothing to do (current, or another live worker is on it).

    One worker at a time: it claims the rebuild in its own name (`worker`) with a conditional update, carries on from
    its cursor in its next rounds, and renews the claim with every chunk. A claim not renewed within `lease_seconds`
    (a lost worker, or one whose round's tasks ran that long) is taken over by the next worker, which carries on from
    the last person finished. Each chunk is `_findings_chunk_rebuild`, the same as `keepsafe rescan`. Only when every
    person is done is the new state recorded (and audited, once, as INDICATORS_RESCAN by the system), so a rebuild
    that stops part-way leaves the store stale."""
    size = chunk or REBUILD_CHUNK
    budget = REBUILD_SLICE_SECONDS if budget_seconds is None else budget_seconds
    scan_state_ensure()
    state = ScanState.objects.get(pk=1)
    running = scanner_versions()
    now = clock.now()
    if (state.lexicon, state.model) == (running.lexicon, running.model):
        return None
    same_target = (state.rebuild_lexicon, state.rebuild_model) == (running.lexicon, running.model)
    cursor = state.rebuild_cursor if state.rebuild_by and same_target else 0
    if not (state.rebuild_by == worker and same_target):  # not this worker's own rebuild, carried on: claim it
        if (
            state.rebuild_by
            and state.rebuild_heartbeat_at
            and state.rebuild_heartbeat_at >= now - timedelta(seconds=lease_seconds)
        ):
            return None  # a live worker is rebuilding
        claimed = ScanState.objects.filter(
            pk=1, rebuild_by=state.rebuild_by, rebuild_heartbeat_at=state.rebuild_heartbeat_at
        ).update(
            rebuild_by=worker,
            rebuild_lexicon=running.lexicon,
            rebuild_model=running.model,
            rebuild_cursor=cursor,
            rebuild_started_at=now,
            rebuild_heartbeat_at=now,
        )
        if not claimed:
            return None  # another worker claimed it between the read and the update
        log.warning(
            "indicator findings were built with lexicon %s, classifier %s: rebuilding with lexicon %s, classifier %s%s",
            state.lexicon or "unknown",
            state.model or "unknown",
            running.lexicon,
            running.model,
            " (carrying on where a lost worker stopped)" if cursor else "",
        )
    started, people_done, stored, turns = time.monotonic(), 0, 0, Turns()
    try:
        people = _people_after(cursor, size)
        while people:
            stored += _findings_chunk_rebuild(
                people, claim=partial(_claim_renew, worker, people[-1]), what="findings rebuild"
            )
            cursor, people_done = people[-1], people_done + len(people)
            turns.taken()
            if progress is not None:
                progress()
            people = _people_after(cursor, size)
            if people and time.monotonic() - started >= budget:  # the slice's time is up: the rest next round
                return RebuildSlice(people=people_done, stored=stored, finished=False)
    except _ClaimLostError:
        log.warning("indicator findings rebuild: another worker took it over")
        return None
    with transaction.atomic():
        if not ScanState.objects.filter(pk=1, rebuild_by=worker).update(**_rebuilt_state(running)):
            return None
        audit_record(
            actor=Actor.system(Channel.SYSTEM),
            action="INDICATORS_RESCAN",
            crn=None,
            details={"lexicon": running.lexicon, "model": running.model, "people": "all", "by": "worker"},
        )
    log.info("indicator findings rebuilt: lexicon %s, classifier %s", running.lexicon, running.model)
    return RebuildSlice(people=people_done, stored=stored, finished=True)


def _people_after(cursor: int, size: int) -> list[int]:
    """The next chunk of people to rebuild: the first `size` after the last one done."""
    return list(Person.objects.filter(pk__gt=cursor).order_by("pk").values_list("pk", flat=True)[:size])


def _rebuilt_state(running: ScannerVersions) -> dict[str, Any]:
    """ScanState once every finding is built by the running scanner: its versions, when, and no rebuild claimed."""
    return {
        "lexicon": running.lexicon,
        "model": running.model,
        "completed_at": clock.now(),
        "rebuild_by": "",
        "rebuild_cursor": 0,
        "rebuild_heartbeat_at": None,
    }


def _claim_renew(worker: str, last: int) -> None:
    """In a rebuild chunk's transaction: renew this worker's claim and move its cursor to the chunk's last person."""
    if not ScanState.objects.filter(pk=1, rebuild_by=worker).update(
        rebuild_cursor=last, rebuild_heartbeat_at=clock.now()
    ):
        raise _ClaimLostError


def _findings_chunk_rebuild(people: list[int], *, what: str, claim: Callable[[], None] | None = None) -> int:
    """Rebuild these people's findings with the running scanner (one chunk of the worker's rebuild or of `keepsafe
    rescan`); returns the findings stored. Their records and contact notes are read and scanned outside any
    transaction; then one short transaction (retried while SQLite is locked) runs `claim` (the worker's claim
    renewal) and replaces the findings of exactly those records and contacts, leaving a record stored or a contact
    note corrected meanwhile as its own write scanned it (with the same running scanner). Running it twice gives the
    same findings."""
    records = list(Record.objects.filter(person_id__in=people).order_by("pk"))
    contacts = list(Contact.objects.filter(person_id__in=people).order_by("pk"))
    rows = findings_scanned(records=records, contacts=contacts)
    return retrying(partial(_chunk_write, claim, records, contacts, rows), what=what)


def _chunk_write(
    claim: Callable[[], None] | None, records: list[Record], contacts: list[Contact], rows: list[IndicatorFinding]
) -> int:
    """One chunk's write: renew the claim (if a worker's), then replace the findings of the records that still exist
    and the contacts whose notes are as they were scanned."""
    with transaction.atomic():
        if claim is not None:
            claim()
        live: set[int] = set()
        for ids in _slices([r.pk for r in records]):
            live.update(Record.objects.filter(pk__in=ids).values_list("pk", flat=True))
            IndicatorFinding.objects.filter(record_id__in=ids).delete()
        scanned = {c.pk: (c.notes, c.at) for c in contacts}
        unchanged: set[int] = set()
        for ids in _slices(list(scanned)):
            now_stored = Contact.objects.filter(pk__in=ids).values_list("pk", "notes", "at")
            same = [pk for pk, notes, at in now_stored if scanned[pk] == (notes, at)]
            IndicatorFinding.objects.filter(contact_id__in=same).delete()
            unchanged.update(same)
        kept = [f for f in rows if (f.record_id in live if f.record_id is not None else f.contact_id in unchanged)]
        IndicatorFinding.objects.bulk_create(kept, batch_size=1000)
    return len(kept)


def _slices(ids: list[int], size: int = 1000) -> list[list[int]]:
    """Ids a thousand at a time: a heavy chunk's records stay within SQLite's limit on a query's parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


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
