"""An action opened by a person's finding rather than by the rules (actions/rules/types.OPENED_BY_PEOPLE): owned by
the case's community offender manager (or the next eligible person up the chain), with their line manager and head
of PDU as its chain, closed by hand with evidence like a handover. Its reminders and escalations follow one pure plan
(actions/rules/opened.opened_expected), used here at opening and by every sweep after: the sweep reminds it, escalates
it up a chain refreshed from the current directory, and never closes it (only a person does). Its holder and their
line manager are emailed when it opens; that counts as its opening reminder, so the first sweep does not repeat it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.opened import opened_expected
from keepsafe.actions.rules.owners import Candidate, Choice, Member, choose
from keepsafe.actions.rules.types import OPENED_BY_PEOPLE, ActionType, Step, reminder_slot
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.actions.services.notify import notify, reminder_text
from keepsafe.actions.services.reconcile import plan_json, policy
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Event, Person
from keepsafe.workforce.models import Staff


@dataclass(frozen=True)
class Holder:
    """The member of staff an opener names instead of the case's COM, and in what capacity ("head of the receiving
    PDU"). `strict` (an allocation's countersign, issue 15 §2): they must be able to see the case, or the opening is
    refused; otherwise (a transfer decision, issue 16 §2) their line manager takes it, else a senior manager of the
    region."""

    staff: Staff
    capacity: str
    strict: bool = False


def _holder_choice(directory: Directory, person: Person, holder: Holder) -> Choice:
    """The named holder, else (unless strict) their line manager, else a senior manager of their region
    (actions/rules/owners.py)."""
    staff = holder.staff
    if holder.strict:
        if not directory.may_see(staff.pk, person):
            raise ValidationError([("owner", f"{staff.name} may not see this case")])
        return Choice(Member(staff.pk, staff.code), holder.capacity, "")
    manager = directory.manager_of(directory.staff.get(staff.pk, staff))
    ladder = [Candidate(Member(staff.pk, staff.code), holder.capacity)]
    ladder += [Candidate(Member(manager.pk, manager.code), "line manager")] if manager is not None else []
    region_id = staff.team.pdu.region_id if staff.team is not None else None
    seniors = [Member(s.pk, s.code) for s in directory.region_seniors.get(region_id or -1, [])]
    return choose(ladder, seniors, lambda staff_id: directory.may_see(staff_id, person))


@transaction.atomic
def action_open(
    *,
    actor: Actor,
    person: Person,
    type: ActionType,
    key: str,
    title: str,
    opens_at: datetime,
    due: datetime,
    evidence_needed: str,
    event: Event | None = None,
    detail: dict[str, str] | None = None,
    holder: Holder | None = None,
    tell: bool = True,
) -> Action:
    """Open one action of a type people open; a second with the same key is refused (say what already exists).
    `holder` names whose action it is instead of the case's COM (see `Holder`).

    `tell=False` (issue 16 §4, an imported agreed action the bundle says was already closed): nobody is emailed."""
    if type not in OPENED_BY_PEOPLE:
        raise ValidationError([("type", f"{type.value} actions are opened by the rules, not by hand")])
    if Action.objects.filter(person=person, key=key).exists():
        raise ValidationError([("key", f"an action {key!r} already exists on this case")])
    expected = opened_expected(
        type=type,
        key=key,
        title=title,
        opens_at=opens_at,
        due=due,
        evidence_needed=evidence_needed,
        detail=detail or {},
        policy=policy(),
    )
    # A transfer's holder may be in any region; a strict holder (the case's own head of PDU) is in its region.
    directory = Directory.load([person]) if holder is None or holder.strict else Directory.load()
    choice = (
        directory.owner_choice(person, expected.owner) if holder is None else _holder_choice(directory, person, holder)
    )
    owner = directory.member_staff(choice)
    action = Action.objects.create(
        person=person,
        event=event,
        type=type.value,
        key=key,
        title=title,
        owner=owner,
        owner_role=expected.owner.value,
        owner_set_by_hand=holder is not None,  # named by the opener: kept while they may see it
        opens_at=opens_at,
        due=due,
        created_at=opens_at,
        evidence_needed=evidence_needed,
        chain=directory.chain(person, owner, [s.to for s in expected.escalations]),
        reminders=plan_json(expected),
        # The email below is the opening reminder: the sweep's first reminder is the next slot of the plan.
        last_reminded_slot=reminder_slot(expected.reminders, opens_at, due, opens_at),
        detail=(detail or {}) | ({"owner_note": choice.note} if choice.note else {}),
    )
    ActionLog.objects.create(
        action=action,
        kind=ActionLog.Kind.CREATED,
        at=opens_at,
        by=actor.code,
        to=[owner.code] if owner else [],
        notes=title,
    )
    # Its holder and their line manager are told now; the sweep reminds and escalates it from here on.
    line_manager = next((link["staff"] for link in action.chain if link.get("step") == Step.LINE_MANAGER.value), None)
    manager = directory.by_code.get(line_manager) if line_manager else None
    subject, body = reminder_text(action, "New action")
    notify(
        recipients=[owner, manager] if tell else [],
        kind=Notification.Kind.REMINDER,
        action=action,
        subject=subject,
        body=body,
        at=opens_at,
        may_see=directory.may_see,
    )
    mark_dirty([person.pk])  # the incremental sweep works out when it next needs chasing (issue 20 §2)
    audit_record(
        actor=actor, action="ACTION_OPEN", crn=person.crn, details={"type": type.value, "key": key, "id": action.pk}
    )
    return action
