"""Send an approved premises referral (issue 16 §5): the referral carries the current risk summary to the premises'
partner organisation and its disclosure is logged (cases.referrals.referral_make, refused while a risk review is open
or the summary is stale, 001 concern 5), then the referral is recorded with that disclosure
(premises.services.ap_referral_record) so the premises' decision and arrival can follow it."""

from __future__ import annotations

from datetime import date

from keepsafe.cases.referrals import referral_make
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.premises.models import ApReferral
from keepsafe.premises.services import ap_referral_record, referral_input_problems
from keepsafe.sharing.rules.disclosures import ReferralService


def ap_referral_send(
    *,
    actor: Actor,
    person: Person,
    partner_code: str,
    premises: str,
    requested_arrival: date,
    emergency: bool,
    reason: str,
) -> ApReferral:
    """Check the referral's own fields first (nothing is sent when they are wrong), then send and record it."""
    now = clock.now()
    problems = referral_input_problems(
        person=person,
        premises=premises,
        referred_at=now,
        requested_arrival=requested_arrival,
        reason=reason,
        external_id="",
    )
    if not reason.strip():
        problems.append(("reason", "say why approved premises are needed (the premises read this with the summary)"))
    if problems:
        raise ValidationError(problems)
    why = f"{'Emergency (out of hours) ' if emergency else ''}approved premises referral to {premises.strip()}: "
    disclosure = referral_make(
        actor=actor,
        person=person,
        partner_code=partner_code,
        service=ReferralService.APPROVED_PREMISES.value,
        reason=why + reason.strip(),
    )
    return ap_referral_record(
        actor=actor,
        person=person,
        premises=premises,
        partner_code=partner_code,
        requested_arrival=requested_arrival,
        emergency=emergency,
        reason=reason,
        referred_at=disclosure.made_at,
        disclosure=disclosure,
    )
