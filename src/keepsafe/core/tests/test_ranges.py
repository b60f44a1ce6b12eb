"""Issue 11 §4: the range rule for dates and instants, over generated values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.ranges import EARLIEST, When, date_problem, instant_problem, latest_date

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
instants = st.datetimes(timezones=offsets)


@given(instants, st.sampled_from(When))
def test_any_instant_gets_an_answer_and_never_an_overflow(value, when):
    problem = instant_problem(value, when, NOW)
    in_range = (
        datetime(1900, 1, 1, tzinfo=UTC)
        <= value
        <= (NOW + timedelta(days=1) if when is When.HAPPENED else datetime(2126, 12, 1, 12, 0, tzinfo=UTC))
    )
    assert (problem is None) == in_range


@given(st.dates(), st.sampled_from(When))
def test_any_date_gets_an_answer(value, when):
    problem = date_problem(value, when, NOW.date())
    assert (problem is None) == (EARLIEST <= value <= latest_date(when, NOW.date()))


def test_the_instant_that_broke_postgresql_is_refused_with_a_reason():
    value = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14)))
    assert instant_problem(value, When.HAPPENED, NOW) == (
        "9999-12-31T23:59:59-14:00 is in the future (after 2026-12-02T12:00Z); it must have happened"
    )
    assert "more than 100 years ahead" in (instant_problem(value, When.PLANNED, NOW) or "")


def test_a_day_of_leeway_and_a_leap_day_hundred_years_on():
    assert instant_problem(NOW + timedelta(hours=23), When.HAPPENED, NOW) is None
    assert date_problem(date(2000, 2, 29), When.PLANNED, date(2000, 2, 29)) is None
    assert latest_date(When.PLANNED, date(2000, 2, 29)) == date(2100, 2, 28)
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 — the point of the test
    assert instant_problem(naive, When.HAPPENED, NOW) == "the instant needs an offset or Z"
