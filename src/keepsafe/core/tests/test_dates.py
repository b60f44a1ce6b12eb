"""core/dates.py: a form's date and time boxes read with the digits 0 to 9 only, times the clocks skip refused, a
time in the repeated hour refused until BST or GMT is chosen, and dates and times in messages written as GOV.UK
writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.core.dates import (
    LONDON,
    READINGS,
    DateError,
    date_anchor,
    date_example,
    date_from_parts,
    date_parts_at_fault,
    day_words,
    instant_words,
    is_number,
    local_instant,
    read_date,
    reading_words,
    repeated_readings,
    time_from_text,
    time_words,
)
from keepsafe.core.ranges import When, date_problem, instant_problem

# Characters int() reads as a digit that are not 0 to 9 (str.isdigit() is True for each, and for "²" too).
NOT_ASCII_DIGIT = st.characters(categories=["Nd"]).filter(lambda c: c not in "0123456789")


@given(NOT_ASCII_DIGIT, st.sampled_from(["day", "month", "year"]))
def test_any_other_scripts_digit_is_refused_naming_the_box(digit, part):
    boxes = {"day": "3", "month": "12", "year": "2026"}
    boxes[part] = digit + boxes[part][1:]
    assert date_from_parts(boxes["day"], boxes["month"], boxes["year"], "the date") == (
        f"Enter the {part} using the digits 0 to 9"
    )


@given(NOT_ASCII_DIGIT)
def test_a_time_in_other_digits_is_refused(digit):
    assert time_from_text(f"1{digit}:30", "the time") == "Enter the time using the digits 0 to 9, like 14:30"
    assert not is_number(digit)


@given(st.text(alphabet="0123456789", min_size=1, max_size=6000))
def test_a_number_is_one_int_can_always_read(text):
    """Python refuses to read an integer of more than 4,300 digits (`?page=` and 5,000 nines was a 500)."""
    assert is_number(text) == (len(text) <= 18)
    if is_number(text):
        assert int(text) >= 0


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_real_date_in_ascii_digits_is_read(day):
    assert date_from_parts(str(day.day), f"{day.month:02d}", f"{day.year:04d}", "the date") == day


@pytest.mark.parametrize(
    ("boxes", "reason"),
    [
        (("", "", ""), "Enter the start date"),
        (("1", "", ""), "The start date must include a month and a year"),
        (("31", "2", "2026"), "The start date must be a real date, like 27 3 2026"),
        (("1", "1", "26"), "The year of the start date must be 4 digits, like 2026"),
        (("1", "1", "２０２６"), "Enter the year of the start date using the digits 0 to 9"),
        (("1", "99999999999999999999", "2026"), "The start date must be a real date: the month must be from 1 to 12"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(boxes, reason):
    assert date_from_parts(*boxes, "the start date") == reason


@pytest.mark.parametrize(
    ("boxes", "reason", "parts"),
    [
        (("1", "March", "2026"), "Enter the month using the digits 0 to 9", ("month",)),
        (("1", "3", "26"), "The year must be 4 digits, like 2026", ("year",)),
        (("32", "3", "2026"), "The date must be a real date: the day must be from 1 to 31", ("day",)),
        (("1", "13", "2026"), "The date must be a real date: the month must be from 1 to 12", ("month",)),
        (("", "3", ""), "The date must include a day and a year", ("day", "year")),
        (
            ("x", "March", "2026"),
            "The date must be a real date: enter the day and month using the digits 0 to 9, like 27 3 2026",
            ("day", "month"),
        ),
        (
            ("1", "March", "26"),
            "The date must be a real date: enter the month using the digits 0 to 9 and the year as 4 digits, "
            "like 27 3 2026",
            ("month", "year"),
        ),
        (
            ("40", "13", "2026"),
            "The date must be a real date: enter the day from 1 to 31 and the month from 1 to 12, like 27 3 2026",
            ("day", "month"),
        ),
        (("31", "2", "2026"), "The date must be a real date, like 27 3 2026", ("day", "month", "year")),
        (("", "", ""), "Enter the date", ("day", "month", "year")),
    ],
)
def test_the_boxes_at_fault_are_named_and_only_they_are_marked(boxes, reason, parts):
    """Try-out round 2: month "March" or year "26" linked the error summary to the day box and marked all three. The
    error names every box at fault in one message; only those are marked, the first is linked; a whole date that is
    wrong (31 February) marks all three and links the day."""
    found = read_date(*boxes, "the date")
    assert isinstance(found, DateError)
    assert (found.message, found.parts) == (reason, parts)
    assert date_parts_at_fault(*boxes) == parts
    assert date_anchor("at", *boxes) == f"at-{parts[0]}"


def test_a_date_that_reads_but_is_refused_for_another_reason_marks_every_box():
    assert date_parts_at_fault("1", "1", "1899") == ("day", "month", "year")
    assert date_anchor("from", "1", "1", "1899") == "from-day"


def test_a_time_the_clocks_skip_is_refused_saying_so():
    assert local_instant(date(2026, 3, 29), time(1, 30), LONDON) == (
        "1:30am on 29 March 2026 does not exist in the UK: clocks went forward at 1am"
    )
    assert isinstance(local_instant(date(2026, 3, 29), time(1, 0), LONDON), str)
    assert local_instant(date(2026, 3, 29), time(0, 59), LONDON) == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert local_instant(date(2026, 3, 29), time(2, 0), LONDON) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_time_the_clocks_repeat_is_refused_naming_both_until_one_is_chosen():
    """Try-out: 1:30am on 25 October 2026 was taken as the first (BST) without asking."""
    day, moment = date(2026, 10, 25), time(1, 30)
    assert local_instant(day, moment, LONDON) == (
        "1:30am on 25 October 2026 happens twice because the clocks go back: choose 1:30am BST or 1:30am GMT"
    )
    assert local_instant(day, moment, LONDON, "nonsense") == local_instant(day, moment, LONDON)
    first, second = local_instant(day, moment, LONDON, "first"), local_instant(day, moment, LONDON, "second")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    both = repeated_readings(day, moment, LONDON)
    assert both is not None
    assert [r.astimezone(UTC) for r in both] == [first, second]
    assert [reading_words(r) for r in both] == ["1:30am BST", "1:30am GMT"]
    # Either side of the repeated hour there is one reading, and a choice is ignored.
    assert local_instant(day, time(0, 59), LONDON, "second") == datetime(2026, 10, 24, 23, 59, tzinfo=UTC)
    assert local_instant(day, time(2, 0), LONDON, "first") == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
    assert repeated_readings(day, time(2, 0), LONDON) is None


def _clock_changes() -> list[datetime]:
    """Every instant the UK clocks change in 2020..2030: 1am UTC on the last Sunday of March and of October."""
    changes = []
    for year in range(2020, 2031):
        for month in (3, 10):
            last = date(year, month, 31)
            changes.append(datetime.combine(last - timedelta(days=(last.weekday() + 1) % 7), time(1), tzinfo=UTC))
    return changes


# Any instant of 2020..2030, and as often one within three hours of a clock change (a uniform draw almost never
# lands in the one hour a year that happens twice).
INSTANTS = st.one_of(
    st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 (bounds of a UTC strategy)
        max_value=datetime(2030, 12, 31, 23, 59),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.builds(
        lambda change, minutes: change + timedelta(minutes=minutes),
        st.sampled_from(_clock_changes()),
        st.integers(min_value=-180, max_value=180),
    ),
)


def test_the_clock_changes_are_where_london_changes_offset():
    for change in _clock_changes():
        before, after = (change - timedelta(minutes=1)).astimezone(LONDON), change.astimezone(LONDON)
        assert before.utcoffset() != after.utcoffset()


@given(INSTANTS)
def test_every_instant_entered_as_london_time_is_read_back_or_asked_about(instant):
    """Any instant in 2020..2030, typed as the London wall time it shows: accepted as that very instant when the wall
    time happens once, else refused as happening twice, and then the reading it was in gives it back."""
    instant = instant.replace(second=0, microsecond=0)
    local = instant.astimezone(LONDON)
    found = local_instant(local.date(), local.time(), LONDON)
    if isinstance(found, str):
        assert "happens twice because the clocks go back: choose" in found
        assert local_instant(local.date(), local.time(), LONDON, READINGS[local.fold]) == instant
    else:
        assert found == instant


@given(INSTANTS.map(lambda i: i.replace(tzinfo=None, second=0, microsecond=0)), st.sampled_from(READINGS))
def test_every_wall_time_is_accepted_once_or_refused_as_a_gap_or_as_repeated(wall, reading):
    found = local_instant(wall.date(), wall.time(), LONDON)
    both = repeated_readings(wall.date(), wall.time(), LONDON)
    if isinstance(found, str) and both is None:
        assert "does not exist in the UK: clocks went forward at 1am" in found
        assert isinstance(local_instant(wall.date(), wall.time(), LONDON, reading), str)
    elif isinstance(found, str):
        assert found.endswith(f"choose {reading_words(both[0])} or {reading_words(both[1])}")
        assert both[1].astimezone(UTC) - both[0].astimezone(UTC) == timedelta(hours=1)
        chosen = local_instant(wall.date(), wall.time(), LONDON, reading)
        assert isinstance(chosen, datetime)
        assert chosen.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == wall
    else:
        assert both is None
        assert found.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == wall
        assert local_instant(wall.date(), wall.time(), LONDON, reading) == found


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))  # noqa: DTZ001 (wall times)
def test_every_wall_time_is_either_refused_or_read_back_unchanged(wall):
    found = local_instant(wall.date(), wall.time().replace(second=0, microsecond=0), LONDON)
    if isinstance(found, str):
        assert "does not exist in the UK: clocks went forward at 1am" in found or "happens twice" in found
    else:
        assert found.astimezone(LONDON).replace(tzinfo=None) == wall.replace(second=0, microsecond=0)


def test_dates_and_times_in_words():
    assert day_words(date(2026, 12, 3)) == "3 December 2026"
    assert [time_words(time(h, m)) for h, m in ((14, 30), (10, 0), (0, 0), (12, 0), (0, 5))] == [
        "2:30pm",
        "10am",
        "midnight",
        "midday",
        "12:05am",
    ]
    assert instant_words(datetime(2026, 7, 1, 13, 30, tzinfo=UTC)) == "2:30pm on 1 July 2026"


def test_a_forms_range_problem_has_no_machine_timestamp():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    late = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    assert instant_problem(late, When.HAPPENED, now, words=True) == (
        "midnight on 5 December 2026 is in the future (after midday on 3 December 2026); it must have happened"
    )
    assert date_problem(date(1899, 12, 3), When.HAPPENED, now.date(), words=True) == (
        "3 December 1899 is before 1 January 1900; check the year"
    )
    # A bundle's or the API's reason keeps ISO 8601, as it was sent (docs/bundle-format.md).
    assert (
        date_problem(date(1899, 12, 3), When.HAPPENED, now.date()) == "1899-12-03 is before 1900-01-01; check the year"
    )


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(9998, 12, 31)))
def test_a_hints_example_date_is_on_the_side_of_today_the_form_asks_for(today):
    """A try-out: the contact form (a date in the past) gave "For example, 27 3 2027", a date still to come."""
    for when, later in (("past", False), ("future", True)):
        hint = date_example(today, when)
        day, month, year = (int(n) for n in hint.removeprefix("For example, ").split())
        example = date(year, month, day)
        assert (example > today) if later else (example < today)
        assert abs((example - today).days) <= 366


def test_a_hints_example_date_in_words():
    assert date_example(date(2026, 11, 23), "past") == "For example, 27 3 2026"
    assert date_example(date(2026, 11, 23), "future") == "For example, 27 3 2027"
    assert date_example(date(2026, 3, 27), "past") == "For example, 27 3 2025"  # not today itself
    assert date_example(date(2026, 3, 27), "future") == "For example, 27 3 2027"
    assert date_example(date(2026, 1, 5), "future") == "For example, 27 3 2026"
    with pytest.raises(ValueError, match="past"):
        date_example(date(2026, 1, 5), "soon")


def test_the_hour_the_clocks_go_back_says_bst_or_gmt_and_no_other_hour_does():
    from keepsafe.core.dates import LONDON, clock_words

    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC).astimezone(LONDON)
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC).astimezone(LONDON)
    assert clock_words(first) == "25 October 2026 at 01:30 BST"
    assert clock_words(second) == "25 October 2026 at 01:30 GMT"
    assert instant_words(first) == "1:30am BST on 25 October 2026"
    assert clock_words(datetime(2026, 10, 25, 2, 30, tzinfo=UTC).astimezone(LONDON)) == "25 October 2026 at 02:30"
    assert clock_words(datetime(2026, 3, 29, 1, 30, tzinfo=UTC).astimezone(LONDON)) == "29 March 2026 at 02:30"


def test_no_two_instants_read_the_same_on_the_clock_across_the_autumn_night():
    # every minute from 22:00 UTC the night before to 04:00 UTC: the words tell each instant apart
    from datetime import timedelta

    from keepsafe.core.dates import LONDON, clock_words
    from keepsafe.web.jinja import _datetime

    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    minutes = [start + timedelta(minutes=n) for n in range(6 * 60)]
    words = [clock_words(m.astimezone(LONDON)) for m in minutes]
    assert len(set(words)) == len(words)
    assert [_datetime(m) for m in minutes] == words  # the pages' filter is the same words
