"""Issue 20 §1 (helper "sweep3"): after a reconcile opens or closes actions, the next visit instant needs what the rules
expect with the new open keys. Only the rules that read one of the keys that changed are applied again
(rules/openkeys.py); the answer must be exactly what applying every rule again gives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.rules import expected as expected_module
from keepsafe.actions.rules.expected import expected_actions, expected_again, expected_by_rule
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.openkeys import WatchedKeys, keys_starting
from keepsafe.actions.rules.policy import DEFAULT_POLICY, Policy
from keepsafe.actions.rules.types import Expected
from keepsafe.actions.tests.test_invariants import case_facts

# Keys of the kinds the rules list by prefix, besides those they produce for the facts drawn.
OTHER_KEYS = (
    "contact-level:2026-01-05:1/7",
    "home-visit:2026-01-05:1/28",
    "registration:1:2026-01-01",
    "oversight:x",
    "risk-review:1",
    "unknown-kind:1",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_facts(), st.data())
def test_applying_again_only_the_rules_that_read_a_changed_key_gives_what_every_rule_gives(facts, data):
    by_rule = expected_by_rule(facts, DEFAULT_POLICY)
    assert by_rule.expected == expected_actions(facts, DEFAULT_POLICY)
    candidates = sorted({*facts.open_keys, *(e.key for e in by_rule.expected), *OTHER_KEYS})
    toggled = data.draw(st.sets(st.sampled_from(candidates)))
    after = replace(facts, open_keys=frozenset(facts.open_keys) ^ toggled)
    assert expected_again(by_rule, after, DEFAULT_POLICY) == expected_actions(after, DEFAULT_POLICY)


def _rule(name: str, calls: list[str], reads: Callable[[CaseFacts], object]) -> Callable[[CaseFacts, Policy], list]:
    def rule(facts: CaseFacts, policy: Policy) -> list[Expected]:
        calls.append(name)
        reads(facts)
        return []

    return rule


def test_only_the_rules_that_read_a_changed_key_or_its_prefix_or_the_whole_set_are_applied_again(monkeypatch):
    calls: list[str] = []
    rules = (
        _rule("tests a", calls, lambda f: "a" in f.open_keys),
        _rule("tests b", calls, lambda f: "b" in f.open_keys),
        _rule("lists x:", calls, lambda f: keys_starting(f.open_keys, "x:")),
        _rule("lists y:", calls, lambda f: keys_starting(f.open_keys, "y:")),
        _rule("counts", calls, lambda f: len(f.open_keys)),
        _rule("iterates", calls, lambda f: sorted(f.open_keys)),
        _rule("copies", calls, lambda f: set(f.open_keys)),
        _rule("reads nothing", calls, lambda f: None),
    )
    monkeypatch.setattr(expected_module, "RULES", rules)
    facts = CaseFacts(crn="X000001", as_of=datetime(2026, 11, 23, 9, tzinfo=UTC), com_allocated=True)
    by_rule = expected_by_rule(replace(facts, open_keys=frozenset({"a", "x:1"})), DEFAULT_POLICY)
    assert len(calls) == len(rules)
    calls.clear()
    expected_again(by_rule, replace(facts, open_keys=frozenset({"a", "x:1", "x:2"})), DEFAULT_POLICY)
    assert calls == ["lists x:", "counts", "iterates", "copies"]
    calls.clear()
    expected_again(by_rule, replace(facts, open_keys=frozenset({"x:1"})), DEFAULT_POLICY)
    assert calls == ["tests a", "counts", "iterates", "copies"]
    calls.clear()
    expected_again(by_rule, replace(facts, open_keys=frozenset({"a", "x:1"})), DEFAULT_POLICY)
    assert calls == ["counts", "iterates", "copies"]  # nothing changed, but a whole-set reading is never trusted


def test_watched_keys_answer_as_the_set_they_hold():
    keys = WatchedKeys(frozenset({"a", "x:1", "x:2"}))
    assert "a" in keys
    assert "b" not in keys
    assert keys == frozenset({"a", "x:1", "x:2"})
    assert len(keys) == 3
    assert sorted(keys_starting(keys, "x:")) == ["x:1", "x:2"] == sorted(keys_starting(frozenset(keys), "x:"))
    assert keys & {"a", "z"} == {"a"}
    assert set(keys) == {"a", "x:1", "x:2"}
    keys.watch()
    assert "q" not in keys
    reading = keys.read()
    assert (reading.asked, reading.prefixes, reading.whole) == (frozenset({"q"}), frozenset(), False)
    assert reading.affected_by({"q"})
    assert not reading.affected_by({"a"})


@pytest.mark.parametrize("use", [len, iter, hash, lambda k: k | {"z"}, lambda k: k == frozenset()])
def test_any_reading_but_a_test_or_a_listing_by_prefix_counts_as_reading_every_key(use):
    keys = WatchedKeys(frozenset({"a"}))
    use(keys)
    assert keys.read().whole
