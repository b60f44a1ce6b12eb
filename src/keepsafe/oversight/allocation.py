"""Allocating a case to a community practitioner, with Keepsafe's guardrails (issue 15 §2; docs/workforce.md
"Allocation"). The rules are pure (oversight/rules/allocation.py); this module reads the facts they need and writes the
decision: the case's practitioner (versioned), the decision evidence and SPO oversight contacts, open actions' owners,
the head of PDU's countersign of an override, the new practitioner's handover, the emails and the audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.calendar import local_date, working_days_after
from keepsafe.actions.rules.types import LABELS, ActionType, OwnerRole, Step
from keepsafe.actions.services.chain import Directory
from keepsafe.actions.services.notify import absolute, notify
from keepsafe.actions.services.opened import Holder, action_open
from keepsafe.actions.services.reconcile import reconcile_case
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.core.formats import iso_instant
from keepsafe.oversight.models import AllocationDecision
from keepsafe.oversight.rules import workload as w
from keepsafe.oversight.rules.allocation import (
    ALLOCATING_ROLES,
    AllocationReason,
    Candidate,
    CaseProfile,
    Verdict,
    allocation_verdict,
    allocator_problem,
    candidate_pdu_problem,
    reason_problem,
)
from keepsafe.oversight.workload import potential_capacity_many
from keepsafe.people.models import CaseAccess, Person
from keepsafe.people.rules.vocabulary import ContactType
from keepsafe.people.selectors import case_write_check, person_get
from keepsafe.people.services import person_version
from keepsafe.records.services import contact_add
from keepsafe.risk.selectors import active_registrations, current_level
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade, is_newly_qualified

HANDOVER_WORKING_DAYS = 5  # Keepsafe's default: the new practitioner has read in and seen the case within a week
COUNTERSIGN_WORKING_DAYS = 2  # the head of PDU countersigns an override within two working days
MAX_TEXT = 4000  # notes, reasons and plans: the audit evidence limit (no silent cut: longer is refused)


@dataclass(frozen=True)
class CapacityChange:
    before: Decimal | None
    after: Decimal | None
    not_measured_because: str | None = None  # no available points: why (the workload measurement's reason)


def _capacity_change(staff_id: int, person_id: int, as_of: datetime) -> CapacityChange | None:
    """The practitioner's capacity % before and after taking the case (oversight.workload.potential_capacity, the
    workload measurement tool's "X% → Y%"); None for an unknown member of staff or case."""
    return capacity_changes([staff_id], person_id, as_of).get(staff_id)


def capacity_changes(staff_ids: list[int], person_id: int, as_of: datetime) -> dict[int, CapacityChange]:
    """_capacity_change for every candidate at once, in a fixed number of queries (oversight.workload.
    potential_capacity_many); unknown staff (or an unknown case: all) are left out."""
    try:
        changes = potential_capacity_many(staff_ids, person_id, as_of=as_of)
    except Person.DoesNotExist:
        return {}
    return {
        sid: CapacityChange(
            before=change.now,
            after=change.then,
            not_measured_because=(change.not_measured_because or "their capacity cannot be measured")
            if change.then is None
            else None,
        )
        for sid, change in changes.items()
    }


class AllocationRefusedError(Exception):
    """A guardrail refused the allocation; nothing was changed. `verdict.one_line()` says why."""

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        super().__init__(verdict.one_line())


@dataclass(frozen=True)
class Allocated:
    decision: AllocationDecision
    countersign: Action | None
    handover: Action | None
    moved_actions: int
    notified: int


def allocator_check(actor: Actor, person: Person) -> None:
    """Refuse (PermissionDeniedError, with the reason) anyone who may not allocate this case: an SPO or head of PDU
    allocates their own PDU's cases, whichever team holds or will hold them (oversight/rules/allocation.py)."""
    if actor.role not in ALLOCATING_ROLES or actor.staff_id is None:
        problem = allocator_problem(actor.role, None, person.pdu_id)
    else:
        pdu = Staff.objects.filter(pk=actor.staff_id).values_list("team__pdu_id", flat=True).first()
        problem = allocator_problem(actor.role, pdu, person.pdu_id)
    if problem:
        raise PermissionDeniedError(problem)


def _allocator_cover(actor: Actor) -> set[int]:
    """The allocating SPO (checked by allocator_check) acts as named cover for the allocation's own writes: the case's
    management chain is the holder's team's, which an SPO of another team of the PDU is not in (the try-out's 403)."""
    return {actor.staff_id} if actor.staff_id is not None else set()


def case_profile(person: Person) -> CaseProfile:
    """What about the case decides who may hold it (risk selectors; the access lists)."""
    registrations = active_registrations(person)
    level = current_level(person)
    access = list(CaseAccess.objects.filter(person=person).values_list("kind", "staff_id"))
    return CaseProfile(
        rosh=level.value if level is not None else None,
        mappa_levels=frozenset(r.level for r in registrations if r.type.code == "MAPP" and r.level),
        registrations=frozenset(r.type.code for r in registrations),
        restricted_to=frozenset(s for k, s in access if k == CaseAccess.Kind.RESTRICTION),
        excluded=frozenset(s for k, s in access if k == CaseAccess.Kind.EXCLUSION),
    )


def candidate(staff: Staff, today: date) -> Candidate:
    grade = Grade(staff.grade)
    return Candidate(staff.pk, grade, is_newly_qualified(grade, staff.qualified_on, today))


TEXT_LABELS = {
    "notes": "Notes",
    "oversight_note": "The oversight note",
    "override_reason": "The override reason",
    "oversight_plan": "The enhanced-oversight plan",
    "capacity_reason": "The reason for going above full capacity",
}


def _text(problems: list[tuple[str, str]], field: str, value: str) -> str:
    """A recorded text; over MAX_TEXT refused naming the field and both lengths (the try-out: unnamed)."""
    value = value.strip()
    if len(value) > MAX_TEXT:
        label = TEXT_LABELS[field]
        they = "they have" if label == "Notes" else "it has"
        problems.append((field, f"{label} must be {MAX_TEXT:,} characters or fewer ({they} {len(value):,})"))
    return value


@dataclass(frozen=True)
class Request:
    """What the SPO asked for, checked: the case, the practitioner, the reason and the recorded texts."""

    person: Person
    staff: Staff
    reason: AllocationReason
    notes: str
    oversight_note: str
    override_reason: str
    oversight_plan: str
    capacity_reason: str


def _request(
    *,
    actor: Actor,
    crn: str,
    to: str,
    reason: str,
    notes: str,
    oversight_note: str,
    override_reason: str,
    oversight_plan: str,
    capacity_reason: str,
) -> Request:
    person = person_get(crn=crn, viewer=actor, action="ALLOCATION_VIEW")
    allocator_check(actor, person)
    problems: list[tuple[str, str]] = []
    staff = Staff.objects.select_related("team").filter(code__iexact=to.strip()).first()
    if staff is None:
        problems.append(("to", f"no member of staff with code {to.strip()!r}"))
    elif staff.pk == person.practitioner_id:
        problems.append(("to", f"{staff.code} already holds {person.crn}"))
    elif where := candidate_pdu_problem(
        staff.team.pdu_id if staff.team else None, person.pdu_id, staff.code, person.pdu.code
    ):
        problems.append(("to", where))
    try:
        chosen_reason = AllocationReason(reason.strip().upper())
    except ValueError:
        problems.append(("reason", f"unknown reason {reason!r}; one of {', '.join(r.value for r in AllocationReason)}"))
    else:
        problem = reason_problem(chosen_reason, person.practitioner_id is not None)
        if problem:
            problems.append(("reason", problem))
    texts = {
        name: _text(problems, name, value)
        for name, value in (
            ("notes", notes),
            ("oversight_note", oversight_note),
            ("override_reason", override_reason),
            ("oversight_plan", oversight_plan),
            ("capacity_reason", capacity_reason),
        )
    }
    if problems:
        raise ValidationError(problems)
    assert staff is not None
    case_write_check(actor=actor, person=person, cover=_allocator_cover(actor))
    return Request(person, staff, chosen_reason, **texts)


def allocation_check(
    *,
    actor: Actor,
    crn: str,
    to: str,
    reason: str,
    notes: str = "",
    oversight_note: str = "",
    override_reason: str = "",
    oversight_plan: str = "",
    capacity_reason: str = "",
    at: datetime | None = None,
) -> tuple[Request, Verdict, CapacityChange | None]:
    """Check an allocation without making it: bad input raises ValidationError; the verdict says whether it may go."""
    request = _request(
        actor=actor,
        crn=crn,
        to=to,
        reason=reason,
        notes=notes,
        oversight_note=oversight_note,
        override_reason=override_reason,
        oversight_plan=oversight_plan,
        capacity_reason=capacity_reason,
    )
    instant = at or clock.now()
    capacity = _capacity_change(request.staff.pk, request.person.pk, instant)
    verdict = allocation_verdict(
        case_profile(request.person),
        candidate(request.staff, local_date(instant)),
        capacity_after=capacity.after if capacity else None,
        capacity_not_measured=capacity.not_measured_because if capacity else None,
        override_reason=request.override_reason,
        oversight_plan=request.oversight_plan,
        capacity_reason=request.capacity_reason,
    )
    if request.override_reason and not verdict.override_used and verdict.allowed:
        raise ValidationError(
            [("override_reason", "no guardrail stops this allocation: an override is recorded only when one does")]
        )
    if request.oversight_plan and not verdict.plan_used and verdict.allowed and not verdict.override_used:
        raise ValidationError(
            [("oversight_plan", "an enhanced-oversight plan is for a complex case held by a newly qualified officer")]
        )
    return request, verdict, capacity


def allocate(
    *,
    actor: Actor,
    crn: str,
    to: str,
    reason: str,
    notes: str = "",
    oversight_note: str = "",
    override_reason: str = "",
    oversight_plan: str = "",
    capacity_reason: str = "",
    at: datetime | None = None,
) -> Allocated:
    """Allocate or reallocate a case. Raises ValidationError (bad input), PermissionDeniedError, NotFoundError, or
    AllocationRefusedError (a guardrail refused: nothing changes, the refusal is audited)."""
    instant = at or clock.now()
    request, verdict, capacity = allocation_check(
        actor=actor,
        crn=crn,
        to=to,
        reason=reason,
        notes=notes,
        oversight_note=oversight_note,
        override_reason=override_reason,
        oversight_plan=oversight_plan,
        capacity_reason=capacity_reason,
        at=instant,
    )
    if not verdict.allowed:
        audit_record(
            actor=actor,
            action="ALLOCATION_REFUSED",
            crn=request.person.crn,
            details={"to": request.staff.code, "refusals": [p.refusal.value for p in verdict.problems]},
        )
        raise AllocationRefusedError(verdict)
    return _write(actor, request, verdict, capacity, instant)


def _contact_text(request: Request, verdict: Verdict, previous: Staff | None, capacity: CapacityChange | None) -> str:
    lines = [
        "Case allocation decision evidence",
        f"Allocated to {request.staff.code} ({Grade(request.staff.grade).value})"
        + (f", from {previous.code}" if previous else ""),
        f"Reason: {request.reason.label}",
    ]
    if verdict.complexity:
        lines.append(f"Complex case: {', '.join(verdict.complexity)}")
    if request.notes:
        lines.append(f"Justification: {request.notes}")
    if verdict.plan_used:
        lines.append(f"Enhanced-oversight plan (newly qualified officer): {request.oversight_plan}")
    if verdict.override_used:
        lines.append(f"Guardrail override (head of PDU countersigns): {request.override_reason}")
    if capacity is not None and capacity.after is not None:
        lines.append(f"Capacity: {w.format_percent(capacity.before)} → {w.format_percent(capacity.after)}")
    if request.capacity_reason:
        lines.append(f"Above full capacity because: {request.capacity_reason}")
    return "\n".join(lines)


@transaction.atomic
def _write(
    actor: Actor, request: Request, verdict: Verdict, capacity: CapacityChange | None, instant: datetime
) -> Allocated:
    person = Person.objects.select_for_update().get(pk=request.person.pk)
    if person.practitioner_id != request.person.practitioner_id:
        raise ValidationError([("to", f"{person.crn} was allocated by someone else meanwhile: look again")])
    previous = person.practitioner
    decision = AllocationDecision.objects.create(
        person=person,
        previous=previous,
        staff=request.staff,
        reason=request.reason.value,
        starts_on=local_date(instant),
        decided_at=instant,
        decided_by=actor.code,
        notes=request.notes,
        oversight_note=request.oversight_note,
        override_reason=request.override_reason if verdict.override_used else "",
        oversight_plan=request.oversight_plan if verdict.plan_used else "",
        capacity_reason=request.capacity_reason,
        capacity_before=capacity.before if capacity else None,
        capacity_after=capacity.after if capacity else None,
        complexity=list(verdict.complexity),
    )
    # The versioned path (people.services.person_version): as-of reads show who held the case when.
    person.practitioner = request.staff
    person.save(update_fields=["practitioner", "updated_at"])
    person_version(person, known_from=instant, recorded_at=instant, by=actor.code).save()
    moved = _move_open_actions(person, previous, request.staff, instant, actor)
    contact_add(
        actor=actor,
        person=person,
        external_id=f"ALLOC-{decision.pk}-CADE",
        type="OTHER",
        at=instant,
        staff_id=actor.staff_id,
        notes=_contact_text(request, verdict, previous, capacity),
        cover=_allocator_cover(actor),
    )
    oversight = "SPO oversight\n" + (request.oversight_note or f"Allocation to {request.staff.code} overseen.")
    contact_add(
        actor=actor,
        person=person,
        external_id=f"ALLOC-{decision.pk}-SPO",
        # An oversight note the SPO wrote is an SPO oversight contact (it closes the after-allocation touch point);
        # the default line recording who allocated is not oversight of the work.
        type=ContactType.SPO_OVERSIGHT.value if request.oversight_note else "OTHER",
        at=instant,
        staff_id=actor.staff_id,
        notes=oversight,
        cover=_allocator_cover(actor),
    )
    superseded = _close_superseded_countersigns(person, decision, instant, actor)
    countersign = _open_countersign(actor, person, decision, instant) if verdict.override_used else None
    handover = None
    if previous is not None:
        handover = action_open(
            actor=actor,
            person=person,
            type=ActionType.REALLOCATION_HANDOVER,
            key=f"reallocation-handover:{decision.pk}",
            title=f"{LABELS[ActionType.REALLOCATION_HANDOVER]} from {previous.code}",
            opens_at=instant,
            due=working_days_after(instant, HANDOVER_WORKING_DAYS),
            evidence_needed="A handover contact with the previous practitioner and a first contact with the person",
            detail={"allocation": str(decision.pk), "from": previous.code},
        )
    notified = _tell(person, previous, request.staff, handover, decision, instant)
    reconcile_case(person, instant)  # the ALLOCATION action closes now, with the allocation's instant
    audit_record(
        actor=actor,
        action="ALLOCATE",
        crn=person.crn,
        details={
            "decision": decision.pk,
            "from": previous.code if previous else None,
            "to": request.staff.code,
            "reason": request.reason.value,
            "override": verdict.override_used,
            "oversight_plan": verdict.plan_used,
            "moved_actions": moved,
            "superseded_countersigns": superseded,
        },
    )
    return Allocated(decision, countersign, handover, moved, notified)


def _move_open_actions(person: Person, previous: Staff | None, new: Staff, instant: datetime, actor: Actor) -> int:
    """Open actions the practitioner owns (or that fell to someone else because nobody held the case) move to the
    new practitioner; nothing is closed. An owner set by hand stays unless it was the previous practitioner."""
    directory = Directory.load([person])
    moved = 0
    for action in Action.objects.filter(person=person, status=Action.Status.OPEN).select_for_update():
        was_holder = previous is not None and action.owner_id == previous.pk
        com_work = action.owner_role == OwnerRole.COM.value and not action.owner_set_by_hand
        if not (was_holder or com_work) or action.owner_id == new.pk:
            continue
        steps = [Step(link["step"]) for link in action.chain if link.get("step") in Step.__members__]
        before = action.owner.code if action.owner else None
        action.owner = new
        action.chain = directory.chain(person, new, steps)
        action.save(update_fields=["owner", "chain", "updated_at"])
        ActionLog.objects.create(
            action=action,
            kind=ActionLog.Kind.REASSIGNED,
            at=instant,
            by=actor.code,
            to=[new.code],
            notes=f"Case allocated to {new.code}" + (f" (was {before})" if before else ""),
        )
        moved += 1
    return moved


def _close_superseded_countersigns(
    person: Person, decision: AllocationDecision, instant: datetime, actor: Actor
) -> int:
    """An override's countersign is done by a reallocation away from the practitioner it was for (its evidence names
    that): closed with the allocation's contact as evidence, so the head of PDU is not asked about a past holder."""
    stale = [
        action
        for action in Action.objects.select_for_update().filter(
            person=person, type=ActionType.ALLOCATION_COUNTERSIGN.value, status=Action.Status.OPEN
        )
        if action.detail.get("staff") != decision.staff.code
    ]
    summary = f"Reallocated to {decision.staff.name}: the override no longer applies"
    for action in stale:
        action.status, action.closed_at, action.closed_by = Action.Status.DONE, instant, actor.code
        action.evidence = {
            "kind": "contact",
            "ref": f"ALLOC-{decision.pk}-CADE",
            "at": iso_instant(instant),
            "summary": summary,
        }
        action.save(update_fields=["status", "closed_at", "closed_by", "evidence"])
        ActionLog.objects.create(action=action, kind=ActionLog.Kind.DONE, at=instant, by=actor.code, notes=summary)
    return len(stale)


def _open_countersign(actor: Actor, person: Person, decision: AllocationDecision, instant: datetime) -> Action:
    """The head of PDU countersigns an SPO's override (issue 15 §2): a person-opened action they own."""
    directory = Directory.load([person])
    spo = directory.staff.get(actor.staff_id) if actor.staff_id else None
    head = directory.member_staff(directory.step_choice(person, spo or decision.staff, Step.HEAD_OF_PDU))
    if head is None:
        raise ValidationError([("override_reason", "no head of PDU who may see this case can countersign it")])
    return action_open(
        actor=actor,
        person=person,
        type=ActionType.ALLOCATION_COUNTERSIGN,
        key=f"allocation-countersign:{decision.pk}",
        title=f"{LABELS[ActionType.ALLOCATION_COUNTERSIGN]}: {decision.staff.name} holds a case with "
        + ", ".join(decision.complexity),
        opens_at=instant,
        due=working_days_after(instant, COUNTERSIGN_WORKING_DAYS),
        evidence_needed=f"The head of PDU's countersignature of the override (the SPO's reason: "
        f"{decision.override_reason.strip()}), or a reallocation",
        detail={"allocation": str(decision.pk), "override_by": actor.code, "staff": decision.staff.code},
        holder=Holder(head, "head of PDU (countersign)", strict=True),
    )


def _tell(
    person: Person,
    previous: Staff | None,
    new: Staff,
    handover: Action | None,
    decision: AllocationDecision,
    instant: datetime,
) -> int:
    """The previous practitioner, the new one and the POM are told (only those who may see the case). No names or
    notes in email: the CRN, who holds it now, the reason and a link (the service's privacy notice)."""
    directory = Directory.load([person])
    pom = directory.staff.get(person.prison_offender_manager_id) if person.prison_offender_manager_id else None
    lead = "Case reallocated" if previous else "Case allocated"
    subject = f"{lead}: {person.crn}"
    body = (
        f"{lead}.\n\nCase: {person.crn}\nNow held by: {new.code}\n"
        + (f"Previously held by: {previous.code}\n" if previous else "")
        + f"Reason: {AllocationReason(decision.reason).label}\n\n"
        + f"Open it in Keepsafe: {absolute(f'/case/{person.crn}')}\n"
    )
    return notify(
        recipients=[previous, new, pom],
        kind=Notification.Kind.REMINDER,
        action=handover,
        subject=subject,
        body=body,
        at=instant,
        cases=[person],
        may_see=directory.may_see,
    )
