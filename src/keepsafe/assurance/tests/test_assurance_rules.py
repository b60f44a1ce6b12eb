"""The assurance figures on small hand-computed cases (issue 17 items 1–5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.assurance.rules import charts, equality, inspection, measures, overrides, recall_sampling, sampling
from keepsafe.assurance.rules.inspection import Domain, Question, Rating

T0 = datetime(2026, 10, 1, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


# 1. Delivery measures ------------------------------------------------------------------------------------------------


def test_on_time_counts_items_due_in_the_period_met_by_their_deadline():
    items = [
        measures.Due(1, at(1), at(0.5)),  # met
        measures.Due(2, at(2), at(2)),  # met exactly at the deadline
        measures.Due(3, at(3), at(3.01)),  # late
        measures.Due(4, at(4), None),  # not done, deadline passed
        measures.Due(5, at(40), None),  # due after the period
        measures.Due(6, at(-1), at(-2)),  # due before the period
        measures.Due(7, at(9), None),  # due in the period but after as_of: not yet known
    ]
    figure = measures.on_time(items, at(0), at(30), as_of=at(8))
    assert (figure.numerator, figure.denominator) == (2, 4)
    assert figure.met == (1, 2)
    assert figure.missed == (3, 4)
    assert figure.rate == 0.5


def test_nothing_due_is_undefined_not_zero():
    assert measures.on_time([], at(0), at(1), at(1)).rate is None


def test_recalls_within_hours():
    spans = [
        measures.Span(1, at(0), at(0) + timedelta(hours=23)),
        measures.Span(2, at(0), at(0) + timedelta(hours=30)),
        measures.Span(3, at(0), None),  # open, 24h passed by as_of (2 days): missed for 24 and 48
        measures.Span(4, at(1.5), None),  # open 12 hours at as_of: unknown for every limit
    ]
    f24 = measures.within(spans, 24, at(0), at(30), as_of=at(2))
    f48 = measures.within(spans, 48, at(0), at(30), as_of=at(2))
    f72 = measures.within(spans, 72, at(0), at(30), as_of=at(2))
    assert (f24.numerator, f24.denominator) == (1, 3)
    assert (f48.numerator, f48.denominator) == (2, 3)
    assert (f72.numerator, f72.denominator) == (2, 2)  # case 3 may still be executed within 72 hours


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-10, 50), st.one_of(st.none(), st.integers(-10, 60)))))
def test_met_plus_missed_is_the_denominator_and_the_rate_a_share(rows):
    items = [measures.Due(c, at(d), None if done is None else at(done)) for c, d, done in rows]
    f = measures.on_time(items, at(0), at(30), at(25))
    assert f.numerator + len(f.missed) == f.denominator
    assert len(f.met) == f.numerator
    assert f.rate is None or 0 <= f.rate <= 1


def test_month_buckets_cover_the_period_exactly():
    buckets = measures.month_buckets(date(2026, 11, 15), date(2027, 1, 10))
    assert buckets == [
        (date(2026, 11, 15), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 1, 11)),
    ]


# 2. Case audits and the inspectorate's arithmetic -------------------------------------------------------------------

RI, G, INAD = Rating.REQUIRES_IMPROVEMENT, Rating.GOOD, Rating.INADEQUATE


# issue 17 (helper "period17"): a period of any length is bucketed by month in one pass, never one scan per month.


def test_months_bucketed_in_one_pass_by_hand():
    bounds = [at(0), at(31), at(61)]  # October, November 2026
    items = [
        measures.Due(1, at(-1), at(-2)),  # before the period: in neither month
        measures.Due(2, at(0), at(0)),  # at October's first instant, met at the deadline
        measures.Due(3, at(30.9), None),  # October, not done
        measures.Due(4, at(31), at(30)),  # November's first instant belongs to November: met
        measures.Due(5, at(52), at(53)),  # November, late
        measures.Due(6, at(55), None),  # due after now: not counted yet
        measures.Due(7, at(61), at(60)),  # the period's end is not in it
    ]
    october, november = measures.on_time_by_period(items, bounds, as_of=at(54))
    assert (october.numerator, october.denominator, october.met, october.missed) == (1, 2, (2,), (3,))
    assert (november.numerator, november.denominator, november.met, november.missed) == (1, 2, (4,), (5,))
    spans = [
        measures.Span(1, at(1), at(1.5)),  # within 24 hours
        measures.Span(2, at(40), None),  # open, its time not run out by now
        measures.Span(3, at(31), at(33)),  # late
        measures.Span(4, at(20), None),  # open past its time: missed
    ]
    oct_r, nov_r = measures.within_by_period(spans, 24, bounds, as_of=at(40.5))
    assert (oct_r.met, oct_r.missed, nov_r.met, nov_r.missed) == ((1,), (4,), (), (3,))
    assert measures.on_time_by_period(items, [], at(54)) == []


_instants = st.integers(min_value=-40, max_value=400).map(lambda h: at(h / 4))


@given(
    due=st.lists(st.tuples(st.integers(1, 9), _instants, st.none() | _instants), max_size=40),
    cuts=st.lists(st.integers(min_value=-20, max_value=110), min_size=1, max_size=12, unique=True),
    now=_instants,
    hours=st.sampled_from([24, 48, 72]),
)
def test_months_in_one_pass_equal_one_scan_per_month(due, cuts, now, hours):
    """The one-pass figures equal `on_time` / `within` asked month by month (the dashboard's old way)."""
    bounds = [at(c) for c in sorted(cuts)]
    items = [measures.Due(case, d, done) for case, d, done in due]
    spans = [measures.Span(case, d, done) for case, d, done in due if done is None or done >= d]
    pairs = list(pairwise(bounds))
    assert measures.on_time_by_period(items, bounds, now) == [measures.on_time(items, a, b, now) for a, b in pairs]
    assert measures.within_by_period(spans, hours, bounds, now) == [
        measures.within(spans, hours, a, b, now) for a, b in pairs
    ]


def test_seeds_002_annexe_two_scores():
    manchester_north = [RI, G, G, G, INAD, RI, RI, RI]  # 1.1–1.4, 2.2–2.5 (no court work rated)
    tameside = [RI, G, RI, G, RI, INAD, INAD, INAD, INAD]  # 1.1–1.4, 2.1–2.5
    mn, ts = inspection.score(manchester_north), inspection.score(tameside)
    assert str(mn) == "10/24"
    assert mn.overall is RI
    assert str(ts) == "7/27"
    assert ts.overall is RI


def test_overall_bands_at_their_edges():
    assert inspection.score([INAD] * 9).overall is INAD
    assert inspection.score([RI] * 5 + [INAD] * 4).overall is INAD  # 5/27
    assert inspection.score([RI] * 6 + [INAD] * 3).overall is RI  # 6/27
    assert inspection.score([G] * 8).overall is G  # 16/24 ≥ 16/27
    assert inspection.score([Rating.OUTSTANDING] * 8 + [INAD]).overall is Rating.OUTSTANDING  # 24/27
    assert inspection.score([]).overall is None


def _audit(**no: bool) -> dict[str, dict[str, object]]:
    return {
        f"{d.value}.{q.value}": {"sufficient": not no.get(f"{d.value}.{q.value}", False), "evidence": "seen"}
        for d, q in inspection.KEYS
    }


def test_a_standard_is_rated_by_its_lowest_key_question():
    # 10 cases: planning keeps others safe in 6 (60% → RI) though desistance is sufficient in all (→ Outstanding)
    audits = [_audit(**{"PLANNING.KEEPING_SAFE": i < 4}) for i in range(10)]
    # assessment: 7 of 10 sufficient on both (70% → Good)
    for i in range(3):
        audits[i]["ASSESSMENT.DESISTANCE"]["sufficient"] = False
        audits[i]["ASSESSMENT.KEEPING_SAFE"]["sufficient"] = False
    # reviewing: 4 of 10 (40% → Inadequate)
    for i in range(6):
        audits[i]["REVIEWING.KEEPING_SAFE"]["sufficient"] = False
    rated = {r.domain: r for r in inspection.rate_standards(audits)}
    assert rated[Domain.PLANNING].sufficient == {Question.DESISTANCE: 10, Question.KEEPING_SAFE: 6}
    assert rated[Domain.PLANNING].rating is RI
    assert rated[Domain.ASSESSMENT].rating is G
    assert rated[Domain.IMPLEMENTATION].rating is Rating.OUTSTANDING
    assert rated[Domain.REVIEWING].rating is INAD
    assert str(inspection.score(r.rating for r in rated.values())) == "6/12"  # 2 + 1 + 3 + 0


def test_an_audit_must_answer_every_question_with_evidence():
    answers = _audit()
    assert inspection.answers_problems(answers) == []
    answers["PLANNING.KEEPING_SAFE"] = {"sufficient": True, "evidence": "  "}
    del answers["REVIEWING.DESISTANCE"]
    answers["BOGUS.Q"] = {"sufficient": True, "evidence": "x"}
    fields = [f for f, _ in inspection.answers_problems(answers)]
    assert fields == ["PLANNING.KEEPING_SAFE", "REVIEWING.DESISTANCE", "BOGUS.Q"]


def test_allocation_is_proportional_with_largest_remainders():
    sizes = {("A",): 50, ("B",): 30, ("C",): 20}
    assert sampling.allocate(sizes, 10) == {("A",): 5, ("B",): 3, ("C",): 2}
    assert sampling.allocate(sizes, 7) == {("A",): 4, ("B",): 2, ("C",): 1}  # 3.5, 2.1, 1.4 → A gets the extra
    with pytest.raises(sampling.SampleError, match="larger than the 100 cases"):
        sampling.allocate(sizes, 101)
    with pytest.raises(sampling.SampleError, match="larger than the 1 case to draw from"):
        sampling.allocate({("A",): 1}, 2)


@given(st.lists(st.sampled_from(["A1", "B2", "C3"]), min_size=1, max_size=60), st.integers(0, 2**32), st.data())
def test_a_sample_is_reproducible_stratified_and_order_free(strata, seed, data):
    candidates = [sampling.Candidate(i, (s,)) for i, s in enumerate(strata)]
    n = data.draw(st.integers(1, len(candidates)))
    first = sampling.draw(candidates, n, seed)
    assert first == sampling.draw(list(reversed(candidates)), n, seed)
    assert len(first) == n == len(set(first))
    quotas = sampling.allocate({(s,): strata.count(s) for s in set(strata)}, n)
    for (s,), quota in quotas.items():
        assert sum(1 for c in first if strata[c] == s) == quota


# 3. Recall decision sampling ----------------------------------------------------------------------------------------


def _decision(recall: int, decision: str, **kw) -> recall_sampling.DecisionFacts:
    base = {
        "case": recall,
        "decided_at": at(10),
        "emergency": False,
        "executed_at": None,
        "cancelled": False,
        "charges_received": (),
    }
    return recall_sampling.DecisionFacts(recall=recall, decision=decision, **(base | kw))


def _reasons(d, share=Fraction(0), as_of=None):
    as_of = as_of or at(20)
    return recall_sampling.reasons_for(d, seed=1, share=share, as_of=as_of, emergency_hours=24, standard_hours=72)


def test_every_no_recall_after_a_charge_is_reviewed():
    assert _reasons(_decision(1, "NO_RECALL", charges_received=(at(9),))) == ["NO_RECALL_AFTER_CHARGE"]
    assert _reasons(_decision(1, "NO_RECALL", charges_received=(at(11),))) == []  # the charge came after
    assert _reasons(_decision(1, "NO_RECALL", charges_received=(at(-90),))) == []  # more than 90 days before


def test_every_recall_not_executed_in_time_is_reviewed():
    late = _decision(2, "RECALL", executed_at=at(10) + timedelta(hours=73))
    in_time = _decision(3, "RECALL", executed_at=at(10) + timedelta(hours=72))
    emergency_late = _decision(4, "RECALL", emergency=True, executed_at=at(10) + timedelta(hours=25))
    open_past = _decision(5, "RECALL")
    open_within = _decision(6, "RECALL", decided_at=at(19.5))
    assert _reasons(late) == ["RECALL_NOT_EXECUTED_IN_TIME"]
    assert _reasons(in_time) == []
    assert _reasons(emergency_late) == ["RECALL_NOT_EXECUTED_IN_TIME"]
    assert _reasons(open_past) == ["RECALL_NOT_EXECUTED_IN_TIME"]
    assert _reasons(open_within) == []


def test_the_share_of_no_recall_decisions_sampled():
    decisions = [_decision(i, "NO_RECALL") for i in range(2000)]
    assert not any(_reasons(d, Fraction(0)) for d in decisions)
    assert all(_reasons(d, Fraction(1)) == ["SAMPLED_NO_RECALL"] for d in decisions)
    quarter = sum(1 for d in decisions if _reasons(d, Fraction(1, 4)))
    assert 400 < quarter < 600  # about 500; the hash is fixed, so this count is too
    assert quarter == sum(1 for d in decisions if _reasons(d, Fraction(1, 4)))
    with pytest.raises(ValueError, match="between 0 and 1"):
        recall_sampling.select(
            decisions, seed=1, share=Fraction(2), as_of=at(20), emergency_hours=24, standard_hours=72
        )


# 4. Overrides -------------------------------------------------------------------------------------------------------


def test_overrides_by_direction_team_and_grade():
    rows = [
        overrides.Override(1, overrides.Kind.ROSH_PROMPT, at(0), "S1", "T1", "PO", "HIGH", "MEDIUM", "why"),
        overrides.Override(2, overrides.Kind.ROSH_PROMPT, at(0), "S2", "T1", "PSO", "VERY_HIGH", "LOW", "why"),
        overrides.Override(3, overrides.Kind.COUNTERSIGN, at(0), "S3", "T2", "SPO", "MEDIUM", "HIGH", "why"),
    ]
    assert overrides.tally(rows, "direction") == [
        (("COUNTERSIGN", "direction", "HIGHER"), 1),
        (("ROSH_PROMPT", "direction", "LOWER"), 2),
    ]
    assert overrides.tally(rows, "team") == [
        (("COUNTERSIGN", "team", "T2"), 1),
        (("ROSH_PROMPT", "team", "T1"), 2),
    ]
    assert overrides.direction("HIGH", None) is overrides.Direction.UNKNOWN
    with pytest.raises(ValueError, match="team, grade or direction"):
        overrides.tally(rows, "region")


def test_overrides_listed_newest_first_in_pages_that_never_cut_the_list():
    found = [
        overrides.Override(case, overrides.Kind.COUNTERSIGN, at(day), "S1", "T1", "SPO", "MEDIUM", "HIGH", "why")
        for case, day in ((1, 0), (2, 3), (3, 3), (4, 1), (5, 2))
    ]
    newest = overrides.newest_first(found)
    assert [o.case for o in newest] == [3, 2, 5, 4, 1]
    assert overrides.page(newest, 1, 2) == (newest[:2], 1, 3)
    assert overrides.page(newest, 3, 2) == (newest[4:], 3, 3)
    assert overrides.page(newest, 9, 2) == (newest[4:], 3, 3)  # past the last page: the last
    assert overrides.page(newest, 0, 2) == (newest[:2], 1, 3)
    assert overrides.page([], 1, 50) == ([], 1, 1)
    assert sum(len(overrides.page(newest, n, 2)[0]) for n in (1, 2, 3)) == len(found)
    with pytest.raises(ValueError, match="at least one"):
        overrides.page(newest, 1, 0)
    assert set(overrides.DIRECTION_LABELS) == set(overrides.Direction)
    assert set(overrides.LEVEL_LABELS) == set(overrides.LEVELS)


# 5. Equality --------------------------------------------------------------------------------------------------------


def test_group_rates_ratios_intervals_and_tests_by_hand():
    rows = {r.group: r for r in equality.compare({"A": (30, 100), "B": (50, 120), "C": (3, 50)})}
    a, b, c = rows["A"], rows["B"], rows["C"]
    assert b.reference
    assert b.ratio == 1.0
    assert b.p_value is None
    assert a.rate == 0.3
    assert a.ratio == pytest.approx(0.3 / (50 / 120))
    # Katz: se = sqrt(1/30 − 1/100 + 1/50 − 1/120) = sqrt(0.035) = 0.18708; ratio × e^(±1.96 se)
    assert a.ratio_ci == pytest.approx((0.72 * 0.69301, 0.72 * 1.44298), rel=1e-4)
    # Clopper–Pearson 30/100: (0.2124, 0.3998)
    assert a.ci == pytest.approx((0.21241, 0.39981), abs=1e-4)
    assert a.p_value == pytest.approx(0.0912, abs=1e-3)  # Fisher, [[30, 70], [50, 70]]
    assert c.suppressed
    assert (c.n, c.k) == (None, None)  # only the name: the JSON export writes the dataclass whole
    assert c.rate is None
    assert c.ratio is None


def test_suppression_covers_the_complement_and_small_groups():
    assert equality.suppressed(0, 50) is False
    assert equality.suppressed(45, 50) is True  # 5 without the outcome
    assert equality.suppressed(0, 9) is True
    assert equality.suppressed(10, 20) is False
    with pytest.raises(ValueError, match="not a group large enough"):
        equality.compare({"A": (3, 5), "B": (10, 20)}, reference="A")


def test_distribution_counts_suppresses_and_tests():
    pairs = [("M", "HIGH")] * 40 + [("M", "LOW")] * 60 + [("F", "HIGH")] * 5 + [("F", "LOW")] * 45
    d = equality.distribution(pairs)
    assert d.categories == ("HIGH", "LOW")
    assert d.rows == {"F": {"HIGH": None, "LOW": 45}, "M": {"HIGH": 40, "LOW": 60}}
    assert d.totals == {"M": 100, "F": None}  # 50 beside LOW 45 would give HIGH's 5 away
    assert d.p_value is not None
    assert d.p_value < 0.001


def test_age_bands():
    assert equality.age_band(date(2000, 12, 2), date(2026, 12, 1)) == "25 to 34"  # 25 until 2 December
    assert equality.age_on(date(2000, 12, 2), date(2026, 12, 1)) == 25
    assert equality.age_band(date(2008, 12, 2), date(2026, 12, 1)) == "Under 18"
    assert equality.age_band(date(1976, 12, 1), date(2026, 12, 1)) == "50 and over"
    assert equality.age_band(date(2026, 12, 1), date(2026, 12, 1)) == "Under 18"  # born that day: 0


def test_no_age_band_for_someone_not_yet_born():
    """A programming guard (the equality page counts only people born by the period's end): a clear refusal naming
    both dates, not a band nor the old "no age band holds age -1"."""
    with pytest.raises(ValueError, match="born on 2026-12-02: not yet born"):
        equality.age_band(date(2026, 12, 2), date(2026, 12, 1))


def test_charts_escape_text_and_refuse_what_they_cannot_show():
    svg = charts.line_chart("<script>", ["Oct", "Nov"], [charts.Series("a&b", [0.5, None])])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    with pytest.raises(ValueError, match="one value per period"):
        charts.line_chart("t", ["Oct"], [charts.Series("a", [0.5, 0.6])])
    assert charts.legend([charts.Series("a", [])])[0]["colour"] == charts.OKABE_ITO[0]
    assert "suppressed" in charts.bar_chart("t", [("G", None, None)])


def test_a_large_group_with_few_outcomes_is_not_the_reference_and_comparing_does_not_fail():
    # The try-out's 500: the largest group (200 people) had 3 recalls, so its figures are suppressed; the reference
    # must be the largest group that may be published, and the comparison must still be drawn.
    counts = {"White: British": (3, 200), "Asian": (20, 100), "Black": (15, 90)}
    assert equality.reference_group(counts) == "Asian"
    rows = {r.group: r for r in equality.compare(counts)}
    assert rows["White: British"].suppressed
    assert rows["Asian"].reference
    assert rows["Black"].ratio == pytest.approx((15 / 90) / (20 / 100))


def test_no_publishable_group_means_no_reference_and_no_ratios():
    counts = {"A": (3, 200), "B": (2, 5)}
    assert equality.reference_group(counts) is None
    assert all(r.ratio is None for r in equality.compare(counts))


def test_evidence_longer_than_the_limit_is_refused_not_cut_short():
    answers = {f"{d.value}.{q.value}": {"sufficient": True, "evidence": "Read the plan"} for d, q in inspection.KEYS}
    assert inspection.answers_problems(answers) == []
    first = next(iter(answers))
    answers[first] = {"sufficient": True, "evidence": "x" * (inspection.EVIDENCE_MAX + 1)}
    assert [key for key, _ in inspection.answers_problems(answers)] == [first]


# Publication (issue 17 try-out): hidden counts were recovered from a full-precision chi-squared p-value and by
# subtraction; what is published is rounded to base 5 and a table with a hidden cell carries no test.


def test_counts_are_published_to_base_5():
    assert [equality.rounded(x) for x in (0, 10, 12, 13, 17, 18, 102)] == [0, 10, 10, 15, 15, 20, 100]
    assert equality.rounded(None) is None


def test_a_group_is_published_rounded_and_a_suppressed_one_as_a_name():
    a, _, c = equality.compare({"A": (33, 101), "B": (52, 122), "C": (3, 40)})
    shown = equality.published_rate(a)
    assert (shown.n, shown.k, shown.rate) == (100, 35, 0.33)
    assert shown.ci == (round(a.ci[0], 2), round(a.ci[1], 2))
    assert shown.p_value == round(a.p_value, 3)
    assert equality.published_rate(c) == c  # already only its name
    assert (c.n, c.k, c.rate, c.p_value) == (None, None, None, None)


def test_a_distribution_with_a_hidden_cell_publishes_no_test():
    """The try-out's case: the p-value of a table with five hidden cells matched one combination of 1–9 only."""
    pairs = [("M", "A")] * 6 + [("M", "B")] * 30 + [("F", "A")] * 2 + [("F", "B")] * 40
    d = equality.distribution(pairs)
    assert d.p_value is not None  # computed on the true counts
    shown = equality.published_distribution(d)
    assert (shown.chi2, shown.p_value) == (None, None)
    assert shown.rows == {"F": {"A": None, "B": 40}, "M": {"A": None, "B": 30}}
    whole = equality.distribution([("M", "A")] * 12 + [("M", "B")] * 31 + [("F", "A")] * 22 + [("F", "B")] * 18)
    published = equality.published_distribution(whole)
    assert published.rows == {"F": {"A": 20, "B": 20}, "M": {"A": 10, "B": 30}}
    assert published.p_value == round(whole.p_value, 3)
    assert published.chi2 == round(whole.chi2, 2)


@given(st.lists(st.tuples(st.sampled_from("MFX"), st.sampled_from("ABCD")), max_size=300))
def test_published_distributions_show_no_count_from_1_to_9_and_only_multiples_of_5(pairs):
    shown = equality.published_distribution(equality.distribution(pairs))
    figures = [v for row in shown.rows.values() for v in row.values()] + list(shown.totals.values())
    assert all(v is None or (v % 5 == 0 and not 0 < v < 10) for v in figures)
    if any(v is None for row in shown.rows.values() for v in row.values()):
        assert (shown.chi2, shown.p_value) == (None, None)
