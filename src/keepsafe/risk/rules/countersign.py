"""Changing the RoSH level without obstacles: raising takes effect at once; lowering waits for an SPO.

HMPPS response to the Zara Aleena PFD (seeds/001, concern 6): senior approval must not stand in the way of raising
a risk level. Trainees (PQiP) and newly qualified officers always need countersignature. A thresholding prompt
answered with a reason instead of the higher level it points to is a decision a manager countersigns (issue 12 §4;
seeds/001 concerns 3–5: evidence of weapons and threats weighed by one officer alone). Imported assessments follow
the same rules (issue 12 §5), except that the SPO's review of a raise was done where the assessment was made.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from keepsafe.risk.rules.prompts import prompt_title
from keepsafe.risk.rules.rosh import Level


class Change(enum.StrEnum):
    FIRST = "FIRST"
    RAISED = "RAISED"
    LOWERED = "LOWERED"
    UNCHANGED = "UNCHANGED"


# A change in the words a history entry's reason uses ("Assessment A-1: raised").
CHANGE_WORDS = {
    Change.FIRST: "first level",
    Change.RAISED: "raised",
    Change.LOWERED: "lowered",
    Change.UNCHANGED: "unchanged",
}


def change_of(current: Level | None, new: Level) -> Change:
    """From `current` (None: the case had no level) to `new`: first, raised, lowered or unchanged."""
    if current is None:
        return Change.FIRST
    if new.rank > current.rank:
        return Change.RAISED
    if new.rank < current.rank:
        return Change.LOWERED
    return Change.UNCHANGED


@dataclass(frozen=True)
class Outcome:
    change: Change
    takes_effect_now: bool
    countersign_required: bool
    reasons: tuple[str, ...]


def on_completion(
    *,
    current: Level | None,
    new: Level,
    assessor_is_trainee: bool,
    assessor_is_newly_qualified: bool,
    overridden_prompts: tuple[str, ...] = (),
    imported: bool = False,
) -> Outcome:
    """What completing (or importing) an assessment does to the case's RoSH level, and whether an SPO must
    countersign. `overridden_prompts`: thresholding prompts answered with a reason rather than the level they
    suggest (for an imported assessment: every prompt its levels leave open, since nobody here answered them)."""
    change = change_of(current, new)
    reasons = []
    reviewed_raise = change is Change.RAISED and not imported
    if reviewed_raise:
        reasons.append("a raised level takes effect now; the SPO reviews it afterwards")
    if change is Change.LOWERED:
        reasons.append("a lower level takes effect only when an SPO countersigns")
    if assessor_is_trainee:
        reasons.append("assessments by trainee probation officers (PQiP) are always countersigned")
    if assessor_is_newly_qualified:
        reasons.append("assessments by newly qualified officers are always countersigned")
    for code in overridden_prompts:  # named in words: the reasons are shown on the countersign page as they are
        title = prompt_title(code)
        reasons.append(f"thresholding prompt “{title}” points to a higher level than the one chosen: a manager decides")
    countersign = (
        reviewed_raise
        or change is Change.LOWERED
        or assessor_is_trainee
        or assessor_is_newly_qualified
        or bool(overridden_prompts)
    )
    return Outcome(
        change, takes_effect_now=change is not Change.LOWERED, countersign_required=countersign, reasons=tuple(reasons)
    )
