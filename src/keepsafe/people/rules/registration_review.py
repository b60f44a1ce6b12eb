"""When a registration ("flag") is next due for review, and whether it is active."""

from __future__ import annotations

import enum
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Calendar months forward, clipped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")


# Keepsafe policy (issue 5 §5): an order or flag with an end date is reviewed this long before it ends, so the
# practitioner decides in time whether protection must continue (for example by asking for the order to be renewed).
REVIEW_BEFORE_END = timedelta(days=28)


def next_review_date(*, review_months: int, start: date, last_reviewed: date | None, end: date | None) -> date | None:
    """nDelius register review frequency — registration-types.csv `review_months` (0: never reviewed).

    The next review falls one review period after the latest review, or after the start if never reviewed. When
    the registration ends before that, the review falls REVIEW_BEFORE_END before the end instead (not before the
    start, and not again once reviewed in that time).
    """
    if review_months < 0:
        raise ValueError(f"review_months must not be negative, got {review_months}")
    if review_months == 0:
        return None
    base = last_reviewed if last_reviewed is not None and last_reviewed >= start else start
    due = add_months(base, review_months)
    if end is not None and due >= end:
        before_end = max(end - REVIEW_BEFORE_END, start)
        if last_reviewed is not None and last_reviewed >= before_end:
            return None
        return before_end
    return due


def is_active(*, start: date, end: date | None, today: date) -> bool:
    """nDelius LAO/registration convention: active when started and (end is null or end > today)."""
    return start <= today and (end is None or end > today)


def is_review_overdue(next_review: date | None, today: date) -> bool:
    return next_review is not None and next_review < today


# --- issue 14 §2 (helper "flags"): what a review of a flag decides ---------------------------------------------------


class ReviewDecision(enum.StrEnum):
    """nDelius "Review registration": the flag is kept as it is, amended, or ended (deregistered) — each a review."""

    KEEP = "KEEP"
    AMEND = "AMEND"
    END = "END"


REVIEW_DECISION_LABELS: dict[ReviewDecision, str] = {
    ReviewDecision.KEEP: "Keep it as it is",
    ReviewDecision.AMEND: "Amend it",
    ReviewDecision.END: "End it",
}


# MAPPA guidance 2012 (updated 2024) ch. 6–7: the category says why someone is managed under MAPPA, the level how
# many agencies manage them. nDelius codes levels M0–M3 (M0: not yet set) and categories M1–M4.
MAPPA_LEVEL_LABELS: dict[str, str] = {
    "M0": "Level not set",
    "M1": "Level 1 – ordinary agency management",
    "M2": "Level 2 – multi-agency meetings",
    "M3": "Level 3 – senior multi-agency management",
}
MAPPA_CATEGORY_LABELS: dict[str, str] = {
    "M1": "Category 1 – registered sexual offender",
    "M2": "Category 2 – violent offender",
    "M3": "Category 3 – other dangerous offender",
    "M4": "Category 4 – terrorist or terrorist risk",
}
