"""The reconciler: make cases' stored actions match what the rules expect at an instant, a chunk of cases at a time.

Idempotent by construction: each expected action has a key and (person, key) is unique; reminders are recorded per
reminder instant and escalations per level, both unique. A chunk of cases is reconciled in one transaction (its
facts read in a fixed number of queries, its creates, updates, log entries and notifications written in bulk), so a
crash leaves every case of the chunk either fully reconciled or untouched, and running again gives the same actions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.next_change import next_change_of
from keepsafe.actions.rules.opened import opened_expected
from keepsafe.actions.rules.owners import Choice
from keepsafe.actions.rules.policy import Policy, policy_from
from keepsafe.actions.rules.types import (
    OPENED_BY_PEOPLE,
    ActionType,
    Expected,
    OwnerRole,
    Step,
    escalation_level,
    reminder_slot,
)
from keepsafe.actions.selectors import case_facts_many, known_later_many
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.dirty import marks_of, record_seen
from keepsafe.actions.services.notify import notifications, reminder_text
from keepsafe.core.chunkrows import chunk_rows
from keepsafe.core.formats import iso_instant
from keepsafe.people.models import Event, Person
from keepsafe.workforce.models import Staff

SYSTEM = "system"


def policy() -> Policy:
    return policy_from(getattr(settings, "KEEPSAFE_ACTIONS", None))


@dataclass
class Outcome:
    created: int = 0
    closed: int = 0
    cancelled: int = 0
    reminded: int = 0
    escalated: int = 0
    changed: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.created += other.created
        self.closed += other.closed
        self.cancelled += other.cancelled
        self.reminded += other.reminded
        self.escalated += other.escalated


def reconcile_case(
    person: Person, as_of: datetime, *, directory: Directory | None = None, rules: Policy | None = None
) -> Outcome:
    """Create what is missing, close what is satisfied or withdrawn, remind and escalate what is open."""
    return reconcile_many([person], as_of, directory=directory, rules=rules)


def reconcile_many(
    people: Iterable[Person] | Iterable[int],
    as_of: datetime,
    *,
    directory: Directory | None = None,
    rules: Policy | None = None,
) -> Outcome:
    """`reconcile_case` for a chunk of cases in one transaction: the facts of all of them read in bulk, the rules
    applied case by case (pure), the differences written in bulk. `people` may be their ids (the full sweep's
    chunks): the people are read as they are locked."""
    rules = rules or policy()
    ids = [p if isinstance(p, int) else int(p.pk) for p in people]
    outcome = Outcome()
    with transaction.atomic():
        # One reconciler per case at a time (PostgreSQL); SQLite serialises writers anyway.
        locked = {p.pk: p for p in Person.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}
        directory = directory or Directory.load(list(locked.values()))
        directory.load_access(locked.values())
        existing: dict[int, dict[str, Action]] = {pk: {} for pk in locked}
        for stored in Action.objects.filter(person_id__in=list(locked)).select_related("owner"):
            stored.person = locked[stored.person_id]
            existing[stored.person_id][stored.key] = stored
        open_keys = {
            pk: frozenset(key for key, a in actions.items() if a.is_open_at(as_of)) for pk, actions in existing.items()
        }
        marks = marks_of(locked)  # before the facts: a write landing after this keeps the case dirty
        facts = case_facts_many(locked.values(), as_of, rules, open_keys)
        later = known_later_many(locked, as_of)
        events = {(person_id, external_id): pk for person_id, external_id, pk in chunk_rows(_events_query, locked)}
        writes = _Writes(as_of)
        seen: dict[int, tuple[int, datetime]] = {}
        for pk, person in locked.items():
            before = len(writes.created)
            derived = expected_actions(facts[pk], rules)
            for expected in derived:
                action = existing[pk].get(expected.key)
                if action is None:
                    _create(person, expected, as_of, directory, outcome, writes, events)
                elif action.status == Action.Status.OPEN and action.created_at <= as_of:
                    _update(person, action, expected, as_of, directory, outcome, writes)
            # Person-opened actions (no rule expects them): reminded and escalated by the same step, never closed.
            chased = [
                opened_plan(a, rules) for a in person_opened(existing[pk].values(), {e.key for e in derived}, as_of)
            ]
            for plan in chased:
                _update(person, existing[pk][plan.key], plan, as_of, directory, outcome, writes)
            created = writes.created[before:]
            visit = _next_visit(facts[pk], existing[pk], created, rules, chased, derived)
            seen[pk] = (marks.get(pk, 0), min(visit, later.get(pk, visit)))
        writes.save()
        record_seen(seen)
    return outcome


def _events_query(ids: Any) -> models.QuerySet[Any, Any]:
    """The cases' events by external id, newest first (a new action names its event's id): core/chunkrows.py."""
    return Event.objects.filter(person_id__in=ids).order_by("-id").values_list("person_id", "external_id", "id")


def _next_visit(
    facts: CaseFacts,
    stored: dict[str, Action],
    created: list[Action],
    rules: Policy,
    chased: list[Expected],
    derived: list[Expected],
) -> datetime:
    """When the case next needs a sweep (rules/next_change.py), with the actions as this reconcile leaves them.
    `derived` is what the rules expected from `facts`: the same again when the open keys are unchanged (the rules
    are pure), so they are applied a second time only when this reconcile opened or closed an action."""
    keys = {key for key, a in stored.items() if a.status == Action.Status.OPEN and a.created_at <= facts.as_of}
    keys |= {a.key for a in created if a.status == Action.Status.OPEN}
    after = replace(facts, open_keys=frozenset(keys))
    expected = derived if after.open_keys == facts.open_keys else expected_actions(after, rules)
    return next_change_of(after, [*expected, *chased])


def person_opened(actions: Iterable[Action], derived: set[str], as_of: datetime) -> list[Action]:
    """The case's open person-opened actions at `as_of` (types.OPENED_BY_PEOPLE) that no rule claims by key."""
    people_types = {t.value for t in OPENED_BY_PEOPLE}
    return [
        a
        for a in actions
        if a.type in people_types and a.status == Action.Status.OPEN and a.created_at <= as_of and a.key not in derived
    ]


def opened_plan(action: Action, rules: Policy) -> Expected:
    """A person-opened action as the reconciler sees it: its stored due instant and wording, the shared plan
    (rules/opened.py). It is never satisfied or withdrawn, so `_update` can only remind, escalate, refresh its
    chain and, like any action, move it to whoever now holds the case."""
    return opened_expected(
        type=ActionType(action.type),
        key=action.key,
        title=action.title,
        opens_at=action.opens_at,
        due=action.due,
        evidence_needed=action.evidence_needed,
        detail=_owner_detail(action.detail, _NO_NOTE),
        policy=rules,
    )


@dataclass(slots=True)
class _LogEntry:
    """An ActionLog row as the sweep writes it, one attribute per column (`_insert` reads it as it reads a model):
    building an ActionLog instance per entry only to insert it was about 3 % of a full sweep."""

    action: Action
    kind: str
    at: datetime
    by: str
    to: list[str] = field(default_factory=list)
    slot: datetime | None = None
    level: int | None = None
    notes: str = ""

    @property
    def action_id(self) -> int:
        if self.action.pk is None:
            raise ValueError("a log entry's action must be inserted first")
        return int(self.action.pk)


@dataclass
class _Writes:
    """A chunk's writes, gathered in memory in the order the per-case reconciler made them, then written in bulk."""

    as_of: datetime
    created: list[Action] = field(default_factory=list)
    changed: dict[int, tuple[Action, set[str]]] = field(default_factory=dict)  # id(action) → (action, fields)
    logs: list[_LogEntry] = field(default_factory=list)
    # Notifications name the action's link (its id), so their text is written once new actions have ids.
    notes: list[tuple[list[Notification], Action, str]] = field(default_factory=list)

    # Owners and chains worked out once per case, role and owner within the chunk (the directory does not change).
    choices: dict[tuple[int, OwnerRole], Choice] = field(default_factory=dict)
    chains: dict[tuple[int, int | None, tuple[Step, ...]], list[dict[str, str | None]]] = field(default_factory=dict)

    def owner_choice(self, directory: Directory, person: Person, role: OwnerRole) -> Choice:
        key = (person.pk, role)
        if key not in self.choices:
            self.choices[key] = directory.owner_choice(person, role)
        return self.choices[key]

    def chain(
        self, directory: Directory, person: Person, owner: Staff | None, e: Expected
    ) -> list[dict[str, str | None]]:
        steps = tuple(s.to for s in e.escalations)
        key = (person.pk, owner.pk if owner is not None else None, steps)
        if key not in self.chains:
            self.chains[key] = directory.chain(person, owner, list(steps))
        return [dict(link) for link in self.chains[key]]

    def change(self, action: Action, *fields: str) -> None:
        if action.pk is None:
            return  # created by this chunk: inserted as it finally stands
        self.changed.setdefault(id(action), (action, set()))[1].update(fields)

    def log(self, action: Action, kind: str, at: datetime, **values: Any) -> None:
        self.logs.append(_LogEntry(action=action, kind=kind, at=at, by=SYSTEM, **values))

    def save(self) -> None:
        _insert_actions(self.created)
        rows = []
        for notes, action, lead in self.notes:
            subject, body = reminder_text(action, lead)
            for note in notes:
                note.subject, note.body, note.action = subject[:200], body, action
            rows += notes
        _insert(ActionLog, self.logs)
        _insert(Notification, rows)
        groups: dict[tuple[str, ...], list[Action]] = defaultdict(list)
        now = timezone.now()
        for action, names in self.changed.values():
            action.updated_at = now
            groups[tuple(sorted({*names, "updated_at"}))].append(action)
        for columns, actions in groups.items():
            Action.objects.bulk_update(actions, list(columns))

    def notify(
        self, person: Person, recipients: list[Staff], kind: str, action: Action, lead: str, directory: Directory
    ) -> None:
        rows = notifications(
            recipients=recipients,
            kind=kind,
            action=action,
            subject="",
            body="",
            at=self.as_of,
            may_see=directory.may_see,
        )
        if rows:
            self.notes.append((rows, action, lead))


def _insert(model: type[models.Model], objs: list[Any]) -> None:
    """Insert rows in bulk without reading ids back: the values adapted once per column type, then one
    `executemany` (Django's bulk_create prepares every value through its field, the largest cost of a sweep's
    writes). Foreign keys must already be set (the actions are inserted first)."""
    if not objs:
        return
    columns, values = _rows(model, objs)
    ops = connection.ops
    quoted = ", ".join(ops.quote_name(str(f.column)) for f in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({quoted}) VALUES ({marks})", values)  # noqa: S608


def _insert_actions(actions: list[Action]) -> None:
    """The chunk's new actions inserted as `_insert` inserts rows, a multi-row INSERT … RETURNING per batch giving
    each its id (as bulk_create does, in the order given, on SQLite and PostgreSQL), then marked saved. Django's
    bulk_create took a fifth of a full sweep's time preparing values field by field (docs/performance.md)."""
    if not actions:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        Action.objects.bulk_create(actions)
        return
    columns, values = _rows(Action, actions)
    ops = connection.ops
    table, pk = ops.quote_name(Action._meta.db_table), ops.quote_name(str(Action._meta.pk.column))
    quoted = ", ".join(ops.quote_name(str(f.column)) for f in columns)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(500, ops.bulk_batch_size(columns, actions)))
    with connection.cursor() as cursor:
        for start in range(0, len(values), size):
            batch = values[start : start + size]
            sql = f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row] * len(batch))} RETURNING {pk}"  # noqa: S608
            cursor.execute(sql, [value for one in batch for value in one])
            ids = [pk_value for (pk_value,) in cursor.fetchall()]
            if len(ids) != len(batch):
                raise AssertionError(f"{len(batch)} actions inserted, {len(ids)} ids returned")
            for action, pk_value in zip(actions[start : start + size], ids, strict=True):
                action.pk = pk_value
                action._state.adding = False
                action._state.db = connection.alias


_ADAPTED_LIMIT = 4096  # instants remembered per connection and zone (a sweep's share a few hundred)
_adapted: dict[tuple[str, object], dict[tuple[datetime, object, int], Any]] = {}


def _once_per_instant(
    adapt: Callable[[datetime], Any], seen: dict[tuple[datetime, object, int], Any] | None = None
) -> Callable[[datetime], Any]:
    """`adapt` remembering its answer per instant in `seen` (by default within one insert; the sweep's inserts share
    one per connection and zone, `_connection_instants`: a sweep's actions and log entries share a few hundred
    instants, its own and their due dates, across every chunk). Keyed by the zone and fold too: aware datetimes
    with the same zone compare by wall time alone, so two instants an hour apart in the repeated hour of autumn
    would otherwise be one key."""
    known: dict[tuple[datetime, object, int], Any] = {} if seen is None else seen

    def adapted(value: datetime) -> Any:
        key = (value, value.tzinfo, value.fold)
        found = known.get(key, known)
        if found is known:
            if len(known) >= _ADAPTED_LIMIT:
                known.clear()
            found = known[key] = adapt(value)
        return found

    return adapted


def _connection_instants() -> dict[tuple[datetime, object, int], Any]:
    """The instants this connection's datetime adapter has given, kept for the process: its answer depends only on
    the instant and the connection's zone (part of the key)."""
    return _adapted.setdefault((connection.alias, connection.timezone), {})


def _json_adapter(encoder: type[json.JSONEncoder] | None) -> Callable[[Any], Any]:
    """The connection's JSON adapter for a column. Django's base one (SQLite's) is `json.dumps(value, cls=encoder)`,
    which builds an encoder for every value: one encoder with the same (default) options gives the same text."""
    ops = connection.ops
    if type(ops).adapt_json_value is not BaseDatabaseOperations.adapt_json_value:
        return lambda value: ops.adapt_json_value(value, encoder)  # PostgreSQL's: a Jsonb wrapper
    return (encoder or json.JSONEncoder)().encode


def _rows(model: type[models.Model], objs: list[Any]) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The columns to insert (all but the primary key) and each object's values adapted for the database: datetimes
    and JSON through the connection's adapters, once per column type; `auto_now` columns stamped as a save would."""
    ops = connection.ops
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters: list[Any] = []
    for column in columns:
        if isinstance(column, models.DateTimeField):
            adapters.append(_once_per_instant(ops.adapt_datetimefield_value, _connection_instants()))
        elif isinstance(column, models.JSONField):
            adapters.append(_json_adapter(column.encoder))
        else:
            adapters.append(None)
    stamped = [c for c in columns if getattr(c, "auto_now", False) or getattr(c, "auto_now_add", False)]
    for obj in objs:
        if not isinstance(obj, _LogEntry):  # a log entry gives its action's id itself
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
        for column in stamped:
            column.pre_save(obj, add=True)
    # Every column's value read at once (attrgetter), then only the columns with an adapter adapted.
    read = attrgetter(*(f.attname for f in columns))
    adapted = [(n, adapt) for n, adapt in enumerate(adapters) if adapt is not None]
    values = []
    for obj in objs:
        row = list(read(obj))
        for n, adapt in adapted:
            if row[n] is not None:
                row[n] = adapt(row[n])
        values.append(tuple(row))
    return columns, values


STEP_WORDS = {"LINE_MANAGER": "line manager", "HEAD_OF_PDU": "head of PDU", "ACO": "ACO"}
_NO_NOTE = Choice(member=None, label="", note="")


def _owner_detail(detail: dict[str, str], choice: Choice) -> dict[str, str]:
    """The action's detail with why its owner is who it is (shown on the case's Actions tab)."""
    out = {k: v for k, v in detail.items() if k not in ("owner_note", "no_eligible_owner")}
    if choice.note:
        out["owner_note"] = choice.note
    if choice.no_eligible:
        out["no_eligible_owner"] = "yes"
    return out


def _create(
    person: Person,
    e: Expected,
    as_of: datetime,
    directory: Directory,
    outcome: Outcome,
    writes: _Writes,
    events: dict[tuple[int, str], int],
) -> None:
    if e.withdrawn is not None:
        return  # never needed by the time it was first seen
    choice = writes.owner_choice(directory, person, e.owner)
    owner = directory.member_staff(choice)
    action = Action(
        person=person,
        event_id=events.get((person.pk, e.event)) if e.event else None,
        type=e.type.value,
        key=e.key,
        title=e.title,
        owner=owner,
        owner_role=e.owner.value,
        opens_at=e.opens_at,
        due=e.due,
        created_at=as_of,
        evidence_needed=e.evidence_needed,
        chain=writes.chain(directory, person, owner, e),
        reminders=plan_json(e),
        detail=_owner_detail(e.detail, choice),
    )
    writes.created.append(action)
    writes.log(action, ActionLog.Kind.CREATED, as_of, to=_codes(owner), notes=_chain_notes(action))
    outcome.created += 1
    outcome.changed.append(e.key)
    if e.satisfied is not None:
        _close_done(action, e, as_of, outcome, writes)
        return
    _escalate_and_remind(person, action, e, as_of, directory, outcome, writes)


def plan_json(e: Expected) -> dict[str, object]:
    """The reminder and escalation plan as stored on the action (for display and to notice a change)."""
    return {
        "offsets_hours": [o.total_seconds() / 3600 for o in e.reminders.offsets],
        "every_hours": e.reminders.every.total_seconds() / 3600 if e.reminders.every else None,
        "every_overdue_hours": e.reminders.every_overdue.total_seconds() / 3600 if e.reminders.every_overdue else None,
        "line_manager_too": e.reminders.line_manager_too,
        "also_at": [iso_instant(instant) for instant in e.reminders.also_at],
        "escalations": [
            {"after_due_hours": s.after_due.total_seconds() / 3600, "to": s.to.value} for s in e.escalations
        ],
    }


def _chain_notes(action: Action) -> str:
    """Why the owner or an escalation step is not the person the rules name (empty when they all are)."""
    notes = [str(action.detail.get("owner_note", ""))] + [str(link.get("note") or "") for link in action.chain]
    return "; ".join(n for n in notes if n)


def _codes(*staff: Staff | None) -> list[str]:
    return [s.code for s in staff if s is not None]


def _close_done(action: Action, e: Expected, as_of: datetime, outcome: Outcome, writes: _Writes) -> None:
    assert e.satisfied is not None
    action.status = Action.Status.DONE
    action.closed_at = e.satisfied.at
    action.closed_by = SYSTEM
    action.evidence = {
        "kind": e.satisfied.kind,
        "ref": e.satisfied.ref,
        "at": iso_instant(e.satisfied.at),
        "summary": e.satisfied.summary,
    }
    action.evidence_needed = ""
    writes.change(action, "status", "closed_at", "closed_by", "evidence", "evidence_needed")
    writes.log(action, ActionLog.Kind.DONE, action.closed_at, notes=e.satisfied.summary)
    outcome.closed += 1


def _update(
    person: Person,
    action: Action,
    e: Expected,
    as_of: datetime,
    directory: Directory,
    outcome: Outcome,
    writes: _Writes,
) -> None:
    if e.satisfied is not None:
        _close_done(action, e, as_of, outcome, writes)
        outcome.changed.append(e.key)
        return
    if e.withdrawn is not None:
        action.status = Action.Status.CANCELLED
        action.closed_at = as_of
        action.closed_by = SYSTEM
        action.cancel_reason = f"No longer needed: {e.withdrawn}"
        writes.change(action, "status", "closed_at", "closed_by", "cancel_reason")
        writes.log(action, ActionLog.Kind.CANCELLED, as_of, notes=action.cancel_reason)
        outcome.cancelled += 1
        outcome.changed.append(e.key)
        return
    fields: list[str] = []
    if action.due != e.due:
        writes.log(action, ActionLog.Kind.DUE_CHANGED, as_of, notes=f"{iso_instant(action.due)} → {iso_instant(e.due)}")
        action.due = e.due
        fields.append("due")
    if action.evidence_needed != e.evidence_needed or action.title != e.title:
        action.evidence_needed, action.title = e.evidence_needed, e.title
        fields += ["evidence_needed", "title"]
    # The rules' detail, keeping the owner's note (added below) out of the comparison so nothing is rewritten
    # on every sweep.
    kept = {k: v for k, v in action.detail.items() if k in ("owner_note", "no_eligible_owner")}
    if _owner_detail(action.detail, _NO_NOTE) != e.detail or action.reminders != plan_json(e):
        action.detail, action.reminders = {**e.detail, **kept}, plan_json(e)
        fields += ["detail", "reminders"]
    # A restriction or exclusion added since, or a change of allocation, moves the action to someone who may see the
    # case; an owner chosen by hand keeps it only while they may still see it.
    lost_sight = action.owner_id is not None and not directory.may_see(action.owner_id, person)
    if not action.owner_set_by_hand or lost_sight:
        choice = writes.owner_choice(directory, person, e.owner)
        owner = directory.member_staff(choice)
        if (owner is not None and owner.pk != action.owner_id) or (owner is None and lost_sight):
            was = action.owner.code if action.owner else "nobody"
            why = f"{was} may no longer see this case" if lost_sight else f"Case allocation changed: from {was}"
            writes.log(
                action,
                ActionLog.Kind.REASSIGNED,
                as_of,
                to=_codes(owner),
                notes=why + (f"; {choice.note}" if choice.note else ""),
            )
            action.owner, action.owner_set_by_hand = owner, False
            fields += ["owner", "owner_set_by_hand"]
        detail = _owner_detail(action.detail, choice)
        if detail != action.detail:
            action.detail = detail
            fields.append("detail")
    chain = writes.chain(directory, person, action.owner, e)
    if chain != action.chain:
        action.chain = chain
        fields.append("chain")
    if fields:
        writes.change(action, *fields)
    _escalate_and_remind(person, action, e, as_of, directory, outcome, writes)


def _escalate_and_remind(
    person: Person,
    action: Action,
    e: Expected,
    as_of: datetime,
    directory: Directory,
    outcome: Outcome,
    writes: _Writes,
) -> None:
    # More serious information escalates an OPEN review early; what had already arrived when the action was
    # created (a case imported with its history) is part of what its owner is first given, not a raise.
    raised_at = e.raised_at if e.raised_at is not None and e.raised_at > action.created_at else None
    level = escalation_level(e.escalations, action.due, as_of, raised_at)
    told: list[Staff] = []
    if level > action.escalation_level:
        for reached in range(action.escalation_level + 1, level + 1):
            link = action.chain[reached - 1] if reached - 1 < len(action.chain) else {"staff": None, "step": "?"}
            found = directory.by_code.get(str(link["staff"])) if link["staff"] else None
            target = found if found is not None and directory.may_see(found.pk, person) else None
            writes.log(
                action,
                ActionLog.Kind.ESCALATED,
                as_of,
                level=reached,
                to=_codes(target),
                notes=("Overdue" if as_of >= action.due else "More serious information arrived")
                + f": escalated to the {STEP_WORDS.get(str(link['step']), str(link['step']).lower())}"
                + (f" ({link['note']})" if link.get("note") else "")
                + ("" if target else " (nobody eligible in post: the head of PDU must allocate one)"),
            )
            if target is not None:
                told.append(target)
                lead = "Escalated to you: " + (
                    "overdue safety action" if as_of >= action.due else "more serious information, action open"
                )
                writes.notify(person, [target], "ESCALATION", action, lead, directory)
        action.escalation_level = level
        writes.change(action, "escalation_level")
        outcome.escalated += 1
    slot = reminder_slot(e.reminders, action.opens_at, action.due, as_of)
    if slot is None or (action.last_reminded_slot is not None and slot <= action.last_reminded_slot):
        return
    recipients = [action.owner]
    if e.reminders.line_manager_too:
        recipients.append(directory.member_staff(directory.step_choice(person, action.owner, Step.LINE_MANAGER)))
    escalated_to = [link["staff"] for link in action.chain[: action.escalation_level]]
    recipients += [directory.by_code[c] for c in escalated_to if c and c in directory.by_code]
    people = [r for r in directory.told(person, recipients) if r not in told]
    writes.log(action, ActionLog.Kind.REMINDED, as_of, slot=slot, to=_codes(*people))
    lead = "Overdue safety action" if as_of >= action.due else "Safety action due"
    writes.notify(person, people, "REMINDER", action, lead, directory)
    action.last_reminded_slot = slot
    writes.change(action, "last_reminded_slot")
    outcome.reminded += 1
