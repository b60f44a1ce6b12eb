"""An action opened by a person's finding rather than by the rules (actions/rules/types.OPENED_BY_PEOPLE): owned by
the case's community offender manager (or the next eligible person up the chain), with their line manager and head
of PDU as its chain, closed by hand with evidence like a handover. The reconciler never touches it (no rule expects
its key), so the sweep does not remind or escalate it: its holder and their line manager are emailed when it opens,
and it shows on their actions lists."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.types import OPENED_BY_PEOPLE, ActionType, OwnerRole, Step
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.notify import notify, reminder_text
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Event, Person


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
) -> Action:
    """Open one action of a type people open; a second with the same key is refused (say what already exists)."""
    if type not in OPENED_BY_PEOPLE:
        raise ValidationError([("type", f"{type.value} actions are opened by the rules, not by hand")])
    if Action.objects.filter(person=person, key=key).exists():
        raise ValidationError([("key", f"an action {key!r} already exists on this case")])
    directory = Directory.load([person])
    choice = directory.owner_choice(person, OwnerRole.COM)
    owner = directory.member_staff(choice)
    action = Action.objects.create(
        person=person,
        event=event,
        type=type.value,
        key=key,
        title=title,
        owner=owner,
        owner_role=OwnerRole.COM.value,
        opens_at=opens_at,
        due=due,
        created_at=opens_at,
        evidence_needed=evidence_needed,
        chain=directory.chain(person, owner, [Step.LINE_MANAGER, Step.HEAD_OF_PDU]),
        reminders={"escalations": [{"after_due_hours": 0.0, "to": "LINE_MANAGER"}]},
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
    # No sweep reminds or escalates an action no rule expects, so its holder and their line manager are told now.
    line_manager = next((link["staff"] for link in action.chain if link.get("step") == Step.LINE_MANAGER.value), None)
    manager = directory.by_code.get(line_manager) if line_manager else None
    subject, body = reminder_text(action, "New action")
    notify(
        recipients=[owner, manager],
        kind=Notification.Kind.REMINDER,
        action=action,
        subject=subject,
        body=body,
        at=opens_at,
        may_see=directory.may_see,
    )
    audit_record(
        actor=actor, action="ACTION_OPEN", crn=person.crn, details={"type": type.value, "key": key, "id": action.pk}
    )
    return action
