"""RoSH judgement rules: overall level, rationales, thresholding prompts, countersignature, plans."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.risk.rules.countersign import Change, on_completion
from keepsafe.risk.rules.plan import SECTIONS, plan_problems
from keepsafe.risk.rules.prompts import RULES, Evidence, thresholding_prompts
from keepsafe.risk.rules.rosh import (
    COMMUNITY_GROUPS,
    LEVEL_ORDER,
    CommunityRatings,
    CustodyRatings,
    Group,
    Level,
    RatingsError,
    RoshRatings,
    highest,
    rationale_problem,
)

TODAY = date(2026, 11, 23)
levels = st.sampled_from(LEVEL_ORDER)


@given(st.lists(levels, min_size=1))
def test_highest_is_the_highest_level(chosen):
    top = highest(chosen)
    assert top in chosen
    assert all(level.rank <= top.rank for level in chosen)


def test_highest_needs_a_level():
    with pytest.raises(ValueError, match="at least one group"):
        highest([])


def test_very_high_to_the_public_in_the_community_is_not_hidden_by_low_in_custody():
    """Issue 12 §1: `overall({**community, **custody})` let custody overwrite community and showed LOW."""
    ratings = RoshRatings(
        CommunityRatings(Level.LOW, Level.VERY_HIGH, Level.LOW, Level.LOW),
        CustodyRatings(Level.LOW, Level.LOW, Level.LOW, Level.LOW, Level.LOW),
    )
    assert ratings.overall is Level.VERY_HIGH
    assert ratings.highest_by_group()[Group.PUBLIC] is Level.VERY_HIGH
    assert RoshRatings.from_json(ratings.as_json()) == ratings


def test_stored_ratings_that_cannot_be_read_say_where():
    with pytest.raises(RatingsError, match=r"rosh\.custody\.children: None is not one of"):
        RoshRatings.from_json(
            {"community": dict.fromkeys(["children", "public", "known_adult", "staff"], "LOW"), "custody": {"x": 1}}
        )
    with pytest.raises(RatingsError, match="community ratings are missing"):
        RoshRatings.from_json({"custody": None})


@pytest.mark.parametrize(
    "text",
    [
        "To match other documents",
        "Set to match the previous OASys level for consistency in the file",
        "no change",
        "Same as before — no change since the last assessment was completed in spring",
        "short",
    ],
)
def test_not_a_rationale(text):
    assert rationale_problem(text) is not None


def test_a_real_rationale_is_accepted():
    assert (
        rationale_problem(
            "Recent threats to kill his former partner, who is protected by a restraining order; "
            "he has breached it twice and carried a knife in August."
        )
        is None
    )


def evidence(**kwargs) -> Evidence:
    return Evidence(today=TODAY, **kwargs)


def codes(prompts) -> set[str]:
    return {p.code for p in prompts}


def test_weapons_threats_and_violence_prompt_high_when_medium_chosen():
    e = evidence(relevant_indicators=frozenset({"weapons", "threats", "violence"}))
    prompts = thresholding_prompts(e, {Group.PUBLIC: Level.MEDIUM})
    assert codes(prompts) == {"WEAPONS_THREATS_VIOLENCE"}
    assert prompts[0].suggested is Level.HIGH
    assert prompts[0].evidence == ("threats", "violence", "weapons")
    assert thresholding_prompts(e, {Group.PUBLIC: Level.HIGH}) == []


def test_mcsweeney_pattern_raises_every_prompt_it_should():
    """Weapons in prison, threats, escalating violence, a recent recall: rated MEDIUM, as the inquest found."""
    e = evidence(
        relevant_indicators=frozenset({"weapons", "threats", "violence_escalation"}),
        latest_recall_for_risk=TODAY - timedelta(days=40),
        predictor_bands={"rsr": "HIGH"},
    )
    prompts = thresholding_prompts(e, dict.fromkeys(COMMUNITY_GROUPS, Level.MEDIUM))
    assert codes(prompts) == {"WEAPONS_THREATS_VIOLENCE", "ESCALATING_VIOLENCE", "RECENT_RECALL_FOR_RISK"}


def test_domestic_abuse_with_a_restraining_order_points_at_the_known_adult():
    e = evidence(registrations=frozenset({"ADVP", "RSTO"}))
    prompts = thresholding_prompts(e, {Group.KNOWN_ADULT: Level.MEDIUM})
    assert [(p.code, p.group) for p in prompts] == [("DOMESTIC_ABUSE_WITH_ORDER", Group.KNOWN_ADULT)]
    assert thresholding_prompts(evidence(registrations=frozenset({"RSTO"})), {}) == []


def test_other_rules():
    assert codes(thresholding_prompts(evidence(mappa_level=2), {})) == {"MAPPA_LEVEL_2_OR_3"}
    assert codes(thresholding_prompts(evidence(mappa_level=1), {})) == set()
    assert codes(thresholding_prompts(evidence(registrations=frozenset({"RCPR"})), {})) == {"CHILD_PROTECTION"}
    assert codes(thresholding_prompts(evidence(registrations=frozenset({"AV2S"})), {})) == {"RISK_TO_STAFF"}
    assert codes(thresholding_prompts(evidence(predictor_bands={"ovp": "LOW"}), {})) == set()
    old_recall = evidence(latest_recall_for_risk=TODAY - timedelta(days=400))
    assert codes(thresholding_prompts(old_recall, {})) == set()


def test_every_rule_cites_a_source():
    assert all(rule.source and rule.message for rule in RULES.values())


@given(
    st.frozensets(st.sampled_from(["weapons", "threats", "violence", "violence_escalation", "domestic_abuse"])),
    st.frozensets(st.sampled_from(["ADVP", "RSTO", "RCPR", "AV2S", "MAPP"])),
    levels,
    levels,
)
def test_raising_a_level_never_adds_prompts(indicators, registrations, low, high):
    if low.rank > high.rank:
        low, high = high, low
    e = evidence(relevant_indicators=indicators, registrations=registrations)
    at_low = codes(thresholding_prompts(e, dict.fromkeys(Group, low)))
    at_high = codes(thresholding_prompts(e, dict.fromkeys(Group, high)))
    assert at_high <= at_low
    assert thresholding_prompts(e, dict.fromkeys(Group, Level.VERY_HIGH)) == []


@pytest.mark.parametrize(
    ("current", "new", "trainee", "nqo", "change", "now", "countersign"),
    [
        (None, Level.MEDIUM, False, False, Change.FIRST, True, False),
        (Level.MEDIUM, Level.HIGH, False, False, Change.RAISED, True, True),
        (Level.HIGH, Level.MEDIUM, False, False, Change.LOWERED, False, True),
        (Level.HIGH, Level.HIGH, False, False, Change.UNCHANGED, True, False),
        (Level.HIGH, Level.HIGH, True, False, Change.UNCHANGED, True, True),
        (None, Level.LOW, False, True, Change.FIRST, True, True),
    ],
)
def test_countersignature(current, new, trainee, nqo, change, now, countersign):
    outcome = on_completion(current=current, new=new, assessor_is_trainee=trainee, assessor_is_newly_qualified=nqo)
    assert (outcome.change, outcome.takes_effect_now, outcome.countersign_required) == (change, now, countersign)


def test_a_plan_cannot_be_finalised_before_its_assessment_or_with_gaps():
    full = dict.fromkeys(SECTIONS, "Weekly reporting; police to flag address.")
    problems = plan_problems(
        assessment_complete=False,
        levels={Group.KNOWN_ADULT: Level.HIGH, Group.PUBLIC: Level.LOW},
        sections={**full, "contingency": ""},
        covered_groups=frozenset(),
        risk_factors=frozenset({"weapons"}),
        answered_factors=frozenset(),
    )
    assert [field for field, _ in problems] == ["assessment", "contingency", "group.known_adult", "factor.weapons"]
    assert (
        plan_problems(
            assessment_complete=True,
            levels={Group.KNOWN_ADULT: Level.HIGH},
            sections=full,
            covered_groups=frozenset({Group.KNOWN_ADULT}),
            risk_factors=frozenset({"weapons"}),
            answered_factors=frozenset({"weapons"}),
        )
        == []
    )


def test_an_overridden_prompt_is_named_in_words_in_the_countersign_reasons():
    """A try-out (3 December): the countersign page read "thresholding prompt WEAPONS_THREATS_VIOLENCE points to a
    higher level"; every prompt is named by its title, no code."""
    outcome = on_completion(
        current=Level.MEDIUM,
        new=Level.MEDIUM,
        assessor_is_trainee=False,
        assessor_is_newly_qualified=False,
        overridden_prompts=tuple(RULES),
    )
    for code, rule in RULES.items():
        assert not any(code in reason for reason in outcome.reasons), code
        assert (
            f"thresholding prompt “{rule.title}” points to a higher level than the one chosen: a manager decides"
            in (outcome.reasons)
        )
