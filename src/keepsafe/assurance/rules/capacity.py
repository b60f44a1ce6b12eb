"""The capacity measure on the delivery dashboards: practitioners within capacity, and the unit's capacity %.

Source: hmpps.md §2c (capacity = points ÷ available points × 100; at or over 100 % is over capacity) and issue 17
item 1 (delivery dashboards show capacity % as a numerator / denominator). A practitioner with no available points
cannot be measured and is left out of both the count and the unit's sums.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


@dataclass(frozen=True)
class Load:
    """One practitioner at an instant: their points, available points and capacity % as the workload tool shows it
    (the ratio rounded to 3 places, × 100; None when there are no available points)."""

    points: int
    available_points: int
    percent: Decimal | None


@dataclass(frozen=True)
class CapacityFigure:
    """`within` of `measured` practitioners under 100 %; the unit's Σ points ÷ Σ available points (measured only)."""

    within: int
    measured: int
    points: int
    available_points: int

    @property
    def rate(self) -> float | None:
        """The share within capacity, or None when no practitioner could be measured (undefined, never 0)."""
        return self.within / self.measured if self.measured else None

    @property
    def unit_percent(self) -> Fraction | None:
        """Σ points ÷ Σ available points × 100, exact; None when nothing is available."""
        return Fraction(self.points * 100, self.available_points) if self.available_points > 0 else None


class NoFigure(StrEnum):
    """Why an instant has no capacity figure: it is after now, or before Keepsafe's first record of the unit's
    caseloads (before it their caseloads are unknown, not empty: counting them as empty would show everyone within
    capacity)."""

    NOT_STARTED = "Not yet: the month has not started"
    BEFORE_RECORDS = "No records: before Keepsafe's first record of these caseloads"


def no_figure_at(instant: datetime, records_begin: datetime | None) -> NoFigure | None:
    """BEFORE_RECORDS when the instant is before the records begin (or there are no records), else None."""
    return NoFigure.BEFORE_RECORDS if records_begin is None or instant < records_begin else None


def measured(load: Load) -> bool:
    return load.percent is not None and load.available_points > 0


def within_capacity(load: Load) -> bool:
    """Under 100 % as the workload tool shows it (at or over 100 % shows red: is_over_capacity)."""
    return load.percent is not None and load.percent < 100


def capacity_figure(loads: Iterable[Load]) -> CapacityFigure:
    within = count = points = available = 0
    for load in loads:
        if not measured(load):
            continue
        count += 1
        within += within_capacity(load)
        points += load.points
        available += load.available_points
    return CapacityFigure(within, count, points, available)


def format_unit_percent(value: Fraction | None) -> str:
    """One decimal place, half up ("93.3%"); "–" when it cannot be measured."""
    if value is None:
        return "–"
    tenths = (value * 10 * 2 + 1) // 2  # half up, exact
    return f"{tenths // 10}.{tenths % 10}%"
