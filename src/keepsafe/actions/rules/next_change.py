"""The earliest instant after `as_of` at which a case's expected actions, or the reminder and escalation state of its
open actions, could change while its facts stay as they are: what the incremental sweep stores as the case's
`next_due_at` (issue 20 §2, "time-driven changes are found by indexed range queries on the next due instant").

Source: issue 20 §2; the instants are those the rules compare `as_of` with (actions/rules/*): every due, opening,
escalation and reminder instant of the expected actions, every instant recorded in the facts (a scheduled contact, a
decision or record dated later than `as_of`), and the next midnight in London and in UTC, the boundaries at which
every date-based rule (release, sentence, licence and review dates, working days, contact-level periods, the
look-back window of imported history) can change its answer. A property test checks that nothing changes before it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from keepsafe.actions.rules.calendar import LONDON, on_london_clock, repeat_on_london_clock
from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import Expected, ReminderPlan


def next_change(facts: CaseFacts, policy: Policy) -> datetime:
    """The earliest instant after `facts.as_of` at which `expected_actions` or the plan of any action could change."""
    return next_change_of(facts, expected_actions(facts, policy))


def next_change_of(facts: CaseFacts, expected: Iterable[Expected]) -> datetime:
    """`next_change` when the expected actions are already worked out (the reconciler has them), plus any further
    actions the caller chases with the same step (person-opened ones, rules/opened.py)."""
    as_of = facts.as_of
    candidates = [_next_midnight(as_of, LONDON), _next_midnight(as_of, UTC)]
    candidates += [t for t in _instants(facts) if t > as_of]
    for e in expected:
        candidates += [t for t in action_instants(e, as_of) if t > as_of]
    return min(candidates)


def action_instants(e: Expected, as_of: datetime) -> list[datetime]:
    """The instants at which this action's state can move: opening, due, each escalation step, an early raise, and
    the next reminder slot after `as_of`. Nothing for an action satisfied or withdrawn (the reconciler closes it)."""
    if e.satisfied is not None or e.withdrawn is not None:
        return []
    out = [e.opens_at, e.due, *(on_london_clock(e.due, step.after_due) for step in e.escalations)]
    if e.raised_at is not None:
        out.append(e.raised_at)
    out += _reminder_instants(e.reminders, e.opens_at, e.due, as_of)
    return out


def _reminder_instants(plan: ReminderPlan, opens_at: datetime, due: datetime, as_of: datetime) -> list[datetime]:
    """The fixed reminder instants and the instant after `as_of` at which the repeating slot moves on
    (types.reminder_slot's slots), on London's clocks as reminder_slot counts them (calendar.repeat_on_london_clock)."""
    opens_at, due, as_of = opens_at.astimezone(UTC), due.astimezone(UTC), as_of.astimezone(UTC)  # as reminder_slot
    out = [on_london_clock(due, offset) for offset in plan.offsets] + list(plan.also_at)
    if plan.every is not None and plan.every > timedelta(0):
        out.append(repeat_on_london_clock(opens_at, plan.every, as_of, after=True))
    if plan.every_overdue is not None and plan.every_overdue > timedelta(0):
        out.append(repeat_on_london_clock(due, plan.every_overdue, max(as_of, due), after=as_of >= due))
    return out


def _next_midnight(at: datetime, zone: Any) -> datetime:
    local = at.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def _instants(value: object) -> list[datetime]:
    """Every instant recorded anywhere in the facts (dataclasses and tuples walked)."""
    out: list[datetime] = []
    _walk(value, out)
    return out


def _walk(value: object, out: list[datetime]) -> None:
    kind = _KINDS.get(type(value))
    if kind is None:
        kind = _kind_of(type(value))
    if kind is _INSTANT:
        out.append(value)  # type: ignore[arg-type]
        return
    # The parts of a tuple or a dataclass, each looked at here before any call: most are strings, dates, numbers
    # or None, which hold no instant (kind ()), and a call per such value was most of the walk's time.
    parts = value if kind is _ITEMS else [getattr(value, name) for name in kind]
    for part in parts:  # type: ignore[attr-defined]
        found = _KINDS.get(type(part))
        if found is None:
            found = _kind_of(type(part))
        if found is _INSTANT:
            out.append(part)
        elif found:
            _walk(part, out)


_INSTANT: tuple[str, ...] = ("<instant>",)
_ITEMS: tuple[str, ...] = ("<items>",)
_KINDS: dict[type, tuple[str, ...]] = {}


def _kind_of(cls: type) -> tuple[str, ...]:
    """How `_walk` treats a value of this type, worked out once per type (a dictionary look-up per value instead of
    three isinstance checks: the walk visits every value of every case, docs/performance.md): an instant (kept), a
    tuple, list or frozenset (walked item by item), a dataclass (its field names but `as_of`, walked), anything else
    (no field names: nothing to walk)."""
    if issubclass(cls, datetime):
        kind = _INSTANT
    elif issubclass(cls, tuple | list | frozenset):
        kind = _ITEMS
    elif issubclass(cls, type):
        kind = ()  # a class itself, not an instance
    else:
        kind = _field_names(cls)
    _KINDS[cls] = kind
    return kind


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names but `as_of` (the facts' own instant); () for any other type. Worked out once per
    type: asked of every value of every case, `dataclasses.fields` was nearly a tenth of a full sweep
    (docs/performance.md)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        names = tuple(f.name for f in fields if f.name != "as_of")
        _FIELD_NAMES[cls] = names
    return names
