"""Import a validated bundle: every section in one transaction, in bulk, auditing each case written."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pydantic
from django.db import IntegrityError, transaction

from keepsafe.actions.models import EnforcementDecisionRecord, Recall, ReleasePlanConfirmation
from keepsafe.actions.services.worker import reconcile_later
from keepsafe.audit.services import AuditEntry, audit_record, audit_record_many
from keepsafe.bundles.schema import BundleIn, PersonIn, StaffIn
from keepsafe.bundles.stream import Head, Opener, bundle_head, people_chunks
from keepsafe.bundles.sync import sync_rows
from keepsafe.bundles.validate import _raw_codes, validate
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import (
    Appointment,
    AppointmentChange,
    CaseAccess,
    Contact,
    Event,
    EventVersion,
    LicenceCondition,
    LicenceConditionVersion,
    Person,
    PersonVersion,
    Registration,
    RegistrationHistory,
    RegistrationType,
    Requirement,
    RequirementVersion,
)
from keepsafe.people.rules.registration_review import next_review_date
from keepsafe.people.services import (
    event_version,
    flag_history,
    known_from_date,
    licence_condition_version,
    person_version,
    requirement_version,
)
from keepsafe.records.models import Record
from keepsafe.records.rules.civil_orders import order_json
from keepsafe.records.services import civil_orders_apply, findings_store
from keepsafe.risk.models import Assessment
from keepsafe.risk.rules.rosh import CommunityRatings, CustodyRatings, Level, RoshRatings
from keepsafe.risk.services import assessment_import_apply, risk_recalculate_many
from keepsafe.sharing.models import CheckRequest
from keepsafe.workforce.models import Pdu, Region, Staff, Team

IMPORTED_FLAG = "Imported from a case bundle"  # the 0004_asof_backfill migration of people reads this note


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    people_touched: set[int] = field(default_factory=set)

    def add(self, section: str, created: int, updated: int) -> None:
        self.created[section] += created
        self.updated[section] += updated

    @property
    def changed_anything(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        sections = sorted(set(self.created) | set(self.updated))
        return {s: {"created": self.created[s], "updated": self.updated[s]} for s in sections}


# --- ingest (issue 20 §4): bundle import streams people chunk by chunk ---------------------------------------------
PEOPLE_CHUNK = 1000  # people validated and written together: peak memory is one chunk (docs/bundle-format.md)


def _opener(raw: bytes | Path) -> Opener:
    if isinstance(raw, Path):
        return lambda: raw.open("rb")
    return lambda: io.BytesIO(raw)


def bundle_import(
    *,
    actor: Actor,
    raw: bytes | str | Path,
    source_name: str = "bundle",
    reconcile: bool = True,
    chunk: int = PEOPLE_CHUNK,
) -> ImportSummary:
    """Import a bundle (bytes, text, or a file read as it goes). Afterwards the imported cases' actions are
    re-evaluated by the worker (`reconcile=False` for point-in-time replays, which sweep at the instants they choose).

    The file is read in two passes, never whole: its small sections (regions, PDUs, teams, staff) first, then its
    people `chunk` at a time, each chunk validated (shape, references, consistency) and, while no error has been
    found, written. The transaction is the whole file: any error anywhere rolls back every chunk already written, and
    validation goes on to the end so that one run reports every problem (ValidationError, each with its JSON path
    in the file). Peak memory is the small sections, one chunk, and the set of CRNs seen (for repeats across chunks).
    """
    if isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError:  # an unpaired surrogate in text: the whole-document check names where it is
            validate(raw)
            raise
    open_bundle = _opener(raw)
    head = bundle_head(open_bundle)
    if not head.is_object:  # not a bundle at all: the whole-document check says why
        with open_bundle() as f:
            validate(f.read())
    try:
        with transaction.atomic():
            summary, people = _import_streamed(actor, open_bundle, head, chunk)
            if reconcile and summary.changed_anything:
                touched = sorted(summary.people_touched)
                for start in range(0, len(touched), 500):
                    reconcile_later(touched[start : start + 500])
            audit_record(
                actor=actor,
                action="BUNDLE_IMPORT",
                details={"source": source_name[-200:], "people": people, "summary": summary.as_dict()},
            )
    except IntegrityError as exc:
        # Validation passed, so a unique row appeared after it: another import of the same cases committed first.
        raise ValidationError(
            [
                (
                    "(bundle)",
                    "another import stored some of the same records while this one ran; nothing from this file was "
                    "imported. Run it again: what the other import stored will be reported as unchanged",
                )
            ]
        ) from exc
    return summary


def _import_streamed(actor: Actor, open_bundle: Opener, head: Head, chunk: int) -> tuple[ImportSummary, int]:
    """Validate and write in the caller's transaction; raises ValidationError with every problem found."""
    summary = ImportSummary()
    problems: list[tuple[str, str]] = []
    try:
        organisation = validate(json.dumps(head.values))
    except ValidationError as exc:
        problems += exc.problems
        organisation = None
    if organisation is not None:
        bundle_write(actor=actor, bundle=organisation, summary=summary)
        # Written in this transaction, so the people's references to it resolve from the database.
        known, staff = None, []
    else:
        # Not written: the people are still checked, against every code the file's sections give and the
        # well-formed staff (their grades decide who may decide a recall); problems in those sections are
        # reported once, above.
        known, staff = _raw_codes(head.values), _well_formed_staff(head.values.get("staff"))
    seen: dict[str, int] = {}
    count = 0
    if head.people_is_list:
        for batch in people_chunks(open_bundle, chunk):
            offset, count = count, count + len(batch)
            found = _repeated_crns(batch, offset, seen)
            try:
                people = validate(json.dumps({"format": FORMAT, "staff": staff, "people": batch}), known)
            except ValidationError as exc:
                found += [(_shifted(path, offset), reason) for path, reason in exc.problems if not _is_staff(path)]
                people = None
            if found or people is None:
                problems += found
            elif not problems:
                bundle_write(
                    actor=actor, bundle=BundleIn.model_construct(format=FORMAT, people=people.people), summary=summary
                )
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    return summary, count


FORMAT = "keepsafe-bundle/1"


def _is_staff(path: str) -> bool:
    """A problem in the staff a chunk carries only for reference: already reported with the file's own sections."""
    return path.startswith(("staff[", "staff."))


def _shifted(path: str, offset: int) -> str:
    """`people[3].events[0]` of a chunk starting at person `offset` → its path in the file."""
    match = re.match(r"^people\[(\d+)\]", path)
    return f"people[{int(match.group(1)) + offset}]{path[match.end() :]}" if match else path


def _repeated_crns(batch: list[Any], offset: int, seen: dict[str, int]) -> list[tuple[str, str]]:
    """A CRN that appeared in an earlier chunk, reported at both places (repeats within a chunk are found by
    `validate`, as for a whole file)."""
    problems = []
    for index, person in enumerate(batch, start=offset):
        crn = person.get("crn") if isinstance(person, dict) else None
        if not isinstance(crn, str):
            continue
        first = seen.setdefault(crn, index)
        if first < offset:
            for at in (first, index):
                problems.append((f"people[{at}].crn", f"{crn!r} appears more than once"))
    return problems


def _well_formed_staff(items: Any) -> list[Any]:
    good = []
    for item in items if isinstance(items, list) else []:
        try:
            StaffIn.model_validate_json(json.dumps(item), strict=True)
        except (pydantic.ValidationError, TypeError, ValueError):
            continue
        good.append(item)
    return good


# --- end ingest ---------------------------------------------------------------------------------------------------


def bundle_write(*, actor: Actor, bundle: BundleIn, summary: ImportSummary | None = None) -> ImportSummary:
    """Write an already validated bundle. Callers own the transaction."""
    summary = summary or ImportSummary()
    _write_organisation(bundle, summary)
    staff_ids = dict(Staff.objects.values_list("code", "id"))
    pdu_ids = dict(Pdu.objects.values_list("code", "id"))
    type_ids = dict(RegistrationType.objects.values_list("code", "id"))
    type_months = dict(RegistrationType.objects.values_list("code", "review_months"))
    for start in range(0, len(bundle.people), 1000):
        _write_people(actor, bundle.people[start : start + 1000], summary, staff_ids, pdu_ids, type_ids, type_months)
    return summary


def _write_organisation(bundle: BundleIn, summary: ImportSummary) -> None:
    regions = sync_rows(
        Region,
        ["code"],
        [{"code": r.code, "name": r.name} for r in bundle.regions],
        Region.objects.filter(code__in=[r.code for r in bundle.regions]),
    )
    summary.add("regions", len(regions.created), len(regions.changed))
    region_ids = dict(Region.objects.values_list("code", "id"))
    pdus = sync_rows(
        Pdu,
        ["code"],
        [{"code": p.code, "name": p.name, "region_id": region_ids[p.region]} for p in bundle.pdus],
        Pdu.objects.filter(code__in=[p.code for p in bundle.pdus]),
    )
    summary.add("pdus", len(pdus.created), len(pdus.changed))
    pdu_ids = dict(Pdu.objects.values_list("code", "id"))
    teams = sync_rows(
        Team,
        ["code"],
        [{"code": t.code, "name": t.name, "pdu_id": pdu_ids[t.pdu]} for t in bundle.teams],
        Team.objects.filter(code__in=[t.code for t in bundle.teams]),
    )
    summary.add("teams", len(teams.created), len(teams.changed))
    team_ids = dict(Team.objects.values_list("code", "id"))
    codes = [s.code for s in bundle.staff]
    existing_managers = dict(Staff.objects.filter(code__in=codes).values_list("code", "line_manager_id"))
    rows = [
        {
            "code": s.code,
            "forename": s.forename,
            "surname": s.surname,
            "grade": s.grade.value,
            "team_id": team_ids[s.team] if s.team else None,
            "qualified_on": s.qualified_on,
            "contracted_hours": Decimal(s.contracted_hours),
            "email": s.email,
            "line_manager_id": existing_managers.get(s.code),
        }
        for s in bundle.staff
    ]
    first = sync_rows(Staff, ["code"], rows, Staff.objects.filter(code__in=codes))
    # Line managers may be defined later in the same list, so they are linked once every code has an id.
    staff_ids = dict(Staff.objects.values_list("code", "id"))
    rows = [
        {**row, "line_manager_id": staff_ids[s.line_manager] if s.line_manager else None}
        for row, s in zip(rows, bundle.staff, strict=True)
    ]
    second = sync_rows(Staff, ["code"], rows, Staff.objects.filter(code__in=codes))
    updated = (set(first.changed) | set(second.changed)) - {(o.code,) for o in first.created}
    summary.add("staff", len(first.created), len(updated))


def _person_row(p: PersonIn, staff_ids: dict[str, int], pdu_ids: dict[str, int]) -> dict:
    history = p.criminal_history
    return {
        "crn": p.crn,
        "forename": p.forename,
        "surname": p.surname,
        "date_of_birth": p.date_of_birth,
        "gender": p.gender.value,
        "ethnicity": p.ethnicity,
        "disability": p.disability,
        "pnc": p.pnc,
        "pdu_id": pdu_ids[p.pdu],
        "practitioner_id": staff_ids[p.practitioner] if p.practitioner else None,
        "prison_offender_manager_id": staff_ids[p.prison_offender_manager] if p.prison_offender_manager else None,
        "has_criminal_history": history is not None,
        "first_sanction_date": history.first_sanction_date if history else None,
        "sanctions": history.sanctions if history else None,
        "violent_sanctions": history.violent_sanctions if history else None,
    }


def _write_people(
    actor: Actor,
    people: list[PersonIn],
    summary: ImportSummary,
    staff_ids: dict[str, int],
    pdu_ids: dict[str, int],
    type_ids: dict[str, int],
    type_months: dict[str, int],
) -> None:
    crns = [p.crn for p in people]
    changes: dict[str, dict[str, Any]] = defaultdict(dict)
    created_crns: set[str] = set()

    result = sync_rows(
        Person, ["crn"], [_person_row(p, staff_ids, pdu_ids) for p in people], Person.objects.filter(crn__in=crns)
    )
    summary.add("people", len(result.created), len(result.changed))
    created_crns.update(o.crn for o in result.created)
    for (crn,), diff in result.changed.items():
        changes[crn]["person"] = diff
    person_ids = {crn: obj.pk for (crn,), obj in result.by_key.items()}
    crn_of = {pk: crn for crn, pk in person_ids.items()}
    now, by = clock.now(), actor.code
    first_sentence = {p.crn: min((e.sentence.date for e in p.events), default=None) for p in people}
    PersonVersion.objects.bulk_create(
        [
            person_version(obj, known_from=_known(first_sentence[obj.crn], now), recorded_at=now, by=by)
            for obj in result.created
        ]
        + [
            person_version(result.by_key[key], known_from=now, recorded_at=now, by=by)
            for key, diff in result.changed.items()
            if set(diff) & set(PersonVersion.VERSIONED)
        ],
        batch_size=1000,
    )

    # Access lists are a property of the person: the bundle's lists replace what was stored.
    wanted = {
        (person_ids[p.crn], staff_ids[code], kind)
        for p in people
        for kind, codes in ((CaseAccess.Kind.RESTRICTION, p.restricted_to), (CaseAccess.Kind.EXCLUSION, p.excluded))
        for code in codes
    }
    stored = {
        (a.person_id, a.staff_id, a.kind): a.pk for a in CaseAccess.objects.filter(person_id__in=person_ids.values())
    }
    removed = [pk for key, pk in stored.items() if key not in wanted]
    added = [CaseAccess(person_id=pid, staff_id=sid, kind=kind) for pid, sid, kind in wanted - set(stored)]
    CaseAccess.objects.filter(pk__in=removed).delete()
    CaseAccess.objects.bulk_create(added, batch_size=1000)
    for pid, _, _ in {k for k in stored if k not in wanted} | wanted - set(stored):
        changes[crn_of[pid]]["access_lists"] = "changed"
    summary.add("access_lists", len(added), len(removed))

    # Events, then their requirements and licence conditions.
    rows = []
    for p in people:
        for e in p.events:
            d = e.dates
            rows.append(
                {
                    "person_id": person_ids[p.crn],
                    "external_id": e.id,
                    "offence": e.offence,
                    "offence_category": e.offence_category.value,
                    "offence_date": e.offence_date,
                    "sentence_type": e.sentence.type.value,
                    "sentence_date": e.sentence.date,
                    "length_months": e.sentence.length_months,
                    "release": d.release,
                    "conditional_release": d.conditional_release,
                    "parole_eligibility": d.parole_eligibility,
                    "licence_expiry": d.licence_expiry,
                    "sentence_expiry": d.sentence_expiry,
                    "pss_end": d.pss_end,
                    "terminated": e.terminated,
                }
            )
    events = sync_rows(
        Event, ["person_id", "external_id"], rows, Event.objects.filter(person_id__in=person_ids.values())
    )
    summary.add("events", len(events.created), len(events.changed))
    _note(changes, crn_of, "events", events)
    event_ids = {key: obj.pk for key, obj in events.by_key.items()}
    # What a bundle brings with a new event is known from its sentence date; what it adds to a stored event (a
    # varied order's requirement), from now.
    sentenced = {obj.pk: known_from_date(obj.sentence_date, now) for obj in events.created}
    sentenced |= {obj.pk: now for obj in events.by_key.values() if obj.pk not in sentenced}
    _write_event_versions(events, sentenced, now, by)

    req_rows, lc_rows = [], []
    for p in people:
        for e in p.events:
            event_id = event_ids[(person_ids[p.crn], e.id)]
            req_rows += [
                {"event_id": event_id, "external_id": r.id, "type": r.type.value, "detail": r.detail, "start": r.start}
                for r in e.requirements
            ]
            lc_rows += [
                {"event_id": event_id, "external_id": c.id, "type": c.type.value, "text": c.text}
                for c in e.licence_conditions
            ]
    all_events = list(event_ids.values())
    reqs = sync_rows(
        Requirement, ["event_id", "external_id"], req_rows, Requirement.objects.filter(event_id__in=all_events)
    )
    lcs = sync_rows(
        LicenceCondition, ["event_id", "external_id"], lc_rows, LicenceCondition.objects.filter(event_id__in=all_events)
    )
    _write_requirement_versions(reqs, lcs, sentenced, now, by)
    summary.add("requirements", len(reqs.created), len(reqs.changed))
    summary.add("licence_conditions", len(lcs.created), len(lcs.changed))
    event_person = {pk: pid for (pid, _), pk in event_ids.items()}
    for section, res in (("requirements", reqs), ("licence_conditions", lcs)):
        for key in list(res.changed) + [(o.event_id, o.external_id) for o in res.created]:
            changes[crn_of[event_person[key[0]]]].setdefault(section, []).append(key[1])

    _write_registrations(actor, people, person_ids, crn_of, type_ids, type_months, summary, changes)

    contact_rows = [
        {
            "person_id": person_ids[p.crn],
            "external_id": c.id,
            "type": c.type.value,
            "at": c.at,
            "staff_id": staff_ids[c.staff] if c.staff else None,
            "outcome": c.outcome.value if c.outcome else None,
            "notes": c.notes,
        }
        for p in people
        for c in p.contacts
    ]
    contacts = sync_rows(
        Contact, ["person_id", "external_id"], contact_rows, Contact.objects.filter(person_id__in=person_ids.values())
    )
    summary.add("contacts", len(contacts.created), len(contacts.changed))
    _note(changes, crn_of, "contacts", contacts)

    # Records never change (conflicts were rejected during validation), so only new ones are written.
    stored_records = set(
        Record.objects.filter(person_id__in=person_ids.values()).values_list("person_id", "external_id")
    )
    new_records = [
        Record(
            person_id=person_ids[p.crn],
            external_id=r.id,
            source=r.source.value,
            kind=r.kind,
            occurred_at=r.occurred_at,
            received_at=r.received_at,
            author=r.author,
            text=r.text,
            order=order_json(r.order.as_order()) if r.order else None,
        )
        for p in people
        for r in p.records
        if (person_ids[p.crn], r.id) not in stored_records
    ]
    Record.objects.bulk_create(new_records, batch_size=1000)
    summary.add("records", len(new_records), 0)
    rescanned = list(contacts.created) + [
        contacts.by_key[key] for key, diff in contacts.changed.items() if "notes" in diff or "at" in diff
    ]
    summary.add("indicator_findings", findings_store(records=new_records, contacts=rescanned), 0)
    orders = [r for r in new_records if r.order is not None]
    if orders:
        person_of = Person.objects.in_bulk([r.person_id for r in orders])
        for r in orders:
            r.person = person_of[r.person_id]
        summary.add("registrations_from_orders", len(civil_orders_apply(actor=actor, records=orders)), 0)
    for record in new_records:
        changes[crn_of[record.person_id]].setdefault("records_added", []).append(record.external_id)

    assessed = _write_assessments(people, person_ids, summary)
    for person_id in assessed:
        changes[crn_of[person_id]]["assessments"] = "changed"
    for person_id in _write_recalls_and_checks(people, person_ids, summary):
        changes[crn_of[person_id]]["recalls_and_checks"] = "changed"
    for person_id in _write_decisions(people, person_ids, summary):
        changes[crn_of[person_id]]["decisions"] = "changed"
    for person_id in _write_appointments(people, person_ids, staff_ids, summary):  # issue 14
        changes[crn_of[person_id]]["appointments"] = "changed"
    summary.people_touched.update(person_ids.values())
    # Tiers follow their inputs (registrations, events, criminal history): refresh every case this import changed.
    stale = [pid for crn, pid in person_ids.items() if crn in created_crns or changes.get(crn) or pid in assessed]
    risk_recalculate_many(people=list(Person.objects.filter(pk__in=stale)))

    entries = []
    for crn in crns:
        if crn in created_crns:
            entries.append(AuditEntry("CASE_IMPORT_CREATE", crn, details={"sections": sorted(changes[crn])}))
        elif changes.get(crn):
            entries.append(AuditEntry("CASE_IMPORT_UPDATE", crn, details={"changes": changes[crn]}))
    audit_record_many(actor=actor, entries=entries)


def _pks_by_external_id(model: Any, person_ids: list[int]) -> dict[tuple[int, str], int]:
    """(person id, bundle id) → database key of a model's rows for these people: how later sections resolve the
    references a bundle makes by its own ids, in one query."""
    rows = model.objects.filter(person_id__in=person_ids).values_list("pk", "person_id", "external_id")
    return {(pid, ext): pk for pk, pid, ext in rows}


def _write_recalls_and_checks(people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary) -> set[int]:
    """Issue 6 §5 sections. Events and records were written above, so their references resolve here."""
    ids = [person_ids[p.crn] for p in people if p.recalls or p.checks]
    if not ids:
        return set()
    event_ids = _pks_by_external_id(Event, ids)
    record_ids = _pks_by_external_id(Record, ids)
    recall_rows, check_rows = [], []
    for p in people:
        pid = person_ids[p.crn]
        for r in p.recalls:
            recall_rows.append(
                {
                    "person_id": pid,
                    "external_id": r.id,
                    "event_id": event_ids[(pid, r.event)],
                    "considered_at": r.considered_at,
                    "considered_by": "import",
                    "decided_at": r.decided_at,
                    "decision": r.decision,
                    "recall_type": r.type,
                    "emergency": r.emergency,
                    "decided_by": r.decided_by or "",
                    "revoked_at": r.revoked_at,
                    "executed_at": r.executed_at,
                    "cancelled_at": r.cancelled_at,
                    "cancelled_by": r.cancelled_by or "",
                }
            )
        for c in p.checks:
            check_rows.append(
                {
                    "person_id": pid,
                    "external_id": c.id,
                    "kind": c.kind,
                    "requested_at": c.requested_at,
                    "requested_by": "import",
                    "response_record_id": record_ids[(pid, c.response_record)] if c.response_record else None,
                    "acted_on_at": c.acted_on_at,
                    "acted_on_by": c.acted_on_by or "",
                    "acted_on_outcome": c.acted_on_outcome or "",
                    "acted_on_notes": c.acted_on_notes or "",
                }
            )
    recalls = sync_rows(Recall, ["person_id", "external_id"], recall_rows, Recall.objects.filter(person_id__in=ids))
    checks = sync_rows(
        CheckRequest, ["person_id", "external_id"], check_rows, CheckRequest.objects.filter(person_id__in=ids)
    )
    summary.add("recalls", len(recalls.created), len(recalls.changed))
    summary.add("checks", len(checks.created), len(checks.changed))
    return (
        {o.person_id for o in recalls.created}
        | {k[0] for k in recalls.changed}
        | {o.person_id for o in checks.created}
        | {k[0] for k in checks.changed}
    )


def _write_decisions(people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary) -> set[int]:
    """Issue 12 §10: enforcement decisions and release plan items made before the case came here, so the actions
    they satisfy close. Contacts and events were written above, so their references resolve here."""
    ids = [person_ids[p.crn] for p in people if p.enforcement_decisions or p.release_plan]
    if not ids:
        return set()
    contact_ids = _pks_by_external_id(Contact, ids)
    event_ids = _pks_by_external_id(Event, ids)
    decision_rows, item_rows = [], []
    for p in people:
        pid = person_ids[p.crn]
        for d in p.enforcement_decisions:
            decision_rows.append(
                {
                    "person_id": pid,
                    "contact_id": contact_ids[(pid, d.contact)],
                    "decision": d.decision,
                    "at": d.at,
                    "by": d.by,
                    "notes": d.notes,
                }
            )
        for r in p.release_plan:
            item_rows.append(
                {
                    "person_id": pid,
                    "event_id": event_ids[(pid, r.event)],
                    "item": r.item,
                    "at": r.at,
                    "by": r.by,
                    "notes": r.notes,
                }
            )
    decisions = sync_rows(
        EnforcementDecisionRecord,
        ["contact_id"],
        decision_rows,
        EnforcementDecisionRecord.objects.filter(person_id__in=ids),
    )
    items = sync_rows(
        ReleasePlanConfirmation,
        ["event_id", "item"],
        item_rows,
        ReleasePlanConfirmation.objects.filter(person_id__in=ids),
    )
    summary.add("enforcement_decisions", len(decisions.created), len(decisions.changed))
    summary.add("release_plan", len(items.created), len(items.changed))
    return (
        {o.person_id for o in decisions.created}
        | {decisions.by_key[k].person_id for k in decisions.changed}
        | {o.person_id for o in items.created}
        | {items.by_key[k].person_id for k in items.changed}
    )


# --- issue 14: appointments ------------------------------------------------------------------------------------------
def _write_appointments(
    people: list[PersonIn], person_ids: dict[str, int], staff_ids: dict[str, int], summary: ImportSummary
) -> set[int]:
    """Appointments and their reschedule history. Contacts were written above, so an outcome's contact resolves."""
    ids = [person_ids[p.crn] for p in people if p.appointments]
    if not ids:
        return set()
    contact_ids = _pks_by_external_id(Contact, ids)
    rows, history = [], {}
    for p in people:
        pid = person_ids[p.crn]
        for a in p.appointments:
            rows.append(
                {
                    "person_id": pid,
                    "external_id": a.id,
                    "type": a.type.value,
                    "at": a.at,
                    "location": a.location,
                    "staff_id": staff_ids[a.staff] if a.staff else None,
                    "booked_at": a.booked_at,
                    "booked_by": a.booked_by,
                    "outcome": a.outcome.value if a.outcome else None,
                    "outcome_at": a.outcome_at,
                    "outcome_by": a.outcome_by or "",
                    "absence_reason": a.absence_reason,
                    "absence_evidence": a.absence_evidence,
                    "contact_id": contact_ids[(pid, a.contact)] if a.contact else None,
                }
            )
            history[(pid, a.id)] = [(r.from_at, r.to_at, r.reason, r.at, r.by) for r in a.reschedules]
    result = sync_rows(Appointment, ["person_id", "external_id"], rows, Appointment.objects.filter(person_id__in=ids))
    touched = {o.person_id for o in result.created} | {k[0] for k in result.changed}
    stored: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for change in AppointmentChange.objects.filter(appointment__person_id__in=ids).order_by("at", "pk"):
        stored[change.appointment_id].append((change.from_at, change.to_at, change.reason, change.at, change.by))
    replace = {key: result.by_key[key] for key, wanted in history.items() if stored[result.by_key[key].pk] != wanted}
    AppointmentChange.objects.filter(appointment__in=[a.pk for a in replace.values()]).delete()
    AppointmentChange.objects.bulk_create(
        [
            AppointmentChange(appointment=a, from_at=f, to_at=t, reason=r, at=at, by=by)
            for key, a in replace.items()
            for f, t, r, at, by in history[key]
        ],
        batch_size=1000,
    )
    touched |= {a.person_id for a in replace.values()}
    created = {(o.person_id, o.external_id) for o in result.created}
    summary.add("appointments", len(created), len((set(result.changed) | set(replace)) - created))
    return touched


# --- end issue 14 ----------------------------------------------------------------------------------------------------


def _known(day, now):
    return known_from_date(day, now) if day is not None else now


def _write_event_versions(events, sentenced: dict[int, datetime], now: datetime, by: str) -> None:
    """Point in time: an event a bundle brings is known from its sentence date, its termination from that date;
    a change to a stored event from now (the bundle carries no history of sentence changes)."""
    rows = []
    for obj in events.created:
        rows.append(event_version(obj, known_from=sentenced[obj.pk], recorded_at=now, by=by, terminated=None))
        if obj.terminated is not None:
            ended = max(sentenced[obj.pk], _known(obj.terminated, now))
            rows.append(event_version(obj, known_from=ended, recorded_at=now, by=by))
    rows += [event_version(events.by_key[key], known_from=now, recorded_at=now, by=by) for key in events.changed]
    EventVersion.objects.bulk_create(rows, batch_size=1000)


def _write_requirement_versions(reqs, lcs, sentenced: dict[int, datetime], now: datetime, by: str) -> None:
    """Requirements and licence conditions a bundle brings with their event are known from its sentence date, a
    requirement's start from that date; those added to a stored event, and changes, from now."""
    rows = []
    for obj in reqs.created:
        rows.append(requirement_version(obj, known_from=sentenced[obj.event_id], recorded_at=now, by=by, start=None))
        if obj.start is not None:
            started = max(sentenced[obj.event_id], _known(obj.start, now))
            rows.append(requirement_version(obj, known_from=started, recorded_at=now, by=by))
    rows += [requirement_version(reqs.by_key[key], known_from=now, recorded_at=now, by=by) for key in reqs.changed]
    RequirementVersion.objects.bulk_create(rows, batch_size=1000)
    LicenceConditionVersion.objects.bulk_create(
        [
            licence_condition_version(obj, known_from=sentenced[obj.event_id], recorded_at=now, by=by)
            for obj in lcs.created
        ]
        + [licence_condition_version(lcs.by_key[k], known_from=now, recorded_at=now, by=by) for k in lcs.changed],
        batch_size=1000,
    )


def _note(changes, crn_of, section: str, res) -> None:
    for (person_id, external_id), diff in res.changed.items():
        changes[crn_of[person_id]].setdefault(section, {})[external_id] = diff


def _write_registrations(actor, people, person_ids, crn_of, type_ids, type_months, summary, changes) -> None:
    rows = []
    for p in people:
        for r in p.registrations:
            rows.append(
                {
                    "person_id": person_ids[p.crn],
                    "external_id": r.id,
                    "type_id": type_ids[r.type],
                    "start": r.start,
                    "end": r.end,
                    "end_reason": r.end_reason,
                    "level": r.level,
                    "category": r.category,
                    "notes": r.notes,
                    "last_reviewed": r.last_reviewed,
                    "next_review": next_review_date(
                        review_months=type_months[r.type], start=r.start, last_reviewed=r.last_reviewed, end=r.end
                    ),
                }
            )
    regs = sync_rows(
        Registration, ["person_id", "external_id"], rows, Registration.objects.filter(person_id__in=person_ids.values())
    )
    type_months_by_id = {type_ids[code]: months for code, months in type_months.items()}
    summary.add("registrations", len(regs.created), len(regs.changed))
    _note(changes, crn_of, "registrations", regs)
    now, today, by = clock.now(), clock.today(), actor.code
    # Point in time: a flag a bundle brings is known from its start (the system it came from had it then), its last
    # review from the review's date; a change to a stored flag from now.
    history = []
    for obj in regs.created:
        added = known_from_date(obj.start, now)
        history.append(
            flag_history(
                obj,
                RegistrationHistory.Action.ADDED,
                notes=IMPORTED_FLAG,
                at=now,
                by=by,
                known_from=added,
                last_reviewed=None,
                next_review=next_review_date(
                    review_months=type_months_by_id[obj.type_id], start=obj.start, last_reviewed=None, end=obj.end
                ),
            )
        )
        if obj.last_reviewed is not None:
            history.append(
                flag_history(
                    obj,
                    RegistrationHistory.Action.REVIEWED,
                    notes="Review recorded in the case bundle",
                    at=now,
                    by=by,
                    known_from=max(added, known_from_date(obj.last_reviewed, now)),
                )
            )
    for key, diff in regs.changed.items():
        obj = regs.by_key[key]
        was_active = diff.get("end", [None])[0] is None or str(diff["end"][0]) > today.isoformat()
        if "end" in diff and obj.end is not None and obj.end <= today and was_active:
            action, note = RegistrationHistory.Action.REMOVED, obj.end_reason or "Ended by a case bundle import"
        elif set(diff) <= {"last_reviewed", "next_review"}:
            action, note = RegistrationHistory.Action.REVIEWED, "Review recorded by a case bundle import"
        else:
            action, note = (
                RegistrationHistory.Action.UPDATED,
                "Changed by a case bundle import: " + ", ".join(sorted(diff)),
            )
        history.append(flag_history(obj, action, notes=note, at=now, by=by))
    RegistrationHistory.objects.bulk_create(history, batch_size=1000)


def _write_assessments(people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary) -> set[int]:
    """Imported assessments (OASys) are complete; the latest sets the case's RoSH level, and tiers are refreshed."""
    rows = []
    for p in people:
        for a in p.assessments:
            # The two settings stay apart: the overall is the highest across both (issue 12 §1).
            ratings = RoshRatings(
                CommunityRatings(**{g: Level(lv) for g, lv in a.rosh.community.model_dump().items()}),
                CustodyRatings(**{g: Level(lv) for g, lv in a.rosh.custody.model_dump().items()})
                if a.rosh.custody
                else None,
            )
            rows.append(
                {
                    "person_id": person_ids[p.crn],
                    "external_id": a.id,
                    "source": Assessment.Source.IMPORTED,
                    "status": Assessment.Status.COMPLETE,
                    "assessor_code": a.assessor,
                    "started_at": a.completed_at,
                    "completed_at": a.completed_at,
                    "rosh": ratings.as_json(),
                    "predictors": {k: v.model_dump() for k, v in a.predictors.items()},
                    "needs": dict(a.needs),
                    "risk_to_self": dict(a.risk_to_self),
                    "oasys_answers": a.oasys_answers.model_dump(exclude_none=True),
                    "overall": ratings.overall.value,
                }
            )
    if not rows:
        return set()
    ids: set[int] = {cast(int, r["person_id"]) for r in rows}
    result = sync_rows(
        Assessment,
        ["person_id", "external_id"],
        rows,
        Assessment.objects.filter(person_id__in=ids, source=Assessment.Source.IMPORTED),
    )
    summary.add("assessments", len(result.created), len(result.changed))
    # When Keepsafe learned of each new one (not part of the compared row, so re-importing changes nothing).
    Assessment.objects.filter(pk__in=[o.pk for o in result.created]).update(recorded_at=clock.now())
    changed: dict[int, set[str]] = defaultdict(set)
    for o in result.created:
        changed[o.person_id].add(o.external_id)
    for key in result.changed:
        changed[key[0]].add(key[1])
    for person in Person.objects.filter(pk__in=changed):
        assessment_import_apply(person=person, changed=frozenset(changed[person.pk]))
    return set(changed)
