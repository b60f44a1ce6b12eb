"""Delivery measures: the share of things done in time, over items due (or started) in a period.

Source: HM Inspectorate of Probation's case questions behind seeds/002 and seeds/004 (domestic abuse checks 55%,
safeguarding 59%, enforcement 27 of 70, requirements started late 47%); Keepsafe's own deadlines (docs/actions.md).
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


class Measure(enum.StrEnum):
    DOMESTIC_ABUSE_CHECKS = "DOMESTIC_ABUSE_CHECKS"
    SAFEGUARDING_CHECKS = "SAFEGUARDING_CHECKS"
    ENFORCEMENT_DECISIONS = "ENFORCEMENT_DECISIONS"
    REQUIREMENT_STARTS = "REQUIREMENT_STARTS"
    RISK_ASSESSMENTS = "RISK_ASSESSMENTS"
    RISK_REVIEWS = "RISK_REVIEWS"
    RECALLS_24 = "RECALLS_24"
    RECALLS_48 = "RECALLS_48"
    RECALLS_72 = "RECALLS_72"
    FLAG_REVIEWS = "FLAG_REVIEWS"
    OVERSIGHT_TOUCHPOINTS = "OVERSIGHT_TOUCHPOINTS"


LABELS = {
    Measure.DOMESTIC_ABUSE_CHECKS: "Domestic abuse checks made in time (before release, or after sentence)",
    Measure.SAFEGUARDING_CHECKS: "Safeguarding checks made in time (before release, or after sentence)",
    Measure.ENFORCEMENT_DECISIONS: "Enforcement decision within 2 working days of a failure to attend",
    Measure.REQUIREMENT_STARTS: "Requirements started on time",
    Measure.RISK_ASSESSMENTS: "Risk assessments in date (after sentence, release or a new event)",
    Measure.RISK_REVIEWS: "Risk reviews after new information closed within their due time",
    Measure.RECALLS_24: "Recalls executed within 24 hours of the decision",
    Measure.RECALLS_48: "Recalls executed within 48 hours of the decision",
    Measure.RECALLS_72: "Recalls executed within 72 hours of the decision",
    Measure.FLAG_REVIEWS: "Flags (registrations) reviewed on time",
    Measure.OVERSIGHT_TOUCHPOINTS: "SPO oversight notes made on time at the oversight touch points",
}
RECALL_HOURS = {Measure.RECALLS_24: 24, Measure.RECALLS_48: 48, Measure.RECALLS_72: 72}


@dataclass(frozen=True)
class Due:
    """One thing that had to be done by `due` on case `case` (a person's id); `done_at` None while not done."""

    case: int
    due: datetime
    done_at: datetime | None


@dataclass(frozen=True)
class Span:
    """Something started at `start` (a recall decided) and finished at `end` (executed), or not yet."""

    case: int
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class Figure:
    """numerator of denominator, with the cases behind each (a case may count more than once: one per item)."""

    numerator: int
    denominator: int
    met: tuple[int, ...] = ()
    missed: tuple[int, ...] = ()

    @property
    def rate(self) -> float | None:
        """The share met, or None when nothing was due (undefined, never 0)."""
        return self.numerator / self.denominator if self.denominator else None


def on_time(items: Iterable[Due], start: datetime, end: datetime, as_of: datetime) -> Figure:
    """Of items due in [start, end) and no later than `as_of` (a deadline still to come is not yet known), those
    done by their deadline. An item done late, or not done, is missed."""
    met: list[int] = []
    missed: list[int] = []
    for item in items:
        if not (start <= item.due < end and item.due <= as_of):
            continue
        (met if item.done_at is not None and item.done_at <= item.due else missed).append(item.case)
    return Figure(len(met), len(met) + len(missed), tuple(sorted(met)), tuple(sorted(missed)))


def within(spans: Iterable[Span], hours: int, start: datetime, end: datetime, as_of: datetime) -> Figure:
    """Of spans started in [start, end), those finished within `hours`. One still open whose time has not run out
    by `as_of` is left out (it may yet be met); one open past its time is missed."""
    limit = timedelta(hours=hours)
    met: list[int] = []
    missed: list[int] = []
    for span in spans:
        if not start <= span.start < end:
            continue
        if span.end is not None and span.end - span.start <= limit:
            met.append(span.case)
        elif span.end is not None or span.start + limit <= as_of:
            missed.append(span.case)
    return Figure(len(met), len(met) + len(missed), tuple(sorted(met)), tuple(sorted(missed)))


def _bucket(bounds: Sequence[datetime], at: datetime) -> int | None:
    """The index of the period [bounds[i], bounds[i + 1]) holding `at`, or None when it is in none."""
    i = bisect_right(bounds, at) - 1
    return i if 0 <= i < len(bounds) - 1 else None


def _figures(met: list[list[int]], missed: list[list[int]]) -> list[Figure]:
    return [
        Figure(len(a), len(a) + len(b), tuple(sorted(a)), tuple(sorted(b))) for a, b in zip(met, missed, strict=True)
    ]


def on_time_by_period(items: Iterable[Due], bounds: Sequence[datetime], as_of: datetime) -> list[Figure]:
    """`on_time` for each of the consecutive periods [bounds[i], bounds[i + 1]) (a dashboard's months), in one pass
    over the items whatever the number of periods: each item falls in at most one. `bounds` ascending."""
    met: list[list[int]] = [[] for _ in bounds[1:]]
    missed: list[list[int]] = [[] for _ in bounds[1:]]
    for item in items:
        i = _bucket(bounds, item.due)
        if i is None or item.due > as_of:
            continue
        (met if item.done_at is not None and item.done_at <= item.due else missed)[i].append(item.case)
    return _figures(met, missed)


def within_by_period(spans: Iterable[Span], hours: int, bounds: Sequence[datetime], as_of: datetime) -> list[Figure]:
    """`within` for each of the consecutive periods [bounds[i], bounds[i + 1]), in one pass over the spans."""
    limit = timedelta(hours=hours)
    met: list[list[int]] = [[] for _ in bounds[1:]]
    missed: list[list[int]] = [[] for _ in bounds[1:]]
    for span in spans:
        i = _bucket(bounds, span.start)
        if i is None:
            continue
        if span.end is not None and span.end - span.start <= limit:
            met[i].append(span.case)
        elif span.end is not None or span.start + limit <= as_of:
            missed[i].append(span.case)
    return _figures(met, missed)


# Measures whose actions the sweep opens only while the thing is still open (a flag's current review date, a review
# after new information while its newest record is in view): before Keepsafe's first sweep it saw only the ones still
# undone, so their records begin at the first sweep. The others the first sweep opens for any trigger in its look-back
# (actions/rules/policy.py trigger_lookback_days), so their records begin that long before it.
# Oversight touch points too: those at set intervals (a trainee's case, high RoSH) are opened only when due, so before
# the first sweep only the ones still open were seen (second try-out: March 7 of 10, April 73 of 95 against about
# 260 a month once sweeping).
CHASED_WHILE_OPEN = frozenset({Measure.FLAG_REVIEWS, Measure.RISK_REVIEWS, Measure.OVERSIGHT_TOUCHPOINTS})


def records_begin(measure: Measure, first_sweep: datetime | None, lookback_days: int) -> datetime | None:
    """The first due instant a measure can count without survivor bias (issue 17 try-out: flag reviews from 2021 read
    0% every month, because only reviews still undone when Keepsafe first swept had actions). Recalls are read from
    the recall record itself, so they have no such start (None: from any time); with no sweep yet there is no action
    to count, so None too."""
    if measure in RECALL_HOURS or first_sweep is None:
        return None
    return first_sweep if measure in CHASED_WHILE_OPEN else first_sweep - timedelta(days=lookback_days)


def month_buckets(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar months covering [first, last]: (first day, first day of the next month), clipped to the period."""
    out: list[tuple[date, date]] = []
    cursor = first
    while cursor <= last:
        nxt = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
        out.append((cursor, min(nxt, last + timedelta(days=1))))
        cursor = nxt
    return out


def trend(figures: Sequence[Figure]) -> list[float | None]:
    return [f.rate for f in figures]
