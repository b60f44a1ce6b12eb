"""Recording a period on remand (issue 16 §6; helper "share2"): what makes one acceptable.

Why: seeds/001 concern 13.1 — the handover was missed when a sentence ended while the person was on remand for another
matter; the handover rule (actions/rules/remand.py) can only fire on periods that are recorded, so a practitioner
must be able to record one, and a wrong one (ending before it starts, overlapping another) must be refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from keepsafe.core.ranges import When, date_problem

TEXT_MAX = {"court": 200, "prison": 200, "matter": 300}


@dataclass(frozen=True)
class Period:
    """A period on remand already recorded on the case; `end` None while it lasts."""

    id: str
    start: date
    end: date | None
    matter: str


def _overlaps(a_start: date, a_end: date | None, b: Period) -> bool:
    """Closed intervals (both days count); an open end lasts for ever."""
    return (b.end is None or a_start <= b.end) and (a_end is None or b.start <= a_end)


LABELS = {"start": "date the remand started", "end": "date the remand ended"}


def remand_date_problems(*, start: date | None, end: date | None, today: date) -> list[tuple[str, str]]:
    """Each date on its own (a date that has happened, core/ranges.py; the tester's 1/1/1800 end was stored): not in
    the future, not before 1900. Checked apart so one date's problem never hides the other's."""
    problems: list[tuple[str, str]] = []
    for field, value in (("start", start), ("end", end)):
        if value is None:
            continue
        if value > today:
            lasting = ": leave it blank while it lasts" if field == "end" else ""
            problems.append((field, f"The {LABELS[field]} must be today or in the past{lasting}"))
        elif (out := date_problem(value, When.HAPPENED, today, words=True)) is not None:
            problems.append((field, f"The {LABELS[field]} is out of range: {out}"))
    return problems


def remand_problems(
    *,
    start: date | None,
    end: date | None,
    court: str,
    prison: str,
    matter: str,
    today: date,
    others: Sequence[Period],
) -> list[tuple[str, str]]:
    """Each problem as (field, reason). A period starts today or earlier; its end, if known, is not before its start
    nor in the future (leave it blank while the person is still on remand); it does not overlap another period on the
    case (the handover rule asks whether the person is on remand on a day: two periods covering one day are one
    mistake); the court and the matter are named."""
    problems = remand_date_problems(start=start, end=end, today=today)
    if start is None:
        problems.append(("start", "Enter the date the remand started"))
    elif end is not None and end < start and not problems:
        problems.append(("end", f"The date the remand ended must be on or after it started ({start:%-d %B %Y})"))
    for field, value, what in (("court", court, "the court that remanded"), ("matter", matter, "the matter")):
        if not value.strip():
            problems.append((field, f"Enter {what}"))
    for field, value in (("court", court), ("prison", prison), ("matter", matter)):
        if len(value) > TEXT_MAX[field]:
            problems.append((field, f"The {field} must be {TEXT_MAX[field]} characters or fewer"))
    if start is not None and not any(f in ("start", "end") for f, _ in problems):
        for other in others:
            if _overlaps(start, end, other):
                until = f"to {other.end:%-d %B %Y}" if other.end is not None else "and still lasting"
                problems.append(
                    (
                        "start",
                        f"This period overlaps the remand from {other.start:%-d %B %Y} {until} ({other.matter}): "
                        "check the dates",
                    )
                )
                break
    return problems
