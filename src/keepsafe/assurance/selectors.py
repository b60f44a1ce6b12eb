"""Assurance reads: the data behind every figure, read in bulk, over the cases the viewer may see only.

A number on these pages never counts a case its viewer may not see (a restricted or excluded case is left out of
numerator and denominator alike), so no figure reveals that a hidden case exists. Listing the cases behind a number
is a read of those cases and is audited like a caseload (ASSURANCE_CASES_VIEW, with the CRNs listed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from keepsafe.actions.models import Action, EnforcementDecisionRecord, Recall
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.assurance.models import CaseAudit, RecallReview
from keepsafe.assurance.rules import capacity, equality, inspection, measures, overrides
from keepsafe.assurance.rules.measures import Due, Figure, Measure, Span
from keepsafe.assurance.rules.scope import Place, Scope, may_view
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import NotFoundError, PermissionDeniedError
from keepsafe.oversight.models import AllocationDecision  # issue 15 §2 (helper "alloc")
from keepsafe.oversight.workload import Workload, caseload_records_begin, practitioners, workload_at
from keepsafe.people.models import Event, Person
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.risk.models import Assessment, CaseRisk
from keepsafe.workforce.models import Pdu, Region, Staff, Team

ACTION_MEASURES: dict[Measure, str] = {
    Measure.DOMESTIC_ABUSE_CHECKS: "DOMESTIC_ABUSE_CHECK",
    Measure.SAFEGUARDING_CHECKS: "SAFEGUARDING_CHECK",
    Measure.ENFORCEMENT_DECISIONS: "ENFORCEMENT_DECISION",
    Measure.REQUIREMENT_STARTS: "REQUIREMENT_START",
    Measure.RISK_ASSESSMENTS: "RISK_REVIEW",
    Measure.RISK_REVIEWS: "RISK_REVIEW",
    Measure.FLAG_REVIEWS: "REGISTRATION_REVIEW",
    Measure.OVERSIGHT_TOUCHPOINTS: "OVERSIGHT_TOUCHPOINT",  # issue 15's touch points: the SPO's note closes each
}
SIGNAL_REVIEW = "risk-review:signal:"  # actions/rules/reviews.py: a review after new information


# Where staff sit, and the units asked about ---------------------------------------------------------------------------


def place_of(actor: Actor) -> Place:
    staff = (
        Staff.objects.select_related("team__pdu__region").filter(pk=actor.staff_id).first()
        if actor.staff_id is not None
        else None
    )
    if staff is None or staff.team is None:
        region = Region.objects.order_by("code").values_list("code", flat=True).first() if staff else None
        return Place("", "", region or "")
    return Place(staff.team.code, staff.team.pdu.code, staff.team.pdu.region.code)


def unit_of(scope: Scope, code: str) -> tuple[Place, str]:
    """The unit's place and name; NotFoundError for a code that is not one."""
    if scope is Scope.TEAM:
        team = Team.objects.select_related("pdu__region").filter(code=code).first()
        if team is not None:
            return Place(team.code, team.pdu.code, team.pdu.region.code), team.name
    elif scope is Scope.PDU:
        pdu = Pdu.objects.select_related("region").filter(code=code).first()
        if pdu is not None:
            return Place("", pdu.code, pdu.region.code), pdu.name
    else:
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return Place("", "", region.code), region.name
    raise NotFoundError(f"no {scope.value.lower()} {code}")


def check_scope(actor: Actor, scope: Scope, code: str) -> str:
    """The unit's name if the actor may see its figures; PermissionDeniedError otherwise."""
    unit, name = unit_of(scope, code)
    if not (actor.is_system or may_view(actor.role.value, place_of(actor), scope, unit)):
        unit_words = "PDU" if scope is Scope.PDU else scope.value.lower()
        raise PermissionDeniedError(f"you may not see assurance figures for {unit_words} {code}")
    return name


def units(actor: Actor) -> list[tuple[Scope, str, str]]:
    """Every (scope, code, name) the actor may look at, for the scope picker."""
    own = place_of(actor)
    out: list[tuple[Scope, str, str]] = []
    for region in Region.objects.order_by("code"):
        out.append((Scope.REGION, region.code, region.name))
    for pdu in Pdu.objects.select_related("region").order_by("code"):
        out.append((Scope.PDU, pdu.code, pdu.name))
    for team in Team.objects.select_related("pdu__region").order_by("code"):
        out.append((Scope.TEAM, team.code, team.name))

    def place(scope: Scope, code: str) -> Place:
        return unit_of(scope, code)[0]

    return [u for u in out if actor.is_system or may_view(actor.role.value, own, u[0], place(u[0], u[1]))]


def may_look(actor: Actor, unit: Place) -> bool:
    """May the actor see assurance work on a case sitting in `unit` (through its team, PDU or region)?"""
    own = place_of(actor)
    return actor.is_system or any(may_view(actor.role.value, own, s, unit) for s in Scope)


def scope_people(actor: Actor, scope: Scope, code: str) -> QuerySet[Person]:
    """The cases in a team (held by its practitioners), a PDU or a region that the actor may see."""
    people = person_visible_queryset(viewer=actor)
    if scope is Scope.TEAM:
        return people.filter(practitioner__team__code=code)
    if scope is Scope.PDU:
        return people.filter(pdu__code=code)
    return people.filter(pdu__region__code=code)


# 1. Delivery dashboards ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the delivery measures are computed from, read once for a unit (every period and bucket reuses it)."""

    dues: dict[Measure, list[Due]]
    recalls: list[Span]
    begins: dict[Measure, datetime | None]  # measures.records_begin: items due earlier are not counted


def first_sweep() -> datetime | None:
    """When Keepsafe's sweep first opened an action (any case, any unit): one indexed read (action_created)."""
    return Action.objects.order_by("created_at").values_list("created_at", flat=True).first()


def dashboard_inputs(actor: Actor, scope: Scope, code: str, start: datetime, end: datetime) -> Inputs:
    people = scope_people(actor, scope, code).values("pk")
    swept = first_sweep()
    begins = {m: measures.records_begin(m, swept, DEFAULT_POLICY.trigger_lookback_days) for m in Measure}
    rows = Action.objects.filter(
        person__in=people, type__in=set(ACTION_MEASURES.values()), due__gte=start, due__lt=end
    ).exclude(status=Action.Status.CANCELLED)
    dues: dict[Measure, list[Due]] = {m: [] for m in ACTION_MEASURES}
    for person_id, kind, key, due, status, closed_at in rows.values_list(
        "person_id", "type", "key", "due", "status", "closed_at"
    ):
        done = closed_at if status == Action.Status.DONE else None
        for measure, action_type in ACTION_MEASURES.items():
            if action_type != kind:
                continue
            if measure is Measure.RISK_REVIEWS and not key.startswith(SIGNAL_REVIEW):
                continue
            if measure is Measure.RISK_ASSESSMENTS and key.startswith(SIGNAL_REVIEW):
                continue
            begin = begins[measure]
            if begin is None or due >= begin:
                dues[measure].append(Due(person_id, due, done))
    recalls = [
        Span(person_id, decided, executed)
        for person_id, decided, executed in Recall.objects.filter(
            person__in=people, decision="RECALL", decided_at__gte=start, decided_at__lt=end, cancelled_at__isnull=True
        ).values_list("person_id", "decided_at", "executed_at")
        if decided is not None
    ]
    return Inputs(dues, recalls, begins)


def figure(inputs: Inputs, measure: Measure, start: datetime, end: datetime, as_of: datetime) -> Figure:
    if measure in measures.RECALL_HOURS:
        return measures.within(inputs.recalls, measures.RECALL_HOURS[measure], start, end, as_of)
    return measures.on_time(inputs.dues[measure], start, end, as_of)


def trend(inputs: Inputs, measure: Measure, buckets: list[tuple[date, date]], as_of: datetime) -> list[Figure]:
    """The figure for each month, in one pass over the inputs whatever the number of months."""
    bounds = [clock.start_of(a) for a, _ in buckets] + [clock.start_of(b) for _, b in buckets[-1:]]
    if measure in measures.RECALL_HOURS:
        return measures.within_by_period(inputs.recalls, measures.RECALL_HOURS[measure], bounds, as_of)
    return measures.on_time_by_period(inputs.dues[measure], bounds, as_of)


@dataclass(frozen=True)
class MeasureRow:
    """A measure's figure for the period and each month; `records_begin` (measures.records_begin) is when its records
    begin: `before_records` says the period, and `trend_before_records` each month, ended by then (no figure)."""

    measure: Measure
    label: str
    figure: Figure
    trend: list[Figure]
    records_begin: datetime | None = None
    before_records: bool = False
    trend_before_records: tuple[bool, ...] = ()


def dashboard(
    actor: Actor, scope: Scope, code: str, first: date, last: date, as_of: datetime | None = None
) -> tuple[list[MeasureRow], list[tuple[date, date]]]:
    """Every measure for the unit over [first, last] (whole days), with its month-by-month trend."""
    check_scope(actor, scope, code)
    as_of = as_of or clock.now()
    start, end = clock.start_of(first), clock.start_of(date.fromordinal(last.toordinal() + 1))
    inputs = dashboard_inputs(actor, scope, code, start, end)
    buckets = measures.month_buckets(first, last)

    def ended_before(m: Measure, until: datetime) -> bool:
        begin = inputs.begins[m]
        return begin is not None and until <= begin

    rows = [
        MeasureRow(
            m,
            measures.LABELS[m],
            figure(inputs, m, start, end, as_of),
            trend(inputs, m, buckets, as_of),
            inputs.begins[m],
            ended_before(m, end),
            tuple(ended_before(m, clock.start_of(b)) for _, b in buckets),
        )
        for m in Measure
    ]
    return rows, buckets


def measure_cases(
    actor: Actor, scope: Scope, code: str, first: date, last: date, measure: Measure, as_of: datetime | None = None
) -> tuple[Figure, list[dict[str, Any]]]:
    """The cases behind one number: each case with how many of its items were met and missed. Audited."""
    rows, _ = dashboard(actor, scope, code, first, last, as_of)
    found = next(r.figure for r in rows if r.measure is measure)
    ids = set(found.met) | set(found.missed)
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).only("crn", "forename", "surname")}
    listed = [
        {
            "crn": people[pk].crn,
            "name": people[pk].name,
            "met": found.met.count(pk),
            "missed": found.missed.count(pk),
        }
        for pk in sorted(ids, key=lambda pk: people[pk].crn)
    ]
    audit_record(
        actor=actor,
        action="ASSURANCE_CASES_VIEW",
        details={"scope": scope.value, "code": code, "measure": measure.value, "crns": [r["crn"] for r in listed]},
    )
    return found, listed


@dataclass(frozen=True)
class CapacityRow:
    """The capacity measure: at the end of the period (`at`), and at the end of each month for the trend; NoFigure
    says why an instant has none (a month that starts after now; an instant before `records_begin`, Keepsafe's first
    record of the unit's caseloads). `loads`: each practitioner measured at `at`, for the list behind the number
    (empty when `at` has no figure)."""

    at: datetime
    records_begin: datetime | None
    figure: capacity.CapacityFigure | capacity.NoFigure
    trend: list[capacity.CapacityFigure | capacity.NoFigure]
    loads: list[Workload]


_INSTANT = timedelta(microseconds=1)  # the end of a day is the last instant before the next one starts


def _unit_practitioners(scope: Scope, code: str) -> list[int]:
    """The case-holding staff (PSO, PQiP, PO) of the unit's teams, as they sit now (no staff history is kept)."""
    if scope is Scope.TEAM:
        staff = practitioners(team_code=code)
    elif scope is Scope.PDU:
        staff = practitioners(pdu_code=code)
    else:
        staff = [s for s in practitioners() if s.team is not None and s.team.pdu.region.code == code]
    return [s.pk for s in staff]


def _loads(load: dict[int, Workload]) -> list[capacity.Load]:
    return [capacity.Load(x.points, x.available_points, x.capacity_percent) for x in load.values()]


def capacity_measure(
    actor: Actor, scope: Scope, code: str, first: date, last: date, as_of: datetime | None = None
) -> CapacityRow:
    """Issue 17 item 1, capacity %: practitioners within capacity at the end of the period (or now, if sooner) and
    at the end of each month; workload_at reads every instant at once, in a fixed number of queries whatever the
    staff, cases or months. An instant before the unit's caseload records begin has no figure."""
    check_scope(actor, scope, code)
    as_of = as_of or clock.now()
    staff = _unit_practitioners(scope, code)
    begin = caseload_records_begin(staff)
    end = min(clock.start_of(date.fromordinal(last.toordinal() + 1)) - _INSTANT, as_of)
    month_ends: list[datetime | capacity.NoFigure] = []
    for a, b in measures.month_buckets(first, last):
        month_end = min(clock.start_of(b) - _INSTANT, as_of)
        if clock.start_of(a) > as_of:
            month_ends.append(capacity.NoFigure.NOT_STARTED)
        else:
            month_ends.append(capacity.no_figure_at(month_end, begin) or month_end)
    measured_at = [m for m in month_ends if isinstance(m, datetime)]  # already past the records' beginning
    if not capacity.no_figure_at(end, begin):
        measured_at.append(end)
    loads_at = workload_at(staff, measured_at)

    def figure_at(instant: datetime | capacity.NoFigure) -> capacity.CapacityFigure | capacity.NoFigure:
        if isinstance(instant, capacity.NoFigure):
            return instant
        return capacity.no_figure_at(instant, begin) or capacity.capacity_figure(_loads(loads_at[instant]))

    loads = sorted(
        (
            x
            for x in loads_at.get(end, {}).values()
            if capacity.measured(capacity.Load(x.points, x.available_points, x.capacity_percent))
        ),
        key=lambda x: (x.staff.surname, x.staff.forename, x.staff.code),
    )
    return CapacityRow(end, begin, figure_at(end), [figure_at(m) for m in month_ends], loads)


def capacity_list(
    actor: Actor, scope: Scope, code: str, first: date, last: date, as_of: datetime | None = None
) -> CapacityRow:
    """The practitioners behind the capacity number (counts only: no case is named). The read is audited."""
    row = capacity_measure(actor, scope, code, first, last, as_of)
    audit_record(
        actor=actor,
        action="ASSURANCE_CAPACITY_VIEW",
        details={"scope": scope.value, "code": code, "at": row.at.isoformat(), "practitioners": len(row.loads)},
    )
    return row


# 2. Case audits ------------------------------------------------------------------------------------------------------


def stratum_of(people: Iterable[Person]) -> dict[int, tuple[str, str, str]]:
    """(tier, RoSH, practitioner grade) per case, as it stands now; "NONE" where there is none."""
    ids = [p.pk for p in people]
    risk = {r.person_id: r for r in CaseRisk.objects.filter(person_id__in=ids)}
    out: dict[int, tuple[str, str, str]] = {}
    for p in people:
        r = risk.get(p.pk)
        tier = (r.tier_v2 or r.tier_v3 or "NONE")[:1] if r else "NONE"
        rosh = (r.level or "NONE") if r else "NONE"
        grade = p.practitioner.grade if p.practitioner_id and p.practitioner else "NONE"
        out[p.pk] = (tier, rosh, grade)
    return out


@dataclass(frozen=True)
class Rollup:
    name: str
    code: str
    audits: int
    standards: list[inspection.StandardResult]
    score: inspection.Score


def _audits_in_unit(audits: QuerySet[CaseAudit], scope: Scope, code: str) -> QuerySet[CaseAudit]:
    """Audits of cases in the team, PDU or region (as the audit recorded them when it was drawn)."""
    if scope is Scope.TEAM:
        return audits.filter(team__code=code)
    if scope is Scope.PDU:
        return audits.filter(pdu__code=code)
    return audits.filter(pdu__region__code=code)


def audit_rollup(actor: Actor, scope: Scope, code: str) -> tuple[list[Rollup], list[Rollup]]:
    """Completed audits rated per PDU and per team in the unit, as the inspectorate rates a PDU. Only audits of cases
    the actor may see count (the others' answers are not theirs to read)."""
    check_scope(actor, scope, code)
    visible = person_visible_queryset(viewer=actor).values("pk")
    audits = CaseAudit.objects.filter(status=CaseAudit.Status.COMPLETE, person__in=visible)
    audits = audits.select_related("team", "pdu")
    audits = _audits_in_unit(audits, scope, code)
    by_pdu: dict[tuple[str, str], list[dict[str, Any]]] = {}
    by_team: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a in audits:
        by_pdu.setdefault((a.pdu.code, a.pdu.name), []).append(a.answers)
        if a.team is not None:
            by_team.setdefault((a.team.code, a.team.name), []).append(a.answers)

    def rolled(groups: dict[tuple[str, str], list[dict[str, Any]]]) -> list[Rollup]:
        out = []
        for (c, name), answers in sorted(groups.items()):
            standards = inspection.rate_standards(answers)
            out.append(Rollup(name, c, len(answers), standards, inspection.score(s.rating for s in standards)))
        return out

    return rolled(by_pdu), rolled(by_team)


def audits_list(actor: Actor, scope: Scope, code: str) -> list[CaseAudit]:
    """Audits of visible cases in the unit, newest samples first."""
    check_scope(actor, scope, code)
    visible = person_visible_queryset(viewer=actor).values("pk")
    audits = CaseAudit.objects.filter(person__in=visible).select_related("person", "team", "pdu", "sample")
    audits = _audits_in_unit(audits, scope, code)
    return list(audits.order_by("status", "-sample__drawn_at", "person__crn"))


def audit_get(actor: Actor, audit_id: int) -> CaseAudit:
    """One audit of a case the actor may see and whose unit they may look at; hidden answers like missing."""
    visible = person_visible_queryset(viewer=actor).values("pk")
    audit = CaseAudit.objects.select_related("person", "team", "pdu__region").filter(pk=audit_id, person__in=visible)
    found = audit.first()
    if found is None:
        raise NotFoundError("no such audit")
    unit = Place(found.team.code if found.team else "", found.pdu.code, found.pdu.region.code)
    if not may_look(actor, unit):
        raise PermissionDeniedError("you may not see audits of this team or PDU")
    audit_record(actor=actor, action="CASE_AUDIT_VIEW", crn=found.person.crn, details={"audit": found.pk})
    return found


# 3. Recall decision sampling -----------------------------------------------------------------------------------------


def recall_reviews(actor: Actor) -> list[RecallReview]:
    """Reviews of decisions on cases the actor may see, in the units they may look at; waiting ones first."""
    visible = person_visible_queryset(viewer=actor).values("pk")
    reviews = RecallReview.objects.filter(recall__person__in=visible).select_related(
        "recall__person__pdu__region", "recall__person__practitioner__team", "action"
    )
    out = []
    for r in reviews.order_by("reviewed_at", "-selected_at"):
        person = r.recall.person
        team = person.practitioner.team if person.practitioner and person.practitioner.team else None
        unit = Place(team.code if team else "", person.pdu.code, person.pdu.region.code)
        if may_look(actor, unit):
            out.append(r)
    return out


# 4. Overrides --------------------------------------------------------------------------------------------------------


def overrides_in(actor: Actor, scope: Scope, code: str, first: date, last: date) -> list[overrides.Override]:
    """Every override recorded on the unit's visible cases in the period: RoSH prompts answered with a reason rather
    than by raising the level (at the assessment's completion) and countersigners disagreeing (at countersigning)."""
    check_scope(actor, scope, code)
    start, end = clock.start_of(first), clock.start_of(date.fromordinal(last.toordinal() + 1))
    people = scope_people(actor, scope, code).values("pk")
    staff = {s.code: s for s in Staff.objects.select_related("team")}

    def who(code_: str) -> tuple[str, str]:
        s = staff.get(code_)
        return ((s.team.code if s and s.team else ""), (s.grade if s else ""))

    out: list[overrides.Override] = []
    done = Assessment.objects.filter(
        person__in=people, status="COMPLETE", completed_at__gte=start, completed_at__lt=end
    )
    for person_id, at, prompts in done.values_list("person_id", "completed_at", "prompts"):
        if at is None:
            continue
        for p in prompts or []:
            if p.get("response"):
                by = str(p.get("responded_by", ""))
                team, grade = who(by)
                out.append(
                    overrides.Override(
                        person_id,
                        overrides.Kind.ROSH_PROMPT,
                        at,
                        by,
                        team,
                        grade,
                        p.get("suggested"),
                        p.get("chosen"),
                        str(p["response"]),
                    )
                )
    signed = Assessment.objects.filter(
        person__in=people, countersign_agreed=False, countersigned_at__gte=start, countersigned_at__lt=end
    )
    for person_id, at, by, overall, previous, comments in signed.values_list(
        "person_id", "countersigned_at", "countersigned_by", "overall", "previous_level", "countersign_comments"
    ):
        if at is None:
            continue
        team, grade = who(by)
        # The assessor proposed `overall`; the countersigner, disagreeing, keeps the level in force (`previous`).
        out.append(
            overrides.Override(person_id, overrides.Kind.COUNTERSIGN, at, by, team, grade, overall, previous, comments)
        )
    # issue 15 §2 (helper "alloc"): an SPO's override of an allocation guardrail, at the decision; `chosen` is the
    # grade the case went to (no level order: direction UNKNOWN).
    allocated = AllocationDecision.objects.filter(person__in=people, decided_at__gte=start, decided_at__lt=end).exclude(
        override_reason=""
    )
    for person_id, at, by, to_grade, reason in allocated.values_list(
        "person_id", "decided_at", "decided_by", "staff__grade", "override_reason"
    ):
        team, grade = who(by)
        out.append(
            overrides.Override(person_id, overrides.Kind.ALLOCATION, at, by, team, grade, None, to_grade, reason)
        )
    return sorted(out, key=lambda o: (o.at, o.case))


@dataclass(frozen=True)
class OverrideRow:
    """One override as the list shows it: the case's CRN and name, who made it and their team by name."""

    override: overrides.Override
    crn: str
    name: str
    by_name: str  # "Forename Surname"; the stored code when no staff member has it
    team_name: str  # "" when none


def team_names(codes: Iterable[str]) -> dict[str, str]:
    """Team code → team name, for the codes given (a code no team has is left out)."""
    return dict(Team.objects.filter(code__in=set(codes)).values_list("code", "name"))


def override_rows(actor: Actor, scope: Scope, code: str, listed: list[overrides.Override]) -> list[OverrideRow]:
    """The overrides listed (from `overrides_in`, so on visible cases only) with the case and staff in words.
    Listing them is a read of those cases: audited (ASSURANCE_OVERRIDES_VIEW, with the CRNs listed)."""
    check_scope(actor, scope, code)
    people = {
        p.pk: p for p in Person.objects.filter(pk__in={o.case for o in listed}).only("crn", "forename", "surname")
    }
    staff = {
        s.code: s for s in Staff.objects.filter(code__in={o.by for o in listed}).only("code", "forename", "surname")
    }
    teams = team_names(o.team for o in listed)
    rows = [
        OverrideRow(
            o,
            people[o.case].crn,
            people[o.case].name,
            f"{staff[o.by].forename} {staff[o.by].surname}" if o.by in staff else o.by,
            teams.get(o.team, ""),
        )
        for o in listed
    ]
    audit_record(
        actor=actor,
        action="ASSURANCE_OVERRIDES_VIEW",
        details={"scope": scope.value, "code": code, "crns": sorted({r.crn for r in rows})},
    )
    return rows


# 5. Equality ---------------------------------------------------------------------------------------------------------

CHARACTERISTICS = ("ethnicity", "sex", "age_band", "disability")
CHARACTERISTIC_LABELS = {"ethnicity": "Ethnicity", "sex": "Sex", "age_band": "Age band", "disability": "Disability"}


@dataclass(frozen=True)
class PersonRow:
    case: int
    groups: dict[str, str]
    tier: str
    rosh: str
    grade: str
    on_licence: bool
    recalled: bool
    failed_to_attend: bool
    breached: bool  # a breach or recall consideration after a failure to attend
    requirement_due: bool
    requirement_on_time: bool
    assessed: bool
    overridden: bool


def period_population(people: QuerySet[Person], first: date, last: date) -> QuerySet[Person]:
    """The period's population: of `people`, those under a sentence at some time in the period (sentenced on or before
    its last day, not terminated before its first) and born by its last day. A case in the unit now whose sentence
    began after the period, or ended before it, was not supervised then and is not counted (an independent try-out:
    a period in 2000 counted every case held now, and a person born after 2000 failed the page with a negative age).
    A date of birth after the period's end with a sentence in it is a record that cannot be right; it is left out too,
    rather than given an age band it cannot have."""
    supervised = Event.objects.filter(person=OuterRef("pk"), sentence_date__lte=last).exclude(terminated__lt=first)
    return people.filter(Exists(supervised), date_of_birth__lte=last)


def equality_rows(actor: Actor, scope: Scope, code: str, first: date, last: date) -> list[PersonRow]:
    """One row per visible case in the unit that belongs to the period's population (`period_population`) with its
    groups and outcomes in the period, read in a fixed number of queries whatever the number of cases."""
    check_scope(actor, scope, code)
    start, end = clock.start_of(first), clock.start_of(date.fromordinal(last.toordinal() + 1))
    people = list(
        period_population(scope_people(actor, scope, code), first, last)
        .select_related("practitioner")
        .only("pk", "date_of_birth", "gender", "ethnicity", "disability", "practitioner__grade")
    )
    ids = [p.pk for p in people]
    strata = stratum_of(people)
    licence = set(
        Event.objects.filter(person_id__in=ids, release__lt=end)
        .exclude(licence_expiry__lt=first)
        .values_list("person_id", flat=True)
    )
    recalled = set(
        Recall.objects.filter(
            person_id__in=ids, decision="RECALL", decided_at__gte=start, decided_at__lt=end
        ).values_list("person_id", flat=True)
    )
    enforcement = Action.objects.filter(
        person_id__in=ids, type="ENFORCEMENT_DECISION", due__gte=start, due__lt=end
    ).exclude(status=Action.Status.CANCELLED)
    failed = set(enforcement.values_list("person_id", flat=True))
    breached = set(
        EnforcementDecisionRecord.objects.filter(
            person_id__in=ids, at__gte=start, at__lt=end, decision__in=("BREACH", "RECALL_CONSIDERATION")
        ).values_list("person_id", flat=True)
    )
    req_due: set[int] = set()
    req_late: set[int] = set()
    for person_id, due, status, closed_at in (
        Action.objects.filter(
            person_id__in=ids, type="REQUIREMENT_START", due__gte=start, due__lt=min(end, clock.now())
        )
        .exclude(status=Action.Status.CANCELLED)
        .values_list("person_id", "due", "status", "closed_at")
    ):
        req_due.add(person_id)
        if not (status == Action.Status.DONE and closed_at is not None and closed_at <= due):
            req_late.add(person_id)
    assessed: set[int] = set()
    overridden: set[int] = set()
    for person_id, prompts in Assessment.objects.filter(
        person_id__in=ids, status="COMPLETE", completed_at__gte=start, completed_at__lt=end
    ).values_list("person_id", "prompts"):
        assessed.add(person_id)
        if any(p.get("response") for p in prompts or []):
            overridden.add(person_id)
    rows = []
    for p in people:
        tier, rosh, grade = strata[p.pk]
        rows.append(
            PersonRow(
                case=p.pk,
                groups={
                    "ethnicity": p.ethnicity or "Not recorded",
                    "sex": p.gender.replace("_", " ").capitalize(),
                    "age_band": equality.age_band(p.date_of_birth, last),
                    "disability": equality.disability_group(p.disability),
                },
                tier=tier,
                rosh=rosh,
                grade=grade,
                on_licence=p.pk in licence,
                recalled=p.pk in recalled,
                failed_to_attend=p.pk in failed,
                breached=p.pk in breached,
                requirement_due=p.pk in req_due,
                requirement_on_time=p.pk in req_due and p.pk not in req_late,
                assessed=p.pk in assessed,
                overridden=p.pk in overridden,
            )
        )
    return rows


# The outcomes compared between groups: (key, label, who counts in the denominator, who in the numerator).
OUTCOMES: tuple[tuple[str, str, str, str], ...] = (
    ("recall", "Recalled (of people on licence)", "on_licence", "recalled"),
    (
        "breach",
        "Breach action or recall considered (of people with a failure to attend)",
        "failed_to_attend",
        "breached",
    ),
    (
        "requirements",
        "Requirements started on time (of people with a requirement due)",
        "requirement_due",
        "requirement_on_time",
    ),
    ("overrides", "RoSH prompt overridden (of people assessed)", "assessed", "overridden"),
)
DISTRIBUTIONS = (("tier", "Tier (v2 letter)"), ("rosh", "RoSH level"), ("grade", "Allocated to practitioner grade"))


def equality_report(rows: list[PersonRow]) -> dict[str, Any]:
    """Per characteristic: each outcome's group rates (assurance/rules/equality.py) and each distribution, as they may
    be published (rounded; equality.published_rate, published_distribution): every channel is made from this."""
    report: dict[str, Any] = {"people": len(rows), "characteristics": {}}
    for ch in CHARACTERISTICS:
        outcomes = {}
        for key, _label, denominator, numerator in OUTCOMES:
            counts: dict[str, tuple[int, int]] = {}
            for r in rows:
                if getattr(r, denominator):
                    k, n = counts.get(r.groups[ch], (0, 0))
                    counts[r.groups[ch]] = (k + int(bool(getattr(r, numerator))), n + 1)
            outcomes[key] = [equality.published_rate(g) for g in equality.compare(counts)]
        distributions = {
            key: equality.published_distribution(equality.distribution((r.groups[ch], getattr(r, key)) for r in rows))
            for key, _ in DISTRIBUTIONS
        }
        report["characteristics"][ch] = {"outcomes": outcomes, "distributions": distributions}
    return report


POLICY = DEFAULT_POLICY  # recall execution times: actions/rules/policy.py (24 hours emergency, 72 standard)
