"""What a new assessment leaves in force: every predictor score and needs profile it did not itself replace.

Issue 12 §2: a Keepsafe RoSH assessment scores no predictors and records no needs, so reading them from the latest
assessment alone wiped OGRS3, RSR/CSRP and OGP/ARP (and with them tier v3) whenever one was completed. ARNS takes each
predictor from the assessment that calculated it (`RiskScoresDto`, shared/research/hmpps.md §5); so does this.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from keepsafe.risk.rules.tier.v2 import NeedSeverity


@dataclass(frozen=True)
class PredictorScore:
    score: float
    band: str | None
    static: bool | None


@dataclass(frozen=True)
class ScoredAssessment:
    """One completed assessment: the predictors it scored and the needs it assessed (either may be empty)."""

    id: str
    completed_at: datetime
    predictors: Mapping[str, PredictorScore] = field(default_factory=dict)
    needs: Mapping[str, NeedSeverity] = field(default_factory=dict)


@dataclass(frozen=True)
class InForce:
    """A predictor score in force, with the assessment it came from."""

    name: str
    score: PredictorScore
    assessment: str
    completed_at: datetime
    carried_forward: bool  # True when a later assessment was completed without re-scoring it


def _newest_first(assessments: Sequence[ScoredAssessment]) -> list[ScoredAssessment]:
    # Stable: assessments completed at the same instant keep the caller's order (newest id first).
    return sorted(assessments, key=lambda a: a.completed_at, reverse=True)


def predictors_in_force(assessments: Sequence[ScoredAssessment]) -> dict[str, InForce]:
    """Each predictor from the newest completed assessment that scored it."""
    ordered = _newest_first(assessments)
    found: dict[str, InForce] = {}
    for position, assessment in enumerate(ordered):
        for name, score in assessment.predictors.items():
            if name not in found:
                found[name] = InForce(name, score, assessment.id, assessment.completed_at, position > 0)
    return found


def needs_in_force(assessments: Sequence[ScoredAssessment]) -> ScoredAssessment | None:
    """The newest completed assessment that assessed needs (its completion decides whether it is still valid)."""
    return next((a for a in _newest_first(assessments) if a.needs), None)
