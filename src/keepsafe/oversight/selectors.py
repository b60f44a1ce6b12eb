"""Reads for management oversight (issue 15 §3): a manager's touch points and countersigning queue, and the span of
control of the SPOs in the teams they answer for. Cases are named only when the viewer may see them (the visibility
rule, people.Person.objects.visible_to); the rest are counted, never named. Every list naming cases is audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q

from keepsafe.actions import lists as action_lists
from keepsafe.actions.models import Action
from keepsafe.actions.rules.types import ActionType
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor
from keepsafe.people.models import Person
from keepsafe.workforce.models import Staff, Team
from keepsafe.workforce.rules.grades import Grade

# Each queue and the action types in it: the countersigning queue holds assessments and allocation overrides alike.
QUEUES: dict[str, frozenset[ActionType]] = {
    "touchpoints": frozenset({ActionType.OVERSIGHT_TOUCHPOINT}),
    "countersign": frozenset({ActionType.COUNTERSIGN, ActionType.ALLOCATION_COUNTERSIGN}),
}
PRACTITIONER_GRADES = (Grade.PSO, Grade.PQIP, Grade.PO)


@dataclass(frozen=True)
class Queue:
    """One page of a manager's open actions of one type on cases they may see, and what they may not see counted."""

    rows: list[dict[str, Any]]
    total: int  # on cases the viewer may see
    overdue: int
    hidden: int  # owned by the viewer on cases they may not see: counted, never named


def manager_queue(*, viewer: Actor, kind: str, now: datetime, offset: int = 0, limit: int = 50) -> Queue:
    """The open actions of `kind` ("touchpoints" or "countersign") the viewer owns, most severe then soonest due."""
    if kind not in QUEUES:
        raise ValueError(f"unknown queue {kind!r}; known: {', '.join(QUEUES)}")
    if viewer.staff_id is None:
        return Queue([], 0, 0, 0)
    mine = Action.objects.filter(status=Action.Status.OPEN, owner_id=viewer.staff_id, type__in=QUEUES[kind])
    visible = Person.objects.visible_to(is_system=viewer.is_system, staff_id=viewer.staff_id)
    shown = mine.filter(person__in=visible).select_related("person", "person__practitioner", "event")
    hidden = mine.exclude(person__in=visible).count()
    rows, total = action_lists.page(shown, offset=offset, limit=limit, now=now)
    overdue = shown.filter(due__lte=now).count()
    audit_record(
        actor=viewer,
        action="OVERSIGHT_QUEUE",
        details={"queue": kind, "offset": offset, "crns": sorted({r["action"].person.crn for r in rows})},
    )
    return Queue(rows, total, overdue, hidden)


@dataclass(frozen=True)
class SpoSpan:
    code: str
    name: str
    team: str
    practitioners: int  # practitioners (PSO, PQiP, PO) they line manage
    pqips: int  # of whom trainees (PQiP)
    cases: int  # cases held by those practitioners
    touchpoints_open: int = 0  # oversight touch points waiting for this SPO (owned by them)
    touchpoints_overdue: int = 0  # of which past their due time


@dataclass(frozen=True)
class TeamSpan:
    code: str
    name: str
    spos: int
    practitioners: int
    cases: int
    spans: list[SpoSpan]

    @property
    def practitioners_per_spo(self) -> float | None:
        return round(self.practitioners / self.spos, 1) if self.spos else None


def span_of_control(team_ids: Iterable[int], now: datetime | None = None) -> list[TeamSpan]:
    """Per team: its SPOs, each with the practitioners they line manage, those practitioners' cases and the oversight
    touch points waiting for the SPO, open and overdue at `now` (counts only: no case is named, so no visibility rule
    applies; a head of PDU or regional leader sees whose touch points are late — issue 15 try-out), in a fixed number
    of queries for any number of teams."""
    teams = list(Team.objects.filter(pk__in=list(team_ids)).order_by("name"))
    spos = list(Staff.objects.filter(team__in=teams, grade=Grade.SPO).order_by("surname", "forename", "code"))
    reports: dict[int, dict[str, int]] = {
        row["line_manager_id"]: {"n": row["n"], "pqip": row["pqip"]}
        for row in Staff.objects.filter(line_manager__in=spos, grade__in=PRACTITIONER_GRADES)
        .values("line_manager_id")
        .annotate(n=Count("id", distinct=True), pqip=Count("id", filter=Q(grade=Grade.PQIP), distinct=True))
    }
    cases = dict(
        Person.objects.filter(practitioner__line_manager__in=spos)
        .values("practitioner__line_manager_id")
        .annotate(n=Count("id"))
        .values_list("practitioner__line_manager_id", "n")
    )
    team_practitioners = dict(
        Staff.objects.filter(team__in=teams, grade__in=PRACTITIONER_GRADES)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    team_cases = dict(
        Person.objects.filter(practitioner__team__in=teams)
        .values("practitioner__team_id")
        .annotate(n=Count("id"))
        .values_list("practitioner__team_id", "n")
    )
    waiting: dict[int, tuple[int, int]] = {}
    if now is not None:
        waiting = {
            row["owner_id"]: (row["n"], row["late"])
            for row in Action.objects.filter(
                type=ActionType.OVERSIGHT_TOUCHPOINT, status=Action.Status.OPEN, owner__in=spos, opens_at__lte=now
            )
            .values("owner_id")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due__lt=now)))
        }
    out = []
    for team in teams:
        spans = [
            SpoSpan(
                code=s.code,
                name=s.name,
                team=team.code,
                practitioners=reports.get(s.pk, {}).get("n", 0),
                pqips=reports.get(s.pk, {}).get("pqip", 0),
                cases=cases.get(s.pk, 0),
                touchpoints_open=waiting.get(s.pk, (0, 0))[0],
                touchpoints_overdue=waiting.get(s.pk, (0, 0))[1],
            )
            for s in spos
            if s.team_id == team.pk
        ]
        out.append(
            TeamSpan(
                code=team.code,
                name=team.name,
                spos=len(spans),
                practitioners=team_practitioners.get(team.pk, 0),
                cases=team_cases.get(team.pk, 0),
                spans=spans,
            )
        )
    return out
