"""The case record as it was known at an instant (`--as-of`, docs/case-json.md): the one reader of versions.

Each versioned row (allocation and criminal history, events, requirements, licence conditions, flags) is read in the
latest version known by the instant (`known_from`; ties by when it was recorded). What was not known by then is left
out. Callers (the case summary, the actions sweep's facts, the tiers) read through here so they agree.

The results are unsaved copies of the models, carrying the stored row's id and the values known then, so the code that
renders or judges the current row renders or judges them alike; never `.save()` them. A row written before versions
existed and never backfilled (only a test writing rows directly can leave one) is read as it stands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import models
from django.utils import timezone

from keepsafe.core.chunkrows import chunk_rows
from keepsafe.people.models import (
    Event,
    EventVersion,
    LicenceCondition,
    LicenceConditionVersion,
    Person,
    PersonVersion,
    Registration,
    RegistrationHistory,
    Requirement,
    RequirementVersion,
    Version,
)
from keepsafe.people.rules.registration_review import is_active


def day_of(as_of: datetime) -> date:
    """The day an instant falls on, in the service's time zone: what "in force on that day" means."""
    return timezone.localdate(as_of)


def _latest[V: Version | RegistrationHistory](
    rows: models.QuerySet[V], parent: str, as_of: datetime, recorded: str = "recorded_at"
) -> tuple[dict[int, V], set[int]]:
    """The latest version of each parent known by `as_of`, and every parent that has versions (one query)."""
    return _pick(list(rows.order_by("known_from", recorded, "id")), parent, as_of)


def _pick[V: Version | RegistrationHistory](
    ordered: list[V], parent: str, as_of: datetime
) -> tuple[dict[int, V], set[int]]:
    latest: dict[int, V] = {}
    versioned: set[int] = set()
    for version in ordered:
        versioned.add(getattr(version, parent))
        if version.known_from <= as_of:
            latest[getattr(version, parent)] = version
    return latest, versioned


def copy_as_known[M: models.Model](model: type[M], stored: M, version: Any, names: tuple[str, ...], **extra: Any) -> M:
    """An unsaved copy of `stored` (same pk) with the versioned fields `names` as `version` had them: the row as known
    at the version's instant. Shared by every point-in-time reader (here, and oversight.workload's)."""
    values = {name: getattr(version, name) for name in names}
    return model(pk=stored.pk, **extra, **values)


def last_known[V: Version | RegistrationHistory](ordered: list[V], as_of: datetime) -> V | None:
    """Of one row's versions in the order they became known, the last known by `as_of` (as `_pick` picks it)."""
    found = None
    for version in ordered:
        if version.known_from <= as_of:
            found = version
    return found


def _prefetched(obj: models.Model, name: str, model: type[models.Model], rows: list[Any]) -> None:
    """Make `obj.<name>.all()` answer `rows` without a query, as prefetch_related would."""
    queryset = model._default_manager.none()
    queryset._result_cache = rows  # type: ignore[attr-defined]
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


def person_as_known(person: Person, as_of: datetime) -> Person:
    """The person with the allocation (PDU, COM, POM) and criminal history known at `as_of`. Before anything was
    known the case is unallocated with no criminal history, in the PDU that holds it now."""
    versions = list(
        PersonVersion.objects.filter(person=person)
        .select_related("pdu__region", "practitioner__team", "prison_offender_manager")
        .order_by("-known_from", "-recorded_at", "-id")
    )
    version = next((v for v in versions if v.known_from <= as_of), None)
    known = Person(
        pk=person.pk,
        crn=person.crn,
        forename=person.forename,
        surname=person.surname,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        ethnicity=person.ethnicity,
        disability=person.disability,
        pnc=person.pnc,
        created_at=person.created_at,
        pdu_id=person.pdu_id,
    )
    if Person._meta.get_field("pdu").is_cached(person):  # type: ignore[union-attr]
        known.pdu = person.pdu
    if not versions:
        version_source: Any = person  # never versioned: read as it stands
    else:
        version_source = version
    if version_source is None:
        return known
    known.pdu = version_source.pdu
    known.practitioner = version_source.practitioner
    known.prison_offender_manager = version_source.prison_offender_manager
    for name in ("has_criminal_history", "first_sanction_date", "sanctions", "violent_sanctions"):
        setattr(known, name, getattr(version_source, name))
    return known


def practitioners_known(people: Iterable[Person], as_of: datetime) -> dict[int, int | None]:
    """The community offender manager each person had at `as_of` (`person_as_known`'s allocation), for many people
    in one query: the latest version known by then; a never-versioned case as it stands; before anything was
    known, nobody."""
    people = list(people)
    versions = allocation_versions([p.pk for p in people])
    out: dict[int, int | None] = {}
    for person in people:
        mine = versions.get(person.pk)
        if not mine:
            out[person.pk] = person.practitioner_id
            continue
        known = [v for v in mine if v[0] <= as_of]
        out[person.pk] = max(known)[3] if known else None
    return out


def _allocation_versions_query(ids: Any) -> models.QuerySet[Any, Any]:
    return PersonVersion.objects.filter(person_id__in=ids).values_list(
        "person_id", "known_from", "recorded_at", "id", "practitioner_id"
    )


def allocation_versions(person_ids: list[int]) -> dict[int, list[tuple[datetime, datetime, int, int | None]]]:
    """Each person's allocation versions as (known from, recorded at, id, practitioner id), in the stored order, in one
    query compiled once (core/chunkrows.py): what `practitioners_known` and the touch points' allocation read."""
    versions: dict[int, list[tuple[datetime, datetime, int, int | None]]] = defaultdict(list)
    for person_id, known_from, recorded_at, pk, practitioner_id in chunk_rows(_allocation_versions_query, person_ids):
        versions[person_id].append((known_from, recorded_at, pk, practitioner_id))
    return versions


def events_as_known(person: Person, as_of: datetime) -> list[Event]:
    """Events known at `as_of`, newest sentence first, with their requirements and licence conditions as known."""
    return events_known_many([person.pk], as_of)[person.pk]


def events_known_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, list[Event]]:
    """`events_as_known` for many people in a fixed number of queries."""
    out: dict[int, list[Event]] = {}
    for pk, known in events_known_parts(person_ids, as_of).items():
        out[pk] = []
        for k in known:
            _prefetched(k.event, "requirements", Requirement, k.requirements)
            _prefetched(k.event, "licence_conditions", LicenceCondition, k.licence_conditions)
            out[pk].append(k.event)
    return out


@dataclass(frozen=True)
class KnownEvent:
    """An event as known at an instant with its requirements and licence conditions as known then."""

    event: Event
    requirements: list[Requirement]
    licence_conditions: list[LicenceCondition]


def events_known_parts(person_ids: Iterable[int], as_of: datetime) -> dict[int, list[KnownEvent]]:
    """The events each person had at `as_of` (newest sentence first) with their parts, for many people in a fixed
    number of queries: the reader behind `events_as_known`, as unsaved model copies of `events_known_values`."""
    return {
        pk: [
            KnownEvent(
                _model(Event, k.event, "person_id"),
                [_model(Requirement, r, "event_id") for r in k.requirements],
                [_model(LicenceCondition, c, "event_id") for c in k.licence_conditions],
            )
            for k in known
        ]
        for pk, known in events_known_values(person_ids, as_of).items()
    }


@dataclass(frozen=True)
class KnownValues:
    """A versioned row as known at an instant, as plain values: the stored row's id, what it belongs to (a person
    for an event, an event for a requirement or licence condition), its external id, and each versioned field's value
    in the latest version known then (the row as it stands when it has no versions)."""

    pk: int
    parent: int
    external_id: str
    values: dict[str, Any]


@dataclass(frozen=True)
class KnownEventValues:
    """`KnownEvent` as plain values: what the sweep reads for a chunk of cases (building model copies of every event,
    requirement and licence condition only to read a few fields was a large part of its facts, docs/performance.md)."""

    event: KnownValues
    requirements: list[KnownValues]
    licence_conditions: list[KnownValues]


def events_known_values(person_ids: Iterable[int], as_of: datetime) -> dict[int, list[KnownEventValues]]:
    """The events each person had at `as_of` (newest sentence first, then by external id) with their requirements and
    licence conditions (by external id) as known then, as plain values, in five queries for any number of people."""
    ids = list(set(person_ids))
    events = _known_values(
        chunk_rows(_events_query, ids), chunk_rows(_event_versions_query, ids), EventVersion.VERSIONED, as_of
    )
    requirements = _known_values(
        chunk_rows(_requirements_query, ids),
        chunk_rows(_requirement_versions_query, ids),
        RequirementVersion.VERSIONED,
        as_of,
    )
    conditions = _known_values(
        chunk_rows(_conditions_query, ids),
        chunk_rows(_condition_versions_query, ids),
        LicenceConditionVersion.VERSIONED,
        as_of,
    )
    by_event: dict[int, list[KnownValues]] = defaultdict(list)
    for r in requirements:
        by_event[r.parent].append(r)
    lcs_by_event: dict[int, list[KnownValues]] = defaultdict(list)
    for c in conditions:
        lcs_by_event[c.parent].append(c)
    known: dict[int, list[KnownEventValues]] = {pk: [] for pk in ids}
    for e in events:
        known[e.parent].append(KnownEventValues(e, by_event[e.pk], lcs_by_event[e.pk]))
    for mine in known.values():
        mine.sort(key=lambda k: k.event.external_id)
        mine.sort(key=lambda k: k.event.values["sentence_date"], reverse=True)
    return known


# The queries behind `events_known_values`, each compiled once (core/chunkrows.py): the stored rows (id, what they
# belong to, external id, the versioned fields) and their versions (whose row, known from, the versioned fields) in
# the order versions are picked.


def _events_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        Event.objects.filter(person_id__in=ids)
        .order_by("id")
        .values_list("id", "person_id", "external_id", *EventVersion.VERSIONED)
    )


def _event_versions_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        EventVersion.objects.filter(event__person_id__in=ids)
        .order_by("known_from", "recorded_at", "id")
        .values_list("event_id", "known_from", *EventVersion.VERSIONED)
    )


def _requirements_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        Requirement.objects.filter(event__person_id__in=ids)
        .order_by("external_id", "id")
        .values_list("id", "event_id", "external_id", *RequirementVersion.VERSIONED)
    )


def _requirement_versions_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        RequirementVersion.objects.filter(requirement__event__person_id__in=ids)
        .order_by("known_from", "recorded_at", "id")
        .values_list("requirement_id", "known_from", *RequirementVersion.VERSIONED)
    )


def _conditions_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        LicenceCondition.objects.filter(event__person_id__in=ids)
        .order_by("external_id", "id")
        .values_list("id", "event_id", "external_id", *LicenceConditionVersion.VERSIONED)
    )


def _condition_versions_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        LicenceConditionVersion.objects.filter(licence_condition__event__person_id__in=ids)
        .order_by("known_from", "recorded_at", "id")
        .values_list("licence_condition_id", "known_from", *LicenceConditionVersion.VERSIONED)
    )


def _known_values(
    stored: list[tuple[Any, ...]], versions: list[tuple[Any, ...]], names: tuple[str, ...], as_of: datetime
) -> list[KnownValues]:
    """Each stored row (id, what it belongs to, external id, then `names`; in the order given) as known at `as_of`:
    the latest of its versions (whose row, known from, then `names`; in the order they became known: by `known_from`,
    ties by when recorded, then id, as `_latest` picks) known then, the row as it stands if it has no versions, left
    out if it has versions but none known then."""
    latest: dict[int, tuple[Any, ...]] = {}
    versioned: set[int] = set()
    for row_of, known_from, *values in versions:
        versioned.add(row_of)
        if known_from <= as_of:
            latest[row_of] = tuple(values)
    out = []
    for pk, belongs_to, external_id, *current in stored:
        if pk in latest:
            chosen = latest[pk]
        elif pk not in versioned:
            chosen = tuple(current)
        else:
            continue
        out.append(KnownValues(pk, belongs_to, external_id, dict(zip(names, chosen, strict=True))))
    return out


def _model[M: models.Model](model: type[M], known: KnownValues, parent: str) -> M:
    """An unsaved copy of the stored row with the values known then (never `.save()` it)."""
    return model(pk=known.pk, external_id=known.external_id, **{parent: known.parent}, **known.values)


@dataclass(frozen=True)
class KnownFlag:
    """A flag as known at an instant, with the reviews of it recorded by then."""

    registration: Registration
    reviews: tuple[datetime, ...]

    def in_force(self, day: date) -> bool:
        return is_active(start=self.registration.start, end=self.registration.end, today=day)


def flags_known(person: Person, as_of: datetime) -> list[KnownFlag]:
    """Every flag known at `as_of` (in force or not), as it stood then: a bundle flag from its start, a civil
    order's from its record's receipt, a change from when it was made. Ordered as the case shows flags."""
    return flags_known_many([person.pk], as_of)[person.pk]


def flags_known_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, list[KnownFlag]]:
    """`flags_known` for many people in a fixed number of queries (the sweep reads a chunk of cases at once)."""
    ids = list(set(person_ids))
    stored = list(Registration.objects.filter(person_id__in=ids).select_related("type").order_by("id"))
    entries = list(
        RegistrationHistory.objects.filter(registration__person_id__in=ids).order_by("known_from", "at", "id")
    )
    by_id = {reg.pk: reg for reg in stored}
    flags: dict[int, list[KnownFlag]] = {pk: [] for pk in ids}
    for reg_id, known, reviews in _flags_as_known(list(by_id), entries, as_of):
        reg = by_id[reg_id]
        copy = reg
        if known is not None:
            copy = copy_as_known(
                Registration,
                reg,
                known,
                RegistrationHistory.VERSIONED,
                person_id=reg.person_id,
                external_id=reg.external_id,
                type=reg.type,
                end_reason=reg.end_reason,
                notes=known.flag_notes,
            )
        flags[reg.person_id].append(KnownFlag(copy, reviews))
    for mine in flags.values():
        mine.sort(key=lambda f: f.registration.external_id)
        mine.sort(key=lambda f: f.registration.start, reverse=True)
    return flags


@dataclass(frozen=True)
class KnownFlagValues:
    """`KnownFlag` as plain values (what the sweep reads): the flag's external id and type, its start, end and next
    review as known at the instant, and the reviews of it recorded by then."""

    external_id: str
    type_code: str
    type_name: str
    start: date
    end: date | None
    next_review: date | None
    reviews: tuple[datetime, ...]

    def in_force(self, day: date) -> bool:
        return is_active(start=self.start, end=self.end, today=day)


def flags_known_values(person_ids: Iterable[int], as_of: datetime) -> dict[int, list[KnownFlagValues]]:
    """`flags_known_many` as plain values, chosen the same way (`_flags_as_known`), in two queries reading only the
    columns the sweep needs. Ordered as the case shows flags."""
    ids = list(set(person_ids))
    stored = chunk_rows(_flags_query, ids)
    entries: list[Any] = [_FlagEntry(*row) for row in chunk_rows(_flag_entries_query, ids)]
    rows = {row[0]: row for row in stored}
    flags: dict[int, list[KnownFlagValues]] = {pk: [] for pk in ids}
    for reg_id, known, reviews in _flags_as_known(list(rows), entries, as_of):
        _, person_id, external_id, code, name, start, end, next_review = rows[reg_id]
        if known is not None:
            start, end, next_review = known.start, known.end, known.next_review
        flags[person_id].append(KnownFlagValues(external_id, code, name, start, end, next_review, reviews))
    for mine in flags.values():
        mine.sort(key=lambda f: f.external_id)
        mine.sort(key=lambda f: f.start, reverse=True)
    return flags


def _flags_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        Registration.objects.filter(person_id__in=ids)
        .order_by("id")
        .values_list("pk", "person_id", "external_id", "type__code", "type__name", "start", "end", "next_review")
    )


def _flag_entries_query(ids: Any) -> models.QuerySet[Any, Any]:
    return (
        RegistrationHistory.objects.filter(registration__person_id__in=ids)
        .order_by("known_from", "at", "id")
        .values_list("registration_id", "known_from", "action", "start", "end", "next_review")
    )


class _FlagEntry(NamedTuple):
    """A flag history entry as `flags_known_values` reads it (`_flags_as_known` reads these attributes)."""

    registration_id: int
    known_from: datetime
    action: str
    start: date
    end: date | None
    next_review: date | None


def _flags_as_known(
    stored: list[int], entries: list[Any], as_of: datetime
) -> list[tuple[int, Any, tuple[datetime, ...]]]:
    """Each stored flag (ids, in the order given) known at `as_of`, with the history entry giving its values then
    (None: the flag as it stands, never changed) and the reviews of it recorded by then, oldest first; a flag whose
    history starts after `as_of` was not known then and is left out. `entries`: the history, in the order known."""
    latest, with_history = _pick(entries, "registration_id", as_of)
    reviews: dict[int, list[datetime]] = defaultdict(list)
    for entry in entries:
        if entry.action == RegistrationHistory.Action.REVIEWED and entry.known_from <= as_of:
            reviews[entry.registration_id].append(entry.known_from)
    out = []
    for reg_id in stored:
        known = latest.get(reg_id)
        if known is None and reg_id in with_history:
            continue
        out.append((reg_id, known, tuple(sorted(reviews[reg_id]))))
    return out


def flags_in_force(person: Person, as_of: datetime) -> list[KnownFlag]:
    """The flags in force on the day of `as_of`, as known at `as_of`: what the case view and the sweep show."""
    day = day_of(as_of)
    return [f for f in flags_known(person, as_of) if f.in_force(day)]
