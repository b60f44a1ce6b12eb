"""The recall workflow: consider → SPO rationale → Part A → SPO and ACO countersign → PPCS → revocation → custody.

Source: make-recall-decision (hmpps.md §3). Each step re-evaluates the case's actions, so RECALL_DECISION and
RECALL_EXECUTION appear, remind and close as the steps are recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from keepsafe.actions.models import Recall
from keepsafe.actions.rules.recall import (
    Decision,
    Progress,
    Reason,
    decision_problems,
    licence_problem,
    part_a_digest,
    part_a_problems,
    signature_problem,
)
from keepsafe.actions.selectors import licence_facts
from keepsafe.actions.services.manage import may_act, refresh
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.people.models import Event, Person
from keepsafe.people.rules.case_work import Work

PRACTITIONERS = frozenset({Role.PRACTITIONER, Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})
DECIDERS = frozenset({Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER})
LICENCE_SENTENCES = ("DETERMINATE_CUSTODY", "EXTENDED", "INDETERMINATE")


def progress(recall: Recall) -> Progress:
    return Progress(
        decision=recall.decision,
        part_a_complete=recall.part_a_completed_at is not None,
        spo_signed=recall.spo_signed_at is not None,
        aco_signed=recall.aco_signed_at is not None,
        sent=recall.sent_to_ppcs_at is not None,
        revoked=recall.revoked_at is not None,
        executed=recall.executed_at is not None,
        cancelled=recall.cancelled_at is not None,
    )


def _require(actor: Actor, roles: frozenset[Role], what: str) -> None:
    if actor.role not in roles:
        raise PermissionDeniedError(what)


def _done(actor: Actor, recall: Recall, step: str, cover: dict[str, str], **details: Any) -> Recall:
    audit_record(
        actor=actor,
        action=f"RECALL_{step}",
        crn=recall.person.crn,
        details={"recall": recall.external_id, **details, **cover},
    )
    refresh(recall.person_id)
    return recall


def _open(recall: Recall) -> None:
    if recall.cancelled_at is not None or recall.executed_at is not None:
        raise ValidationError([("recall", "this recall is closed")])


@transaction.atomic
def recall_consider(*, actor: Actor, person: Person, event: Event, reasons: list[str], concerns: str) -> Recall:
    """The practitioner records that recall is being considered: risk increased, contact stopped, or both."""
    _require(actor, PRACTITIONERS, "Only probation staff may start a recall consideration")
    cover = may_act(actor, person)
    problems = []
    if event.person_id != person.pk:
        problems.append(("event", "the sentence is not on this case"))
    else:
        events, recalls = licence_facts(person)
        facts = next(ef for e, ef in events if e.pk == event.pk)
        if (problem := licence_problem(facts, recalls, clock.today())) is not None:
            problems.append(("event", f"recall is possible only while on licence: {problem}"))
    if not reasons or any(r not in Reason.__members__ for r in reasons):
        problems.append(("reasons", "choose risk increased, contact stopped, or both"))
    if not concerns.strip():
        problems.append(("concerns", "describe what has happened and why recall is being considered"))
    if Recall.objects.filter(person=person, decided_at__isnull=True, cancelled_at__isnull=True).exists():
        problems.append(("recall", "a recall consideration is already waiting for an SPO decision"))
    if problems:
        raise ValidationError(problems)
    number = Recall.objects.filter(person=person).count() + 1
    while Recall.objects.filter(person=person, external_id=f"RECALL-{number}").exists():
        number += 1
    recall = Recall.objects.create(
        person=person,
        event=event,
        external_id=f"RECALL-{number}",
        considered_at=clock.now(),
        considered_by=actor.code,
        reasons=sorted(set(reasons)),
        concerns=concerns.strip(),
    )
    return _done(actor, recall, "CONSIDER", cover)


@transaction.atomic
def recall_decide(
    *, actor: Actor, recall: Recall, decision: str, recall_type: str | None, emergency: bool | None, rationale: str
) -> Recall:
    """The SPO's rationale: recall (standard or fixed-term; emergency or not) or no recall."""
    _require(actor, DECIDERS, "Only an SPO or above records the recall decision")
    cover = may_act(actor, recall.person)
    _open(recall)
    if recall.decided_at is not None:
        raise ValidationError([("decision", "the decision is already recorded")])
    sentence = recall.event.sentence_type if recall.event else ""
    if recall_type == "FIXED_TERM" and emergency is None:
        emergency = False
    problems = decision_problems(sentence, decision, recall_type, emergency)
    if not rationale.strip():
        problems.append(("rationale", "record the reasons for the decision"))
    if problems:
        raise ValidationError(problems)
    recall.decision = decision
    recall.recall_type = recall_type if decision == Decision.RECALL else None
    recall.emergency = emergency if decision == Decision.RECALL else None
    recall.rationale = rationale.strip()
    recall.decided_at, recall.decided_by = clock.now(), actor.code
    recall.save()
    return _done(actor, recall, "DECIDE", cover, decision=decision, emergency=recall.emergency)


@transaction.atomic
def recall_letter(*, actor: Actor, recall: Recall, expectations: str, next_appointment: str) -> Recall:
    """A decision not to recall produces a letter with the rationale and the expectations set (DNTR letter)."""
    _require(actor, PRACTITIONERS, "Only probation staff may write the letter")
    cover = may_act(actor, recall.person)
    if recall.decision != Decision.NO_RECALL:
        raise ValidationError([("recall", "a letter follows a decision not to recall")])
    problems = []
    if not expectations.strip():
        problems.append(("expectations", "set out what is expected from now on"))
    if not next_appointment.strip():
        problems.append(("next_appointment", "give the next appointment: how, when and where"))
    if problems:
        raise ValidationError(problems)
    text = (
        f"Dear {recall.person.forename} {recall.person.surname},\n\n"
        f"Your probation practitioner considered asking for your recall to prison because: {recall.concerns}\n\n"
        f"After review, a senior probation officer decided not to recall you at this time. The reasons are: "
        f"{recall.rationale}\n\nWhat is expected of you from now on: {expectations.strip()}\n\n"
        f"Your next appointment: {next_appointment.strip()}\n\n"
        "If you do not keep to your licence conditions, recall will be considered again."
    )
    recall.letter = {
        "expectations": expectations.strip(),
        "next_appointment": next_appointment.strip(),
        "text": text,
        "written_at": clock.now().isoformat(),
        "written_by": actor.code,
    }
    recall.save(update_fields=["letter"])
    return _done(actor, recall, "LETTER", cover)


@transaction.atomic
def recall_part_a_save(
    *, actor: Actor, recall: Recall, part_a: dict[str, str], draft: bool = False
) -> list[tuple[str, str]]:
    """Save Part A; it is complete when every section, including the arrest section, is filled. Sections not given
    keep what was saved. Saving it as complete with a section missing is refused and writes nothing; a draft may be
    incomplete, but never takes a section out of a Part A that is already complete. Returns what is still missing."""
    _require(actor, PRACTITIONERS, "Only probation staff complete Part A")
    cover = may_act(actor, recall.person)
    _open(recall)
    if recall.decision != Decision.RECALL:
        raise ValidationError([("recall", "Part A follows a decision to recall")])
    if recall.spo_signed_at is not None:
        raise ValidationError([("part_a", "Part A is countersigned and can no longer change")])
    unknown = [p for p in part_a_problems(part_a) if p[1] == "not a Part A section"]
    if unknown:
        raise ValidationError(unknown)
    merged = {**recall.part_a, **{k: v.strip() for k, v in part_a.items()}}
    problems = part_a_problems(merged)
    if problems and not draft:
        raise ValidationError(problems)
    if problems and recall.part_a_completed_at is not None:
        raise ValidationError(
            [("part_a", "Part A is complete: a draft cannot take sections out of it; fill every section"), *problems]
        )
    recall.part_a = merged
    recall.part_a_completed_at = None if problems else clock.now()
    if actor.code not in recall.part_a_by:
        recall.part_a_by = [*recall.part_a_by, actor.code]
    recall.save(update_fields=["part_a", "part_a_completed_at", "part_a_by"])
    _done(actor, recall, "PART_A", cover, complete=not problems)
    return problems


@transaction.atomic
def recall_countersign(*, actor: Actor, recall: Recall, level: str, part_a_seen: str | None = None) -> Recall:
    """The SPO countersigns Part A, then the ACO: two more people, neither of whom raised or decided the recall or
    wrote any of Part A (actions/rules/recall.signature_problem). The ACO countersigns only the Part A they were
    shown in full: `part_a_seen` is the fingerprint (part_a_digest) of the Part A on their page (issue 14 §5)."""
    _open(recall)
    if level not in ("SPO", "ACO"):
        raise ValidationError([("level", "countersign as SPO or ACO")])
    if level == "SPO":
        _require(actor, DECIDERS, "Only an SPO or above countersigns Part A")
    else:
        _require(actor, frozenset({Role.REGIONAL_LEADER}), "Only an ACO countersigns as senior manager")
    cover = may_act(actor, recall.person)
    if recall.part_a_completed_at is None:
        raise ValidationError([("part_a", "complete every section of Part A first")])
    if level == "SPO" and recall.spo_signed_at is not None:
        raise ValidationError([("level", "the SPO has already countersigned")])
    if level == "ACO" and recall.spo_signed_at is None:
        raise ValidationError([("level", "the SPO countersigns first")])
    if level == "ACO" and recall.aco_signed_at is not None:
        raise ValidationError([("level", "the ACO has already countersigned")])
    problem = signature_problem(
        level=level,
        signer=actor.code,
        considered_by=recall.considered_by,
        decided_by=recall.decided_by,
        part_a_by=recall.part_a_by,
        spo_signed_by=recall.spo_signed_by,
    )
    if problem is not None:
        raise PermissionDeniedError(problem)
    digest = part_a_digest(recall.part_a)
    if level == "ACO" and part_a_seen != digest:
        reason = (
            "Part A has changed since it was shown to you: read it again in full before countersigning"
            if part_a_seen
            else "read Part A in full before countersigning: it is shown above the countersign button"
        )
        raise ValidationError([("part_a", reason)])
    if level == "SPO":
        recall.spo_signed_at, recall.spo_signed_by = clock.now(), actor.code
    else:
        recall.aco_signed_at, recall.aco_signed_by = clock.now(), actor.code
    recall.save()
    return _done(actor, recall, f"COUNTERSIGN_{level}", cover, part_a_sha256=digest)


@transaction.atomic
def recall_send(*, actor: Actor, recall: Recall) -> Recall:
    """The sending step only: pages and commands send through cases.referrals.part_a_send, which logs the
    disclosure to PPCS in the same transaction (issue 16 §3)."""
    _require(actor, PRACTITIONERS, "Only probation staff send Part A")
    cover = may_act(actor, recall.person)
    _open(recall)
    if recall.aco_signed_at is None:
        raise ValidationError(
            [("recall", "Part A goes to the public protection casework section once the ACO has countersigned")]
        )
    if recall.sent_to_ppcs_at is not None:
        raise ValidationError([("recall", "already sent")])
    recall.sent_to_ppcs_at, recall.sent_to_ppcs_by = clock.now(), actor.code
    recall.save()
    return _done(actor, recall, "SENT", cover)


def _instant(value: datetime, recall: Recall, field: str) -> list[tuple[str, str]]:
    if value > clock.now():
        return [(field, "cannot be in the future")]
    if recall.decided_at is not None and value < recall.decided_at:
        return [(field, "cannot be before the decision to recall")]
    return []


@transaction.atomic
def recall_revoked(*, actor: Actor, recall: Recall, at: datetime) -> Recall:
    _require(actor, PRACTITIONERS, "Only probation staff record the revocation")
    cover = may_act(actor, recall.person)
    _open(recall)
    if recall.decision != Decision.RECALL:
        raise ValidationError([("recall", "only a decision to recall leads to revocation")])
    if recall.revoked_at is not None:
        raise ValidationError(
            [
                (
                    "revoked_at",
                    f"the revocation is already recorded ({recall.revoked_at:%-d %B %Y %H:%M}); it is not changed",
                )
            ]
        )
    if problems := _instant(at, recall, "revoked_at"):
        raise ValidationError(problems)
    recall.revoked_at = at
    recall.save()
    return _done(actor, recall, "REVOKED", cover)


@transaction.atomic
def recall_executed(*, actor: Actor, recall: Recall, at: datetime, notes: str) -> Recall:
    """The person is back in custody: this, and only this (or an ACO cancelling), ends RECALL_EXECUTION."""
    _require(actor, PRACTITIONERS | {Role.POM}, "Only probation or prison staff record a return to custody")
    cover = may_act(actor, recall.person, Work.CUSTODY)
    _open(recall)
    if recall.decision != Decision.RECALL:
        raise ValidationError([("recall", "there is no decision to recall")])
    problems = _instant(at, recall, "executed_at")
    if not notes.strip():
        problems.append(("notes", "say how this is known (police, prison, PPCS)"))
    if problems:
        raise ValidationError(problems)
    recall.executed_at, recall.executed_notes = at, notes.strip()
    recall.save()
    return _done(actor, recall, "EXECUTED", cover)
