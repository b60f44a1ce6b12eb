from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.ids import is_crn, normalise_crn
from keepsafe.people.rules.key_dates import SentenceDates, date_problems, days_until
from keepsafe.people.rules.registration_review import (
    add_months,
    is_active,
    is_review_overdue,
    next_review_date,
)
from keepsafe.people.rules.visibility import may_see_case

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 11, 20), 3, date(2025, 2, 20)),
        (date(2024, 12, 15), 12, date(2025, 12, 15)),
    ],
)
def test_add_months_clips_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(dates, st.integers(min_value=1, max_value=24))
def test_add_months_always_moves_forward_less_than_a_month_per_month_over(day, months):
    later = add_months(day, months)
    assert later > day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months


def test_review_dates():
    assert next_review_date(review_months=6, start=date(2021, 11, 20), last_reviewed=None, end=None) == date(
        2022, 5, 20
    )
    assert next_review_date(review_months=3, start=date(2021, 1, 1), last_reviewed=date(2022, 6, 10), end=None) == date(
        2022, 9, 10
    )
    assert next_review_date(review_months=0, start=date(2021, 1, 1), last_reviewed=None, end=None) is None
    # A registration ending before its review falls due is not reviewed.
    # Ending before the regular review: reviewed 28 days before the end, once.
    assert next_review_date(review_months=6, start=date(2021, 1, 1), last_reviewed=None, end=date(2021, 3, 1)) == date(
        2021, 2, 1
    )
    assert (
        next_review_date(review_months=6, start=date(2021, 1, 1), last_reviewed=date(2021, 2, 2), end=date(2021, 3, 1))
        is None
    )
    assert next_review_date(review_months=6, start=date(2021, 1, 1), last_reviewed=None, end=date(2021, 1, 10)) == date(
        2021, 1, 1
    )
    with pytest.raises(ValueError, match="negative"):
        next_review_date(review_months=-1, start=date(2021, 1, 1), last_reviewed=None, end=None)


@given(st.integers(min_value=1, max_value=12), dates, dates)
def test_a_review_always_pushes_the_next_review_later(months, start, reviewed):
    if reviewed < start:
        start, reviewed = reviewed, start
    before = next_review_date(review_months=months, start=start, last_reviewed=None, end=None)
    after = next_review_date(review_months=months, start=start, last_reviewed=reviewed, end=None)
    assert before is not None
    assert after is not None
    assert after >= before > start


def test_active_and_overdue():
    today = date(2026, 11, 23)
    assert is_active(start=date(2020, 1, 1), end=None, today=today)
    assert is_active(start=date(2020, 1, 1), end=date(2026, 11, 24), today=today)
    assert not is_active(start=date(2020, 1, 1), end=today, today=today)
    assert not is_active(start=date(2027, 1, 1), end=None, today=today)
    assert is_review_overdue(date(2026, 11, 22), today)
    assert not is_review_overdue(today, today)
    assert not is_review_overdue(None, today)


def test_key_date_orderings():
    ok = SentenceDates(
        sentence_date=date(2019, 9, 1),
        release=date(2022, 6, 15),
        conditional_release=None,
        parole_eligibility=None,
        licence_expiry=date(2023, 9, 1),
        sentence_expiry=date(2023, 9, 1),
        pss_end=None,
        offence_date=date(2019, 3, 2),
    )
    assert date_problems(ok) == []
    bad = SentenceDates(
        sentence_date=date(2019, 9, 1),
        release=date(2022, 6, 15),
        conditional_release=None,
        parole_eligibility=date(2018, 1, 1),
        licence_expiry=date(2022, 1, 1),
        sentence_expiry=date(2022, 1, 1),
        pss_end=date(2021, 1, 1),
        offence_date=date(2020, 1, 1),
    )
    fields = [f for f, _ in date_problems(bad)]
    assert fields == [
        "offence_date",
        "dates.parole_eligibility",
        "dates.licence_expiry",
        "dates.sentence_expiry",
        "dates.pss_end",
    ]
    assert days_until(date(2026, 12, 1), date(2026, 11, 23)) == 8
    assert days_until(None, date(2026, 11, 23)) is None


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 5000), st.integers(1, 3000))
def test_licence_expiry_before_release_is_always_a_problem(release, gap, served):
    d = SentenceDates(
        sentence_date=release - timedelta(days=served),
        release=release,
        conditional_release=None,
        parole_eligibility=None,
        licence_expiry=release - timedelta(days=gap),
        sentence_expiry=None,
        pss_end=None,
    )
    assert "dates.licence_expiry" in [f for f, _ in date_problems(d)]


def test_crn_shape():
    assert is_crn("X123456")
    for bad in ("x123456", "X12345", "X1234567", "XX23456", "", None, 123456):
        assert not is_crn(bad)
    assert normalise_crn(" x123456 ") == "X123456"
    assert normalise_crn("smith") is None


ids = st.frozensets(st.integers(1, 6), max_size=4)


@given(viewer=st.one_of(st.none(), st.integers(1, 6)), restricted=ids, excluded=ids)
def test_visibility_rule_properties(viewer, restricted, excluded):
    seen = may_see_case(is_system=False, viewer_staff_id=viewer, restricted_to=restricted, excluded=excluded)
    assert may_see_case(is_system=True, viewer_staff_id=viewer, restricted_to=restricted, excluded=excluded)
    if viewer is not None and viewer in excluded:
        assert not seen  # an exclusion always wins
    if restricted and viewer not in restricted:
        assert not seen  # only the listed staff see a restricted case
    if not restricted and not excluded:
        assert seen  # national visibility by default
