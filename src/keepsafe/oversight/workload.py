"""Workload selectors (issue 15 §1): each practitioner's points, available points and capacity at an instant.

Read only, counts only: no case is named here, so the callers (the team page, `keepsafe workload`, the allocation
journey) never show a case a viewer may not see. Allocation and sentences are read as known at the instant (people
.history); the tier is the case's stored tier (risk.CaseRisk, refreshed whenever its inputs change — Keepsafe keeps
no tier history, so a past instant uses today's tier: docs/workforce.md); the RoSH level is read from its history.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Min, Q

from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor, Role
from keepsafe.oversight.rules import training as tr
from keepsafe.oversight.rules import workload as w
from keepsafe.people.history import (
    KnownEvent,
    copy_as_known,
    day_of,
    events_known_parts,
    flags_known_many,
    last_known,
    practitioners_known,
)
from keepsafe.people.models import Event, EventVersion, Person, PersonVersion, Registration, RegistrationHistory
from keepsafe.people.rules.registration_review import is_active
from keepsafe.people.rules.vocabulary import SentenceType
from keepsafe.risk.models import CaseRisk, RiskLevelChange, TierChange
from keepsafe.risk.rules.rosh import LEVEL_FOR_REGISTRATION, Level
from keepsafe.risk.rules.tier.history import TierStep, tier_in_force
from keepsafe.risk.selectors import tiers_v2_as_of
from keepsafe.workforce.models import Pdu, Reduction, Staff, TrainingCompletion
from keepsafe.workforce.rules.grades import GRADE_LABELS, Grade

HIGH_ROSH = frozenset({Level.HIGH, Level.VERY_HIGH})


@dataclass(frozen=True)
class ActiveReduction:
    reason: str
    label: str
    hours: Decimal  # the hours it takes off (entered, or the allowance % of contracted hours)
    start: date
    end: date | None  # the last day (its own end or the reason's expiry), None: open


@dataclass(frozen=True)
class Workload:
    staff: Staff
    grade: Grade
    points: int
    available_points: int
    capacity_percent: Decimal | None  # None: no available points, so capacity cannot be measured
    cases: int
    high_risk_cases: int
    reductions: tuple[ActiveReduction, ...]
    contracted_hours: Decimal
    available_hours: Decimal
    not_measured_because: str | None  # why available points are 0, when they are

    @property
    def over_capacity(self) -> bool:
        return w.is_over_capacity(self.capacity_percent, self.points)


@dataclass(frozen=True)
class CaseWeight:
    person_id: int
    points: int
    kind: w.CaseType | None  # None: no sentence in force, so nothing to weigh
    tier: str | None
    high_risk: bool


def _tables_for(staff: Staff, cache: dict[str | None, w.WorkloadTables]) -> w.WorkloadTables:
    region = staff.team.pdu.region.code if staff.team_id and staff.team else None
    if region not in cache:
        cache[region] = w.region_tables(region)
    return cache[region]


def _levels_as_of(person_ids: list[int], as_of: datetime) -> dict[int, Level | None]:
    """RoSH level at the instant: the latest effective change by then; a case with no recorded change as it stands
    (risk.selectors.level_from), else the RoSH flag in force then. Fixed number of queries."""
    changes: dict[int, list[tuple[datetime, int, str]]] = defaultdict(list)
    for pid, at, pk, new in RiskLevelChange.objects.filter(person_id__in=person_ids, effective=True).values_list(
        "person_id", "at", "id", "new"
    ):
        changes[pid].append((at, pk, new))
    stored = dict(CaseRisk.objects.filter(person_id__in=person_ids).values_list("person_id", "level"))
    flags = flags_known_many(person_ids, as_of)
    day = day_of(as_of)
    out: dict[int, Level | None] = {}
    for pid in person_ids:
        mine = changes.get(pid)
        level: str | None
        if mine:
            known = [c for c in mine if c[0] <= as_of]
            level = max(known)[2] if known else None
        else:
            level = stored.get(pid)
        if not level:
            level = next(
                (
                    LEVEL_FOR_REGISTRATION[f.registration.type.code].value
                    for f in flags.get(pid, [])
                    if f.in_force(day) and f.registration.type.code in LEVEL_FOR_REGISTRATION
                ),
                None,
            )
        out[pid] = Level(level) if level else None
    return out


def case_weights(
    people: list[Person], as_of: datetime, tables_of: dict[int, w.WorkloadTables]
) -> dict[int, CaseWeight]:
    """Each case's points at the instant: its sentence in force then gives the case type (the one worth most when
    several are), the tier in force then the row, a T2A case the T2A row. `tables_of`: person id → the holder's
    tables."""
    return _weigh(people, as_of, _case_facts([p.pk for p in people], as_of), tables_of.__getitem__)


@dataclass(frozen=True)
class _CaseFacts:
    """What weighing cases reads, read once (a fixed number of queries whatever the number of cases)."""

    events: dict[int, list[KnownEvent]]
    tiers: dict[int, str | None]
    levels: dict[int, Level | None]


def _case_facts(ids: list[int], as_of: datetime) -> _CaseFacts:
    return _CaseFacts(
        events=dict(events_known_parts(ids, as_of)),
        tiers=tiers_v2_as_of(ids, as_of),  # issue 15 §1 (helper "tierhist"): points follow tier changes
        levels=_levels_as_of(ids, as_of),
    )


def _weigh(
    people: list[Person], as_of: datetime, facts: _CaseFacts, tables_for: Callable[[int], w.WorkloadTables]
) -> dict[int, CaseWeight]:
    """Weigh the cases from facts already read (no query): `tables_for(person id)` gives the tables to weigh with."""
    day = day_of(as_of)
    events, tiers, levels = facts.events, facts.tiers, facts.levels
    out: dict[int, CaseWeight] = {}
    for person in people:
        tables = tables_for(person.pk)
        tier = tiers.get(person.pk) or None
        t2a = w.is_t2a(person.date_of_birth, day, tables)
        best: tuple[int, w.CaseType] | None = None
        for known in events.get(person.pk, []):
            e = known.event
            if e.terminated is not None and e.terminated <= day:
                continue
            kind = w.case_type(SentenceType(e.sentence_type), e.release, day)
            points = w.case_points(tier, kind, tables, t2a=t2a)
            if best is None or points > best[0]:
                best = (points, kind)
        out[person.pk] = CaseWeight(
            person_id=person.pk,
            points=best[0] if best else 0,
            kind=best[1] if best else None,
            tier=tier,
            high_risk=levels.get(person.pk) in HIGH_ROSH,
        )
    return out


def caseload_records_begin(staff_ids: Iterable[int]) -> datetime | None:
    """The first instant Keepsafe stored a record of any case these staff hold or ever held (a version's
    `recorded_at`, or the case's creation); before it their caseloads are unknown, not empty. Not `known_from`: a
    bundle's first copy is dated back to the allocation, but the cases that had ended before the import were never
    imported, so a backdated caseload is only the survivors (issue 17 try-outs: from 1900, 90 of 90 practitioners
    within capacity; from 2020, 90 practitioners holding 9 cases). With no such case, the first record of any case;
    None when Keepsafe holds no case at all. Two aggregate queries (four when the staff never held a case)."""
    ids = sorted(set(staff_ids))
    ever = PersonVersion.objects.filter(practitioner_id__in=ids).values("person_id")
    held = Person.objects.filter(Q(practitioner_id__in=ids) | Q(pk__in=ever))
    found = [
        held.aggregate(first=Min("created_at"))["first"],
        PersonVersion.objects.filter(person__in=held).aggregate(first=Min("recorded_at"))["first"],
    ]
    if all(f is None for f in found):
        found = [
            Person.objects.aggregate(first=Min("created_at"))["first"],
            PersonVersion.objects.aggregate(first=Min("recorded_at"))["first"],
        ]
    known = [f for f in found if f is not None]
    return min(known) if known else None


def _held_at(staff_ids: list[int], as_of: datetime) -> tuple[list[Person], dict[int, int | None]]:
    """Every case any of the staff held at the instant (allocation as known then), in two queries."""
    ever = PersonVersion.objects.filter(practitioner_id__in=staff_ids).values("person_id")
    candidates = list(
        Person.objects.filter(Q(practitioner_id__in=staff_ids) | Q(pk__in=ever)).only(
            "id", "practitioner_id", "date_of_birth"
        )
    )
    holders = practitioners_known(candidates, as_of)
    wanted = set(staff_ids)
    return [p for p in candidates if holders.get(p.pk) in wanted], holders


def workload_many(staff_ids: Iterable[int], *, as_of: datetime) -> dict[int, Workload]:
    """Issue 15 §1: the workload of each member of staff at `as_of`, keyed by staff id, in a fixed number of queries
    whatever the number of staff (tested). Unknown ids are left out."""
    ids = sorted(set(staff_ids))
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=ids).select_related("team__pdu__region")}
    day = day_of(as_of)
    cache: dict[str | None, w.WorkloadTables] = {}
    reductions: dict[int, list[Reduction]] = defaultdict(list)
    for r in Reduction.objects.filter(staff_id__in=ids, start__lte=day):
        reductions[r.staff_id].append(r)
    people, holders = _held_at(ids, as_of)
    tables_of = {p.pk: _tables_for(staff[holders[p.pk] or 0], cache) for p in people}
    weights = case_weights(people, as_of, tables_of)
    by_staff: dict[int, list[CaseWeight]] = defaultdict(list)
    for p in people:
        by_staff[holders[p.pk] or 0].append(weights[p.pk])
    return {
        sid: _workload_of(member, reductions[sid], by_staff.get(sid, []), day, cache) for sid, member in staff.items()
    }


def workload_at(staff_ids: Iterable[int], instants: Iterable[datetime]) -> dict[datetime, dict[int, Workload]]:
    """`workload_many` at each of several instants (a dashboard's month ends, issue 17), keyed by instant: every row
    any instant needs (allocation, sentences, tiers, RoSH changes and flags with their histories, reductions) is read
    once, in a fixed number of queries whatever the number of instants, staff or cases, then each instant is picked
    from them in code as `workload_many` picks it (tested equal, instant by instant, on a seeded region)."""
    ids = sorted(set(staff_ids))
    wanted = set(ids)
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=ids).select_related("team__pdu__region")}
    all_reductions: dict[int, list[Reduction]] = defaultdict(list)
    for r in Reduction.objects.filter(staff_id__in=ids):
        all_reductions[r.staff_id].append(r)
    ever = PersonVersion.objects.filter(practitioner_id__in=ids).values("person_id")
    candidates = list(
        Person.objects.filter(Q(practitioner_id__in=ids) | Q(pk__in=ever)).only(
            "id", "practitioner_id", "date_of_birth"
        )
    )
    history = _History.read([p.id for p in candidates])
    cache: dict[str | None, w.WorkloadTables] = {}
    tables = {sid: _tables_for(member, cache) for sid, member in staff.items()}
    out: dict[datetime, dict[int, Workload]] = {}
    for as_of in instants:
        if as_of in out:
            continue
        day = day_of(as_of)
        holders = {p.id: history.holder(p, as_of) for p in candidates}
        people = [p for p in candidates if holders[p.id] in wanted]
        tables_of = {p.id: tables[holders[p.id] or 0] for p in people}
        weights = _weigh(people, as_of, history.facts(people, as_of), tables_of.__getitem__)
        by_staff: dict[int, list[CaseWeight]] = defaultdict(list)
        for p in people:
            by_staff[holders[p.id] or 0].append(weights[p.id])
        out[as_of] = {
            sid: _workload_of(
                member, [r for r in all_reductions[sid] if r.start <= day], by_staff.get(sid, []), day, cache
            )
            for sid, member in staff.items()
        }
    return out


@dataclass
class _History:
    """Every version of what weighing a case reads, for a set of cases, read once; `facts` picks an instant's."""

    allocations: dict[int, list[tuple[datetime, datetime, int, int | None]]]
    events: list[Event]
    event_versions: dict[int, list[EventVersion]]  # by event, in the order they became known
    tier_steps: dict[int, list[TierStep]]
    stored_tiers: dict[int, str | None]
    stored_levels: dict[int, str | None]
    level_changes: dict[int, list[tuple[datetime, int, str]]]
    flags: list[Registration]
    flag_history: dict[int, list[RegistrationHistory]]  # by flag, in the order they became known
    _copies: dict[tuple[int, int], Event]

    @classmethod
    def read(cls, ids: list[int]) -> _History:
        allocations: dict[int, list[tuple[datetime, datetime, int, int | None]]] = defaultdict(list)
        for person_id, known_from, recorded_at, pk, practitioner_id in PersonVersion.objects.filter(
            person_id__in=ids
        ).values_list("person_id", "known_from", "recorded_at", "id", "practitioner_id"):
            allocations[person_id].append((known_from, recorded_at, pk, practitioner_id))
        for mine in allocations.values():
            mine.sort()  # so the versions known by an instant are a prefix (holder)
        event_versions: dict[int, list[EventVersion]] = defaultdict(list)
        for v in EventVersion.objects.filter(event__person_id__in=ids).order_by("known_from", "recorded_at", "id"):
            event_versions[v.event_id].append(v)
        tier_steps: dict[int, list[TierStep]] = defaultdict(list)
        for pid, at, pk, previous, new in TierChange.objects.filter(person_id__in=ids).values_list(
            "person_id", "at", "id", "previous_v2", "new_v2"
        ):
            tier_steps[pid].append(TierStep(at, pk, previous, new))
        stored_tiers: dict[int, str | None] = {}
        stored_levels: dict[int, str | None] = {}
        for pid, tier, level in CaseRisk.objects.filter(person_id__in=ids).values_list("person_id", "tier_v2", "level"):
            stored_tiers[pid], stored_levels[pid] = tier, level
        level_changes: dict[int, list[tuple[datetime, int, str]]] = defaultdict(list)
        for pid, at, pk, new in RiskLevelChange.objects.filter(person_id__in=ids, effective=True).values_list(
            "person_id", "at", "id", "new"
        ):
            level_changes[pid].append((at, pk, new))
        flag_history: dict[int, list[RegistrationHistory]] = defaultdict(list)
        for entry in RegistrationHistory.objects.filter(registration__person_id__in=ids).order_by(
            "known_from", "at", "id"
        ):
            flag_history[entry.registration_id].append(entry)
        return cls(
            allocations,
            list(Event.objects.filter(person_id__in=ids).order_by("id")),
            event_versions,
            tier_steps,
            stored_tiers,
            stored_levels,
            level_changes,
            list(Registration.objects.filter(person_id__in=ids).select_related("type").order_by("id")),
            flag_history,
            {},
        )

    def holder(self, person: Person, as_of: datetime) -> int | None:
        """people.history.practitioners_known for one case, from the versions read."""
        mine = self.allocations.get(person.id)
        if not mine:
            return person.practitioner_id
        known = bisect_right(mine, as_of, key=lambda v: v[0])  # sorted: the latest known is the prefix's last
        return mine[known - 1][3] if known else None

    def facts(self, people: list[Person], as_of: datetime) -> _CaseFacts:
        """_case_facts at the instant, picked from the versions read (no query)."""
        ids = {p.id for p in people}
        known: dict[int, list[KnownEvent]] = {pk: [] for pk in ids}
        for e in self.events:
            if e.person_id not in ids:
                continue
            versions = self.event_versions.get(e.id)
            if versions:
                latest = last_known(versions, as_of)
                if latest is None:
                    continue
                key = (e.id, latest.id)
                if key not in self._copies:
                    self._copies[key] = copy_as_known(
                        Event, e, latest, EventVersion.VERSIONED, person_id=e.person_id, external_id=e.external_id
                    )
                event = self._copies[key]
            else:
                event = e
            known[e.person_id].append(KnownEvent(event, [], []))
        for events in known.values():
            events.sort(key=lambda k: k.event.external_id)
            events.sort(key=lambda k: k.event.sentence_date, reverse=True)
        day = day_of(as_of)
        flags: dict[int, list[tuple[str, date | None, date, str]]] = defaultdict(list)  # (type, end, start, external)
        for reg in self.flags:
            if reg.person_id not in ids:
                continue
            entries = self.flag_history.get(reg.id)
            source: Registration | RegistrationHistory | None = reg
            if entries:
                source = last_known(entries, as_of)
            if source is None:
                continue
            flags[reg.person_id].append((reg.type.code, source.end, source.start, reg.external_id))
        levels: dict[int, Level | None] = {}
        for pid in ids:
            changes = self.level_changes.get(pid)
            level: str | None
            if changes:
                by_then = [c for c in changes if c[0] <= as_of]
                level = max(by_then)[2] if by_then else None
            else:
                level = self.stored_levels.get(pid)
            if not level:
                mine = sorted(flags.get(pid, []), key=lambda f: f[3])
                mine.sort(key=lambda f: f[2], reverse=True)
                level = next(
                    (
                        LEVEL_FOR_REGISTRATION[code].value
                        for code, end, start, _ in mine
                        if is_active(start=start, end=end, today=day) and code in LEVEL_FOR_REGISTRATION
                    ),
                    None,
                )
            levels[pid] = Level(level) if level else None
        tiers = {
            pid: tier_in_force(self.tier_steps.get(pid, []), as_of, without_history=self.stored_tiers.get(pid) or None)
            for pid in ids
        }
        return _CaseFacts(events=known, tiers=tiers, levels=levels)


def _workload_of(
    member: Staff,
    reductions: list[Reduction],
    mine: list[CaseWeight],
    day: date,
    cache: dict[str | None, w.WorkloadTables],
) -> Workload:
    """One practitioner's workload on `day` from their reductions started by then and the cases they held (no query)."""
    tables = _tables_for(member, cache)
    grade = Grade(member.grade)
    contracted = Decimal(member.contracted_hours)
    rules = [w.Reduction(r.reason, r.hours, r.start, r.end) for r in reductions]
    # An unknown reason (only a direct database write can store one) is left out of the sum, never a crash.
    known = [
        r for r in rules if r.reason in tables.reductions and (r.hours or tables.reductions[r.reason].allowance_percent)
    ]
    active = [r for r in known if w.is_active(r, day, tables)]
    hours = w.available_hours(contracted, active, day, tables)
    available = w.available_points(grade, hours, tables)
    points = sum(c.points for c in mine)
    return Workload(
        staff=member,
        grade=grade,
        points=points,
        available_points=available.points,
        capacity_percent=w.capacity_percent(points, available.points),
        cases=len(mine),
        high_risk_cases=sum(c.high_risk for c in mine),
        reductions=tuple(
            ActiveReduction(
                reason=r.reason,
                label=tables.reductions[r.reason].label,
                hours=w.reduction_hours(r, contracted, tables),
                start=r.start,
                end=_last_day(w.reduction_ends(r, tables)),
            )
            for r in active
        ),
        contracted_hours=contracted,
        available_hours=hours,
        not_measured_because=available.problem,
    )


def _last_day(ends: date | None) -> date | None:
    return None if ends is None else date.fromordinal(ends.toordinal() - 1)


@dataclass(frozen=True)
class PotentialCapacity:
    """ "X% → Y%" (manage-a-workforce-ui impact screen): the practitioner's capacity now and if the case were theirs."""

    staff_id: int
    person_id: int
    now: Decimal | None
    then: Decimal | None
    case_points: int
    already_held: bool
    not_measured_because: str | None = None  # no available points: why (Workload.not_measured_because)

    @property
    def text(self) -> str:
        return f"{w.format_percent(self.now)} → {w.format_percent(self.then)}"


def potential_capacity(staff_id: int, person_id: int, *, as_of: datetime) -> PotentialCapacity:
    """hmpps-workload: (total − this case's points if already held + the case's points) ÷ available points, the
    case weighed with the practitioner's region's tables. Unknown staff or person: Staff/Person.DoesNotExist."""
    found = potential_capacity_many([staff_id], person_id, as_of=as_of).get(staff_id)
    if found is None:
        raise Staff.DoesNotExist(f"no staff with id {staff_id}")
    return found


def potential_capacity_many(
    staff_ids: Iterable[int], person_id: int, *, as_of: datetime
) -> dict[int, PotentialCapacity]:
    """potential_capacity for every candidate at once (the allocate page; helper "alloc2": it was one candidate at a
    time), in a fixed number of queries whatever the number of staff: their workloads (workload_many), the case read
    once and weighed with each region's tables. Unknown staff are left out; unknown person: Person.DoesNotExist."""
    loads = workload_many(staff_ids, as_of=as_of)
    person = Person.objects.only("id", "practitioner_id", "date_of_birth").get(pk=person_id)
    facts = _case_facts([person.pk], as_of)
    holder = practitioners_known([person], as_of).get(person.pk)
    cache: dict[str | None, w.WorkloadTables] = {}
    out: dict[int, PotentialCapacity] = {}
    for sid, load in loads.items():
        tables = _tables_for(load.staff, cache)
        weight = _weigh([person], as_of, facts, {person.pk: tables}.__getitem__)[person.pk]
        held = weight.points if holder == sid else 0
        now, then = w.potential_capacity(load.points, load.available_points, weight.points, held)
        out[sid] = PotentialCapacity(
            sid, person.pk, now, then, weight.points, holder == sid, not_measured_because=load.not_measured_because
        )
    return out


# --- training (issue 15 §5) ------------------------------------------------------------------------------------------


def completions_many(staff_ids: Iterable[int]) -> dict[int, list[tr.Completion]]:
    """Each member of staff's recorded training completions, in one query."""
    done: dict[int, list[tr.Completion]] = defaultdict(list)
    for staff_id, course, completed_on in TrainingCompletion.objects.filter(staff_id__in=list(staff_ids)).values_list(
        "staff_id", "course", "completed_on"
    ):
        done[staff_id].append(tr.Completion(course, completed_on))
    return done


def training_many(staff: Iterable[Staff], *, today: date) -> dict[int, list[tr.CourseStatus]]:
    """Each member of staff's required learning and its state on the day, in one query."""
    members = list(staff)
    tables = tr.published_training()
    done = completions_many(m.pk for m in members)
    return {m.pk: tr.training_status(Grade(m.grade), done.get(m.pk, []), today, tables) for m in members}


# --- who and how it is shown (the CLI, the team page) -----------------------------------------------------------------

CASE_HOLDING_GRADES = (Grade.PSO, Grade.PQIP, Grade.PO)  # hmpps.md §2a: the grades offered for allocation


def practitioners(*, pdu_code: str | None = None, team_code: str | None = None) -> list[Staff]:
    """The case-holding staff (PSO, PQiP, PO — the grades allocation offers), by team then surname."""
    rows = Staff.objects.filter(grade__in=[g.value for g in CASE_HOLDING_GRADES]).select_related("team__pdu__region")
    if pdu_code is not None:
        rows = rows.filter(team__pdu__code=pdu_code)
    if team_code is not None:
        rows = rows.filter(team__code=team_code)
    return list(rows.order_by("team__code", "surname", "forename", "code"))


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def workload_json(load: Workload) -> dict[str, object]:
    """One practitioner in `keepsafe workload --json` (docs/workforce.md): exactly these keys."""
    return {
        "staff": load.staff.code,
        "grade": load.grade.value,
        "points": load.points,
        "available_points": load.available_points,
        "capacity_percent": None if load.capacity_percent is None else _number(load.capacity_percent),
        "cases": load.cases,
        "high_risk_cases": load.high_risk_cases,
        "reductions": [
            {
                "reason": r.reason,
                "hours": _number(r.hours),
                "start": r.start.isoformat(),
                "end": None if r.end is None else r.end.isoformat(),
            }
            for r in load.reductions
        ],
    }


# --- the team workload page (issue 15 §1, §5) -------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    load: Workload
    grade_label: str
    training: list[tr.CourseStatus]

    @property
    def training_due(self) -> list[tr.CourseStatus]:
        return [s for s in self.training if s.state is tr.TrainingState.DUE]

    @property
    def training_overdue(self) -> list[tr.CourseStatus]:
        """Overdue or never done: both mean the practitioner does not hold the course now."""
        return [s for s in self.training if s.state in (tr.TrainingState.OVERDUE, tr.TrainingState.MISSING)]


@dataclass(frozen=True)
class Compliance:
    met: int
    required: int

    @property
    def percent(self) -> int | None:
        return None if self.required == 0 else (self.met * 100) // self.required


@dataclass(frozen=True)
class CourseCompliance:
    course: tr.Course
    current: int
    due: int
    overdue: int
    missing: int


@dataclass(frozen=True)
class TeamWorkload:
    members: list[TeamMember]
    team_training: Compliance
    pdu_training: Compliance
    courses: list[CourseCompliance]
    over_capacity: int


def team_workload(*, viewer: Actor, team_code: str, pdu_code: str, as_of: datetime) -> TeamWorkload:
    """Every practitioner of the team with their workload and training, the team's training per course, and
    training compliance for the team and its whole PDU. Counts only: no case is named. The read is audited."""
    pdu_staff = practitioners(pdu_code=pdu_code)
    team_staff = [s for s in pdu_staff if s.team is not None and s.team.code == team_code]
    today = day_of(as_of)
    training = training_many(pdu_staff, today=today)
    loads = workload_many([s.pk for s in team_staff], as_of=as_of)
    members = [TeamMember(loads[s.pk], GRADE_LABELS[Grade(s.grade)], training[s.pk]) for s in team_staff]
    team_met, team_required = tr.compliance(m.training for m in members)
    pdu_met, pdu_required = tr.compliance(training.values())
    per_course: dict[str, dict[tr.TrainingState, int]] = defaultdict(lambda: defaultdict(int))
    course_of: dict[str, tr.Course] = {}
    for m in members:
        for s in m.training:
            per_course[s.course.code][s.state] += 1
            course_of[s.course.code] = s.course
    courses = [
        CourseCompliance(
            course_of[code],
            counts[tr.TrainingState.CURRENT],
            counts[tr.TrainingState.DUE],
            counts[tr.TrainingState.OVERDUE],
            counts[tr.TrainingState.MISSING],
        )
        for code, counts in sorted(per_course.items())
    ]
    audit_record(
        actor=viewer,
        action="TEAM_WORKLOAD_VIEW",
        details={"team": team_code, "as_of": as_of.isoformat(), "practitioners": len(members)},
    )
    return TeamWorkload(
        members=members,
        team_training=Compliance(team_met, team_required),
        pdu_training=Compliance(pdu_met, pdu_required),
        courses=courses,
        over_capacity=sum(m.load.over_capacity for m in members),
    )


# --- who may read workload (the try-out found other PDUs' sickness reductions readable by any SPO) -------------------

WORKLOAD_ROLES = frozenset({Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})


def workload_scope_problem(viewer: Actor, pdu_code: str | None) -> str | None:
    """Why the viewer may not read the workload (capacity, reductions, training) of a PDU's staff — None when they may.
    Staff reductions record sickness and leave: SPOs and heads of PDU read their own PDU's (allocation weighs any
    practitioner of the PDU), regional leaders their region's; nobody else reads them; the system reads all.
    `pdu_code` None means every PDU: only the system and a regional leader over the only region."""
    if viewer.is_system:
        return None
    if viewer.role not in WORKLOAD_ROLES:
        return "only senior probation officers, heads of PDU and regional leaders read workload"
    staff = (
        Staff.objects.select_related("team__pdu").filter(pk=viewer.staff_id).first()
        if viewer.staff_id is not None
        else None
    )
    if staff is None:
        return "the signed-in account is not a member of staff"
    own_pdu = staff.team.pdu if staff.team is not None else None
    target = Pdu.objects.filter(code=pdu_code).first() if pdu_code is not None else None
    if viewer.role is Role.REGIONAL_LEADER:
        regions = {own_pdu.region_id} if own_pdu is not None else set(Pdu.objects.values_list("region_id", flat=True))
        wanted = {target.region_id} if target is not None else set(Pdu.objects.values_list("region_id", flat=True))
        if wanted <= regions and len(regions) == 1:
            return None
        return "a regional leader reads their own region's workload"
    if own_pdu is None or target is None or target.pk != own_pdu.pk:
        return "senior probation officers and heads of PDU read their own PDU's workload only"
    return None
