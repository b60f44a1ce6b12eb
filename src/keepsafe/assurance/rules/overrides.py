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


def tally(overrides: Iterable[Override], by: str) -> list[tuple[tuple[str, str, str], int]]:
    """Counts by (kind, `by` ∈ team|grade|direction, value), sorted; `by` must name one of those."""
    if by not in ("team", "grade", "direction"):
        raise ValueError(f"overrides are reported by team, grade or direction, not {by!r}")
    counts: Counter[tuple[str, str, str]] = Counter()
    for o in overrides:
        value = direction(o.suggested, o.chosen).value if by == "direction" else getattr(o, by)
        counts[(o.kind.value, by, value)] += 1
    return sorted(counts.items())
