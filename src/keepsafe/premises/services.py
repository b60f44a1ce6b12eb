"""Writes for approved premises referrals (issue 16 §5): record a referral, the premises' decision, and arrival.

Each write is one transaction with its audit event, made only by someone who may work the case
(people.selectors.case_write_check), and tells the actions app the case changed so AP_REFERRAL re-evaluates. A
referral sent through Keepsafe carries the current risk summary and its disclosure is logged (cases/ap_referrals.py
sends it through cases.referrals.referral_make, then records it here with `disclosure`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.core.signals import announce_case_changed
from keepsafe.people.models import Person
from keepsafe.people.selectors import case_write_check
from keepsafe.premises.models import ApReferral
from keepsafe.premises.rules.referral import (
    REASON_MAX,
    Decision,
    arrival_problems,
    decision_problems,
    referral_problems,
)
from keepsafe.premises.selectors import referral_facts
from keepsafe.sharing.models import Disclosure

ID_MAX = 64


def referral_input_problems(
    *, person: Person, premises: str, referred_at: datetime, requested_arrival: date, reason: str, external_id: str
) -> list[tuple[str, str]]:
    """Everything wrong with a new referral, before anything is sent or stored."""
    problems = referral_problems(
        premises=premises,
        referred_on=timezone.localdate(referred_at),
        requested_arrival=requested_arrival,
        today=clock.today(),
    )
    if len(reason.strip()) > REASON_MAX:
        problems.append(
            ("reason", f"the reason must be {REASON_MAX:,} characters or fewer (it has {len(reason.strip()):,})")
        )
    if len(external_id) > ID_MAX:
        problems.append(("id", f"the referral id must be {ID_MAX} characters or fewer"))
    elif external_id and ApReferral.objects.filter(person=person, external_id=external_id).exists():
        problems.append(("id", f"{person.crn} already has an approved premises referral {external_id!r}"))
    return problems


@transaction.atomic
def ap_referral_record(
    *,
    actor: Actor,
    person: Person,
    premises: str,
    requested_arrival: date,
    emergency: bool,
    reason: str = "",
    partner_code: str = "",
    referred_at: datetime | None = None,
    disclosure: Disclosure | None = None,
    external_id: str = "",
) -> ApReferral:
    """A referral to approved premises (emergency: out of hours, the decision due within hours)."""
    cover = case_write_check(actor=actor, person=person)
    at = referred_at or clock.now()
    ident = external_id.strip() or f"APR-{uuid.uuid4().hex[:10].upper()}"
    problems = referral_input_problems(
        person=person,
        premises=premises,
        referred_at=at,
        requested_arrival=requested_arrival,
        reason=reason,
        external_id=ident,
    )
    if disclosure is not None and disclosure.person_id != person.pk:
        problems.append(("disclosure", f"disclosure {disclosure.external_id} is not for {person.crn}"))
    if problems:
        raise ValidationError(problems)
    referral = ApReferral.objects.create(
        person=person,
        external_id=ident,
        premises=premises.strip(),
        partner_code=partner_code.strip(),
        referred_at=at,
        referred_by=actor.code,
        requested_arrival=requested_arrival,
        emergency=emergency,
        reason=reason.strip(),
        disclosure=disclosure,
    )
    audit_record(
        actor=actor,
        action="AP_REFERRAL_RECORD",
        crn=person.crn,
        details={"referral": ident, "emergency": emergency, **cover},
    )
    announce_case_changed([person.pk], "approved premises referral")
    return referral


def _locked(referral: ApReferral) -> ApReferral:
    return ApReferral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def ap_decision_record(
    *,
    actor: Actor,
    referral: ApReferral,
    decision: str,
    place_date: date | None = None,
    reason: str = "",
    decided_at: datetime | None = None,
) -> ApReferral:
    """The premises' decision: accepted with the date a place is available from, or refused with its reason."""
    cover = case_write_check(actor=actor, person=referral.person)
    current = _locked(referral)
    now = clock.now()
    at = decided_at or now
    problems = decision_problems(
        referral=referral_facts(current, now),
        decision=decision,
        decided_at=at,
        place_date=place_date,
        reason=reason,
        now=now,
    )
    if problems:
        raise ValidationError(problems)
    current.decision = Decision(decision).value
    current.decided_at = at
    current.decided_by = actor.code
    current.place_date = place_date if decision == Decision.ACCEPTED else None
    current.decision_reason = reason.strip()
    current.save(update_fields=["decision", "decided_at", "decided_by", "place_date", "decision_reason"])
    audit_record(
        actor=actor,
        action="AP_DECISION_RECORD",
        crn=referral.person.crn,
        details={"referral": current.external_id, "decision": current.decision, **cover},
    )
    announce_case_changed([referral.person_id], "approved premises decision")
    return current


@transaction.atomic
def ap_arrival_record(*, actor: Actor, referral: ApReferral, arrival: str, on: date) -> ApReferral:
    """Arrival at the premises, or non-arrival (which loses the place: the licence needs one again)."""
    cover = case_write_check(actor=actor, person=referral.person)
    current = _locked(referral)
    now = clock.now()
    problems = arrival_problems(referral=referral_facts(current, now), arrival=arrival, on=on, today=clock.today())
    if problems:
        raise ValidationError(problems)
    current.arrival = arrival
    current.arrival_on = on
    current.arrival_recorded_at = now
    current.arrival_by = actor.code
    current.save(update_fields=["arrival", "arrival_on", "arrival_recorded_at", "arrival_by"])
    audit_record(
        actor=actor,
        action="AP_ARRIVAL_RECORD",
        crn=referral.person.crn,
        details={"referral": current.external_id, "arrival": arrival, **cover},
    )
    announce_case_changed([referral.person_id], "approved premises arrival")
    return current
