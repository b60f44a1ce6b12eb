"""Case transfer between PDUs and regions (issue 16 §2; docs/sharing.md "Transfers").

A practitioner or manager of the case asks for it to move to another PDU with a reason; a TRANSFER_DECISION safety
action opens for the receiving PDU's head (actions/services/opened.py). Until it is accepted the sending practitioner
stays responsible (the Person is unchanged). Acceptance, in one transaction with its audit: the allocation changes
through the versioned path (PersonVersion, so `--as-of` shows who held the case when), every open action moves to
its new holder (actions/rules/owners.py; nothing is closed by the move), a transfer summary is stored as an immutable
case document, and the sending and receiving practitioners (and the POM) are told, only if they may see the case.
Rules: people/rules/transfers.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.calendar import working_days_after
from keepsafe.actions.rules.types import ActionType, OwnerRole, Step
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.notify import absolute, notify
from keepsafe.actions.services.opened import Holder, action_open
from keepsafe.audit.services import audit_record
from keepsafe.cases.documents import compose_transfer_summary, composition_store
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.people.models import Person, Transfer
from keepsafe.people.rules import transfers as rules
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import case_write_check, person_visible_queryset, staff_may_see
from keepsafe.people.services import person_version
from keepsafe.workforce.models import Pdu, Staff
from keepsafe.workforce.rules.grades import Grade

DECIDERS = frozenset({Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})


def _key(transfer: Transfer) -> str:
    return rules.decision_key(transfer.external_id)


def _locked(person: Person) -> Person:
    """The case row locked for the rest of the transaction, so two requests or decisions never interleave."""
    return (
        Person.objects.select_for_update(of=("self",)).select_related("pdu__region", "practitioner").get(pk=person.pk)
    )


def receiving_head(pdu: Pdu) -> Staff | None:
    """The receiving PDU's head (the first by staff code when, unusually, there are two)."""
    return (
        Staff.objects.filter(grade=Grade.HEAD_OF_PDU, team__pdu=pdu)
        .select_related("team__pdu")
        .order_by("code")
        .first()
    )


@transaction.atomic
def transfer_request(*, actor: Actor, person: Person, to_pdu_code: str, reason: str) -> Transfer:
    """Ask for the case to move to another PDU. Refused (ValidationError, nothing written) for an unknown PDU, the
    case's own PDU, a transfer already pending, no reason, or a receiving PDU without a head to decide."""
    cover = case_write_check(actor=actor, person=person, work=Work.CASE)
    person = _locked(person)
    code = to_pdu_code.strip()
    to_pdu = Pdu.objects.filter(code=code).first()
    pending = Transfer.objects.filter(person=person, status=Transfer.Status.PENDING).select_related("to_pdu").first()
    problems = rules.request_problems(
        rules.RequestFacts(
            from_pdu=person.pdu.code,
            to_pdu=code,
            to_pdu_exists=to_pdu is not None,
            pending_to=pending.to_pdu.code if pending is not None else None,
            reason=reason,
        )
    )
    head = receiving_head(to_pdu) if to_pdu is not None and not problems else None
    if to_pdu is not None and not problems and head is None:
        problems.append(("to_pdu", f"{to_pdu.code} has no head of PDU to decide the transfer"))
    if problems:
        raise ValidationError(problems)
    assert to_pdu is not None
    assert head is not None
    now = clock.now()
    transfer = Transfer.objects.create(
        person=person,
        external_id=f"TR-{uuid.uuid4().hex[:12].upper()}",
        from_pdu=person.pdu,
        to_pdu=to_pdu,
        from_practitioner=person.practitioner,
        reason=reason.strip(),
        requested_at=now,
        requested_by=actor.code,
    )
    action_open(
        actor=actor,
        person=person,
        type=ActionType.TRANSFER_DECISION,
        key=_key(transfer),
        title=f"Transfer to {to_pdu.name} requested: accept (naming the practitioner) or reject",
        opens_at=now,
        due=working_days_after(now, rules.TRANSFER_DECISION_WORKING_DAYS),
        evidence_needed="The transfer accepted, naming the receiving practitioner, or rejected with a reason",
        detail={"transfer": transfer.external_id, "from_pdu": person.pdu.code, "to_pdu": to_pdu.code},
        holder=Holder(head, "head of the receiving PDU"),
    )
    audit_record(
        actor=actor,
        action="TRANSFER_REQUEST",
        crn=person.crn,
        details={"transfer": transfer.external_id, "from_pdu": person.pdu.code, "to_pdu": to_pdu.code, **cover},
    )
    return transfer


def _decider_check(actor: Actor, person: Person, transfer: Transfer, action: Action | None) -> None:
    """The receiving PDU's head, or whoever holds the decision (their line manager when the head may not see the
    case); never a head of another PDU."""
    staff = Staff.objects.filter(pk=actor.staff_id).select_related("team").first() if actor.staff_id else None
    receiving_head_ = (
        staff is not None
        and staff.grade == Grade.HEAD_OF_PDU
        and staff.team is not None
        and staff.team.pdu_id == transfer.to_pdu_id
    )
    holds = action is not None and staff is not None and action.owner_id == staff.pk
    if not (holds or receiving_head_):
        raise PermissionDeniedError(f"Only the head of {transfer.to_pdu.code} decides this transfer")
    if staff is not None and not staff_may_see(staff.pk, person):
        raise NotFoundError(person.crn)


def _close(action: Action | None, transfer: Transfer, actor: Actor, summary: str) -> None:
    if action is None or action.status != Action.Status.OPEN:
        return
    now = clock.now()
    action.status, action.closed_at, action.closed_by = Action.Status.DONE, now, actor.code
    action.evidence = {"kind": "transfer", "ref": transfer.external_id, "at": now.isoformat(), "summary": summary}
    action.save(update_fields=["status", "closed_at", "closed_by", "evidence", "updated_at"])
    ActionLog.objects.create(action=action, kind=ActionLog.Kind.DONE, at=now, by=actor.code, notes=summary)


def _move_actions(person: Person, actor: Actor) -> int:
    """Every open action to its holder under the new allocation (actions/rules/owners.py): the role it was given to
    (COM, POM, SPO), else the next eligible person up the chain. Nothing is closed. Returns how many moved."""
    directory = Directory.load([person])
    now = clock.now()
    moved = 0
    for action in Action.objects.filter(person=person, status=Action.Status.OPEN).select_related("owner"):
        role = OwnerRole(action.owner_role) if action.owner_role in OwnerRole.__members__ else OwnerRole.COM
        choice = directory.owner_choice(person, role)
        owner = directory.member_staff(choice)
        steps = [Step(link["step"]) for link in action.chain if link.get("step") in Step.__members__]
        if owner is not None and owner.pk != action.owner_id:
            ActionLog.objects.create(
                action=action,
                kind=ActionLog.Kind.REASSIGNED,
                at=now,
                by=actor.code,
                to=[owner.code],
                notes=f"From {action.owner.code if action.owner else 'nobody'}: the case was transferred",
            )
            moved += 1
        action.owner, action.owner_set_by_hand = owner, False
        action.chain = directory.chain(person, owner, steps)
        action.detail = {k: v for k, v in action.detail.items() if k not in ("owner_note", "no_eligible_owner")}
        action.detail |= {"owner_note": choice.note} if choice.note else {}
        action.detail |= {"no_eligible_owner": "yes"} if choice.no_eligible else {}
        action.save(update_fields=["owner", "owner_set_by_hand", "chain", "detail", "updated_at"])
    return moved


@transaction.atomic
def transfer_decide(
    *, actor: Actor, person: Person, accept: bool, practitioner_code: str | None = None, reason: str = ""
) -> Transfer:
    """Accept (naming the receiving practitioner) or reject (with a reason) the case's pending transfer."""
    if actor.role not in DECIDERS:
        raise PermissionDeniedError("Only the head of the receiving PDU decides a transfer")
    person = _locked(person)
    transfer = (
        Transfer.objects.filter(person=person, status=Transfer.Status.PENDING)
        .select_related("to_pdu", "from_pdu", "from_practitioner")
        .first()
    )
    if transfer is None:
        raise ValidationError([("crn", f"there is no transfer of {person.crn} waiting for a decision")])
    action = Action.objects.filter(person=person, key=_key(transfer)).first()
    _decider_check(actor, person, transfer, action)
    now = clock.now()
    if not accept:
        problems = rules.rejection_problems(reason)
        if problems:
            raise ValidationError(problems)
        transfer.status, transfer.decided_at, transfer.decided_by = Transfer.Status.REJECTED, now, actor.code
        transfer.decision_reason = reason.strip()
        transfer.save()
        _close(action, transfer, actor, f"Transfer to {transfer.to_pdu.name} rejected")
        _tell(person, transfer, action, [person.practitioner], f"Transfer of case {person.crn} rejected")
        audit_record(
            actor=actor,
            action="TRANSFER_REJECT",
            crn=person.crn,
            details={"transfer": transfer.external_id, "to_pdu": transfer.to_pdu.code},
        )
        return transfer
    code = (practitioner_code or "").strip()
    named = Staff.objects.filter(code=code).select_related("team__pdu").first() if code else None
    facts = (
        rules.PractitionerFacts(
            code=code,
            exists=named is not None,
            grade=named.grade if named else None,
            pdu=named.team.pdu.code if named and named.team else None,
            may_see=named is not None and staff_may_see(named.pk, person),
        )
        if code
        else None
    )
    problems = rules.acceptance_problems(transfer.to_pdu.code, facts)
    if problems:
        raise ValidationError(problems)
    assert named is not None
    sending = person.practitioner
    person.pdu, person.practitioner = transfer.to_pdu, named
    person.save(update_fields=["pdu", "practitioner", "updated_at"])
    person_version(person, known_from=now, recorded_at=now, by=actor.code).save()
    transfer.status, transfer.decided_at, transfer.decided_by = Transfer.Status.ACCEPTED, now, actor.code
    transfer.to_practitioner, transfer.decision_reason = named, reason.strip()
    _close(action, transfer, actor, f"Transfer to {transfer.to_pdu.name} accepted; held by {named.name}")
    moved = _move_actions(person, actor)
    composition = compose_transfer_summary(person, actor, transfer_id=transfer.external_id, reason=transfer.reason)
    document = composition_store(actor=actor, person=person, composition=composition, subject=transfer.external_id)
    transfer.summary_document = document.public_id
    transfer.save()
    pom_id = person.prison_offender_manager_id
    pom = Staff.objects.filter(pk=pom_id).first() if pom_id is not None else None
    _tell(person, transfer, action, [sending, named, pom], f"Case {person.crn} transferred to {transfer.to_pdu.code}")
    audit_record(
        actor=actor,
        action="TRANSFER_ACCEPT",
        crn=person.crn,
        details={
            "transfer": transfer.external_id,
            "from_pdu": transfer.from_pdu.code,
            "to_pdu": transfer.to_pdu.code,
            "to_practitioner": named.code,
            "actions_moved": moved,
            "document": str(document.public_id),
        },
    )
    return transfer


def _tell(person: Person, transfer: Transfer, action: Action | None, staff: list[Staff | None], subject: str) -> None:
    """Through the outbox, only to those who may see the case; no names or record text, only the CRN and a link."""
    directory = Directory.load([person])
    body = f"{subject}.\n\nSee the case's transfers: {absolute(f'/case/{person.crn}/transfers')}"
    notify(
        recipients=staff,
        kind=Notification.Kind.TRANSFER,
        action=action,
        subject=subject,
        body=body,
        at=clock.now(),
        may_see=directory.may_see,
        cases=[person],
    )


# --- reads -----------------------------------------------------------------------------------------------------------


def transfers_for_case(person: Person) -> list[Transfer]:
    """The case's transfers, newest first (the page that asks has audited the case read)."""
    return list(
        Transfer.objects.filter(person=person).select_related(
            "from_pdu", "to_pdu", "from_practitioner", "to_practitioner"
        )
    )


@dataclass(frozen=True)
class PendingTransfer:
    transfer: Transfer
    action: Action | None


def pending_transfers(*, viewer: Actor) -> list[PendingTransfer]:
    """Transfers waiting for this viewer's decision: to their PDU (a head) or held by them; only cases they may see.
    The listing is audited with the CRNs shown."""
    staff = Staff.objects.filter(pk=viewer.staff_id).select_related("team").first() if viewer.staff_id else None
    if staff is None:
        return []
    mine = Q(person__actions__key__startswith="transfer:", person__actions__owner=staff, person__actions__status="OPEN")
    if staff.grade == Grade.HEAD_OF_PDU and staff.team is not None:
        mine |= Q(to_pdu_id=staff.team.pdu_id)
    rows: QuerySet[Transfer] = (
        Transfer.objects.filter(mine, status=Transfer.Status.PENDING, person__in=person_visible_queryset(viewer=viewer))
        .select_related("person", "from_pdu", "to_pdu", "from_practitioner")
        .distinct()
        .order_by("requested_at", "id")
    )
    found = list(rows)
    actions = {
        a.key: a
        for a in Action.objects.filter(
            key__in=[_key(t) for t in found], person__in=[t.person_id for t in found]
        ).select_related("owner")
    }
    audit_record(actor=viewer, action="TRANSFERS_VIEW", details={"crns": [t.person.crn for t in found]})
    return [PendingTransfer(t, actions.get(_key(t))) for t in found]
