"""Issue 11 §4: the range a date or instant may fall in, so nothing out of range is ever stored.

A timestamp such as 9999-12-31T23:59:59-14:00 is valid ISO 8601 but cannot be converted to UTC; stored on
PostgreSQL it broke every page, export and import that read it back. Every date and instant that arrives from
outside (case bundles, the partner API) is checked against one of two ranges:

- something that happened (a birth, a sentence, a record, a contact that took place): from 1900 to no more than
  a day after now (a day's leeway for clocks and time zones);
- a date of a future event (release, licence or order expiry, a planned appointment, a review): from 1900 to
  100 years after now.

A reason read by a machine (a bundle import, the partner API) writes dates in ISO 8601, as they were sent; one shown on
a form (`words=True`) writes them as GOV.UK does, "3 December 2026" and "2:30pm on 3 December 2026" in London time
(a try-out found "2026-12-03T00:00:00+00:00" in a form's error message).

Pure: the caller passes "now". Source: issue 11 §4 (the ranges); ISO 8601 (the formats).
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta

from keepsafe.core.dates import LONDON, day_words, instant_words, time_words

EARLIEST = date(1900, 1, 1)
HAPPENED_LEEWAY = timedelta(days=1)
PLANNED_YEARS = 100


class When(enum.StrEnum):
    HAPPENED = "HAPPENED"  # has taken place: not after now (plus a day's leeway)
    PLANNED = "PLANNED"  # a date of a future event, or one in the past: within 100 years of now


def latest_date(when: When, today: date) -> date:
    if when is When.HAPPENED:
        return today + HAPPENED_LEEWAY
    try:
        return today.replace(year=today.year + PLANNED_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLANNED_YEARS, day=28)


def date_problem(value: date, when: When, today: date, *, words: bool = False) -> str | None:
    """Why this date is out of range, or None; its dates in words when `words` (a form), else ISO 8601."""

    def shown(day: date) -> str:
        return day_words(day) if words else day.isoformat()

    if value < EARLIEST:
        return f"{shown(value)} is before {shown(EARLIEST)}; check the year"
    latest = latest_date(when, today)
    if value > latest:
        if when is When.HAPPENED:
            return f"{shown(value)} is in the future (after {shown(latest)}); it must have happened"
        return f"{shown(value)} is more than {PLANNED_YEARS} years ahead (after {shown(latest)})"
    return None


def instant_problem(value: datetime, when: When, now: datetime, *, words: bool = False) -> str | None:
    """Why this instant (which must carry an offset) is out of range, or None; its instants in words, in London
    time, when `words` (a form), else ISO 8601.

    Compared as instants, never converted: an instant at the edge of the calendar cannot be converted to UTC.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        return "the instant needs an offset or Z"

    def shown(instant: datetime) -> str:
        if not words:
            return instant.isoformat()
        try:
            return instant_words(instant, LONDON)
        except OverflowError:  # at the edge of the calendar: as written, in its own offset
            return f"{time_words(instant)} on {day_words(instant)}"

    earliest = datetime.combine(EARLIEST, datetime.min.time(), tzinfo=UTC)
    if value < earliest:
        return f"{shown(value)} is before {_earliest(words)}; check the year"
    if when is When.HAPPENED:
        latest = now + HAPPENED_LEEWAY
        if value > latest:
            after = shown(latest) if words else _utc(latest)
            return f"{shown(value)} is in the future (after {after}); it must have happened"
        return None
    latest = datetime.combine(latest_date(when, now.date()), now.timetz())
    if value > latest:
        after = shown(latest) if words else _utc(latest)
        return f"{shown(value)} is more than {PLANNED_YEARS} years ahead (after {after})"
    return None


def _earliest(words: bool) -> str:
    return day_words(EARLIEST) if words else EARLIEST.isoformat()


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="minutes").replace("+00:00", "Z")
