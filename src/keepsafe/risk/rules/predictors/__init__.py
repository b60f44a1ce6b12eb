"""Actuarial predictors, exactly as published (shared/reference/predictors.md). Pure functions, no Django."""

from __future__ import annotations

from dataclasses import dataclass


class PredictorInputError(ValueError):
    """An input a predictor cannot score; `field` names it so callers can report `id: field: reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Band:
    name: str  # LOW | MEDIUM | HIGH | VERY_HIGH
    lower: float  # inclusive
    upper: float | None  # exclusive; None = no upper bound
