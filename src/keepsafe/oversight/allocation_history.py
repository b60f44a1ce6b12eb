"""Reading and writing a case's allocation history (the bundle's `allocations`; docs/bundle-format.md, docs/workforce.md
"Allocation history"), for many cases in a fixed number of queries.

The history is the versioned holder (PersonVersion: what `--as-of` shows), in whole days, each period's reason taken
from the AllocationDecision that started it (oversight.rules.allocation_history). Writing a history makes both agree:
versions are added (never changed: known from the period's first day, recorded now) so an as-of read shows who held
the case on every day, and decisions become exactly the history's (a stored decision with the same staff, first day
and reason is kept with its notes; an imported one is decided by "system")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from keepsafe.oversight.models import AllocationDecision
from keepsafe.oversight.rules.allocation_history import Period, holder_changes, holder_on, periods_from_changes
from keepsafe.people.history import day_of
from keepsafe.people.models import Person, PersonVersion
from keepsafe.people.services import known_from_date
from keepsafe.workforce.models import Staff

IMPORTED_BY = "system"
IMPORTED_NOTE = "Imported from a case bundle's allocation history"


def history_of(
    person: Person,
    versions: Sequence[PersonVersion],
    decisions: Sequence[AllocationDecision],
    codes: dict[int, str],
) -> list[Period]:
    """One case's history from its versions and decisions (any order; `codes`: staff id → code). A case never
    versioned (only a test writing rows directly leaves one) is held by its practitioner since it was created."""
    changes: list[tuple[date, str | None]]
    if not versions:
        if person.practitioner_id is None:
            return []
        changes = [(day_of(person.created_at), codes[person.practitioner_id])]
    else:
        ordered = sorted(versions, key=lambda v: (v.known_from, v.recorded_at, v.pk))
        changes = holder_changes(
            [
                (v.known_from, day_of(v.known_from), codes[v.practitioner_id] if v.practitioner_id else None)
                for v in ordered
            ]
        )
    reasons = {
        (codes[d.staff_id], d.starts_on): d.reason
        for d in sorted(decisions, key=lambda d: (d.starts_on, d.decided_at, d.pk))
    }
    return periods_from_changes(changes, reasons)


def histories_many(person_ids: Iterable[int]) -> dict[int, list[Period]]:
    """`history_of` for many cases in four queries."""
    ids = list(person_ids)
    people = Person.objects.in_bulk(ids)
    versions: dict[int, list[PersonVersion]] = defaultdict(list)
    for v in PersonVersion.objects.filter(person_id__in=ids):
        versions[v.person_id].append(v)
    decisions: dict[int, list[AllocationDecision]] = defaultdict(list)
    for d in AllocationDecision.objects.filter(person_id__in=ids):
        decisions[d.person_id].append(d)
    staff = {v.practitioner_id for vs in versions.values() for v in vs} | {p.practitioner_id for p in people.values()}
    staff |= {d.staff_id for ds in decisions.values() for d in ds}
    codes = dict(Staff.objects.filter(pk__in=[s for s in staff if s]).values_list("pk", "code"))
    return {pk: history_of(p, versions[pk], decisions[pk], codes) for pk, p in people.items()}


def _version_at(ordered: list[PersonVersion], instant: datetime, person: Person) -> PersonVersion | Person:
    """The row whose other values (PDU, POM, criminal history) a new version at `instant` carries: the version an
    as-of read shows then, else the earliest version, else the person as it stands."""
    known = [v for v in ordered if v.known_from <= instant]
    return known[-1] if known else (ordered[0] if ordered else person)


def histories_write(wanted: dict[int, list[Period]], *, by: str, now: datetime) -> set[int]:
    """Make each case's stored history the one given (validated: oversight.rules.allocation_history.history_problems).
    A case whose stored history already is the one given is left alone. Returns the cases changed."""
    stored = histories_many(wanted)
    changed = {pk for pk, periods in wanted.items() if stored.get(pk) != list(periods)}
    if not changed:
        return set()
    staff_ids = dict(
        Staff.objects.filter(code__in={p.staff for pk in changed for p in wanted[pk]}).values_list("code", "pk")
    )
    people = Person.objects.in_bulk(changed)
    versions: dict[int, list[PersonVersion]] = defaultdict(list)
    for v in PersonVersion.objects.filter(person_id__in=changed).order_by("known_from", "recorded_at", "id"):
        versions[v.person_id].append(v)
    new_versions: list[PersonVersion] = []
    for pk in sorted(changed):
        periods = wanted[pk]
        ordered = versions[pk]
        # Instants at which the holder must be said: each period's first day, each end no next period starts on,
        # and every stored version whose holder disagrees with the history (a later version would hide it).
        points: dict[datetime, str | None] = {}
        starts = {p.start for p in periods}
        for p in periods:
            points[known_from_date(p.start, now)] = p.staff
            if p.end is not None and p.end not in starts:
                points[known_from_date(p.end, now)] = None
        for v in ordered:
            holder = holder_on(periods, day_of(v.known_from))
            if v.known_from not in points and (staff_ids[holder] if holder else None) != v.practitioner_id:
                points[v.known_from] = holder
        for instant in sorted(points):
            source = _version_at(ordered, instant, people[pk])
            holder = points[instant]
            new_versions.append(
                PersonVersion(
                    person_id=pk,
                    known_from=instant,
                    recorded_at=now,
                    by=by,
                    **{name: getattr(source, name) for name in PersonVersion.VERSIONED if name != "practitioner_id"},
                    practitioner_id=staff_ids[holder] if holder else None,
                )
            )
    PersonVersion.objects.bulk_create(new_versions, batch_size=1000)
    keep: set[int] = set()
    wanted_keys = {pk: {(staff_ids[p.staff], p.start, p.reason) for p in wanted[pk]} for pk in changed}
    have: dict[int, set[tuple[int, date, str]]] = defaultdict(set)
    for d in AllocationDecision.objects.filter(person_id__in=changed).order_by("starts_on", "decided_at", "id"):
        key = (d.staff_id, d.starts_on, d.reason)
        if key in wanted_keys[d.person_id] and key not in have[d.person_id]:
            keep.add(d.pk)
            have[d.person_id].add(key)
    AllocationDecision.objects.filter(person_id__in=changed).exclude(pk__in=keep).delete()
    new_decisions = []
    for pk in sorted(changed):
        previous: Period | None = None
        for p in wanted[pk]:
            if (staff_ids[p.staff], p.start, p.reason) not in have[pk]:
                handed_over = previous is not None and previous.end == p.start
                new_decisions.append(
                    AllocationDecision(
                        person_id=pk,
                        previous_id=staff_ids[previous.staff] if previous is not None and handed_over else None,
                        staff_id=staff_ids[p.staff],
                        reason=p.reason,
                        starts_on=p.start,
                        decided_at=known_from_date(p.start, now),
                        decided_by=IMPORTED_BY,
                        notes=IMPORTED_NOTE,
                    )
                )
            previous = p
    AllocationDecision.objects.bulk_create(new_decisions, batch_size=1000)
    return changed
