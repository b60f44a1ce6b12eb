"""Overrides: where a professional judgement departed from what Keepsafe suggested, with the reason, tallied.

Source: issue 17 §4. Keepsafe records two kinds today: a RoSH thresholding prompt answered with a reason rather
than by raising the level (risk/rules/prompts.py; the assessor keeps a level below the one the evidence suggests),
and a countersigner disagreeing with an assessment's RoSH level (risk/rules/countersign.py).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

LEVELS = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
LEVEL_LABELS = {"LOW": "Low", "MEDIUM": "Medium", "HIGH": "High", "VERY_HIGH": "Very high"}
NO_LEVEL = "–"  # no level suggested (an allocation override suggests none)


class Kind(enum.StrEnum):
    ROSH_PROMPT = "ROSH_PROMPT"
    COUNTERSIGN = "COUNTERSIGN"
    ALLOCATION = "ALLOCATION"  # issue 15 §2 (helper "alloc"): an SPO overrode an allocation guardrail


KIND_LABELS = {
    Kind.ROSH_PROMPT: "RoSH prompt answered without raising the level",
    Kind.COUNTERSIGN: "Countersigner disagreed with the RoSH level",
    Kind.ALLOCATION: "Allocation guardrail overridden (the head of PDU countersigns)",  # issue 15 §2
}


class Direction(enum.StrEnum):
    LOWER = "LOWER"  # the level kept is lower than suggested
    HIGHER = "HIGHER"
    SAME = "SAME"
    UNKNOWN = "UNKNOWN"


DIRECTION_LABELS = {
    Direction.LOWER: "Lower than suggested",
    Direction.HIGHER: "Higher than suggested",
    Direction.SAME: "As suggested",
    Direction.UNKNOWN: "No level order to compare",
}


@dataclass(frozen=True)
class Override:
    case: int
    kind: Kind
    at: datetime
    by: str  # staff code
    team: str  # the staff member's team code, "" when none
    grade: str  # the staff member's grade, "" when unknown
    suggested: str | None
    chosen: str | None
    reason: str


def direction(suggested: str | None, chosen: str | None) -> Direction:
    """Which way the judgement went from what was suggested, by the RoSH levels' order."""
    if suggested not in LEVELS or chosen not in LEVELS:
        return Direction.UNKNOWN
    a, b = LEVELS.index(suggested), LEVELS.index(chosen)
    return Direction.LOWER if b < a else Direction.HIGHER if b > a else Direction.SAME


def newest_first(found: Iterable[Override]) -> list[Override]:
    """The overrides as the list shows them: the newest first (then by case, for a stable order between pages)."""
    return sorted(found, key=lambda o: (o.at, o.case), reverse=True)


def page(found: list[Override], number: int, size: int) -> tuple[list[Override], int, int]:
    """One page of `size` overrides (GOV.UK pagination, never a silent cap): the rows, the page shown (a number past
    the last page shows the last) and the number of pages (1 when there are none)."""
    if size < 1:
        raise ValueError("a page holds at least one override")
    pages = max(1, -(-len(found) // size))
    number = min(max(1, number), pages)
    return found[(number - 1) * size : number * size], number, pages


def tally(overrides: Iterable[Override], by: str) -> list[tuple[tuple[str, str, str], int]]:
    """Counts by (kind, `by` ∈ team|grade|direction, value), sorted; `by` must name one of those."""
    if by not in ("team", "grade", "direction"):
        raise ValueError(f"overrides are reported by team, grade or direction, not {by!r}")
    counts: Counter[tuple[str, str, str]] = Counter()
    for o in overrides:
        value = direction(o.suggested, o.chosen).value if by == "direction" else getattr(o, by)
        counts[(o.kind.value, by, value)] += 1
    return sorted(counts.items())
