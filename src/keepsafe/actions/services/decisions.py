"""Recording the facts that satisfy actions: enforcement decisions, release plan items, what was done with a check's
answer, and a requirement's start. Each re-evaluates the case's actions at once."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction

from keepsafe.actions.models import EnforcementDecisionRecord, ReleasePlanConfirmation
from keepsafe.actions.rules.calendar import local_date
from keepsafe.actions.rules.checks import JUSTIFIED_FLAGS, ActedOn, acted_on_problems
from keepsafe.actions.rules.facts import ContactFacts
from keepsafe.actions.rules.recall import licence_problem
from keepsafe.actions.rules.release import ITEM_LABELS, Item, licence_conditions_problem
from keepsafe.actions.rules.supervision import EnforcementDecision, decision_allowed, earlier_absences, failure_words
from keepsafe.actions.selectors import absences_before, assessments_known, licence_facts
from keepsafe.actions.services.manage import may_act, refresh
from keepsafe.actions.services.recall import recall_consider
from keepsafe.actions.services.reconcile import policy
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.dates import day_words
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Contact, Event, Person, Registration, RegistrationHistory, Requirement
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.vocabulary import ENFORCEABLE_OUTCOMES
from keepsafe.people.services import registration_add, requirements_versions_write
from keepsafe.sharing.models import CheckRequest


def _may_work(actor: Actor, person: Person, work: Work = Work.CASE) -> dict[str, str]:
    """The role and the case: only staff who work this case (people/rules/case_work.py) may record on it."""
    return may_act(actor, person, work)


@transaction.atomic
def enforcement_record(*, actor: Actor, contact: Contact, decision: str, notes: str) -> EnforcementDecisionRecord:
    """A decision after a failure to attend or to comply. A further failure within 12 months cannot get a warning."""
    cover = _may_work(actor, contact.person)
    if contact.outcome not in ENFORCEABLE_OUTCOMES:
        raise ValidationError([("contact", "enforcement decisions follow a failure to attend or to comply")])
    if hasattr(contact, "enforcement_decision"):
        raise ValidationError(
            [("contact", f"a decision is already recorded for this {failure_words(contact.outcome or '')}")]
        )
    now = clock.now()
    days = policy().enforcement_second_absence_days
    this = ContactFacts(contact.external_id, contact.type, contact.at, contact.outcome)
    earlier = earlier_absences(this, absences_before(contact, days), days)
    problems = []
    if (problem := decision_allowed(decision, len(earlier), contact.outcome or "")) is not None:
        problems.append(("decision", problem))
    if not notes.strip():
        problems.append(("notes", "record the reasons for the decision"))
    if problems:
        raise ValidationError(problems)
    record = EnforcementDecisionRecord.objects.create(
        person=contact.person, contact=contact, decision=decision, at=now, by=actor.code, notes=notes.strip()
    )
    audit_record(
        actor=actor,
        action="ENFORCEMENT_DECISION",
        crn=contact.person.crn,
        details={"contact": contact.external_id, "decision": decision, **cover},
    )
    if decision == EnforcementDecision.RECALL_CONSIDERATION:
        events, recalls = licence_facts(contact.person)
        licence = next((e for e, ef in events if licence_problem(ef, recalls, clock.today()) is None), None)
        if licence is not None:
            failure = failure_words(contact.outcome or "").capitalize()
            recall_consider(
                actor=actor,
                person=contact.person,
                event=licence,
                reasons=["CONTACT_STOPPED"],
                concerns=f"{failure} on {contact.at:%-d %B %Y}: {notes.strip()}",
            )
    refresh(contact.person_id)
    return record


@transaction.atomic
def release_plan_confirm(*, actor: Actor, event: Event, item: str, notes: str) -> ReleasePlanConfirmation:
    cover = _may_work(actor, event.person, Work.CUSTODY)
    problems = []
    if item not in Item.__members__:
        problems.append(("item", "choose one of: " + ", ".join(ITEM_LABELS[i] for i in Item)))
    elif ReleasePlanConfirmation.objects.filter(event=event, item=item).exists():
        problems.append(("item", "already confirmed"))
    now = clock.now()
    if item == Item.LICENCE_CONDITIONS:
        if (problem := licence_conditions_problem(assessments_known(event.person, now), now)) is not None:
            problems.append(("item", problem))
    if not notes.strip():
        problems.append(("notes", "say what was confirmed and with whom"))
    if problems:
        raise ValidationError(problems)
    confirmation = ReleasePlanConfirmation.objects.create(
        person=event.person, event=event, item=item, at=now, by=actor.code, notes=notes.strip()
    )
    audit_record(
        actor=actor,
        action="RELEASE_PLAN_CONFIRM",
        crn=event.person.crn,
        details={"event": event.external_id, "item": item, **cover},
    )
    refresh(event.person_id)
    return confirmation


@transaction.atomic
def check_acted_on(*, actor: Actor, check: CheckRequest, outcome: str, notes: str) -> CheckRequest:
    """What the practitioner decided on a partner's answer: until this is recorded the check is not done. "Acted on"
    is a recorded decision (issue 12 §8): a flag added or reviewed, the plan updated (both must exist since the
    answer arrived), a referral, or a reason of substance."""
    cover = _may_work(actor, check.person)
    problems = []
    if check.response_record_id is None:
        problems.append(("check", "the partner has not answered yet"))
    if check.acted_on_at is not None:
        problems.append(("check", "what was done with this answer is already recorded"))
    answered = check.answered_at
    flag_since = plan_since = False
    if answered is not None:
        # A flag added (its start, the date it took effect) or reviewed since the answer arrived. Not the history's
        # ADDED stamp: an import writes that at import time, not when the flag was added.
        flag_since = (
            Registration.objects.filter(person_id=check.person_id, start__gte=local_date(answered)).exists()
            or RegistrationHistory.objects.filter(
                registration__person_id=check.person_id,
                action=RegistrationHistory.Action.REVIEWED,
                at__gte=answered,
            ).exists()
        )
        plan_since = any(a.completed_at >= answered for a in assessments_known(check.person, clock.now()))
    problems += acted_on_problems(outcome, notes, flag_since, plan_since)
    if problems:
        raise ValidationError(problems)
    check.acted_on_at, check.acted_on_by, check.acted_on_notes = clock.now(), actor.code, notes.strip()
    check.acted_on_outcome = outcome
    check.save(update_fields=["acted_on_at", "acted_on_by", "acted_on_notes", "acted_on_outcome"])
    audit_record(
        actor=actor,
        action="CHECK_ACTED_ON",
        crn=check.person.crn,
        details={"check": str(check.public_id), "outcome": outcome, **cover},
    )
    refresh(check.person_id)
    return check


@transaction.atomic
def requirement_started(*, actor: Actor, requirement: Requirement, start: date) -> Requirement:
    cover = _may_work(actor, requirement.event.person)
    problems = []
    if requirement.start is not None:
        problems.append(("start", f"already started on {day_words(requirement.start)}"))
    if start < requirement.event.sentence_date:
        problems.append(
            ("start", f"{day_words(start)} is before the sentence date, {day_words(requirement.event.sentence_date)}")
        )
    if start > clock.today():
        problems.append(("start", "a start date cannot be in the future"))
    if problems:
        raise ValidationError(problems)
    requirement.start = start
    requirement.save(update_fields=["start"])
    requirements_versions_write([requirement], by=actor.code)
    audit_record(
        actor=actor,
        action="REQUIREMENT_START",
        crn=requirement.event.person.crn,
        details={"requirement": requirement.external_id, **cover},
    )
    refresh(requirement.event.person_id)
    return requirement


# --- issue 14 §2 (helper "flags"): a check's answer adds the flag it justifies, in one step ------------------------


@transaction.atomic
def check_answer_flag_add(
    *,
    actor: Actor,
    check: CheckRequest,
    type_code: str,
    start: date,
    notes: str,
    end: date | None = None,
) -> Registration:
    """Add the flag a partner's answer justifies and record that the answer was acted on by it, together: either both
    are written or neither. Only the flags the check's kind can justify (actions/rules/checks.py JUSTIFIED_FLAGS)."""
    problems: list[tuple[str, str]] = []
    allowed = JUSTIFIED_FLAGS.get(check.kind, ())
    if type_code not in allowed:
        problems.append(
            ("type", f"a {check.kind.lower().replace('_', ' ')} check's answer justifies {', '.join(allowed)}")
        )
    if check.answered_at is None:
        problems.append(("check", "the partner has not answered yet"))
    elif start < local_date(check.answered_at):
        problems.append(
            (
                "start",
                f"a flag added because of the answer starts on or after {day_words(local_date(check.answered_at))}",
            )
        )
    if check.acted_on_at is not None:
        problems.append(("check", "what was done with this answer is already recorded"))
    if not notes.strip():
        problems.append(("notes", "Say what the answer showed and why the flag is needed"))
    if problems:
        raise ValidationError(problems)
    registration = registration_add(
        actor=actor,
        person=check.person,
        external_id=f"KS-{uuid.uuid4().hex[:12].upper()}",
        type_code=type_code,
        start=start,
        end=end,
        notes=notes,
    )
    check_acted_on(actor=actor, check=check, outcome=ActedOn.FLAG.value, notes=notes)
    return registration
