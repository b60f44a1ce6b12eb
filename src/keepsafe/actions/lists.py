"""Action lists at scale (issue 14 §4, issue 20 §3): ordered by severity (actions.rules.types.severity) then due,
cut to one page in SQL, and summarised per type in one grouped query — never built from every open action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Count, Expression, F, IntegerField, Q, QuerySet, Value, When

from keepsafe.actions.models import Action
from keepsafe.actions.rules.types import LABELS, SEVERITY_ORDER, ActionType, severity
from keepsafe.core.pages import shown_offset


class _Ranked(Expression):
    """`CASE <expression> WHEN %s THEN 1 … ELSE n END`: SQL's simple CASE, one node however many values it ranks. A
    `Case` of one `When` per value cost Django about a tenth of a millisecond a value to compose, on every query that
    sorts a list (issue 20 §3); the database evaluates both the same way."""

    output_field = IntegerField()

    def __init__(self, expression: Any, ranks: dict[str, int], default: int) -> None:
        super().__init__()
        self.expression, self.ranks, self.default = expression, ranks, default

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.expression,) = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.expression)
        whens = " ".join(f"WHEN %s THEN {int(rank)}" for rank in self.ranks.values())  # ranks are ours: integers
        return f"CASE {sql} {whens} ELSE {int(self.default)} END", (*params, *self.ranks)


def with_severity(actions: QuerySet[Action]) -> QuerySet[Action]:
    """The SQL form of actions.rules.types.severity (tested to agree with it for every type)."""
    emergency = Q(type=ActionType.RECALL_EXECUTION, detail__emergency="yes")
    by_type = _Ranked(F("type"), {t.value: severity(t, False) for t in SEVERITY_ORDER}, len(SEVERITY_ORDER) + 1)
    return actions.annotate(
        severity=Case(
            When(emergency, then=Value(severity(ActionType.RECALL_EXECUTION, True))),
            default=by_type,
            output_field=IntegerField(),
        )
    )


def ordered(actions: QuerySet[Action]) -> QuerySet[Action]:
    """Most severe first, then soonest due (so the overdue come first within a severity), then oldest."""
    return with_severity(actions).order_by(F("severity").asc(), "due", "id")


def page(
    actions: QuerySet[Action], *, offset: int, limit: int, now: datetime, total: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """One page of rows for a list template, and the total (counted unless the caller already has it, e.g. from
    `by_type`); an offset past the last row shows the last page (`core.pages`). The page is found with a narrow sort
    (ids only, so the database orders a column, not every joined row of the scope) and then read by id with what the
    queryset selects related: the cost of the wide rows is a page's, not the scope's (issue 20 §3)."""
    if total is None:
        total = actions.count()
    if not total:
        return [], total
    offset = shown_offset(offset, limit, total)  # past the last page: the last (core.pages)
    ids = list(ordered(actions).values_list("pk", flat=True)[offset : offset + limit])
    wide = Action.objects.filter(pk__in=ids)
    wide.query.select_related = actions.query.select_related  # the caller's joins (person, owner, …)
    by_id = {a.pk: a for a in wide}
    rows = [by_id[pk] for pk in ids if pk in by_id]  # an action deleted between the two reads is left out
    return [
        {"action": a, "overdue": a.due <= now, "label": LABELS.get(ActionType(a.type), a.type)} for a in rows
    ], total


@dataclass(frozen=True)
class ListedAction:
    """One row of the my, team and PDU action lists: only what the list shows, read as values (a page of Action,
    Person, Staff, Team and Event instances cost five times as long to build as the rows it displays)."""

    pk: int
    type: str
    title: str
    due: datetime
    emergency: bool  # a recall to execute as an emergency (detail "emergency": "yes")
    escalation_level: int
    crn: str
    pdu_id: int  # the case's PDU, whose prioritisation status may tag the action
    owner_name: str | None  # None when nobody owns it


def page_listed(
    actions: QuerySet[Action], *, offset: int, limit: int, now: datetime, total: int
) -> list[dict[str, Any]]:
    """One page of an action list as `ListedAction` rows (the order and cut of `page`): the ids by a narrow sort,
    then the columns shown for those ids, in one query each."""
    if not total:
        return []
    offset = shown_offset(offset, limit, total)  # past the last page: the last, as `page`
    ids = list(ordered(actions).values_list("pk", flat=True)[offset : offset + limit])
    columns = (
        "pk",
        "type",
        "title",
        "due",
        "detail",
        "escalation_level",
        "person__crn",
        "person__pdu_id",
        "owner_id",
        "owner__forename",
        "owner__surname",
    )
    by_id = {v["pk"]: v for v in Action.objects.filter(pk__in=ids).values(*columns)}
    rows = []
    for pk in ids:
        v = by_id.get(pk)
        if v is None:  # closed or deleted between the two reads
            continue
        action = ListedAction(
            pk=pk,
            type=v["type"],
            title=v["title"],
            due=v["due"],
            emergency=isinstance(v["detail"], dict) and v["detail"].get("emergency") == "yes",
            escalation_level=v["escalation_level"],
            crn=v["person__crn"],
            pdu_id=v["person__pdu_id"],
            owner_name=f"{v['owner__forename']} {v['owner__surname']}" if v["owner_id"] is not None else None,
        )
        label = LABELS.get(ActionType(action.type), action.type)
        rows.append({"action": action, "overdue": action.due <= now, "label": label})
    return rows


def by_type(actions: QuerySet[Action], now: datetime) -> list[dict[str, Any]]:
    """Open and overdue actions per type over the whole list (one grouped query), most overdue first. Their sum is
    the list's total (`total`), so a page that shows the chart needs no COUNT of its own."""
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


def total(chart: list[dict[str, Any]]) -> int:
    """How many actions a `by_type` chart counts."""
    return sum(int(c["overdue"]) + int(c["open"]) for c in chart)
