"""Changing the RoSH level without obstacles: raising takes effect at once; lowering waits for an SPO.

HMPPS response to the Zara Aleena PFD (seeds/001, concern 6): senior approval must not stand in the way of raising
a risk level. Trainees (PQiP) and newly qualified officers always need countersignature.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from keepsafe.risk.rules.rosh import Level


class Change(enum.StrEnum):
    FIRST = "FIRST"
    RAISED = "RAISED"
    LOWERED = "LOWERED"
    UNCHANGED = "UNCHANGED"


@dataclass(frozen=True)
class Outcome:
    change: Change
    takes_effect_now: bool
    countersign_required: bool
    reasons: tuple[str, ...]


def on_completion(
    *, current: Level | None, new: Level, assessor_is_trainee: bool, assessor_is_newly_qualified: bool
) -> Outcome:
    """What completing an assessment does to the case's RoSH level, and whether an SPO must countersign."""
    if current is None:
        change = Change.FIRST
    elif new.rank > current.rank:
        change = Change.RAISED
    elif new.rank < current.rank:
        change = Change.LOWERED
    else:
        change = Change.UNCHANGED
    reasons = []
    if change is Change.RAISED:
        reasons.append("a raised level takes effect now; the SPO reviews it afterwards")
    if change is Change.LOWERED:
        reasons.append("a lower level takes effect only when an SPO countersigns")
    if assessor_is_trainee:
        reasons.append("assessments by trainee probation officers (PQiP) are always countersigned")
    if assessor_is_newly_qualified:
        reasons.append("assessments by newly qualified officers are always countersigned")
    countersign = change in (Change.RAISED, Change.LOWERED) or assessor_is_trainee or assessor_is_newly_qualified
    return Outcome(
        change, takes_effect_now=change is not Change.LOWERED, countersign_required=countersign, reasons=tuple(reasons)
    )
