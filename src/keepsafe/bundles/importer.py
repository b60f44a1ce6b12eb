"""Import a validated bundle: every section in one transaction, in bulk, auditing each case written."""

from __future__ import annotations

import io
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pydantic
from django.db import IntegrityError, transaction

from keepsafe.actions.models import Action, ActionLog, EnforcementDecisionRecord, Recall, ReleasePlanConfirmation
from keepsafe.actions.rules.calendar import end_of_day, working_days_after
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.actions.services.opened import Holder, action_open
from keepsafe.actions.services.worker import reconcile_later
from keepsafe.audit.services import AuditEntry, audit_record, audit_record_many
from keepsafe.bundles.schema import BundleIn, PersonIn, StaffIn
from keepsafe.bundles.stream import Head, Opener, bundle_head, people_chunks
from keepsafe.bundles.sync import sync_rows
from keepsafe.bundles.validate import _raw_codes, allocation_period, disclosure_row, meeting_row, validate
from keepsafe.bundles.victims import write_victim_representations  # issue 16 §7 (helper "victim")
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.formats import iso_instant
from keepsafe.court.models import AddressAssessment, CourtDate, CourtStage, PreSentenceReport
from keepsafe.oversight.allocation_history import histories_write  # issue 15 ("allochist")
from keepsafe.oversight.models import AllocationDecision  # issue 15 ("allochist")
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
    RemandPeriod,
    Requirement,
    RequirementVersion,
    Transfer,
)
from keepsafe.people.rules import transfers as transfer_rules
from keepsafe.people.rules.registration_review import next_review_date
from keepsafe.people.services import (
    event_version,
    flag_history,
    known_from_date,
    licence_condition_version,
    person_version,
    requirement_version,
)
from keepsafe.premises.models import ApReferral  # issue 16 §5 (helper "ap")
from keepsafe.records.models import Record
from keepsafe.records.rules.civil_orders import order_json
from keepsafe.records.services import civil_orders_apply, findings_store
from keepsafe.risk.models import Assessment
from keepsafe.risk.rules.rosh import CommunityRatings, CustodyRatings, Level, RoshRatings
from keepsafe.risk.services import assessment_import_apply, risk_recalculate_many
from keepsafe.sharing.models import CheckRequest, Disclosure, Meeting
from keepsafe.sharing.rules.meetings import MEETING_LABELS, meeting_action_key, owner_problem
from keepsafe.sharing.selectors import owner_standing
from keepsafe.workforce.models import Pdu, Reduction, Region, Staff, Team, TrainingCompletion

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
            elif summary.changed_anything:  # issue 20 §2: no reconcile queued, but the incremental sweep must visit
                mark_dirty(summary.people_touched)
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
    _write_staff_facts(bundle, staff_ids, summary)  # issue 15


# --- issue 15 (helper "work"): a member of staff's reductions and training replace the stored ones when present --


def _write_staff_facts(bundle: BundleIn, staff_ids: dict[str, int], summary: ImportSummary) -> None:
    """A staff member's `reductions` / `training`, when the bundle gives them, become exactly the stored ones (rows
    no longer listed are removed, new ones added); absent, the stored ones stay."""
    with_reductions = {staff_ids[s.code]: s.reductions for s in bundle.staff if s.reductions is not None}
    with_training = {staff_ids[s.code]: s.training for s in bundle.staff if s.training is not None}
    stored_r: dict[int, set[tuple]] = {sid: set() for sid in with_reductions}
    for r in Reduction.objects.filter(staff_id__in=with_reductions):
        stored_r[r.staff_id].add((r.reason, r.hours, r.start, r.end))
    stored_t: dict[int, set[tuple]] = {sid: set() for sid in with_training}
    for t in TrainingCompletion.objects.filter(staff_id__in=with_training):
        stored_t[t.staff_id].add((t.course, t.completed_on))
    changed_r = [
        sid
        for sid, items in with_reductions.items()
        if {(r.reason, r.hours, r.start, r.end) for r in items} != stored_r[sid]
    ]
    changed_t = [
        sid for sid, items in with_training.items() if {(t.course, t.completed_on) for t in items} != stored_t[sid]
    ]
    Reduction.objects.filter(staff_id__in=changed_r).delete()
    Reduction.objects.bulk_create(
        Reduction(staff_id=sid, reason=r.reason, hours=r.hours, start=r.start, end=r.end)
        for sid in changed_r
        for r in with_reductions[sid]
    )
    TrainingCompletion.objects.filter(staff_id__in=changed_t).delete()
    TrainingCompletion.objects.bulk_create(
        TrainingCompletion(staff_id=sid, course=t.course, completed_on=t.completed_on)
        for sid in changed_t
        for t in with_training[sid]
    )
    # Created: a staff member who had none stored; updated: one whose list changed.
    summary.add("staff reductions", sum(not stored_r[s] for s in changed_r), sum(bool(stored_r[s]) for s in changed_r))
    summary.add("staff training", sum(not stored_t[s] for s in changed_t), sum(bool(stored_t[s]) for s in changed_t))


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
    for person_id in _write_transfers_and_remand(actor, people, person_ids, staff_ids, pdu_ids, summary):  # issue 16
        changes[crn_of[person_id]]["transfers_and_remand"] = "changed"
    for person_id in _write_court_stages(people, person_ids, summary):  # issue 16 §1
        changes[crn_of[person_id]]["court_stage"] = "changed"
    for person_id in _write_shared(people, person_ids, summary):  # issue 16 §3-4 (helper "share")
        changes[crn_of[person_id]]["disclosures_and_meetings"] = "added"
    for person_id in _write_allocation_histories(actor, people, person_ids, summary):  # issue 15 ("allochist")
        changes[crn_of[person_id]]["allocations"] = "changed"
    # issue 16 §7 (helper "victim"): victim liaison officers' representations
    touched, created, updated = write_victim_representations(people, person_ids, staff_ids)
    summary.add("victim_representations", created, updated)
    for person_id in touched:
        changes[crn_of[person_id]]["victim_representations"] = "changed"
    for person_id in _write_ap_referrals(people, person_ids, summary):  # issue 16 §5 (helper "ap")
        changes[crn_of[person_id]]["ap_referrals"] = "changed"
    for person_id in _write_meeting_actions(actor, people, person_ids, summary):  # issue 16 §4 (helper "share2")
        changes[crn_of[person_id]]["meeting_actions"] = "changed"
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


# --- issue 16 §2, §6 (helper "transfer"): transfers and remand periods -----------------------------------------------
def _write_transfers_and_remand(
    actor: Actor,
    people: list[PersonIn],
    person_ids: dict[str, int],
    staff_ids: dict[str, int],
    pdu_ids: dict[str, int],
    summary: ImportSummary,
) -> set[int]:
    """Transfers and remand periods by their ids. A pending transfer without its decision action gets one, for the
    receiving head of PDU, as if it had just been requested (actions/services/opened.py); validation made sure the
    PDU has a head. The allocation history is not rewritten from imported transfers: the bundle's `pdu` and
    `practitioner` are the case's allocation (docs/bundle-format.md)."""
    ids = [person_ids[p.crn] for p in people if p.transfers or p.remand_periods]
    if not ids:
        return set()
    now = clock.now()
    transfer_rows = [
        {
            "person_id": person_ids[p.crn],
            "external_id": t.id,
            "from_pdu_id": pdu_ids[t.from_pdu],
            "to_pdu_id": pdu_ids[t.to_pdu],
            "from_practitioner_id": staff_ids[t.from_practitioner] if t.from_practitioner else None,
            "reason": t.reason,
            "requested_at": t.requested_at,
            "requested_by": t.requested_by,
            "status": t.status,
            "decided_at": t.decided_at,
            "decided_by": t.decided_by,
            "decision_reason": t.decision_reason,
            "to_practitioner_id": staff_ids[t.to_practitioner] if t.to_practitioner else None,
            "summary_document": uuid.UUID(t.summary_document) if t.summary_document else None,
        }
        for p in people
        for t in p.transfers
    ]
    # Decided transfers first, so one decided in this bundle stops being pending before another becomes pending.
    transfers = sync_rows(
        Transfer,
        ["person_id", "external_id"],
        [r for r in transfer_rows if r["status"] != Transfer.Status.PENDING],
        Transfer.objects.filter(person_id__in=ids),
    )
    waiting = sync_rows(
        Transfer,
        ["person_id", "external_id"],
        [r for r in transfer_rows if r["status"] == Transfer.Status.PENDING],
        Transfer.objects.filter(person_id__in=ids),
    )
    transfers.created += waiting.created
    transfers.changed |= waiting.changed
    transfers.by_key |= waiting.by_key
    summary.add("transfers", len(transfers.created), len(transfers.changed))
    stored_known: dict[tuple[int, str], datetime] = {
        (pid, ext): known
        for pid, ext, known in RemandPeriod.objects.filter(person_id__in=ids).values_list(
            "person_id", "external_id", "known_from"
        )
    }
    remand_rows = [
        {
            "person_id": person_ids[p.crn],
            "external_id": r.id,
            "start": r.start,
            "end": r.end,
            "court": r.court,
            "prison": r.prison,
            "matter": r.matter,
            # known from its start (or the first import, if later); kept as first known on every later import
            "known_from": stored_known.get((person_ids[p.crn], r.id)) or known_from_date(r.start, now),
        }
        for p in people
        for r in p.remand_periods
    ]
    remand = sync_rows(
        RemandPeriod, ["person_id", "external_id"], remand_rows, RemandPeriod.objects.filter(person_id__in=ids)
    )
    summary.add("remand_periods", len(remand.created), len(remand.changed))
    _open_transfer_decisions(actor, [t for t in transfers.by_key.values() if t.status == Transfer.Status.PENDING])
    return (
        {o.person_id for o in transfers.created}
        | {k[0] for k in transfers.changed}
        | {o.person_id for o in remand.created}
        | {k[0] for k in remand.changed}
    )


def _open_transfer_decisions(actor: Actor, pending: list[Transfer]) -> None:
    if not pending:
        return
    keys = {transfer_rules.decision_key(t.external_id): t for t in pending}
    have = set(
        Action.objects.filter(key__in=list(keys), person_id__in=[t.person_id for t in pending]).values_list(
            "key", flat=True
        )
    )
    for key, t in keys.items():
        if key in have:
            continue
        person = Person.objects.select_related("pdu").get(pk=t.person_id)
        to_pdu = Pdu.objects.get(pk=t.to_pdu_id)
        head = (
            Staff.objects.filter(grade="HEAD_OF_PDU", team__pdu=to_pdu)
            .select_related("team__pdu")
            .order_by("code")
            .first()
        )
        if head is None:  # validation refuses a pending transfer to a PDU without a head
            raise ValidationError(
                [("transfers", f"{to_pdu.code} has no head of PDU to decide transfer {t.external_id}")]
            )
        action_open(
            actor=actor,
            person=person,
            type=ActionType.TRANSFER_DECISION,
            key=key,
            title=f"Transfer to {to_pdu.name} requested: accept (naming the practitioner) or reject",
            opens_at=t.requested_at,
            due=working_days_after(t.requested_at, transfer_rules.TRANSFER_DECISION_WORKING_DAYS),
            evidence_needed="The transfer accepted, naming the receiving practitioner, or rejected with a reason",
            detail={"transfer": t.external_id, "from_pdu": person.pdu.code, "to_pdu": to_pdu.code},
            holder=Holder(head, "head of the receiving PDU"),
        )


# --- end issue 16 (helper "transfer") ------------------------------------------------------------------------------
# --- issue 16 §1: court stages before sentence (helper "court") ------------------------------------------------------
def _write_court_stages(people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary) -> set[int]:
    """Court stages, their listings, pre-sentence reports and address assessments. Events and checks were written
    above, so the references resolve. Listings are history: replaced as a whole when they differ."""
    ids = [person_ids[p.crn] for p in people if p.court_stage]
    if not ids:
        return set()
    event_ids = _pks_by_external_id(Event, ids)
    check_ids = _pks_by_external_id(CheckRequest, ids)
    rows, listings, reports, assessments = [], {}, {}, {}
    for p in people:
        pid = person_ids[p.crn]
        for stage in p.court_stage:
            rows.append(
                {
                    "person_id": pid,
                    "external_id": stage.id,
                    "court": stage.court,
                    "charges": list(stage.charges),
                    "opened_at": stage.opened_at,
                    "opened_by": stage.opened_by,
                    "closed_at": stage.closed_at,
                    "closed_by": stage.closed_by,
                    "event_id": event_ids[(pid, stage.event)] if stage.event else None,
                }
            )
            listings[(pid, stage.id)] = [(d.date, d.reason, d.known_from, d.by) for d in stage.dates]
            assessments[(pid, stage.id)] = stage.address_assessments
            if stage.psr is not None:
                reports[(pid, stage.id)] = stage.psr
    result = sync_rows(CourtStage, ["person_id", "external_id"], rows, CourtStage.objects.filter(person_id__in=ids))
    touched = {o.person_id for o in result.created} | {k[0] for k in result.changed}
    stage_of = {key: result.by_key[key] for key in listings}
    stored: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for d in CourtDate.objects.filter(stage__person_id__in=ids).order_by("known_from", "pk"):
        stored[d.stage_id].append((d.date, d.reason, d.known_from, d.by))
    replace = {key: stage for key, stage in stage_of.items() if stored[stage.pk] != listings[key]}
    CourtDate.objects.filter(stage__in=[s.pk for s in replace.values()]).delete()
    now = clock.now()
    CourtDate.objects.bulk_create(
        [
            CourtDate(stage=stage, date=day, reason=reason, known_from=known, recorded_at=now, by=by)
            for key, stage in replace.items()
            for day, reason, known, by in listings[key]
        ],
        batch_size=1000,
    )
    touched |= {s.person_id for s in replace.values()}

    def check(pid: int, ident: str | None) -> int | None:
        return check_ids[(pid, ident)] if ident else None

    report_rows = [
        {
            "stage_id": stage_of[(pid, sid)].pk,
            "requested_at": r.requested_at,
            "requested_by": r.requested_by,
            "domestic_abuse_check_id": check(pid, r.domestic_abuse_check),
            "safeguarding_check_id": check(pid, r.safeguarding_check),
            "considering": [c.value for c in r.considering],
            "proposed_address": r.proposed_address,
            "proposal": r.proposal.value if r.proposal else "",
            "proposal_requirements": [c.value for c in r.proposal_requirements],
            "proposal_address": r.proposal_address,
            "proposal_relied_on": list(r.proposal_relied_on),
            "proposal_warnings": list(r.proposal_warnings),
            "proposal_notes": r.proposal_notes,
            "proposed_at": r.proposed_at,
            "proposed_by": r.proposed_by,
        }
        for (pid, sid), r in reports.items()
    ]
    stage_pks = [s.pk for s in stage_of.values()]
    made = sync_rows(
        PreSentenceReport, ["stage_id"], report_rows, PreSentenceReport.objects.filter(stage_id__in=stage_pks)
    )
    person_of_stage = {s.pk: s.person_id for s in stage_of.values()}
    touched |= {person_of_stage[o.stage_id] for o in made.created} | {person_of_stage[k[0]] for k in made.changed}
    assessment_rows = [
        {
            "stage_id": stage_of[key].pk,
            "external_id": a.id,
            "address": a.address,
            "children_ages": list(a.children_ages),
            "victim_lives_there": a.victim_lives_there,
            "partner_lives_there": a.partner_lives_there,
            "relied_on": list(a.relied_on),
            "conclusion": a.conclusion,
            "conditions": a.conditions,
            "reasons": a.reasons,
            "assessed_at": a.assessed_at,
            "assessed_by": a.assessed_by,
        }
        for key, items in assessments.items()
        for a in items
    ]
    assessed = sync_rows(
        AddressAssessment,
        ["stage_id", "external_id"],
        assessment_rows,
        AddressAssessment.objects.filter(stage_id__in=stage_pks),
    )
    touched |= {person_of_stage[o.stage_id] for o in assessed.created} | {
        person_of_stage[k[0]] for k in assessed.changed
    }
    summary.add("court_stages", len(result.created), len(result.changed))
    summary.add("pre_sentence_reports", len(made.created), len(made.changed))
    summary.add("address_assessments", len(assessed.created), len(assessed.changed))
    return touched


# --- end issue 16 §1 -------------------------------------------------------------------------------------------------
# --- issue 16 §3-4 (helper "share"): disclosures and meetings --------------------------------------------------------
def _write_shared(people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary) -> set[int]:
    """Disclosures and meetings never change (a changed one was refused in validation): only new ones are written.
    Records were written above, so a meeting's minutes resolve. The actions a meeting agreed become safety actions in
    `_write_meeting_actions`."""
    ids = [person_ids[p.crn] for p in people if p.disclosures or p.meetings]
    if not ids:
        return set()
    have_d = set(Disclosure.objects.filter(person_id__in=ids).values_list("person_id", "external_id"))
    have_m = set(Meeting.objects.filter(person_id__in=ids).values_list("person_id", "external_id"))
    record_ids = _pks_by_external_id(Record, ids)
    new_d = [
        Disclosure(person_id=person_ids[p.crn], external_id=d.id, **disclosure_row(d))
        for p in people
        for d in p.disclosures
        if (person_ids[p.crn], d.id) not in have_d
    ]
    new_m = [
        Meeting(
            person_id=person_ids[p.crn],
            external_id=m.id,
            minutes_id=record_ids[(person_ids[p.crn], m.minutes)],
            **meeting_row(m),
        )
        for p in people
        for m in p.meetings
        if (person_ids[p.crn], m.id) not in have_m
    ]
    Disclosure.objects.bulk_create(new_d, batch_size=1000)
    Meeting.objects.bulk_create(new_m, batch_size=1000)
    summary.add("disclosures", len(new_d), 0)
    summary.add("meetings", len(new_m), 0)
    return {d.person_id for d in new_d} | {m.person_id for m in new_m}


# --- issue 16 §4 review (helper "share2"): the actions a meeting agreed become MEETING_ACTIONs on import -------------
def _write_meeting_actions(
    actor: Actor, people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary
) -> set[int]:
    """Each action agreed at an imported meeting becomes its MEETING_ACTION (key `meeting:<id>:<n>`, as when recorded
    on the page): opened with its owner and due date if the bundle does not say it was closed, stored closed if it
    does. Idempotent: an action already on the case is never opened again nor reopened; one open here that the bundle
    says was closed is closed as the bundle says. An owner the owner rule refuses (sharing/rules/meetings.owner_problem:
    may not see the case, or neither in its PDU nor its POM) refuses the whole import, naming the meeting and owner."""
    wanted = [(p, i, m) for p in people for i, m in enumerate(p.meetings) if m.agreed_actions]
    if not wanted:
        return set()
    ids = list({person_ids[p.crn] for p, _, _ in wanted})
    existing = {(a.person_id, a.key): a for a in Action.objects.filter(person_id__in=ids, type="MEETING_ACTION")}
    codes = {a.owner for _, _, m in wanted for a in m.agreed_actions}
    staff = {s.code: s for s in Staff.objects.select_related("team__pdu").filter(code__in=codes)}
    cases = Person.objects.select_related("pdu").in_bulk(ids)
    touched: set[int] = set()
    opened = closed = 0
    for p, i, m in wanted:
        person = cases[person_ids[p.crn]]
        for n, agreed in enumerate(m.agreed_actions, start=1):
            key = meeting_action_key(m.id, n)
            have = existing.get((person.pk, key))
            if have is None:
                path = f"{p.crn} meetings[{i}] ({m.id}) agreed_actions[{n - 1}].owner"
                owner = staff.get(agreed.owner)
                if owner is None:
                    raise ValidationError([(path, f"there is no member of staff {agreed.owner!r}")])
                if agreed.closed is None and (
                    problem := owner_problem(owner_standing(person, owner), case_pdu=person.pdu.code, n=n)
                ):
                    raise ValidationError([(path, problem)])
                have = _open_meeting_action(actor, person, m, n, agreed, owner)
                opened += 1
                touched.add(person.pk)
            if agreed.closed is not None and have.status == Action.Status.OPEN:
                _close_meeting_action(have, agreed.closed)
                closed += 1
                touched.add(person.pk)
    summary.add("meeting_actions", opened, closed)
    return touched


def _open_meeting_action(actor: Actor, person: Person, m: Any, n: int, agreed: Any, owner: Staff) -> Action:
    label = MEETING_LABELS[m.kind]
    return action_open(
        actor=actor,
        person=person,
        type=ActionType.MEETING_ACTION,
        key=meeting_action_key(m.id, n),
        title=agreed.text.strip(),
        opens_at=m.recorded_at,
        due=end_of_day(agreed.due),
        evidence_needed=f"What was done, as agreed at the {label} of {m.held_on:%-d %B %Y}",
        detail={"meeting": m.id},
        holder=Holder(owner, "agreed at the meeting", strict=True),
        tell=agreed.closed is None,  # one closed before it reached Keepsafe is not announced as new
    )


def _close_meeting_action(action: Action, closed: Any) -> None:
    """Closed as the bundle says: done with what was done, or cancelled with why; logged like a closing by hand."""
    notes = closed.notes.strip()
    action.status, action.closed_at, action.closed_by = closed.status, closed.at, closed.by
    if closed.status == Action.Status.DONE:
        action.evidence = {"kind": "bundle", "ref": "", "at": iso_instant(closed.at), "summary": notes}
        kind = ActionLog.Kind.DONE
    else:
        action.cancel_reason, kind = notes, ActionLog.Kind.CANCELLED
    action.save()
    ActionLog.objects.create(action=action, kind=kind, at=closed.at, by=closed.by, notes=notes)
    mark_dirty([action.person_id])


# --- end issue 16 (helper "share") -----------------------------------------------------------------------------------
# --- issue 16 §5 (helper "ap"): approved premises referrals -----------------------------------------------------------
def _write_ap_referrals(people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary) -> set[int]:
    """Approved premises referrals by their ids; disclosures were written above, so `disclosure` resolves. The sweep
    derives AP_REFERRAL from them (no action is opened here)."""
    ids = [person_ids[p.crn] for p in people if p.ap_referrals]
    if not ids:
        return set()
    disclosure_ids = _pks_by_external_id(Disclosure, ids)
    rows = [
        {
            "person_id": person_ids[p.crn],
            "external_id": r.id,
            "premises": r.premises,
            "partner_code": r.partner or "",
            "referred_at": r.referred_at,
            "referred_by": r.referred_by,
            "requested_arrival": r.requested_arrival,
            "emergency": r.emergency,
            "reason": r.reason,
            "disclosure_id": disclosure_ids[(person_ids[p.crn], r.disclosure)] if r.disclosure else None,
            "decision": r.decision or "",
            "decided_at": r.decided_at,
            "decided_by": r.decided_by,
            "place_date": r.place_date,
            "decision_reason": r.decision_reason,
            "arrival": r.arrival or "",
            "arrival_on": r.arrival_on,
            "arrival_recorded_at": r.arrival_recorded_at,
            "arrival_by": r.arrival_by,
        }
        for p in people
        for r in p.ap_referrals
    ]
    result = sync_rows(ApReferral, ["person_id", "external_id"], rows, ApReferral.objects.filter(person_id__in=ids))
    summary.add("ap_referrals", len(result.created), len(result.changed))
    return {o.person_id for o in result.created} | {k[0] for k in result.changed}


# --- end issue 16 §5 (helper "ap") -----------------------------------------------------------------------------------


# --- issue 15 (helper "allochist"): a person's allocation history ----------------------------------------------------
def _write_allocation_histories(
    actor: Actor, people: list[PersonIn], person_ids: dict[str, int], summary: ImportSummary
) -> set[int]:
    """A person's `allocations`, when given, becomes the stored history (oversight.allocation_history): the versioned
    holder `--as-of` reads and the allocation decisions; absent, the stored history stays. After the person rows and
    their versions, so the current practitioner's version is there to agree with."""
    wanted = {
        person_ids[p.crn]: [allocation_period(a) for a in p.allocations] for p in people if p.allocations is not None
    }
    if not wanted:
        return set()
    had = set(AllocationDecision.objects.filter(person_id__in=wanted).values_list("person_id", flat=True).distinct())
    changed = histories_write(wanted, by=actor.code, now=clock.now())
    summary.add("allocations", len(changed - had), len(changed & had))
    return changed


# --- end issue 15 ("allochist") --------------------------------------------------------------------------------------


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
