"""Caseload tables: a practitioner's own, a team's, a PDU's.

Two steps, so a page costs the same in a 2,000-case PDU as in a 20-case caseload (issue 20):
1. the page's people: the scope, the filters and the sort, with only the columns the filter or sort needs (each a
   correlated subquery that uses an index on (person, …)), cut to one page — plus one COUNT for the total;
2. the page's rows: everything the table shows, for those people only (at most a page of them), and their open and
   overdue safety actions.
A fixed number of queries whatever the size; nothing is aggregated over the whole scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from keepsafe.actions.models import Action
from keepsafe.audit.services import audit_record
from keepsafe.cases.recalls import active_recall_people
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.pages import shown_offset
from keepsafe.oversight.prioritisation import deprioritised_counts
from keepsafe.people.models import Contact, Event, Person, Registration
from keepsafe.people.rules.vocabulary import CONTACT_MADE_OUTCOMES, CUSTODIAL_SENTENCES, SentenceType
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.risk.rules.tier.v3 import tier_words

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
    open_actions: int = 0
    overdue_actions: int = 0
    recall: str | None = None  # EMERGENCY | STANDARD while a recall awaits execution (issue 14 §4)
    # helper "alloc2": open actions the PDU's prioritisation status deprioritises (never safety-critical), the tag
    deprioritised_actions: int = 0
    deprioritised_tag: str = ""


def _current_event() -> QuerySet[Event]:
    return Event.objects.filter(person=OuterRef("pk"), terminated__isnull=True).order_by("-sentence_date", "-id")


def _with_sentence(people: QuerySet[Any]) -> QuerySet[Any]:
    current = _current_event()
    return people.annotate(
        current_sentence=Subquery(current.values("sentence_type")[:1]),
        current_release=Subquery(current.values("release")[:1]),
    )


def _with_rosh(people: QuerySet[Any], today: date) -> QuerySet[Any]:
    """The level set by assessments wins; otherwise the nDelius RoSH registration; otherwise not assessed. The
    registration subquery is written once and referred to by name, so the database evaluates it once per row."""
    registration = (
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
        people.annotate(rosh_code=Subquery(registration.values("type__code")[:1]))
        .annotate(rosh=Coalesce(NullIf(F("risk__level"), Value("")), from_registration))
        .annotate(
            rosh_rank=Case(
                *[When(rosh=level, then=Value(rank)) for level, rank in ROSH_ORDER.items() if level],
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )


def _with_contacts(people: QuerySet[Any]) -> QuerySet[Any]:
    """Next booked appointment and last attended contact, each one index probe on (person, at) per row. The last
    contact is the last one he attended (CONTACT_MADE_OUTCOMES, as contact levels count): a failure to attend, an
    acceptable absence, a rescheduled or an unrecorded appointment is not contact (a try-out: a Video call recorded
    "Failed to attend" showed as the last contact)."""
    now = clock.now()
    upcoming = Contact.objects.filter(person=OuterRef("pk"), at__gte=now, outcome__isnull=True).order_by("at")
    past = Contact.objects.filter(person=OuterRef("pk"), at__lt=now, outcome__in=CONTACT_MADE_OUTCOMES).order_by("-at")
    return people.annotate(
        next_appointment=Subquery(upcoming.values("at")[:1]), last_contact=Subquery(past.values("at")[:1])
    )


def _filtered(people: QuerySet[Any], filters: CaseloadFilters, today: date) -> QuerySet[Any]:
    """Step 1: only what the filters and the sort need, so the database never builds a whole row for the scope."""
    needs_sentence = filters.sentence_type in SentenceType.__members__ or filters.setting or filters.sort == "sentence"
    if needs_sentence:
        people = _with_sentence(people)
    if filters.rosh or filters.sort == "rosh":
        people = _with_rosh(people, today)
    if filters.sort in {"next", "last"}:
        people = _with_contacts(people)
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


def _page_rows(ids: list[int], today: date) -> dict[int, dict[str, Any]]:
    """Step 2: every column the table shows, for one page of people, as plain values (no model instances).

    Only the lookups that need the database are in SQL (one correlated subquery per column, each an index probe);
    what follows from them is worked out here: the RoSH level from the assessed level or the registration's code
    (`rosh_level`, the same rule as `_with_rosh`), the tier's words, custody. Composing the annotated query Django
    builds for `_with_rosh` took longer than running it (its CASE repeated the registration subquery five times), and
    a page is at most 50 people, so the rule costs nothing in Python (issue 20 §3)."""
    now = clock.now()
    current = _current_event()
    registration = (
        Registration.objects.filter(person=OuterRef("pk"), type__group="rosh", start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .order_by("-start", "-id")
    )
    upcoming = Contact.objects.filter(person=OuterRef("pk"), at__gte=now, outcome__isnull=True).order_by("at")
    past = Contact.objects.filter(person=OuterRef("pk"), at__lt=now, outcome__in=CONTACT_MADE_OUTCOMES).order_by("-at")
    people = (
        Person.objects.filter(pk__in=ids)
        .annotate(
            current_sentence=Subquery(current.values("sentence_type")[:1]),
            current_release=Subquery(current.values("release")[:1]),
            rosh_code=Subquery(registration.values("type__code")[:1]),
            next_appointment=Subquery(upcoming.values("at")[:1]),
            last_contact=Subquery(past.values("at")[:1]),
        )
        .values(
            "pk",
            "crn",
            "forename",
            "surname",
            "practitioner__code",
            "practitioner__forename",
            "practitioner__surname",
            "risk__level",
            "risk__tier_v3",
            "risk__tier_v2",
            "current_sentence",
            "current_release",
            "rosh_code",
            "next_appointment",
            "last_contact",
        )
    )
    by_id: dict[int, dict[str, Any]] = {p["pk"]: dict(p) for p in people}
    actions = (
        Action.objects.filter(person_id__in=ids, status=Action.Status.OPEN)
        .values("person_id")
        .annotate(total=Count("id"), late=Count("id", filter=Q(due__lt=now)))
    )
    for row in actions:
        by_id[row["person_id"]]["open_actions"] = row["total"]
        by_id[row["person_id"]]["overdue_actions"] = row["late"]
    for person_id, emergency in active_recall_people(ids).items():
        by_id[person_id]["recall"] = "EMERGENCY" if emergency else "STANDARD"
    for person_id, (count, tag) in deprioritised_counts(ids, today).items():
        by_id[person_id]["deprioritised_actions"], by_id[person_id]["deprioritised_tag"] = count, tag
    return by_id


def rosh_level(assessed: str | None, registration_code: str | None) -> str | None:
    """A case's RoSH level: the level set by assessments wins; otherwise the nDelius RoSH registration's; otherwise
    None (not assessed). The Python form of `_with_rosh`'s `rosh` (tested to agree)."""
    return assessed or ROSH_BY_REGISTRATION.get(registration_code or "")


_CUSTODIAL = frozenset(s.value for s in CUSTODIAL_SENTENCES)


def _row(p: dict[str, Any], today: date) -> CaseloadRow:
    custodial = p["current_sentence"] in _CUSTODIAL
    release = p["current_release"]
    tier, tier_v2 = p["risk__tier_v3"], p["risk__tier_v2"]
    practitioner = p["practitioner__code"]
    return CaseloadRow(
        crn=p["crn"],
        name=f"{p['surname']}, {p['forename']}",
        practitioner=f"{p['practitioner__forename']} {p['practitioner__surname']}" if practitioner else None,
        practitioner_code=practitioner,
        sentence_type=p["current_sentence"],
        in_custody=custodial and (release is None or release > today),
        rosh=rosh_level(p["risk__level"], p["rosh_code"]),
        tier=(f"{tier_words(tier)} / {tier_v2}" if tier and tier_v2 else None),
        next_appointment=p["next_appointment"],
        last_contact=p["last_contact"],
        open_actions=p.get("open_actions", 0),
        overdue_actions=p.get("overdue_actions", 0),
        recall=p.get("recall"),
        deprioritised_actions=p.get("deprioritised_actions", 0),
        deprioritised_tag=p.get("deprioritised_tag", ""),
    )


def caseload(
    *,
    viewer: Actor,
    scope: str,
    scope_code: str | None,
    filters: CaseloadFilters,
    offset: int = 0,
    limit: int = 200,
    total: int | None = None,
) -> tuple[list[CaseloadRow], int]:
    """Rows and the total count, for the cases in scope (MY / TEAM / PDU) that the viewer may see. `total`, when the
    caller has it already (`unfiltered_total` of the cases-per-practitioner table), saves counting the scope again.
    An `offset` past the last row shows the last page (`core.pages.shown_offset`)."""
    today = clock.today()
    people = person_visible_queryset(viewer=viewer)
    if scope == "MY" and viewer.role is Role.POM:
        # A prison offender manager's caseload is the people they are POM for (issue 14 §6).
        people = people.filter(prison_offender_manager_id=viewer.staff_id) if viewer.staff_id else people.none()
    elif scope == "MY":
        people = people.filter(practitioner_id=viewer.staff_id) if viewer.staff_id else people.none()
    elif scope == "TEAM":
        people = people.filter(practitioner__team__code=scope_code)
    elif scope == "PDU":
        people = people.filter(pdu__code=scope_code)
    else:
        raise ValueError(f"unknown caseload scope {scope!r}")
    people = _filtered(people, filters, today)
    if total is None:
        total = people.count()
    offset = shown_offset(offset, limit, total)  # past the last page: the last (core.pages)
    ids = list(people.values_list("pk", flat=True)[offset : offset + limit]) if total else []
    by_id = _page_rows(ids, today)
    rows = [_row(by_id[pk], today) for pk in ids]
    audit_record(
        actor=viewer,
        action="CASELOAD_VIEW",
        details={"scope": scope, "code": scope_code, "crns": [r.crn for r in rows]},
    )
    return rows, total


def unfiltered_total(counts: list[dict[str, object]], filters: CaseloadFilters) -> int | None:
    """A team or PDU caseload's total from its cases per practitioner (the same visible cases in the same scope), when
    no filter narrows the table; None when one does (the table then counts its own)."""
    if filters.sentence_type or filters.rosh or filters.setting:
        return None
    return sum(cast(int, c["cases"]) for c in counts)


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
