"""Tiering: how much contact and resource a case gets (shared/reference/tiering.md; hmpps-tier)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from keepsafe.people.rules.vocabulary import RequirementType
from keepsafe.risk.rules.rosh import Level


@dataclass(frozen=True)
class Reason:
    """One input's contribution to a tier: what it was and what it did."""

    step: str
    detail: str
    result: str  # points ("+20") or a tier letter


class TierInputError(ValueError):
    pass


def level_words(level: str) -> str:
    """A RoSH level (or a predictor band on the same scale) as a reason says it: "very high", as `rosh.Level.label`
    words it (user try-out: reasons read "RoSH VERY_HIGH")."""
    return Level(level).label.lower()


# hmpps-tier MappaLevel.kt: the levels that score protect points. nDelius also records M0, which scores nothing.
SCORING_MAPPA_LEVELS = ("M1", "M2", "M3")


@dataclass(frozen=True)
class MappaRecord:
    """One active MAPPA (MAPP) registration as nDelius records it: level M0–M3, category M1–M4 or none."""

    level: str | None
    category: str | None


def mappa_for_tiers(newest_first: Sequence[MappaRecord]) -> tuple[int | None, bool]:
    """(v2 MAPPA level 0–3 or None, whether v3 counts MAPPA) — hmpps-tier DeliusApiService.kt getMappaLevel and
    getMappaCategory: v2 takes the newest registration with a level M1–M3 (M0 is skipped; 0 when only M0 is
    recorded, so the explanation can say it scored nothing); v3 counts MAPPA when the newest one has a category."""
    scoring = next((r.level for r in newest_first if r.level in SCORING_MAPPA_LEVELS), None)
    if scoring is not None:
        level: int | None = int(scoring[1])
    else:
        level = 0 if any(r.level == "M0" for r in newest_first) else None
    return level, bool(newest_first and newest_first[0].category)


@dataclass(frozen=True)
class CurrentEvent:
    """One current (not terminated) event as the mandate for change sees it."""

    custodial: bool
    requirements: tuple[RequirementType, ...] = ()


def mandate_for_change(current: Iterable[CurrentEvent]) -> bool:
    """hmpps-tier MandateForChange.kt: a mandate when any current event is custodial, or has a requirement that is
    neither restrictive (curfew, exclusion, prohibited activity) nor unpaid work (tiering.md, change level)."""
    return any(
        e.custodial or any(r is not RequirementType.UNPAID_WORK and not r.is_restrictive for r in e.requirements)
        for e in current
    )
