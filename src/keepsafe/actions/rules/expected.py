"""Every action a case's facts call for at an instant: the one function the reconciler applies."""

from __future__ import annotations

from dataclasses import dataclass, replace

from keepsafe.actions.rules.allocation import allocation_actions  # issue 15 §2 (helper "alloc")
from keepsafe.actions.rules.checks import check_actions
from keepsafe.actions.rules.contact_levels import contact_level_actions
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.handover import handover_actions
from keepsafe.actions.rules.openkeys import Reading, WatchedKeys
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
    return _checked([expected for rule in RULES for expected in rule(facts, policy)], facts)


@dataclass(frozen=True, slots=True)
class ByRule:
    """`expected_actions` rule by rule, with what each rule read of the open keys (rules/openkeys.py)."""

    facts: CaseFacts
    answers: tuple[tuple[Expected, ...], ...]
    readings: tuple[Reading, ...]

    @property
    def expected(self) -> list[Expected]:
        return _checked([e for answer in self.answers for e in answer], self.facts)


def expected_by_rule(facts: CaseFacts, policy: Policy) -> ByRule:
    """What `expected_actions(facts, policy)` gives (`.expected`), each rule's answer kept with what it read of the
    open keys, so that `expected_again` can apply again only the rules a change of open keys could answer otherwise."""
    watched = WatchedKeys(facts.open_keys)
    seen = replace(facts, open_keys=watched)
    answers, readings = [], []
    for rule in RULES:
        watched.watch()
        answers.append(tuple(rule(seen, policy)))
        readings.append(watched.read())
    return ByRule(facts, tuple(answers), tuple(readings))


def expected_again(before: ByRule, after: CaseFacts, policy: Policy) -> list[Expected]:
    """`expected_actions(after, policy)` when `after` is `before.facts` with other open keys and nothing else changed:
    a rule that read none of the keys that opened or closed gives the same answer (the rules are pure), the others
    are applied again."""
    changed = frozenset(before.facts.open_keys) ^ frozenset(after.open_keys)
    out = [
        e
        for rule, answer, reading in zip(RULES, before.answers, before.readings, strict=True)
        for e in (rule(after, policy) if reading.affected_by(changed) else answer)
    ]
    return _checked(out, after)


def _checked(out: list[Expected], facts: CaseFacts) -> list[Expected]:
    keys = [e.key for e in out]
    if len(keys) != len(set(keys)):
        raise AssertionError(f"two rules produced the same action key for {facts.crn}")
    return out
