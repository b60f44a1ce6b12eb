"""Working days in England and Wales, and the instants that day-based deadlines fall at."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

# Probation in England and Wales works to London time; a deadline "by the end of day D" is midnight ending D there.
LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share one set of bank holidays (gov.uk/bank-holidays); `holidays` keeps them per subdivision.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=4096)
def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (0: `day` itself if it is a working day, else the next).
    Remembered per (day, count): a sweep asks the same few hundred sums for every case."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    current = day
    while not is_working_day(current):
        current += timedelta(days=1)
    remaining = count
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def end_of_day(day: date) -> datetime:
    """The instant a deadline "by day D" falls at: the midnight ending D, London time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)


def day_ended_by(instant: datetime) -> date | None:
    """The London day a deadline `end_of_day(D)` ends (D), or None when the instant is not a London midnight. A due
    instant at midnight is shown as "by the end of D", never as 12:00am on the next day (issue 20 try-out)."""
    here = instant.astimezone(LONDON)
    return here.date() - timedelta(days=1) if here.time() == time.min else None


def due_words(instant: datetime, at_time: str) -> str:
    """A due instant in words, one rule for pages and emails: "by the end of 25 December 2023" for a London midnight,
    otherwise the time as the caller writes it (`at_time`, already in London time: page or email style)."""
    day = day_ended_by(instant)
    return f"by the end of {day:%-d %B %Y}" if day is not None else at_time


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def on_london_clock(instant: datetime, delta: timedelta) -> datetime:
    """`instant` moved by `delta` on London's clocks, as a UTC instant: 8 weeks before a London midnight is a London
    midnight, whether `instant` came from a rule (London time) or from the database (UTC). Python adds a timedelta to
    an aware datetime on that datetime's own zone's clock, so the same sum written `due + offset` gave two instants an
    hour apart across a clock change, and a case's reminders depended on whether its action had been reloaded."""
    return (instant.astimezone(LONDON) + delta).astimezone(UTC)


def repeat_on_london_clock(start: datetime, every: timedelta, at: datetime, *, after: bool = False) -> datetime:
    """The latest instant `start + k × every` (k ≥ 0) at or before `at` on London's clocks (`after`: the first one after
    `at`), as a UTC instant: a daily reminder stays at the London hour it started at across a clock change, whatever
    zone the instants arrive in. A sum landing in the hour skipped in spring is read as the instant after the gap."""
    first = start.astimezone(LONDON).replace(tzinfo=None)
    now = at.astimezone(LONDON).replace(tzinfo=None)
    steps = max(0, (now - first) // every + (1 if after else 0))
    return (first + every * steps).replace(tzinfo=LONDON).astimezone(UTC)


def local_date(instant: datetime) -> date:
    if instant.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return instant.astimezone(LONDON).date()


def working_days_after(instant: datetime, count: int) -> datetime:
    """A deadline `count` working days after the day something happened: end of that working day."""
    return end_of_day(
        add_working_days(local_date(instant) + timedelta(days=1), count - 1) if count else local_date(instant)
    )
