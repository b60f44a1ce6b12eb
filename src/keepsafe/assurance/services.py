"""Assurance writes: drawing a sample of cases for audit, completing an audit, selecting recall decisions for a second
review and recording the review. Each write is one transaction with its audit event."""

from __future__ import annotations

import secrets
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db import transaction

from keepsafe.actions.models import Recall
from keepsafe.actions.rules.calendar import working_days_after
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.services.opened import action_open
from keepsafe.assurance.models import AuditSample, CaseAudit, RecallReview
from keepsafe.assurance.rules import inspection, recall_sampling, sampling
from keepsafe.assurance.rules.scope import AUDITORS, SAMPLERS, Place, Scope
from keepsafe.assurance.selectors import (
    POLICY,
    audit_get,
    check_scope,
    may_look,
    recall_reviews,
    scope_people,
    stratum_of,
)
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.people.models import Person
from keepsafe.people.selectors import person_visible_queryset
from keepsafe.records.models import Record
from keepsafe.workforce.models import Team

MAX_SEED = 2**62
REVIEW_WORKING_DAYS = 2  # Keepsafe default: the case holder reconsiders a disputed decision within 2 working days


def _require(actor: Actor, roles: frozenset[str], what: str) -> None:
    if not (actor.is_system or actor.role.value in roles):
        raise PermissionDeniedError(f"your role may not {what}")


@transaction.atomic
def sample_draw(*, actor: Actor, scope: Scope, code: str, size: int, seed: int | None = None) -> AuditSample:
    """Draw `size` allocated cases from the unit, stratified by tier, RoSH and practitioner grade, and open an audit
    for each. Only cases the actor may see are candidates. The seed (given, or drawn at random) is recorded with every
    candidate and its stratum, so the draw can be repeated and checked."""
    _require(actor, SAMPLERS, "draw samples of cases for audit")
    check_scope(actor, scope, code)
    if seed is not None and not 0 <= seed < MAX_SEED:
        raise ValidationError([("seed", f"the seed must be a whole number from 0 to {MAX_SEED - 1}")])
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    people = list(
        scope_people(actor, scope, code)
        .filter(practitioner__isnull=False)
        .select_related("practitioner__team", "pdu")
        .order_by("pk")
    )
    strata = stratum_of(people)
    candidates = [sampling.Candidate(p.pk, strata[p.pk]) for p in people]
    try:
        chosen = sampling.draw(candidates, size, seed)
    except sampling.SampleError as exc:
        raise ValidationError([("size", str(exc))]) from exc
    now = clock.now()
    sample = AuditSample.objects.create(
        drawn_at=now,
        drawn_by=actor.code,
        scope=scope.value,
        scope_code=code,
        size=size,
        seed=seed,
        strata=["tier", "rosh", "grade"],
        population=[[c.case, list(c.stratum)] for c in candidates],
    )
    by_id = {p.pk: p for p in people}
    CaseAudit.objects.bulk_create(
        CaseAudit(
            sample=sample,
            person=by_id[pk],
            team=_team(by_id[pk]),
            pdu=by_id[pk].pdu,
            stratum=list(strata[pk]),
        )
        for pk in chosen
    )
    audit_record(
        actor=actor,
        action="AUDIT_SAMPLE_DRAW",
        details={
            "sample": sample.pk,
            "scope": scope.value,
            "code": code,
            "size": size,
            "seed": seed,
            "crns": sorted(by_id[pk].crn for pk in chosen),
        },
    )
    return sample


def _team(person: Person) -> Team | None:
    """The case's team: its practitioner's."""
    practitioner = person.practitioner
    return practitioner.team if practitioner is not None else None


@transaction.atomic
def audit_complete(*, actor: Actor, audit_id: int, answers: dict[str, dict[str, Any]]) -> CaseAudit:
    """Record an audit's answers: every key question yes/no with evidence, or nothing is saved."""
    _require(actor, AUDITORS, "audit cases")
    audit = audit_get(actor, audit_id)
    if audit.status == CaseAudit.Status.COMPLETE:
        raise ValidationError([("audit", f"this audit was completed by {audit.auditor}")])
    if audit.person.practitioner_id is not None and audit.person.practitioner_id == actor.staff_id:
        raise ValidationError([("audit", "you hold this case: someone else must audit it")])
    problems = inspection.answers_problems(answers)
    if problems:
        raise ValidationError(problems)
    audit.answers = {
        k: {"sufficient": bool(v["sufficient"]), "evidence": " ".join(str(v["evidence"]).split())}
        for k, v in answers.items()
    }
    audit.status = CaseAudit.Status.COMPLETE
    audit.auditor = actor.code
    audit.completed_at = clock.now()
    audit.save(update_fields=["answers", "status", "auditor", "completed_at"])
    audit_record(
        actor=actor,
        action="CASE_AUDIT_COMPLETE",
        crn=audit.person.crn,
        details={"audit": audit.pk, "sufficient": {k: v["sufficient"] for k, v in audit.answers.items()}},
    )
    return audit


@transaction.atomic
def recall_sampling_select(
    *, actor: Actor, share: Fraction, seed: int, as_of: datetime | None = None
) -> list[RecallReview]:
    """Send to a second reviewer every decision the rules select (assurance/rules/recall_sampling.py) that is not
    already waiting or reviewed, among the cases the actor may see and look after."""
    _require(actor, SAMPLERS, "select recall decisions for review")
    if not 0 <= share <= 1:
        raise ValidationError([("share", "the share of no-recall decisions must be between 0% and 100%")])
    if not 0 <= seed < MAX_SEED:
        raise ValidationError([("seed", f"the seed must be a whole number from 0 to {MAX_SEED - 1}")])
    as_of = as_of or clock.now()
    visible = person_visible_queryset(viewer=actor).values("pk")
    recalls = list(
        Recall.objects.filter(
            person__in=visible, decided_at__isnull=False, decided_at__lte=as_of, review__isnull=True
        ).select_related("person__pdu__region", "person__practitioner__team")
    )
    charges: dict[int, list[datetime]] = {}
    for person_id, received in Record.objects.filter(
        person_id__in={r.person_id for r in recalls}, kind__in=recall_sampling.CHARGE_KINDS
    ).values_list("person_id", "received_at"):
        charges.setdefault(person_id, []).append(received)
    facts = []
    for r in recalls:
        team = r.person.practitioner.team if r.person.practitioner and r.person.practitioner.team else None
        if not may_look(actor, Place(team.code if team else "", r.person.pdu.code, r.person.pdu.region.code)):
            continue
        facts.append(
            recall_sampling.DecisionFacts(
                recall=r.pk,
                case=r.person_id,
                decision=r.decision,
                decided_at=r.decided_at,
                emergency=r.emergency,
                executed_at=r.executed_at,
                cancelled=r.cancelled_at is not None,
                charges_received=tuple(charges.get(r.person_id, ())),
            )
        )
    chosen = recall_sampling.select(
        facts,
        seed=seed,
        share=share,
        as_of=as_of,
        emergency_hours=POLICY.recall_emergency_due_hours,
        standard_hours=POLICY.recall_standard_due_hours,
    )
    now = clock.now()
    reviews = RecallReview.objects.bulk_create(
        RecallReview(recall_id=d.recall, reasons=[w.value for w in why], selected_at=now, seed=seed, share=str(share))
        for d, why in chosen
    )
    audit_record(
        actor=actor,
        action="RECALL_SAMPLING_SELECT",
        details={"share": str(share), "seed": seed, "selected": len(reviews), "considered": len(facts)},
    )
    return reviews


@transaction.atomic
def recall_review_record(*, actor: Actor, review_id: int, agrees: bool | None, notes: str) -> RecallReview:
    """The second reviewer's finding, with reasons. Disagreeing opens a RECALL_DECISION_REVIEW action on the case for
    its holder to reconsider, escalating to their line manager when overdue."""
    _require(actor, AUDITORS, "review recall decisions")
    review = next((r for r in recall_reviews(actor) if r.pk == review_id), None)
    if review is None:
        raise NotFoundError("no such review")
    recall = review.recall
    problems = []
    if review.reviewed_at is not None:
        problems.append(("review", f"this decision was already reviewed by {review.reviewer}"))
    if actor.code in (recall.decided_by, recall.considered_by):
        problems.append(("review", "a second reviewer must not be who considered or decided the recall"))
    if agrees is None:
        problems.append(("agrees", "say whether you agree with the decision"))
    text = " ".join(notes.split())
    if not text:
        problems.append(("notes", "give your reasons"))
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    review.reviewed_at, review.reviewer, review.agrees, review.notes = now, actor.code, agrees, text
    if agrees is False:
        decided = "not to recall" if recall.decision == "NO_RECALL" else "to recall"
        review.action = action_open(
            actor=actor,
            person=recall.person,
            type=ActionType.RECALL_DECISION_REVIEW,
            key=f"recall:{recall.pk}:second-review",
            title=f"A second reviewer disagreed with the decision {decided}: reconsider it",
            opens_at=now,
            due=working_days_after(now, REVIEW_WORKING_DAYS),
            evidence_needed="The decision reconsidered with the SPO (a new recall consideration, or a recorded "
            "contact saying why the decision stands)",
            event=recall.event,
            detail={"recall": str(recall.pk), "review": str(review.pk)},
        )
    review.save(update_fields=["reviewed_at", "reviewer", "agrees", "notes", "action"])
    audit_record(
        actor=actor,
        action="RECALL_REVIEW_RECORD",
        crn=recall.person.crn,
        details={"review": review.pk, "recall": recall.pk, "agrees": agrees},
    )
    return review
