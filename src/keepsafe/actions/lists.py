"""Action lists at scale (issue 14 §4, issue 20 §3): ordered by severity (actions.rules.types.severity) then due,
cut to one page in SQL, and summarised per type in one grouped query — never built from every open action."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from keepsafe.actions.models import Action
from keepsafe.actions.rules.types import LABELS, SEVERITY_ORDER, ActionType, severity


def with_severity(actions: QuerySet[Action]) -> QuerySet[Action]:
    """The SQL form of actions.rules.types.severity (tested to agree with it for every type)."""
    emergency = Q(type=ActionType.RECALL_EXECUTION, detail__emergency="yes")
    whens = [When(emergency, then=Value(severity(ActionType.RECALL_EXECUTION, True)))]
    whens += [When(type=t.value, then=Value(severity(t, False))) for t in SEVERITY_ORDER]
    return actions.annotate(severity=Case(*whens, default=Value(len(SEVERITY_ORDER) + 1), output_field=IntegerField()))


def ordered(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Most severe first, then soonest due (so the overdue come first within a severity), then oldest."""
    return with_severity(actions).order_by(F("severity").asc(), "due", "id")


def page(actions: QuerySet[Action], *, offset: int, limit: int, now: datetime) -> tuple[list[dict[str, Any]], int]:
    """One page of rows for a list template, and the total: one COUNT and one page query."""
    total = actions.count()
    rows = list(ordered(actions)[offset : offset + limit]) if total > offset else []
    return [
        {"action": a, "overdue": a.due <= now, "label": LABELS.get(ActionType(a.type), a.type)} for a in rows
    ], total


def by_type(actions: QuerySet[Action], now: datetime) -> list[dict[str, Any]]:
    """Open and overdue actions per type over the whole list (one grouped query), most overdue first."""
    grouped = actions.order_by().values("type").annotate(total=Count("id"), late=Count("id", filter=Q(due__lte=now)))
    chart = [
        {
            "type": g["type"],
            "label": LABELS.get(ActionType(g["type"]), g["type"]),
            "overdue": g["late"],
            "open": g["total"] - g["late"],
        }
        for g in grouped
    ]
    return sorted(chart, key=lambda c: (-c["overdue"], -c["open"], c["label"]))
