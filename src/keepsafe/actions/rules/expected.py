"""Every action a case's facts call for at an instant: the one function the reconciler applies."""

from __future__ import annotations

from keepsafe.actions.rules.allocation import allocation_actions  # issue 15 §2 (helper "alloc")
from keepsafe.actions.rules.checks import check_actions
from keepsafe.actions.rules.contact_levels import contact_level_actions
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.handover import handover_actions
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.premises import ap_referral_actions  # issue 16 §5 (helper "ap")
from keepsafe.actions.rules.presentence import pre_sentence_actions
from keepsafe.actions.rules.recall import recall_actions, recall_consideration_actions
from keepsafe.actions.rules.release import release_plan_actions
from keepsafe.actions.rules.remand import remand_handover_actions  # issue 16 §6 (helper "transfer")
from keepsafe.actions.rules.reviews import (
    countersign_actions,
    registration_review_actions,
    risk_review_actions,
    termination_actions,
)
from keepsafe.actions.rules.supervision import enforcement_actions, first_appointment_actions, requirement_actions
from keepsafe.actions.rules.touchpoints import touchpoint_actions  # issue 15 ("overs")
from keepsafe.actions.rules.types import Expected

RULES = (
    recall_consideration_actions,
    recall_actions,
    check_actions,
    handover_actions,
    release_plan_actions,
    first_appointment_actions,
    enforcement_actions,
    requirement_actions,
    risk_review_actions,
    registration_review_actions,
    termination_actions,
    countersign_actions,
    contact_level_actions,  # issue 14
    touchpoint_actions,  # issue 15 ("overs"): management oversight touch points
    remand_handover_actions,  # issue 16 §6 (helper "transfer")
    pre_sentence_actions,  # issue 16 §1
    ap_referral_actions,  # issue 16 §5 (helper "ap")
    allocation_actions,  # issue 15 §2 (helper "alloc")
)


def expected_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out = [expected for rule in RULES for expected in rule(facts, policy)]
    keys = [e.key for e in out]
    if len(keys) != len(set(keys)):
        raise AssertionError(f"two rules produced the same action key for {facts.crn}")
    return out
