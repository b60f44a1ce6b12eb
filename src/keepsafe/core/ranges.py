"""Issue 11 §4: the range a date or instant may fall in, so nothing out of range is ever stored.

A timestamp such as 9999-12-31T23:59:59-14:00 is valid ISO 8601 but cannot be converted to UTC; stored on
PostgreSQL it broke every page, export and import that read it back. Every date and instant that arrives from
outside (case bundles, the partner API) is checked against one of two ranges:

- something that happened (a birth, a sentence, a record, a contact that took place): from 1900 to no more than
  a day after now (a day's leeway for clocks and time zones);
- a date of a future event (release, licence or order expiry, a planned appointment, a review): from 1900 to
  100 years after now.

Pure: the caller passes "now". Source: issue 11 §4 (the ranges); ISO 8601 (the formats).
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta

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


def date_problem(value: date, when: When, today: date) -> str | None:
    """Why this date is out of range, or None."""
    if value < EARLIEST:
        return f"{value.isoformat()} is before {EARLIEST.isoformat()}; check the year"
    latest = latest_date(when, today)
    if value > latest:
        if when is When.HAPPENED:
            return f"{value.isoformat()} is in the future (after {latest.isoformat()}); it must have happened"
        return f"{value.isoformat()} is more than {PLANNED_YEARS} years ahead (after {latest.isoformat()})"
    return None


def instant_problem(value: datetime, when: When, now: datetime) -> str | None:
    """Why this instant (which must carry an offset) is out of range, or None.

    Compared as instants, never converted: an instant at the edge of the calendar cannot be converted to UTC.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        return "the instant needs an offset or Z"
    earliest = datetime.combine(EARLIEST, datetime.min.time(), tzinfo=UTC)
    if value < earliest:
        return f"{value.isoformat()} is before {EARLIEST.isoformat()}; check the year"
    if when is When.HAPPENED:
        latest = now + HAPPENED_LEEWAY
        if value > latest:
            return f"{value.isoformat()} is in the future (after {_utc(latest)}); it must have happened"
        return None
    latest = datetime.combine(latest_date(when, now.date()), now.timetz())
    if value > latest:
        return f"{value.isoformat()} is more than {PLANNED_YEARS} years ahead (after {_utc(latest)})"
    return None


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="minutes").replace("+00:00", "Z")
