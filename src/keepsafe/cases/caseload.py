"""Caseload tables: a practitioner's own, a team's, a PDU's. One query per table, whatever its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.people.models import Event, Person, Registration
from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, SentenceType
from keepsafe.people.selectors import person_visible_queryset

ROSH_BY_REGISTRATION = {"RVHR": "VERY_HIGH", "RHRH": "HIGH", "RMRH": "MEDIUM", "RLRH": "LOW"}
ROSH_ORDER = {"VERY_HIGH": 4, "HIGH": 3, "MEDIUM": 2, "LOW": 1, None: 0}
SORTS = {
    "name": ("surname", "forename"),
    "crn": ("crn",),
    "sentence": ("current_sentence",),
    "next": ("next_appointment",),
    "last": ("last_contact",),
    "practitioner": ("practitioner__surname",),
    "rosh": ("rosh_rank",),
}


@dataclass(frozen=True)
class CaseloadFilters:
    sentence_type: str | None = None
    rosh: str | None = None  # VERY_HIGH | HIGH | MEDIUM | LOW | NOT_ASSESSED
    setting: str | None = None  # CUSTODY | COMMUNITY
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class CaseloadRow:
    crn: str
    name: str
    practitioner: str | None
    practitioner_code: str | None
    sentence_type: str | None
    in_custody: bool
    rosh: str | None
    tier: str | None
    next_appointment: datetime | None
    last_contact: datetime | None


def _annotated(people: QuerySet[Person], today: date) -> QuerySet[Any]:
    now = clock.now()
    current = Event.objects.filter(person=OuterRef("pk"), terminated__isnull=True).order_by("-sentence_date", "-id")
    rosh = (
        Registration.objects.filter(person=OuterRef("pk"), type__group="rosh", start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .order_by("-start", "-id")
    )
    from_registration = Case(
        *[When(rosh_code=code, then=Value(level)) for code, level in ROSH_BY_REGISTRATION.items()],
        default=Value(None),
        output_field=CharField(),
    )
    return (
        people.annotate(
            current_sentence=Subquery(current.values("sentence_type")[:1]),
            current_release=Subquery(current.values("release")[:1]),
            rosh_code=Subquery(rosh.values("type__code")[:1]),
            next_appointment=Min("contacts__at", filter=Q(contacts__at__gte=now, contacts__outcome__isnull=True)),
            last_contact=Max("contacts__at", filter=Q(contacts__at__lt=now)),
        )
        .annotate(
            # The level set by assessments wins; otherwise the nDelius RoSH registration; otherwise not assessed.
            rosh=Coalesce(NullIf(F("risk__level"), Value("")), from_registration),
            tier=F("risk__tier_v3"),
            tier_v2=F("risk__tier_v2"),
        )
        .annotate(
            rosh_rank=Case(
                *[When(rosh=level, then=Value(rank)) for level, rank in ROSH_ORDER.items() if level],
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .select_related("practitioner")
    )


def _filtered(people: QuerySet[Any], filters: CaseloadFilters, today: date) -> QuerySet[Person]:
    if filters.sentence_type in SentenceType.__members__:
        people = people.filter(current_sentence=filters.sentence_type)
    if filters.rosh == "NOT_ASSESSED":
        people = people.filter(rosh__isnull=True)
    elif filters.rosh:
        people = people.filter(rosh=filters.rosh)
    custodial = [s.value for s in CUSTODIAL_SENTENCES]
    in_custody = Q(current_sentence__in=custodial) & (Q(current_release__isnull=True) | Q(current_release__gt=today))
    if filters.setting == "CUSTODY":
        people = people.filter(in_custody)
    elif filters.setting == "COMMUNITY":
        people = people.exclude(in_custody)
    field = SORTS.get(filters.sort, SORTS["name"])
    order = [F(f).desc(nulls_last=True) if filters.descending else F(f).asc(nulls_last=True) for f in field]
    return people.order_by(*order, "crn")


def _row(p: Any, today: date) -> CaseloadRow:
    custodial = p.current_sentence in {s.value for s in CUSTODIAL_SENTENCES}
    return CaseloadRow(
        crn=p.crn,
        name=f"{p.surname}, {p.forename}",
        practitioner=p.practitioner.name if p.practitioner else None,
        practitioner_code=p.practitioner.code if p.practitioner else None,
        sentence_type=p.current_sentence,
        in_custody=custodial and (p.current_release is None or p.current_release > today),
        rosh=p.rosh,
        tier=(f"{p.tier} / {p.tier_v2}" if p.tier and p.tier_v2 else None),
        next_appointment=p.next_appointment,
        last_contact=p.last_contact,
    )


def caseload(
    *, viewer: Actor, scope: str, scope_code: str | None, filters: CaseloadFilters, offset: int = 0, limit: int = 200
) -> tuple[list[CaseloadRow], int]:
    """Rows and the total count, for the cases in scope (MY / TEAM / PDU) that the viewer may see."""
    today = clock.today()
    people = person_visible_queryset(viewer=viewer)
    if scope == "MY":
        people = people.filter(practitioner_id=viewer.staff_id) if viewer.staff_id else people.none()
    elif scope == "TEAM":
        people = people.filter(practitioner__team__code=scope_code)
    elif scope == "PDU":
        people = people.filter(pdu__code=scope_code)
    else:
        raise ValueError(f"unknown caseload scope {scope!r}")
    people = _filtered(_annotated(people, today), filters, today)
    total = people.count()
    rows = [_row(p, today) for p in people[offset : offset + limit]]
    audit_record(
        actor=viewer,
        action="CASELOAD_VIEW",
        details={"scope": scope, "code": scope_code, "crns": [r.crn for r in rows]},
    )
    return rows, total


def caseload_counts(*, viewer: Actor, scope: str, scope_code: str) -> list[dict[str, object]]:
    """Cases per practitioner (visible cases only, so a count never reveals a hidden case)."""
    people = person_visible_queryset(viewer=viewer)
    people = (
        people.filter(practitioner__team__code=scope_code) if scope == "TEAM" else people.filter(pdu__code=scope_code)
    )
    counts = (
        people.values("practitioner__code", "practitioner__forename", "practitioner__surname", "practitioner__grade")
        .annotate(cases=Count("id"))
        .order_by("-cases", "practitioner__surname")
    )
    return [
        {
            "code": c["practitioner__code"],
            "name": (
                f"{c['practitioner__forename']} {c['practitioner__surname']}"
                if c["practitioner__code"]
                else "Unallocated"
            ),
            "grade": c["practitioner__grade"],
            "cases": c["cases"],
        }
        for c in counts
    ]
