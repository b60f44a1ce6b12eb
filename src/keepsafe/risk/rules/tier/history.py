"""The tier in force at an instant, read from the case's recorded tier changes (issue 15 §1: "points follow tier
changes as they happen"; hmpps-workload re-weighs a case when its tier changes — hmpps.md §2c)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TierStep:
    """One recorded change of a case's stored tier (one version: v2 or v3)."""

    at: datetime
    order: int  # the order it was recorded in (the row id): breaks ties between changes at the same instant
    previous: str  # "": no tier was stored before it, or (a backfilled row) it is not known
    new: str


def tier_in_force(steps: Iterable[TierStep], at: datetime, *, without_history: str | None) -> str | None:
    """The tier in force at `at`: the `new` tier of the last change at or before it — never one a later change set.

    Before the first recorded change, the tier that change replaced; when it replaced none known (the case's first
    tier, or the row that began the history), the history's first tier, taken as in force from before it was stored
    as migrated data is taken as known from its own dates (docs/workforce.md, "Tier changes"). A case with no recorded
    change at all (a tier row written outside the services) reads `without_history`."""
    ordered = sorted(steps, key=lambda s: (s.at, s.order))
    if not ordered:
        return without_history or None
    known = [s for s in ordered if s.at <= at]
    tier = known[-1].new if known else (ordered[0].previous or ordered[0].new)
    return tier or None
