"""Recall cannot be missed (issue 14 §4): the active recall on a case, and every recall awaiting execution in a
regional leader's area with the hours since the licence was revoked.

An active recall is one decided (recall) and neither executed nor cancelled (actions.rules.recall.awaiting_execution):
Joseph McCann's recall was decided and never executed (seeds/003 rec. 5); Jordan McSweeney's licence was revoked
and he was not arrested for days (seeds/001 concern 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from keepsafe.actions.models import Action, Recall
from keepsafe.actions.rules.recall import Decision, hours_since, next_step
from keepsafe.actions.services.recall import progress
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.pages import shown_offset
from keepsafe.people.models import Person
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.workforce.models import Pdu, Region, Staff
from keepsafe.workforce.rules.grades import Grade


@dataclass(frozen=True)
class ActiveRecall:
    """What the red banner says: which recall, emergency or standard, when decided and revoked, what happens next."""

    crn: str
    name: str
    recall_id: str
    emergency: bool
    decided_at: datetime
    decided_by: str
    revoked_at: datetime | None
    hours_since_decision: int
    hours_since_revocation: int | None
    next_step: str
    pdu: str = ""
    practitioner: str | None = None


def _active() -> QuerySet[Recall]:
    return Recall.objects.filter(
        decision=Decision.RECALL, decided_at__isnull=False, executed_at__isnull=True, cancelled_at__isnull=True
    )


def _as_active(recall: Recall, person: Person, now: datetime, *, allocation: bool = False) -> ActiveRecall:
    assert recall.decided_at is not None  # _active() guarantees it
    return ActiveRecall(
        crn=person.crn,
        name=f"{person.forename} {person.surname}",
        recall_id=recall.external_id,
        emergency=bool(recall.emergency),
        decided_at=recall.decided_at,
        decided_by=recall.decided_by,
        revoked_at=recall.revoked_at,
        hours_since_decision=hours_since(recall.decided_at, now),
        hours_since_revocation=hours_since(recall.revoked_at, now) if recall.revoked_at else None,
        next_step=next_step(progress(recall)),
        pdu=person.pdu.name if allocation else "",
        practitioner=person.practitioner.name if allocation and person.practitioner else None,
    )


def active_recall(person: Person) -> ActiveRecall | None:
    """The case's active recall, if any (one query; the case read itself was audited by the page that asks)."""
    recall = _active().filter(person=person).order_by("-decided_at", "-id").first()
    return _as_active(recall, person, clock.now()) if recall is not None else None


def active_recall_people(person_ids: list[int]) -> dict[int, bool]:
    """For a page of cases: which have an active recall, and whether it is an emergency (one query)."""
    out: dict[int, bool] = {}
    for person_id, emergency in _active().filter(person_id__in=person_ids).values_list("person_id", "emergency"):
        out[person_id] = out.get(person_id, False) or bool(emergency)
    return out


# --- a regional leader's area ----------------------------------------------------------------------------------------


def area_regions(staff: Staff | None) -> list[Region]:
    """The regions a regional leader (an ACO) answers for: the region of their own team, and the regions of the PDUs
    whose heads they line-manage (an ACO usually sits above any one team). None for someone linked to neither."""
    if staff is None:
        return []
    region_ids: set[int] = set()
    if staff.team is not None:
        region_ids.add(staff.team.pdu.region_id)
    region_ids |= set(
        Staff.objects.filter(line_manager=staff, grade=Grade.HEAD_OF_PDU, team__isnull=False).values_list(
            "team__pdu__region_id", flat=True
        )
    )
    return list(Region.objects.filter(pk__in=region_ids).order_by("name"))


@dataclass(frozen=True)
class PduSummary:
    code: str
    name: str
    cases: int
    open_actions: int
    overdue_actions: int
    recalls_awaiting_execution: int


def region_overview(*, viewer: Actor, regions: list[Region]) -> list[PduSummary]:
    """Per PDU of the regions: visible cases, open and overdue actions, active recalls — three grouped queries,
    whatever the number of cases (counts only over cases the viewer may see, so a count never reveals a hidden one)."""
    now = clock.now()
    pdus = list(Pdu.objects.filter(region__in=regions).order_by("name"))
    people = person_visible_queryset(viewer=viewer).filter(pdu__in=pdus)
    cases = dict(people.values("pdu_id").annotate(n=Count("id")).values_list("pdu_id", "n"))
    actions: dict[int, dict[str, int]] = {
        row["person__pdu_id"]: {"open": row["open"], "late": row["late"]}
        for row in Action.objects.filter(status=Action.Status.OPEN, person__in=people)
        .values("person__pdu_id")
        .annotate(open=Count("id"), late=Count("id", filter=Q(due__lt=now)))
    }
    recalls = dict(
        _active()
        .filter(person__in=people)
        .values("person__pdu_id")
        .annotate(n=Count("id"))
        .values_list("person__pdu_id", "n")
    )
    return [
        PduSummary(
            code=p.code,
            name=p.name,
            cases=cases.get(p.pk, 0),
            open_actions=actions.get(p.pk, {}).get("open", 0),
            overdue_actions=actions.get(p.pk, {}).get("late", 0),
            recalls_awaiting_execution=recalls.get(p.pk, 0),
        )
        for p in pdus
    ]


def recalls_awaiting_execution(
    *, viewer: Actor, regions: list[Region], offset: int = 0, limit: int = 50
) -> tuple[list[ActiveRecall], int]:
    """Every active recall on a visible case in the regions: revoked ones first, longest since revocation first, then
    those not yet revoked, longest since the decision first; one page of them and the total. Audited as a read of each
    case listed."""
    now = clock.now()
    people = person_visible_queryset(viewer=viewer).filter(pdu__region__in=regions)
    recalls = (
        _active()
        .filter(person__in=people)
        .select_related("person__pdu", "person__practitioner")
        .order_by(F("revoked_at").asc(nulls_last=True), "decided_at", "id")
    )
    total = recalls.count()
    offset = shown_offset(offset, limit, total)  # past the last page: the last (core.pages)
    page = list(recalls[offset : offset + limit]) if total else []
    rows = [_as_active(r, r.person, now, allocation=True) for r in page]
    audit_record(
        actor=viewer,
        action="RECALLS_AWAITING_EXECUTION",
        details={"regions": [r.code for r in regions], "crns": [r.crn for r in rows], "total": total},
    )
    return rows, total
