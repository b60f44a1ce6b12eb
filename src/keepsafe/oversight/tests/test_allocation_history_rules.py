"""Issue 15 (helper "allochist"): the pure allocation-history rules — the whole-day periods read from holder changes,
and every way a history can be wrong (oversight.rules.allocation_history)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.oversight.rules.allocation import AllocationReason
from keepsafe.oversight.rules.allocation_history import (
    Period,
    history_problems,
    holder_changes,
    holder_on,
    periods_from_changes,
)

STAFF = ("STF0001", "STF0002", "STF0003")
TODAY = date(2026, 12, 2)
REASONS = [r.value for r in AllocationReason]


@st.composite
def histories(draw: st.DrawFn) -> list[Period]:
    """Valid histories: oldest first, each period at least a day, gaps allowed, a holder never follows themselves
    without a gap, the last open or closed."""
    count = draw(st.integers(0, 6))
    day = date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    periods: list[Period] = []
    for index in range(count):
        previous = periods[-1] if periods else None
        start = day
        if previous is not None and previous.end == start:
            staff = draw(st.sampled_from([s for s in STAFF if s != previous.staff]))
        else:
            staff = draw(st.sampled_from(STAFF))
        last = index == count - 1
        end = None if last and draw(st.booleans()) else start + timedelta(days=draw(st.integers(1, 500)))
        periods.append(Period(staff, start, end, draw(st.sampled_from(REASONS))))
        if end is not None:
            day = end + timedelta(days=draw(st.sampled_from([0, 0, 1, 30])))
    return periods


def _changes(periods: list[Period]) -> list[tuple[date, str | None]]:
    """What versions an import writes for a history: each holder from their first day, nobody from a gap's start."""
    out: list[tuple[date, str | None]] = []
    starts = {p.start for p in periods}
    for p in periods:
        out.append((p.start, p.staff))
        if p.end is not None and p.end not in starts:
            out.append((p.end, None))
    return sorted(out, key=lambda c: c[0])


def _practitioner(periods: list[Period]) -> str | None:
    return periods[-1].staff if periods and periods[-1].end is None else None


@given(histories())
def test_generated_histories_are_valid_and_read_back_from_their_changes(periods: list[Period]) -> None:
    assert history_problems(periods, practitioner=_practitioner(periods), staff=set(STAFF), today=TODAY) == []
    reasons = {(p.staff, p.start): p.reason for p in periods}
    assert periods_from_changes(_changes(periods), reasons) == periods


@given(histories(), st.integers(0, 4000))
def test_holder_on_a_day_is_the_period_holding_it(periods: list[Period], offset: int) -> None:
    day = date(2014, 6, 1) + timedelta(days=offset)
    holders = [p.staff for p in periods if p.start <= day and (p.end is None or day < p.end)]
    assert len(holders) <= 1
    assert holder_on(periods, day) == (holders[0] if holders else None)


def test_a_holder_for_less_than_a_day_is_left_out_and_the_same_holder_again_is_one_period() -> None:
    d1, d2, d3 = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
    changes = [(d1, "STF0001"), (d2, "STF0002"), (d2, "STF0001"), (d3, None)]
    assert periods_from_changes(changes, {}) == [Period("STF0001", d1, d3, "INITIAL_ALLOCATION")]
    # After a gap the next holder is an initial allocation; a change of holder with no decision is "Other".
    changes = [(d1, "STF0001"), (d2, "STF0002"), (d3, None), (date(2024, 4, 1), "STF0003")]
    reasons = [p.reason for p in periods_from_changes(changes, {})]
    assert reasons == ["INITIAL_ALLOCATION", "OTHER", "INITIAL_ALLOCATION"]
    assert periods_from_changes(changes, {("STF0002", d2): "RISK_TO_STAFF"})[1].reason == "RISK_TO_STAFF"


def test_versions_known_from_the_same_instant_read_as_the_last() -> None:
    at = datetime.combine(date(2024, 1, 1), time.min, tzinfo=UTC)
    later = at + timedelta(hours=3)
    versions = [(at, at.date(), "STF0001"), (at, at.date(), "STF0002"), (later, later.date(), "STF0003")]
    assert holder_changes(versions) == [(at.date(), "STF0002"), (later.date(), "STF0003")]


def period(staff: str, start: str, end: str | None, reason: str = "INITIAL_ALLOCATION") -> Period:
    return Period(staff, date.fromisoformat(start), date.fromisoformat(end) if end else None, reason)


@pytest.mark.parametrize(
    ("periods", "practitioner", "where", "words"),
    [
        ([period("NOBODY", "2024-01-01", None)], "NOBODY", (0, "staff"), "no staff member with code 'NOBODY'"),
        ([period("STF0001", "2024-01-01", None, "BORED")], "STF0001", (0, "reason"), "unknown reason 'BORED'"),
        ([period("STF0001", "2024-01-01", "2023-12-31")], None, (0, "to"), "is before from 2024-01-01"),
        ([period("STF0001", "2024-01-01", "2024-01-01")], None, (0, "to"), "at least a day"),
        ([period("STF0001", "2024-01-01", None)], "STF0001", None, None),
        (
            [period("STF0001", "2024-01-01", "2024-03-01"), period("STF0002", "2024-02-01", None)],
            "STF0002",
            (1, "from"),
            "overlaps allocations[0] (STF0001 from 2024-01-01 to 2024-03-01)",
        ),
        (
            [period("STF0001", "2024-01-01", None), period("STF0002", "2024-02-01", None)],
            "STF0002",
            (1, "from"),
            "with no end (to: null)",
        ),
        (
            [period("STF0002", "2024-02-01", None), period("STF0001", "2024-01-01", "2024-01-20")],
            None,
            (1, "from"),
            "list oldest first",
        ),
        (
            [period("STF0001", "2024-01-01", "2024-02-01"), period("STF0001", "2024-02-01", None)],
            "STF0001",
            (1, "staff"),
            "one period, not two",
        ),
        ([period("STF0001", "2024-01-01", None)], "STF0002", (0, "staff"), "the person's practitioner is STF0002"),
        ([period("STF0001", "2024-01-01", None)], None, (0, "staff"), "the person has no practitioner"),
        (
            [period("STF0001", "2024-01-01", "2024-05-01")],
            "STF0001",
            (None, ""),
            "no open period (to: null) names them",
        ),
        ([], "STF0001", (None, ""), "no open period"),
        ([period("STF0001", "2027-01-01", None)], "STF0001", (0, "from"), "is after today"),
    ],
)
def test_each_wrong_history_says_exactly_what_is_wrong(
    periods: list[Period], practitioner: str | None, where: tuple[int | None, str] | None, words: str | None
) -> None:
    problems = history_problems(periods, practitioner=practitioner, staff=set(STAFF), today=TODAY)
    if where is None:
        assert problems == []
        return
    found = [why for index, field, why in problems if (index, field) == where]
    assert found, problems
    assert words in found[0], problems
