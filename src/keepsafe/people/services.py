"""Writes to the case record. Each service runs in one transaction and writes its audit event in it."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.dates import day_words
from keepsafe.core.errors import ValidationError
from keepsafe.core.signals import announce_case_changed
from keepsafe.people.models import (
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
from keepsafe.people.rules.case_work import MANAGER_ROLES, Work
from keepsafe.people.rules.registration_review import ReviewDecision, next_review_date
from keepsafe.people.rules.vocabulary import MAPPA_CATEGORIES, MAPPA_LEVELS, ContactOutcome, ContactType
from keepsafe.people.selectors import case_write_check


def registration_types_csv() -> Path:
    return Path(settings.KEEPSAFE_REFERENCE_DIR) / "registration-types.csv"


def registration_types_sync(*, using: str = "default") -> int:
    """Load shared/reference/registration-types.csv (shipped in the package) as reference data; idempotent."""
    with registration_types_csv().open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        RegistrationType.objects.using(using).update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "review_months": int(row["review_months"]), "group": row["group"]},
        )
    return len(rows)


def mappa_problems(type_code: str, level: str | None, category: str | None) -> list[tuple[str, str]]:
    """MAPPA level (M0–M3) and category (M1–M4) belong to MAPP registrations only (bundle format v1).

    nDelius records M0 registrations without a category (hmpps-tier RegistrationEdgeCasesTest), so a level-M0
    registration may leave the category null; every other level needs one."""
    problems = []
    if type_code == "MAPP":
        if level not in MAPPA_LEVELS:
            problems.append(("level", f"a MAPPA registration needs a level, one of {', '.join(MAPPA_LEVELS)}"))
        if category not in MAPPA_CATEGORIES and not (level == "M0" and category is None):
            problems.append(
                ("category", f"a MAPPA registration needs a category, one of {', '.join(MAPPA_CATEGORIES)}")
            )
    else:
        if level is not None:
            problems.append(("level", f"only MAPP registrations have a level; {type_code} must have null"))
        if category is not None:
            problems.append(("category", f"only MAPP registrations have a category; {type_code} must have null"))
    return problems


# Versions (point in time, docs/case-json.md `--as-of`). Every writer of a versioned row writes its version in the
# same transaction, through these: the services below one at a time, the bundle importer in bulk.


def known_from_date(day: date, recorded_at: datetime) -> datetime:
    """Migrated data is known from the date it carries (a sentence, a flag's start), never after it was stored."""
    return min(clock.start_of(day), recorded_at)


def person_version(person: Person, *, known_from: datetime, recorded_at: datetime, by: str) -> PersonVersion:
    values = {name: getattr(person, name) for name in PersonVersion.VERSIONED}
    return PersonVersion(person_id=person.pk, known_from=known_from, recorded_at=recorded_at, by=by, **values)


def event_version(event: Event, *, known_from: datetime, recorded_at: datetime, by: str, **override) -> EventVersion:
    values = {name: getattr(event, name) for name in EventVersion.VERSIONED} | override
    return EventVersion(event_id=event.pk, known_from=known_from, recorded_at=recorded_at, by=by, **values)


def requirement_version(
    requirement: Requirement, *, known_from: datetime, recorded_at: datetime, by: str, **override
) -> RequirementVersion:
    values = {name: getattr(requirement, name) for name in RequirementVersion.VERSIONED} | override
    return RequirementVersion(
        requirement_id=requirement.pk, known_from=known_from, recorded_at=recorded_at, by=by, **values
    )


def licence_condition_version(
    condition: LicenceCondition, *, known_from: datetime, recorded_at: datetime, by: str
) -> LicenceConditionVersion:
    values = {name: getattr(condition, name) for name in LicenceConditionVersion.VERSIONED}
    return LicenceConditionVersion(
        licence_condition_id=condition.pk, known_from=known_from, recorded_at=recorded_at, by=by, **values
    )


def flag_history(
    registration: Registration,
    action: str,
    *,
    notes: str,
    at: datetime,
    by: str,
    known_from: datetime | None = None,
    **override,
) -> RegistrationHistory:
    """A flag history entry carrying the flag as it stands after the change (`override`: as it stood then)."""
    values = {name: getattr(registration, name) for name in RegistrationHistory.VERSIONED}
    values["flag_notes"] = registration.notes
    return RegistrationHistory(
        registration=registration,
        action=action,
        at=at,
        by=by,
        notes=notes,
        known_from=min(known_from, at) if known_from is not None else at,
        **(values | override),
    )


def requirements_versions_write(requirements: Iterable[Requirement], *, by: str) -> None:
    """After a service changed requirements: their new versions, known from now."""
    now = clock.now()
    RequirementVersion.objects.bulk_create(
        [requirement_version(r, known_from=now, recorded_at=now, by=by) for r in requirements]
    )


@transaction.atomic
def registration_add(
    *,
    actor: Actor,
    person: Person,
    external_id: str,
    type_code: str,
    start: date,
    end: date | None = None,
    level: str | None = None,
    category: str | None = None,
    notes: str = "",
    known_from: datetime | None = None,
) -> Registration:
    """Add a flag. `known_from`: when probation had the information (a court order's record's receipt), if earlier
    than now."""
    case_write_check(actor=actor, person=person, work=Work.CUSTODY)
    reg_type = RegistrationType.objects.filter(code=type_code).first()
    problems = [] if reg_type else [("type", f"unknown registration type {type_code!r}")]
    problems += mappa_problems(type_code, level, category)
    if end is not None and end < start:
        problems.append(("end", f"the end date {day_words(end)} is before the start date {day_words(start)}"))
    if Registration.objects.filter(person=person, external_id=external_id).exists():
        problems.append(("id", f"registration {external_id!r} already exists on {person.crn}"))
    if problems:
        raise ValidationError(problems)
    assert reg_type is not None
    registration = Registration.objects.create(
        person=person,
        external_id=external_id,
        type=reg_type,
        start=start,
        end=end,
        level=level,
        category=category,
        notes=notes,
        next_review=next_review_date(review_months=reg_type.review_months, start=start, last_reviewed=None, end=end),
    )
    flag_history(
        registration,
        RegistrationHistory.Action.ADDED,
        notes=notes,
        at=clock.now(),
        by=actor.code,
        known_from=known_from,
    ).save()
    audit_record(
        actor=actor, action="REGISTRATION_ADD", crn=person.crn, details={"registration": external_id, "type": type_code}
    )
    return registration


def _registration_changed(
    actor: Actor,
    registration: Registration,
    action: str,
    notes: str,
    audit_action: str,
    details: dict[str, object],
    known_from: datetime | None = None,
) -> None:
    """Every change to a flag goes into its history and the audit trail, in the caller's transaction."""
    flag_history(registration, action, notes=notes, at=clock.now(), by=actor.code, known_from=known_from).save()
    audit_record(
        actor=actor,
        action=audit_action,
        crn=registration.person.crn,
        details={"registration": registration.external_id, **details},
    )
    announce_case_changed([registration.person_id], "registration")


@transaction.atomic
def registration_review(*, actor: Actor, registration: Registration, reviewed_on: date, notes: str) -> Registration:
    case_write_check(actor=actor, person=registration.person, work=Work.CUSTODY)
    if not notes.strip():
        raise ValidationError([("notes", "say what the review found")])
    if reviewed_on < registration.start:
        started = day_words(registration.start)
        raise ValidationError(
            [("reviewed_on", f"the review date {day_words(reviewed_on)} is before the flag started {started}")]
        )
    old_next = registration.next_review
    registration.last_reviewed = reviewed_on
    registration.next_review = next_review_date(
        review_months=registration.type.review_months,
        start=registration.start,
        last_reviewed=reviewed_on,
        end=registration.end,
    )
    registration.save(update_fields=["last_reviewed", "next_review"])
    _registration_changed(
        actor,
        registration,
        RegistrationHistory.Action.REVIEWED,
        notes,
        "REGISTRATION_REVIEW",
        {"next_review": [str(old_next), str(registration.next_review)]},
    )
    return registration


@transaction.atomic
def registration_amend(
    *,
    actor: Actor,
    registration: Registration,
    start: date,
    end: date | None,
    notes: str,
    reason: str,
    known_from: datetime | None = None,
    mappa: tuple[str | None, str | None] | None = None,
) -> bool:
    """Change a flag's dates and notes (a varied or renewed order) and, given `mappa` (level, category), a MAPPA
    registration's level and category; returns whether anything changed. `known_from` as for `registration_add`."""
    case_write_check(actor=actor, person=registration.person, work=Work.CUSTODY)
    problems = (
        [("end", f"the end date {day_words(end)} is before the start date {day_words(start)}")]
        if end is not None and end < start
        else []
    )
    if mappa is not None:
        problems += mappa_problems(registration.type.code, *mappa)
    if problems:
        raise ValidationError(problems)
    before = {"start": registration.start, "end": registration.end, "notes": registration.notes}
    after = {"start": start, "end": end, "notes": notes}
    if mappa is not None:
        before |= {"level": registration.level, "category": registration.category}
        after |= {"level": mappa[0], "category": mappa[1]}
    if before == after:
        return False
    registration.start, registration.end, registration.notes = start, end, notes
    if mappa is not None:
        registration.level, registration.category = mappa
    registration.next_review = next_review_date(
        review_months=registration.type.review_months,
        start=start,
        last_reviewed=registration.last_reviewed,
        end=end,
    )
    registration.save(update_fields=["start", "end", "notes", "next_review", "level", "category"])
    _registration_changed(
        actor,
        registration,
        RegistrationHistory.Action.UPDATED,
        reason,
        "REGISTRATION_UPDATE",
        {k: [str(before[k]), str(after[k])] for k in before if before[k] != after[k]},
        known_from,
    )
    return True


@transaction.atomic
def registration_remove(*, actor: Actor, registration: Registration, ended_on: date, reason: str) -> Registration:
    case_write_check(actor=actor, person=registration.person, work=Work.CUSTODY)
    problems = []  # every problem at once (issue 16 try-out)
    if registration.end is not None and registration.end <= clock.today():  # every caller, not only the page
        problems.append(("ended_on", f"this flag already ended on {registration.end:%-d %B %Y}"))
    elif ended_on < registration.start:
        problems.append(
            (
                "ended_on",
                f"the end date {ended_on:%-d %B %Y} is before the flag started on {registration.start:%-d %B %Y}",
            )
        )
    if not reason.strip():
        problems.append(("reason", "give the reason the registration is being removed"))
    if problems:
        raise ValidationError(problems)
    registration.end = ended_on
    registration.end_reason = reason
    registration.next_review = None
    registration.save(update_fields=["end", "end_reason", "next_review"])
    _registration_changed(
        actor, registration, RegistrationHistory.Action.REMOVED, reason, "REGISTRATION_REMOVE", {"end": str(ended_on)}
    )
    return registration


# --- issue 14 §2 (helper "flags"): a review that keeps, amends or ends a flag ----------------------------------------


@transaction.atomic
def registration_review_decide(
    *,
    actor: Actor,
    registration: Registration,
    decision: ReviewDecision,
    notes: str,
    reviewed_on: date,
    end: date | None = None,
    flag_notes: str | None = None,
    mappa: tuple[str | None, str | None] | None = None,
) -> Registration:
    """nDelius "Review registration": every decision is recorded as a review (so it answers the REGISTRATION_REVIEW
    action), then the amendment or the end, all in one transaction. Every problem is reported at once, by field."""
    case_write_check(actor=actor, person=registration.person, work=Work.CUSTODY)
    today = clock.today()
    problems: list[tuple[str, str]] = []
    if registration.end is not None and registration.end <= today:
        problems.append(("decision", f"this flag ended on {day_words(registration.end)}: there is nothing to review"))
    if not notes.strip():
        problems.append(("notes", "Say what the review found"))
    if reviewed_on < registration.start:
        problems.append(
            (
                "reviewed_on",
                f"the review date {day_words(reviewed_on)} is before the flag started {day_words(registration.start)}",
            )
        )
    if reviewed_on > today:
        problems.append(("reviewed_on", f"the review date {day_words(reviewed_on)} is in the future"))
    if decision is ReviewDecision.END:
        if end is None:
            problems.append(("end", "Enter the date the flag ends"))
        elif end < registration.start:
            problems.append(
                ("end", f"the end date {day_words(end)} is before the flag started {day_words(registration.start)}")
            )
    if decision is ReviewDecision.AMEND:
        if end is not None and end < registration.start:
            problems.append(
                ("end", f"the end date {day_words(end)} is before the flag started {day_words(registration.start)}")
            )
        if mappa is not None:
            problems += mappa_problems(registration.type.code, *mappa)
        unchanged = (
            end == registration.end
            and (flag_notes is None or flag_notes == registration.notes)
            and (mappa is None or mappa == (registration.level, registration.category))
        )
        if unchanged:
            problems.append(("decision", "Nothing was amended: change the end date, notes or MAPPA level, or keep it"))
    if problems:
        raise ValidationError(problems)
    registration_review(actor=actor, registration=registration, reviewed_on=reviewed_on, notes=notes)
    if decision is ReviewDecision.AMEND:
        registration_amend(
            actor=actor,
            registration=registration,
            start=registration.start,
            end=end,
            notes=registration.notes if flag_notes is None else flag_notes,
            reason=notes,
            mappa=mappa,
        )
    elif decision is ReviewDecision.END:
        assert end is not None
        registration_remove(actor=actor, registration=registration, ended_on=end, reason=notes)
    return registration


@transaction.atomic
def contact_add(
    *,
    actor: Actor,
    person: Person,
    external_id: str,
    type: str,
    at,
    staff_id: int | None = None,
    outcome: str | None = None,
    notes: str = "",
    cover: Iterable[int] = (),
) -> Contact:
    """Store a contact. Call `records.services.contact_add` instead: it also scans the notes for serious-harm
    indicators, which this layer cannot (scanning sits above it). `cover`: staff the caller names as cover (the
    allocating SPO, oversight.allocation)."""
    case_write_check(actor=actor, person=person, work=Work.CASE, cover=cover)
    problems = []
    if type not in ContactType.__members__:
        problems.append(("type", f"unknown contact type {type!r}"))
    if outcome is not None and outcome not in ContactOutcome.__members__:
        problems.append(("outcome", f"unknown contact outcome {outcome!r}"))
    # issue 15 ("overs"): an SPO oversight note closes management oversight touch points, so only a manager writes it.
    if type == ContactType.SPO_OVERSIGHT and not actor.is_system and actor.role not in MANAGER_ROLES:
        problems.append(("type", "an SPO oversight note is recorded by a manager (SPO, head of PDU or ACO)"))
    if at.tzinfo is None:
        problems.append(("at", "the time needs a time zone"))
    if Contact.objects.filter(person=person, external_id=external_id).exists():
        problems.append(("id", f"contact {external_id!r} already exists on {person.crn}"))
    if problems:
        raise ValidationError(problems)
    contact = Contact.objects.create(
        person=person, external_id=external_id, type=type, at=at, staff_id=staff_id, outcome=outcome, notes=notes
    )
    audit_record(actor=actor, action="CONTACT_ADD", crn=person.crn, details={"contact": external_id})
    return contact


# --- issue 16 §1 (helper "court"): a sentence passed at court becomes the case's event ------------------------------
@transaction.atomic
def event_create(
    *,
    actor: Actor,
    person: Person,
    external_id: str,
    offence: str,
    offence_category: str,
    sentence_type: str,
    sentence_date: date,
    length_months: int | None,
    requirements: list[tuple[str, str]],
    why: str,
) -> Event:
    """Record a new conviction and its sentence (with its requirements: (type, detail) pairs), known from now; one
    transaction with its versions and its audit event. `why` names what recorded it (e.g. "court outcome")."""
    from keepsafe.people.rules.vocabulary import OffenceCategory, RequirementType, SentenceType

    cover = case_write_check(actor=actor, person=person)
    problems: list[tuple[str, str]] = []
    if not external_id.strip():
        problems.append(("event", "give the event an id"))
    elif Event.objects.filter(person=person, external_id=external_id).exists():
        problems.append(("event", f"{person.crn} already has an event {external_id!r}"))
    if not offence.strip():
        problems.append(("offence", "say what the offence was"))
    if offence_category not in {c.value for c in OffenceCategory}:
        problems.append(("offence_category", f"unknown offence category {offence_category!r}"))
    if sentence_type not in SentenceType.__members__:
        problems.append(("sentence_type", f"unknown sentence type {sentence_type!r}; one of {', '.join(SentenceType)}"))
    if length_months is not None and length_months <= 0:
        problems.append(("length_months", "a sentence length is a whole number of months above 0"))
    for index, (kind, _detail) in enumerate(requirements):
        if kind not in RequirementType.__members__:
            problems.append((f"requirements[{index}]", f"unknown requirement {kind!r}"))
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    event = Event.objects.create(
        person=person,
        external_id=external_id.strip(),
        offence=offence.strip(),
        offence_category=offence_category,
        sentence_type=sentence_type,
        sentence_date=sentence_date,
        length_months=length_months,
    )
    event_version(event, known_from=now, recorded_at=now, by=actor.code).save()
    made = [
        Requirement.objects.create(event=event, external_id=str(index), type=kind, detail=detail.strip())
        for index, (kind, detail) in enumerate(requirements, start=1)
    ]
    requirements_versions_write(made, by=actor.code)
    audit_record(
        actor=actor,
        action="EVENT_CREATE",
        crn=person.crn,
        details={"event": event.external_id, "sentence_type": sentence_type, "why": why, **cover},
    )
    announce_case_changed([person.pk], "event")
    return event


# --- end issue 16 §1 ------------------------------------------------------------------------------------------------
