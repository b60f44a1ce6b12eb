"""The allocation queue and the allocate journey, composed once for the page (issue 15 §2; docs/workforce.md
"Allocation"): the PDU's cases nobody holds, what the allocating SPO sees about each (hmpps.md §2a: RoSH, RSR, OGRS,
tier, flags, active recall, indicators) and, for a chosen case, each practitioner who could hold it (grade, NQO,
current high-risk cases, capacity when known) with what the guardrails would say. Every case read is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q

from keepsafe.actions.rules.calendar import add_working_days, local_date
from keepsafe.audit.services import AuditEntry, audit_record_many
from keepsafe.cases.caseload import _with_rosh
from keepsafe.cases.recalls import active_recall_people
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.oversight.allocation import allocator_check, candidate, capacity_changes, case_profile
from keepsafe.oversight.rules.allocation import PRACTITIONER_GRADES, Verdict, allocation_verdict, case_needs
from keepsafe.oversight.rules.training import training_gaps
from keepsafe.oversight.workload import completions_many
from keepsafe.people.models import Event, Person
from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, SentenceType
from keepsafe.people.selectors import person_get
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.risk.rules.tier.v3 import tier_words
from keepsafe.risk.selectors import (
    PredictorView,
    active_registrations,
    current_level,
    found_indicators,
    predictors,
    tiers,
)
from keepsafe.workforce.models import Pdu, Staff
from keepsafe.workforce.rules.grades import GRADE_LABELS, Grade

# Keepsafe's default (docs/workforce.md): a case is allocated within 5 working days of arriving (a new community
# sentence from its sentence date, a release from the release date).
ALLOCATE_WITHIN_WORKING_DAYS = 5


@dataclass(frozen=True)
class QueueRow:
    crn: str
    name: str
    arrival: str  # "New community sentence" | "Release on licence" | "Custodial sentence"
    arrived_on: date
    due_on: date
    overdue: bool
    rosh: str | None
    rsr: str | None
    ogrs: str | None
    tier: str | None
    flags: tuple[str, ...]
    active_recall: bool
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class CandidateRow:
    code: str
    name: str
    team: str
    grade: str
    newly_qualified: bool
    high_risk_cases: int
    capacity_before: Decimal | None
    capacity_after: Decimal | None
    training_gaps: tuple[str, ...]  # issue 15 §5: courses the case needs that this practitioner lacks (titles)
    verdict: Verdict  # what the guardrails say without an override, plan or capacity reason


def viewer_pdu(viewer: Actor) -> Pdu | None:
    """The PDU whose queue the viewer allocates: their team's PDU."""
    if viewer.staff_id is None:
        return None
    staff = Staff.objects.select_related("team__pdu").filter(pk=viewer.staff_id).first()
    return staff.team.pdu if staff is not None and staff.team is not None else None


def _arrival(event: Event) -> tuple[str, date]:
    if SentenceType(event.sentence_type) in CUSTODIAL_SENTENCES:
        if event.release is not None:
            return "Release on licence", event.release
        return "Custodial sentence", event.sentence_date
    return "New community sentence", event.sentence_date


def _score(view: PredictorView | None) -> str | None:
    if view is None:
        return None
    value, band = view.value, view.band
    return f"{value:.1f}%" + (f" ({band.replace('_', ' ').lower()})" if band else "")


def allocation_queue(*, viewer: Actor, pdu: Pdu, today: date | None = None) -> list[QueueRow]:
    """Cases in `pdu` nobody holds that have a current (not terminated) sentence, soonest due first."""
    today = today or clock.today()
    people = list(
        Person.objects.visible_to(is_system=viewer.is_system, staff_id=viewer.staff_id)
        .filter(pdu=pdu, practitioner__isnull=True, events__terminated__isnull=True)
        .distinct()
        .order_by("crn")
    )
    recalls = active_recall_people([p.pk for p in people])
    rows: list[QueueRow] = []
    for person in people:
        event = Event.objects.filter(person=person, terminated__isnull=True).order_by("-sentence_date", "-id").first()
        if event is None:
            continue
        arrival, arrived_on = _arrival(event)
        due_on = add_working_days(arrived_on, ALLOCATE_WITHIN_WORKING_DAYS)
        level = current_level(person)
        found = predictors(person)
        tier = tiers(person)
        rows.append(
            QueueRow(
                crn=person.crn,
                name=f"{person.forename} {person.surname}",
                arrival=arrival,
                arrived_on=arrived_on,
                due_on=due_on,
                overdue=due_on < today,
                rosh=level.label if level is not None else None,
                rsr=_score(found.get("rsr")),
                ogrs=_score(found.get("ogrs3_2y")),
                tier=tier_words(str(tier["v3"])) if tier.get("v3") else None,
                flags=tuple(r.type.name for r in active_registrations(person)),
                active_recall=person.pk in recalls,
                indicators=tuple(INDICATORS.get(i, i) for i in sorted(found_indicators(person))),
            )
        )
    audit_record_many(
        actor=viewer,
        entries=[AuditEntry("ALLOCATION_QUEUE", row.crn, "OK", {"pdu": pdu.code}) for row in rows],
    )
    return sorted(rows, key=lambda r: (r.due_on, r.crn))


def _high_risk_counts(staff_ids: list[int], today: date) -> dict[int, int]:
    rows = (
        _with_rosh(Person.objects.filter(practitioner_id__in=staff_ids), today)
        .values("practitioner_id")
        .annotate(high=Count("pk", filter=Q(rosh__in=["HIGH", "VERY_HIGH"])))
    )
    return {r["practitioner_id"]: r["high"] for r in rows}


def allocation_choice(*, viewer: Actor, crn: str, at: datetime | None = None) -> tuple[Person, list[CandidateRow]]:
    """One case (its read audited) and the practitioners of its PDU who may see it, with the guardrails' verdict."""
    person = person_get(crn=crn, viewer=viewer, action="ALLOCATION_VIEW")
    allocator_check(viewer, person)  # an SPO or head of PDU of the case's PDU (any team of it)
    instant = at or clock.now()
    today = local_date(instant)
    profile = case_profile(person)
    staff = list(
        Staff.objects.select_related("team")
        .filter(team__pdu_id=person.pdu_id, grade__in=[g.value for g in PRACTITIONER_GRADES])
        .exclude(pk__in=profile.excluded)  # never offered: excluded staff can never be chosen
        .order_by("surname", "forename", "code")
    )
    if profile.restricted_to:
        staff = [s for s in staff if s.pk in profile.restricted_to]
    counts = _high_risk_counts([s.pk for s in staff], today)
    needs = case_needs(profile)
    done = completions_many([s.pk for s in staff])
    # one bulk computation for every candidate (helper "alloc2": it was one workload read per candidate)
    changes = capacity_changes([s.pk for s in staff if s.pk != person.practitioner_id], person.pk, instant)
    out: list[CandidateRow] = []
    for member in staff:
        if member.pk == person.practitioner_id:
            continue
        capacity = changes.get(member.pk)
        who = candidate(member, today)
        out.append(
            CandidateRow(
                code=member.code,
                name=member.name,
                team=member.team.name if member.team else "",
                grade=GRADE_LABELS[Grade(member.grade)],
                newly_qualified=who.newly_qualified,
                high_risk_cases=counts.get(member.pk, 0),
                capacity_before=capacity.before if capacity else None,
                capacity_after=capacity.after if capacity else None,
                training_gaps=tuple(
                    g.course.title for g in training_gaps(Grade(member.grade), done.get(member.pk, []), needs, today)
                ),
                verdict=allocation_verdict(
                    profile,
                    who,
                    capacity_after=capacity.after if capacity else None,
                    capacity_not_measured=capacity.not_measured_because if capacity else None,
                    override_reason="",
                    oversight_plan="",
                    capacity_reason="",
                ),
            )
        )
    return person, out
