"""The workload rules against the hmpps-workload oracle and published tables (hmpps.md §2c), plus properties."""

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.oversight.rules import workload as w
from keepsafe.people.rules.vocabulary import CUSTODIAL_SENTENCES, SentenceType
from keepsafe.workforce.rules.grades import Grade

T = w.published_tables()
DAY = date(2026, 6, 15)


def _raw() -> dict:
    from importlib import resources

    return json.loads(resources.files("keepsafe.oversight").joinpath("reference", "workload.json").read_text())


# --- the oracle (hmpps-workload CapacityCalculatorTest) -----------------------------------------------------------


def test_oracle_37_hours_less_1_8_gives_2070():
    hours = w.available_hours(Decimal(37), [w.Reduction("DISABILITY", Decimal("1.8"), date(2026, 1, 1), None)], DAY, T)
    assert hours == Decimal("35.2")
    assert w.available_points(Grade.PO, hours, T) == w.Available(2070, None)


def test_oracle_30_hours_less_1_8_gives_1658():
    hours = w.available_hours(Decimal(30), [w.Reduction("DISABILITY", Decimal("1.8"), date(2026, 1, 1), None)], DAY, T)
    assert w.available_points(Grade.PO, hours, T).points == 1658


def test_capacity_rounds_ratio_to_three_places_half_up_before_times_100():
    assert w.capacity_percent(1, 3) == Decimal("33.300")  # 0.3333 → 0.333
    assert w.capacity_percent(2, 3) == Decimal("66.700")  # 0.6667 → 0.667
    assert w.capacity_percent(1, 8) == Decimal("12.500")  # 0.125 exactly
    assert w.capacity_percent(1, 2000) == Decimal("0.100")  # 0.0005 → 0.001 (HALF_UP)
    assert w.capacity_percent(2070, 2070) == Decimal("100.000")
    assert w.format_percent(w.capacity_percent(1969, 2070)) == "95.1%"
    assert w.format_percent(w.capacity_percent(2070, 2070)) == "100.0%"
    assert w.format_percent(Decimal("111.100")) == "111.1%"  # issue 20 try-out: "111.100%" in allocation messages
    assert w.format_percent(104.5) == "104.5%"


def test_zero_or_negative_available_hours_is_a_clear_result_not_a_crash():
    for hours in (Decimal(0), Decimal("-3")):
        result = w.available_points(Grade.PO, hours, T)
        assert result.points == 0
        assert result.problem
        assert "no available hours" in result.problem
    assert w.capacity_percent(100, 0) is None
    assert w.format_percent(None) == "not measured"
    assert w.is_over_capacity(None, 10)
    assert not w.is_over_capacity(None, 0)


def test_spo_has_no_default_hours_so_no_target():
    result = w.available_points(Grade.SPO, Decimal(37), T)
    assert result.points == 0
    assert "no default contracted hours" in (result.problem or "")


@pytest.mark.parametrize("grade", list(Grade))
def test_grade_defaults_follow_the_published_entity(grade):
    assert w.nominal_target(grade, T) == 2176
    expected = {Grade.PO: 37, Grade.PQIP: 37, Grade.PSO: 37}.get(grade, 0)
    assert w.default_contracted_hours(grade, T) == expected


def test_over_capacity_is_at_or_above_100():
    assert w.is_over_capacity(Decimal("100.000"), 1)
    assert not w.is_over_capacity(Decimal("99.900"), 1)


# --- tier points per case type --------------------------------------------------------------------------------------


PUBLISHED = {
    w.CaseType.COMMUNITY: [206, 158, 146, 110, 146, 115, 102, 72, 79, 63, 50, 35, 51, 41, 29, 29],
    w.CaseType.CUSTODY: [75, 60, 59, 0, 59, 48, 47, 0, 30, 24, 23, 0, 17, 14, 13, 0],
    w.CaseType.LICENCE: [219, 175, 163, 0, 161, 132, 119, 0, 77, 65, 52, 0, 51, 43, 31, 0],
}


@pytest.mark.parametrize("kind", list(w.CaseType))
def test_tier_points_are_the_published_table(kind):
    assert [w.case_points(t, kind, T) for t in w.TIERS] == PUBLISHED[kind]
    assert [w.case_points(t, kind, T, t2a=True) for t in w.TIERS] == PUBLISHED[w.CaseType.CUSTODY]


@pytest.mark.parametrize("tier", [None, "", "A3S", "D0S", "MISSING", "E1"])
def test_no_tier_or_unsupervised_tier_counts_zero(tier):
    assert all(w.case_points(tier, k, T) == 0 for k in w.CaseType)


def test_court_reports():
    assert w.court_report_points([w.CourtReport.STANDARD, w.CourtReport.FAST, w.CourtReport.FAST], T) == 138 + 130
    cases = [w.WorkloadCase("B2", w.CaseType.LICENCE), w.WorkloadCase("A3", w.CaseType.COMMUNITY, t2a=True)]
    assert w.total_points(cases, [w.CourtReport.STANDARD], T) == 132 + 75 + 138


@pytest.mark.parametrize("sentence", list(SentenceType))
def test_case_type_from_the_event(sentence):
    if sentence in CUSTODIAL_SENTENCES:
        assert w.case_type(sentence, None, DAY) is w.CaseType.CUSTODY
        assert w.case_type(sentence, date(2026, 6, 16), DAY) is w.CaseType.CUSTODY
        assert w.case_type(sentence, DAY, DAY) is w.CaseType.LICENCE
    else:
        assert w.case_type(sentence, None, DAY) is w.CaseType.COMMUNITY
        assert w.case_type(sentence, DAY, DAY) is w.CaseType.COMMUNITY


def test_t2a_is_18_to_20_on_the_day():
    assert not w.is_t2a(date(2008, 6, 16), DAY, T)  # 17, turns 18 tomorrow
    assert w.is_t2a(date(2008, 6, 15), DAY, T)  # 18 today
    assert w.is_t2a(date(2005, 6, 16), DAY, T)  # 20, turns 21 tomorrow
    assert not w.is_t2a(date(2005, 6, 15), DAY, T)  # 21 today
    assert not w.is_t2a(None, DAY, T)


# --- reductions ---------------------------------------------------------------------------------------------------

ALLOWANCES = {
    "LONG_TERM_SICKNESS": (100, None),
    "SPECIAL_LEAVE": (100, None),
    "OTHER_LEAVE": (100, None),
    "MATERNITY": (100, 6),
    "ADOPTION": (100, 6),
    "TRADE_UNION": (50, None),
    "PQIP_0_6": (80, 6),
    "PQIP_6_12": (60, 6),
    "PQIP_12_18": (40, 6),
    "NQO": (20, 9),
    "PSO_LD": (20, 6),
    "VQ3": (5, 6),
    "LEVEL_4_5_ACCESS": (10, 6),
    "SPOC_LEAD": (5, None),
}
ENTERED = ["DISABILITY", "PHASED_RETURN", "PREGNANCY", "CO_WORKING", "GROUPS", "COURT_DUTY", "SPLIT_ROLE", "OM_CUSTODY"]


def test_every_published_reason_is_in_the_table():
    assert set(T.reductions) == set(ALLOWANCES) | set(ENTERED)


@pytest.mark.parametrize("code", sorted(ALLOWANCES))
def test_allowance_reasons_give_their_percent_and_expire(code):
    pct, expiry = ALLOWANCES[code]
    reason = T.reductions[code]
    assert reason.allowance_percent == pct
    assert reason.expiry_months == expiry
    start = date(2026, 1, 31)
    r = w.Reduction(code, None, start, None)
    if not reason.maximum:
        assert w.reduction_problem(r, Decimal(37), T) is None
        assert w.reduction_hours(r, Decimal(37), T) == Decimal(37) * pct / 100
    assert not w.is_active(r, date(2026, 1, 30), T)
    assert w.is_active(r, start, T)
    if expiry is None:
        assert w.is_active(r, date(2040, 1, 1), T)
    else:
        ends = w.add_months(start, expiry)
        assert w.is_active(r, date.fromordinal(ends.toordinal() - 1), T)
        assert not w.is_active(r, ends, T)


def test_pqip_80_60_40_and_nqo_20_of_37_hours():
    def hours(code):
        return w.reduction_hours(w.Reduction(code, None, DAY, None), Decimal(37), T)

    assert [hours(c) for c in ("PQIP_0_6", "PQIP_6_12", "PQIP_12_18", "NQO")] == [
        Decimal("29.6"),
        Decimal("22.2"),
        Decimal("14.8"),
        Decimal("7.4"),
    ]
    # A PQiP in the first 6 months: 7.4 h left → trunc(2176 × 7.4 / 37) = 435.
    avail = w.available_hours(Decimal(37), [w.Reduction("PQIP_0_6", None, DAY, None)], DAY, T)
    assert w.available_points(Grade.PQIP, avail, T).points == 435


@pytest.mark.parametrize("code", ENTERED)
def test_entered_hours_reasons_need_hours(code):
    assert "enter the hours" in (w.reduction_problem(w.Reduction(code, None, DAY, None), Decimal(37), T) or "")
    assert w.reduction_problem(w.Reduction(code, Decimal("3.5"), DAY, None), Decimal(37), T) is None
    assert w.is_active(w.Reduction(code, Decimal(1), DAY, None), date(2040, 1, 1), T)


@pytest.mark.parametrize(("code", "ceiling"), [("TRADE_UNION", Decimal("18.5")), ("SPOC_LEAD", Decimal("1.85"))])
def test_maximum_allowances_cap_entered_hours(code, ceiling):
    assert w.reduction_problem(w.Reduction(code, ceiling, DAY, None), Decimal(37), T) is None
    problem = w.reduction_problem(w.Reduction(code, ceiling + Decimal("0.01"), DAY, None), Decimal(37), T)
    assert problem
    assert "at most" in problem


def test_reduction_problems_are_specific():
    assert "not one of" in (w.reduction_problem(w.Reduction("GARDENING", Decimal(1), DAY, None), Decimal(37), T) or "")
    assert "before start" in (
        w.reduction_problem(w.Reduction("GROUPS", Decimal(1), DAY, date(2026, 6, 14)), Decimal(37), T) or ""
    )
    assert "more than 0" in (w.reduction_problem(w.Reduction("GROUPS", Decimal(0), DAY, None), Decimal(37), T) or "")


def test_end_date_is_the_last_day_and_an_earlier_expiry_wins():
    r = w.Reduction("GROUPS", Decimal(2), date(2026, 1, 1), date(2026, 3, 31))
    assert w.is_active(r, date(2026, 3, 31), T)
    assert not w.is_active(r, date(2026, 4, 1), T)
    nqo = w.Reduction("NQO", None, date(2026, 1, 1), date(2027, 1, 1))
    assert w.is_active(nqo, date(2026, 9, 30), T)
    assert not w.is_active(nqo, date(2026, 10, 1), T)
    early = w.Reduction("NQO", None, date(2026, 1, 1), date(2026, 2, 1))
    assert not w.is_active(early, date(2026, 2, 2), T)


def test_add_months_clamps_to_month_end():
    assert w.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert w.add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)


def test_potential_capacity_x_to_y():
    assert w.potential_capacity(1035, 2070, 132) == (Decimal("50.000"), Decimal("56.400"))
    # already held: its points are taken off first (a re-tiered or reallocated case is not counted twice)
    assert w.potential_capacity(1035, 2070, 132, held_case_points=132) == (Decimal("50.000"), Decimal("50.000"))


# --- regions -------------------------------------------------------------------------------------------------------


def test_region_override_replaces_only_what_it_names():
    tables = w.region_tables("NE", {"NE": {"nominal_target": {"PO": 2000}, "tier_points": {"LICENCE": {"A3": 250}}}})
    assert w.nominal_target(Grade.PO, tables) == 2000
    assert w.nominal_target(Grade.SPO, tables) == 2176
    assert w.case_points("A3", w.CaseType.LICENCE, tables) == 250
    assert w.case_points("A2", w.CaseType.LICENCE, tables) == 175
    assert w.region_tables("XX", {"NE": {"nominal_target": {"PO": 2000}}}) == T
    assert w.region_tables(None) == T


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"tier_points": {"COMMUNITY": {"A3": -1}}}, "tier_points.COMMUNITY.A3"),
        ({"tier_points": {"COMMUNITY": {"Z9": 1}}}, "tier_points.COMMUNITY: expected exactly the tiers"),
        ({"reductions": {"NQO": {"allowance_percent": 120}}}, "reductions.NQO.allowance_percent"),
        ({"reductions": {"NQO": {"expiry_months": 0}}}, "reductions.NQO.expiry_months"),
        ({"court_reports": {"ORAL": 10}}, "court_reports: expected exactly"),
        ({"t2a_ages": {"from": "18"}}, "t2a_ages"),
    ],
)
def test_a_bad_region_table_names_the_key(patch, message):
    with pytest.raises(w.WorkloadTableError, match=message):
        w.region_tables("NE", {"NE": patch})


def test_published_file_parses_the_same_as_the_tables():
    assert w.tables_from(_raw()) == T


# --- properties -----------------------------------------------------------------------------------------------------

case_st = st.builds(
    w.WorkloadCase, st.sampled_from([*w.TIERS, None, "A3S"]), st.sampled_from(list(w.CaseType)), st.booleans()
)
hours_st = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(60), places=1)
reduction_st = st.builds(
    w.Reduction,
    st.sampled_from(ENTERED),
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal(40), places=1),
    st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    st.none() | st.dates(date(2027, 1, 1), date(2028, 1, 1)),
) | st.builds(
    w.Reduction,
    st.sampled_from([c for c in ALLOWANCES if not T.reductions[c].maximum]),
    st.none(),
    st.dates(date(2025, 1, 1), date(2027, 1, 1)),
    st.none(),
)


@given(st.lists(case_st, max_size=30), case_st)
def test_adding_a_case_never_lowers_points(cases, extra):
    assert w.total_points([*cases, extra], [], T) >= w.total_points(cases, [], T)


@given(hours_st, st.lists(reduction_st, max_size=4), reduction_st, st.sampled_from([Grade.PO, Grade.PQIP, Grade.PSO]))
def test_a_reduction_never_raises_available_points(contracted, reductions, extra, grade):
    before = w.available_points(grade, w.available_hours(contracted, reductions, DAY, T), T).points
    after = w.available_points(grade, w.available_hours(contracted, [*reductions, extra], DAY, T), T).points
    assert 0 <= after <= before


@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(1, 5_000))
def test_capacity_is_monotone_in_points_and_never_rises_with_more_available(p, q, available):
    low, high = sorted((p, q))
    a, b = w.capacity_percent(low, available), w.capacity_percent(high, available)
    assert a is not None
    assert b is not None
    assert a <= b
    c = w.capacity_percent(high, available + 1)
    assert c is not None
    assert c <= b


@given(st.integers(0, 10_000), st.integers(1, 5_000), st.integers(0, 300))
def test_potential_capacity_never_below_current_for_a_new_case(points, available, new):
    now, then = w.potential_capacity(points, available, new)
    assert now is not None
    assert then is not None
    assert then >= now


@given(points=st.integers(0, 10_000), available=st.integers(1, 5_000))
def test_every_capacity_shows_with_one_decimal(points, available):
    """One formatting of a capacity percentage everywhere: exactly one decimal place (issue 20 try-out)."""
    import re

    shown = w.format_percent(w.capacity_percent(points, available))
    assert re.fullmatch(r"\d+\.\d%", shown), shown
