"""Allocation guardrails (issue 15 §2): exhaustive over grades, RoSH levels, MAPPA levels and flags, plus properties."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.rules.checks import JUSTIFIED_FLAGS
from keepsafe.oversight.rules.allocation import (
    OVERRIDABLE,
    AllocationReason,
    Candidate,
    CaseProfile,
    Refusal,
    allocation_verdict,
    complexity,
    reason_problem,
)
from keepsafe.people.rules.vocabulary import DOMESTIC_ABUSE_REGISTRATIONS, MAPPA_LEVELS
from keepsafe.risk.rules.rosh import Level
from keepsafe.workforce.rules.grades import Grade

ROSH = (None, *(level.value for level in Level))
FLAG_SETS = (
    frozenset(),
    frozenset({"RSTO"}),
    frozenset({"AV2S", "RMDO"}),
    *(frozenset({code}) for code in sorted(DOMESTIC_ABUSE_REGISTRATIONS)),
    *(frozenset({code}) for code in JUSTIFIED_FLAGS["SAFEGUARDING"]),
)
MAPPA = (frozenset(), *(frozenset({level}) for level in MAPPA_LEVELS), frozenset({"M1", "M3"}))
ME = 7


def case(rosh=None, mappa=frozenset(), regs=frozenset(), restricted=frozenset(), excluded=frozenset()) -> CaseProfile:
    return CaseProfile(rosh, mappa, regs, restricted, excluded)


def verdict(profile, grade, nqo=False, *, after=None, override="", plan="", capacity_reason=""):
    return allocation_verdict(
        profile,
        Candidate(ME, grade, nqo),
        capacity_after=after,
        override_reason=override,
        oversight_plan=plan,
        capacity_reason=capacity_reason,
    )


def is_complex(rosh, mappa, regs) -> bool:
    """The issue's words, read independently of the rule: high/very high RoSH, MAPPA 2/3, an active DA or child
    safeguarding flag (registration-types.csv: RCPR, RCCO, RCHD)."""
    return (
        rosh in ("HIGH", "VERY_HIGH")
        or bool(mappa & {"M2", "M3"})
        or bool(regs & {"ADVP", "REG30"})
        or bool(regs & {"RCPR", "RCCO", "RCHD"})
    )


ALL = list(
    itertools.product(
        ROSH, MAPPA, FLAG_SETS, list(Grade), (False, True), ("", "  ", "SPO knows them"), ("", "Weekly SPO review")
    )
)


def test_guardrails_exhaustive():
    """Every combination (about 30,000) in one loop: a parametrised test each would take minutes."""
    for combination in ALL:
        _check_one(*combination)


def _check_one(rosh, mappa, regs, grade, nqo, override, plan):
    v = verdict(case(rosh, mappa, regs), grade, nqo, override=override, plan=plan)
    refusals = {p.refusal for p in v.problems}
    complex_case = is_complex(rosh, mappa, regs)
    assert bool(v.complexity) is complex_case
    has_override = bool(override.strip())
    if grade not in (Grade.PSO, Grade.PQIP, Grade.PO):
        assert refusals == {Refusal.NOT_A_PRACTITIONER}
        assert not v.override_used
        return
    nqo_po = grade is Grade.PO and nqo
    if not complex_case or (grade is Grade.PO and not nqo):
        assert v.allowed
        assert not v.override_used
        assert not v.plan_used
    elif grade in (Grade.PSO, Grade.PQIP):
        # never to a PSO or PQiP — unless an SPO records an override reason (then countersigned)
        assert v.allowed is has_override
        assert v.override_used is has_override
        if not has_override:
            assert refusals == {Refusal.GRADE}
    elif nqo_po:
        if plan:
            assert v.allowed
            assert v.plan_used
            assert not v.override_used
        else:
            assert v.allowed is has_override
            assert v.override_used is has_override
            if not has_override:
                assert refusals == {Refusal.NQO_WITHOUT_PLAN}


@pytest.mark.parametrize("grade", list(Grade))
@pytest.mark.parametrize("listed", [True, False])
def test_exclusion_and_restriction_are_never_overridden(grade, listed):
    excluded = verdict(
        case("VERY_HIGH", excluded=frozenset({ME})), grade, override="urgent", plan="p", capacity_reason="r"
    )
    assert Refusal.EXCLUDED in {p.refusal for p in excluded.problems}
    assert not excluded.override_used
    restricted = verdict(case(restricted=frozenset({ME} if listed else {ME + 1})), grade, override="urgent")
    assert (Refusal.NOT_ON_RESTRICTION in {p.refusal for p in restricted.problems}) is (not listed)


@given(
    after=st.none() | st.decimals(min_value=0, max_value=400, places=1, allow_nan=False),
    reason=st.sampled_from(["", " ", "Only officer trained in ISP"]),
    grade=st.sampled_from([Grade.PSO, Grade.PQIP, Grade.PO]),
    override=st.sampled_from(["", "SPO knows them"]),
)
def test_above_full_capacity_needs_a_reason(after, reason, grade, override):
    v = verdict(case("LOW"), grade, after=after, override=override, capacity_reason=reason)
    over = after is not None and after > Decimal(100)
    assert (Refusal.OVER_CAPACITY in {p.refusal for p in v.problems}) is (over and not reason.strip())
    assert not v.override_used  # a simple case needs no override: none is recorded


def test_exactly_full_capacity_needs_no_reason():
    assert verdict(case(), Grade.PO, after=Decimal("100.0")).allowed
    assert not verdict(case(), Grade.PO, after=Decimal("100.1")).allowed


@given(
    rosh=st.sampled_from(ROSH),
    mappa=st.sampled_from(MAPPA),
    regs=st.sampled_from(FLAG_SETS),
    grade=st.sampled_from(list(Grade)),
    nqo=st.booleans(),
    excluded=st.booleans(),
    after=st.none() | st.decimals(min_value=0, max_value=300, places=1, allow_nan=False),
    override=st.sampled_from(["", "reason"]),
)
def test_override_is_recorded_only_with_the_allocation_it_made_possible(
    rosh, mappa, regs, grade, nqo, excluded, after, override
):
    v = verdict(
        case(rosh, mappa, regs, excluded=frozenset({ME}) if excluded else frozenset()),
        grade,
        nqo,
        after=after,
        override=override,
    )
    if v.override_used:
        assert v.allowed
        assert override
        assert v.complexity
        assert grade in (Grade.PSO, Grade.PQIP) or (grade is Grade.PO and nqo)
    # an override lifts only overridable refusals: whatever remains is never overridable while an override was given
    if override:
        assert not {p.refusal for p in v.problems} & OVERRIDABLE
    if excluded:
        assert not v.allowed


def test_complexity_words():
    assert complexity(case("VERY_HIGH", frozenset({"M3"}), frozenset({"ADVP", "RCPR"}))) == (
        "very high RoSH",
        "MAPPA level 3",
        "an active domestic abuse flag",
        "an active child safeguarding flag",
    )
    assert complexity(case("MEDIUM", frozenset({"M1"}), frozenset({"RSTO"}))) == ()


@pytest.mark.parametrize("reason", list(AllocationReason))
@pytest.mark.parametrize("held", [True, False])
def test_reason_fits_first_allocation_or_reallocation(reason, held):
    first = reason in (AllocationReason.INITIAL_ALLOCATION, AllocationReason.TRANSFER_IN)
    assert (reason_problem(reason, held) is None) is (first is not held)


def test_case_needs_follow_the_features_that_make_a_case_complex() -> None:
    """Issue 15 §5: the training a case needs comes from the same features as the guardrails."""
    from keepsafe.oversight.rules.allocation import CaseProfile, case_needs
    from keepsafe.oversight.rules.training import CaseNeed

    plain = CaseProfile(
        rosh="LOW", mappa_levels=frozenset(), registrations=frozenset(), restricted_to=frozenset(), excluded=frozenset()
    )
    assert case_needs(plain) == frozenset()
    full = CaseProfile(
        rosh="VERY_HIGH",
        mappa_levels=frozenset({"M1"}),
        registrations=frozenset({"ADVP", "RCPR"}),
        restricted_to=frozenset(),
        excluded=frozenset(),
    )
    assert case_needs(full) == frozenset(CaseNeed)


def test_a_practitioner_with_no_available_time_takes_a_case_only_with_a_recorded_reason() -> None:
    """The try-out allocated a case to a practitioner on 100 % long-term sickness with no warning: capacity could not
    be measured (no available points), so the above-100 % rule never fired."""
    from keepsafe.oversight.rules.allocation import Candidate, CaseProfile, Refusal, allocation_verdict
    from keepsafe.workforce.rules.grades import Grade

    case = CaseProfile(
        rosh="LOW", mappa_levels=frozenset(), registrations=frozenset(), restricted_to=frozenset(), excluded=frozenset()
    )
    who = Candidate(7, Grade.PO, newly_qualified=False)
    common = {"capacity_after": None, "override_reason": "", "oversight_plan": ""}
    refused = allocation_verdict(case, who, capacity_reason="", capacity_not_measured="no available hours", **common)
    assert [p.refusal for p in refused.problems] == [Refusal.OVER_CAPACITY]
    assert "no available time" in refused.one_line()
    allowed = allocation_verdict(
        case, who, capacity_reason="Back next week; SPO covers", capacity_not_measured="no available hours", **common
    )
    assert allowed.allowed
    assert allocation_verdict(case, who, capacity_reason="", **common).allowed


def test_the_over_capacity_message_shows_the_percentage_as_every_page_does():
    """Issue 20 try-out: the guardrail said "111.100% of capacity" where pages said "111.1%"."""
    v = verdict(case(), Grade.PO, after=Decimal("111.100"))
    [message] = [p.message for p in v.problems if p.refusal is Refusal.OVER_CAPACITY]
    assert "111.1% of capacity" in message
    assert "111.100" not in message
