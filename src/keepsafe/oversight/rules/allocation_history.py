"""A case's allocation history: who held it from which day to which day, and why (issue 15 "Interfaces": the bundle's
per-person `allocations`; docs/bundle-format.md "allocations", docs/workforce.md "Allocation history").

Reasons are the reallocation reasons of hmpps.md §2d (oversight.rules.allocation.AllocationReason). Days are whole:
a period runs from `start` (inclusive) to `end` (exclusive: the day the next holder took over, or the case was left
unallocated); `end` None is the open period, the practitioner who holds the case now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from keepsafe.oversight.rules.allocation import AllocationReason

# A period no recorded decision explains (migrated history, a transfer accepted, an allocation from before decisions
# were recorded): the first holder, or the first after a stretch with nobody, was an initial allocation; any other
# change of holder is "Other" (hmpps.md §2d has no "unknown").
FIRST_REASON = AllocationReason.INITIAL_ALLOCATION
CHANGE_REASON = AllocationReason.OTHER


@dataclass(frozen=True)
class Period:
    staff: str  # staff code
    start: date  # the bundle's `from`
    end: date | None  # the bundle's `to`; None: holds the case now
    reason: str  # an AllocationReason value


def holder_changes(versions: Sequence[tuple[datetime, date, str | None]]) -> list[tuple[date, str | None]]:
    """The holder a case had from each instant, as (day, holder), from its versions `(known_from, day of known_from,
    practitioner)` in read order (known_from, recorded_at, id): of versions known from the same instant the last is
    the one an as-of read shows (people.history)."""
    out: list[tuple[datetime, date, str | None]] = []
    for known_from, day, holder in versions:
        if out and out[-1][0] == known_from:
            out[-1] = (known_from, day, holder)
        else:
            out.append((known_from, day, holder))
    return [(day, holder) for _, day, holder in out]


def periods_from_changes(
    changes: Sequence[tuple[date, str | None]], reasons: dict[tuple[str, date], str]
) -> list[Period]:
    """Whole-day periods from holder changes in order. A holder who had the case for less than a day (changed again
    the same day) is left out: the day's holder is the last of it. `reasons` maps (staff, first day) to the recorded
    decision's reason; a period without one gets FIRST_REASON or CHANGE_REASON."""
    by_day: list[tuple[date, str | None]] = []
    for day, holder in changes:
        if by_day and by_day[-1][0] == day:
            by_day[-1] = (day, holder)
        else:
            by_day.append((day, holder))
    runs: list[tuple[date, str | None]] = []
    for day, holder in by_day:
        if not runs or runs[-1][1] != holder:
            runs.append((day, holder))
    periods: list[Period] = []
    for index, (day, holder) in enumerate(runs):
        if holder is None:
            continue
        end = runs[index + 1][0] if index + 1 < len(runs) else None
        before = runs[index - 1][1] if index else None
        default = FIRST_REASON if before is None else CHANGE_REASON
        periods.append(Period(holder, day, end, reasons.get((holder, day), default.value)))
    return periods


def holder_on(periods: Sequence[Period], day: date) -> str | None:
    """Who held the case on `day` by the history (None: nobody)."""
    for period in periods:
        if period.start <= day and (period.end is None or day < period.end):
            return period.staff
    return None


def history_problems(
    periods: Sequence[Period], *, practitioner: str | None, staff: set[str], today: date
) -> list[tuple[int | None, str, str]]:
    """What is wrong with a history, as (index or None for the whole list, field, why): unknown staff or reason, `to`
    not after `from`, periods out of order or overlapping, one period split in two, and a last period that does not
    say who holds the case now (`practitioner`), and a day after `today`."""
    problems: list[tuple[int | None, str, str]] = []
    reasons = {r.value for r in AllocationReason}
    for index, period in enumerate(periods):
        if period.staff not in staff:
            problems.append(
                (index, "staff", f"no staff member with code {period.staff!r} in the bundle or the database")
            )
        if period.reason not in reasons:
            problems.append(
                (
                    index,
                    "reason",
                    f"unknown reason {period.reason!r}; one of {', '.join(sorted(reasons))} (hmpps.md §2d)",
                )
            )
        for field, day in (("from", period.start), ("to", period.end)):
            if day is not None and day > today:
                problems.append(
                    (index, field, f"{day} is after today: the history says who held the case, not who will")
                )
        if period.end is not None and period.end <= period.start:
            word = "before" if period.end < period.start else "the same day as"
            problems.append((index, "to", f"{period.end} is {word} from {period.start}: a period lasts at least a day"))
        if index == 0:
            continue
        previous = periods[index - 1]
        if period.start < previous.start:
            problems.append(
                (
                    index,
                    "from",
                    f"{period.start} is before allocations[{index - 1}] from {previous.start}: list oldest first",
                )
            )
        elif previous.end is None or previous.end > period.start:
            until = "with no end (to: null)" if previous.end is None else f"to {previous.end}"
            problems.append(
                (
                    index,
                    "from",
                    f"{period.start} overlaps allocations[{index - 1}] "
                    f"({previous.staff} from {previous.start} {until}): "
                    "one practitioner holds a case at a time",
                )
            )
        elif previous.end == period.start and previous.staff == period.staff:
            problems.append(
                (index, "staff", f"{period.staff} already holds the case to {previous.end}: one period, not two")
            )
    last = periods[-1] if periods else None
    if last is not None and last.end is None:
        if last.staff != practitioner:
            now = f"the person's practitioner is {practitioner}" if practitioner else "the person has no practitioner"
            problems.append(
                (
                    len(periods) - 1,
                    "staff",
                    f"the open period (to: null) names {last.staff} but {now}: "
                    "the open period is who holds the case now",
                )
            )
    elif practitioner is not None:
        problems.append(
            (
                None,
                "",
                f"the person's practitioner {practitioner} holds the case now, "
                "but no open period (to: null) names them: "
                "end the history with their period",
            )
        )
    return problems
