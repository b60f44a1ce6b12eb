"""Working days in England and Wales, and the instants that day-based deadlines fall at."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
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


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (0: `day` itself if it is a working day, else the next)."""
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


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def local_date(instant: datetime) -> date:
    if instant.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return instant.astimezone(LONDON).date()


def working_days_after(instant: datetime, count: int) -> datetime:
    """A deadline `count` working days after the day something happened: end of that working day."""
    return end_of_day(
        add_working_days(local_date(instant) + timedelta(days=1), count - 1) if count else local_date(instant)
    )
