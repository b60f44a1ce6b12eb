"""People acting on actions: completing with evidence, cancelling with authority and a reason, reassigning."""

from __future__ import annotations

from django.db import transaction

from keepsafe.actions.models import Action, ActionLog, Recall
from keepsafe.actions.rules.types import MANUAL_COMPLETION, ActionType, Step, may_cancel
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.reconcile import reconcile_case
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.core.formats import iso_instant
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import acting_for, case_work_check, staff_may_see
from keepsafe.records.models import Record
from keepsafe.risk.models import Assessment
from keepsafe.workforce.models import Staff

EVIDENCE_KINDS = ("contact", "record", "document")
REASSIGNERS = frozenset({Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})


def may_act(actor: Actor, person: Person, work: Work = Work.CASE) -> dict[str, str]:
    """Refuse anyone who may not write on this case (people/rules/case_work.py); the owners of the case's open
    actions count as named cover. Returns the audit details naming whom they act for, if not themselves."""
    cover = Action.objects.filter(person=person, status=Action.Status.OPEN, owner__isnull=False).values_list(
        "owner_id", flat=True
    )
    return acting_for(case_work_check(actor=actor, person=person, work=work, cover=set(cover)))


def for_whom(details: dict[str, str]) -> str:
    """How an action's log says someone acted for the case holder."""
    return f" (acting for {details['acting_for']}: {details['basis']})" if details.get("acting_for") else ""


def _open(action: Action) -> None:
    if action.status != Action.Status.OPEN:
        raise ValidationError([("action", f"this action is already {action.status.lower()}")])


@transaction.atomic
def action_complete(*, actor: Actor, action: Action, evidence_kind: str, evidence_ref: str, notes: str) -> Action:
    """Mark done with evidence. Only types whose completion is a professional judgement may be completed by hand;
    the rest close themselves when the facts show it (an answered and acted-on check, a return to custody…)."""
    _open(action)
    cover = may_act(actor, action.person)
    if ActionType(action.type) not in MANUAL_COMPLETION:
        raise ValidationError(
            [("action", "this action closes itself when what it needs is recorded: " + action.evidence_needed)]
        )
    problems: list[tuple[str, str]] = []
    if evidence_kind not in EVIDENCE_KINDS:
        problems.append(("evidence_kind", "choose a contact, a record or a document"))
    ref = evidence_ref.strip()
    if not ref:
        problems.append(("evidence_ref", "say which contact, record or document shows it was done"))
    elif evidence_kind == "contact" and not Contact.objects.filter(person=action.person, external_id=ref).exists():
        problems.append(("evidence_ref", f"no contact {ref!r} on this case"))
    elif evidence_kind == "record" and not Record.objects.filter(person=action.person, external_id=ref).exists():
        problems.append(("evidence_ref", f"no record {ref!r} on this case"))
    elif evidence_kind == "document" and not _document_exists(action.person, ref):
        problems.append(
            ("evidence_ref", f"no document {ref!r} on this case: give the id of a record or assessment stored on it")
        )
    if not notes.strip():
        problems.append(("notes", "say what was done"))
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    action.status, action.closed_at, action.closed_by = Action.Status.DONE, now, actor.code
    action.evidence = {"kind": evidence_kind, "ref": ref, "at": iso_instant(now), "summary": notes.strip()}
    action.save()
    ActionLog.objects.create(
        action=action, kind=ActionLog.Kind.DONE, at=now, by=actor.code, notes=notes.strip() + for_whom(cover)
    )
    audit_record(actor=actor, action="ACTION_COMPLETE", crn=action.person.crn, details={"action": action.pk, **cover})
    return action


def _document_exists(person: Person, ref: str) -> bool:
    """A document is something stored on the case: a record (letters and reports arrive as records) or an
    assessment. Free text is not evidence."""
    return (
        Record.objects.filter(person=person, external_id=ref).exists()
        or Assessment.objects.filter(person=person, external_id=ref).exists()
    )


@transaction.atomic
def action_cancel(*, actor: Actor, action: Action, reason: str) -> Action:
    """Only the roles named for the type may cancel (a recall execution only by an ACO), always with a reason."""
    _open(action)
    if not may_cancel(ActionType(action.type), actor.role):
        raise PermissionDeniedError(
            "Only an ACO may cancel a recall"
            if action.type == ActionType.RECALL_EXECUTION
            else "Only a manager (SPO or above) may cancel this action"
        )
    cover = may_act(actor, action.person)
    if not reason.strip():
        raise ValidationError([("reason", "say why this action is no longer needed")])
    now = clock.now()
    action.status, action.closed_at, action.closed_by = Action.Status.CANCELLED, now, actor.code
    action.cancel_reason = reason.strip()
    action.save()
    ActionLog.objects.create(
        action=action, kind=ActionLog.Kind.CANCELLED, at=now, by=actor.code, notes=reason.strip() + for_whom(cover)
    )
    if action.type == ActionType.RECALL_EXECUTION:
        Recall.objects.filter(person=action.person, external_id=action.detail["recall"]).update(
            cancelled_at=now, cancelled_by=actor.code, cancel_reason=reason.strip()
        )
    audit_record(actor=actor, action="ACTION_CANCEL", crn=action.person.crn, details={"action": action.pk, **cover})
    return action


@transaction.atomic
def action_reassign(*, actor: Actor, action: Action, staff_code: str, reason: str) -> Action:
    """A manager moves an action to someone else; the history keeps who had it, and it stays with them even when
    the reconciler would have chosen the case's practitioner."""
    _open(action)
    if actor.role not in REASSIGNERS:
        raise PermissionDeniedError("Only an SPO or above may reassign an action")
    cover = may_act(actor, action.person)
    target = Staff.objects.filter(code=staff_code.strip()).first()
    problems = []
    if target is None:
        problems.append(("staff", f"no member of staff with code {staff_code.strip()!r}"))
    elif not staff_may_see(target.pk, action.person):
        problems.append(
            (
                "staff",
                f"{target.code} may not see this case (it is restricted or they are excluded): choose someone who can",
            )
        )
    if not reason.strip():
        problems.append(("reason", "say why it is being reassigned"))
    if problems:
        raise ValidationError(problems)
    assert target is not None
    now = clock.now()
    ActionLog.objects.create(
        action=action,
        kind=ActionLog.Kind.REASSIGNED,
        at=now,
        by=actor.code,
        to=[target.code],
        notes=f"From {action.owner.code if action.owner else 'nobody'}: {reason.strip()}" + for_whom(cover),
    )
    directory = Directory.load([action.person])
    steps = [link["step"] for link in action.chain]
    action.owner, action.owner_set_by_hand = target, True
    action.chain = directory.chain(action.person, target, [Step(s) for s in steps])
    action.detail = {k: v for k, v in action.detail.items() if k not in ("owner_note", "no_eligible_owner")}
    action.save()
    audit_record(
        actor=actor,
        action="ACTION_REASSIGN",
        crn=action.person.crn,
        details={"action": action.pk, "to": target.code, **cover},
    )
    return action


def refresh(person_id: int) -> None:
    """Re-evaluate a case's actions now, in the caller's transaction, so the page shows the effect at once."""
    reconcile_case(Person.objects.get(pk=person_id), clock.now())
