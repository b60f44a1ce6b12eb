"""Issue 15 §6 (helper "overs"): the supervisor view's reads — per practitioner in the teams a manager answers for,
the facts oversight/rules/supervision.py measures. Counts only: no case is named, so no visibility rule applies and
nothing here reads a case. A fixed number of queries for any number of teams."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q

from keepsafe.actions.models import Action
from keepsafe.actions.rules.types import ActionType
from keepsafe.oversight.rules.supervision import Measure, PractitionerFacts, Standing, is_outlier, measures
from keepsafe.oversight.workload import workload_many
from keepsafe.people.models import Contact
from keepsafe.people.rules.vocabulary import ContactType
from keepsafe.workforce.models import Staff, Team
from keepsafe.workforce.rules.grades import GRADE_LABELS, Grade

PRACTITIONER_GRADES = (Grade.PSO, Grade.PQIP, Grade.PO)
CONTACT_LOOKBACK_DAYS = 90


def _capacity_percent_many(staff_ids: Iterable[int], as_of: datetime) -> dict[int, float]:
    """Capacity % per member of staff where it can be measured (oversight.workload.workload_many; a member with no
    available points has none, and the view says "not known")."""
    loads = workload_many(list(staff_ids), as_of=as_of)
    return {pk: float(load.capacity_percent) for pk, load in loads.items() if load.capacity_percent is not None}


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    grade: str
    team: str
    measures: list[Measure]
    outlier: bool


@dataclass(frozen=True)
class TeamView:
    code: str
    name: str
    rows: list[Row]

    def chart(self) -> list[dict[str, object]]:
        """Per measure: how many practitioners meet, are near, are far from the target (the chart and its table)."""
        names = [m.name for m in self.rows[0].measures] if self.rows else []
        out = []
        for i, name in enumerate(names):
            counts = {s: sum(1 for r in self.rows if r.measures[i].standing is s) for s in Standing}
            out.append({"name": name, **{s.value: counts[s] for s in Standing}})
        return out


def supervisor_view(team_ids: Iterable[int], now: datetime) -> list[TeamView]:
    teams = list(Team.objects.filter(pk__in=list(team_ids)).order_by("name"))
    staff = list(
        Staff.objects.filter(team__in=teams, grade__in=PRACTITIONER_GRADES).order_by("surname", "forename", "code")
    )
    ids = [s.pk for s in staff]
    open_ = Action.objects.filter(status=Action.Status.OPEN, owner_id__in=ids)
    overdue = dict(open_.filter(due__lte=now).values("owner_id").annotate(n=Count("id")).values_list("owner_id", "n"))
    risk = dict(
        open_.filter(due__lte=now, type=ActionType.RISK_REVIEW)
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    contact: dict[int, dict[str, int]] = {
        row["person__practitioner_id"]: {"met": row["met"], "late": row["late"]}
        for row in Action.objects.filter(type=ActionType.CONTACT_LEVEL, person__practitioner_id__in=ids)
        .filter(
            Q(status=Action.Status.OPEN, due__lte=now)
            | Q(status=Action.Status.DONE, closed_at__gte=now - timedelta(days=CONTACT_LOOKBACK_DAYS))
        )
        .values("person__practitioner_id")
        .annotate(
            met=Count("id", filter=Q(status=Action.Status.DONE)),
            late=Count("id", filter=Q(status=Action.Status.OPEN)),
        )
    }
    last_note = dict(
        Contact.objects.filter(type=ContactType.SPO_OVERSIGHT, person__practitioner_id__in=ids, at__lte=now)
        .values("person__practitioner_id")
        .annotate(last=Max("at"))
        .values_list("person__practitioner_id", "last")
    )
    capacity = _capacity_percent_many(ids, now)
    out = []
    for team in teams:
        rows = []
        for s in staff:
            if s.team_id != team.pk:
                continue
            last = last_note.get(s.pk)
            found = measures(
                PractitionerFacts(
                    overdue_safety_actions=overdue.get(s.pk, 0),
                    contact_met=contact.get(s.pk, {}).get("met", 0),
                    contact_overdue=contact.get(s.pk, {}).get("late", 0),
                    risk_reviews_overdue=risk.get(s.pk, 0),
                    days_since_oversight=(now - last).days if last is not None else None,
                    capacity_percent=capacity.get(s.pk),
                )
            )
            label = GRADE_LABELS[Grade(s.grade)] if s.grade in Grade.__members__ else s.grade
            rows.append(Row(s.code, s.name, label, team.code, found, is_outlier(found)))
        out.append(TeamView(team.code, team.name, rows))
    return out
