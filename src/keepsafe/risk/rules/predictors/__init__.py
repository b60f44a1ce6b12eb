"""Actuarial predictors, exactly as published (shared/reference/predictors.md). Pure functions, no Django."""

from __future__ import annotations

from dataclasses import dataclass


class PredictorInputError(ValueError):
    """An input a predictor cannot score; `field` names it so callers can report `id: field: reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def given(value: object) -> str:
    """An input value as the person wrote it in JSON, for "got …" in an error: `null`, `true`, `'forty'`, `3.5`, "a
    list", "an object" — never Python's words for them (`None`, `True`; a user try-out saw "got None").

    Keepsafe's wording for `keepsafe predict` errors (docs/risk.md)."""
    if value is None:
        return "null (no value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(str(value))


@dataclass(frozen=True)
class Band:
    name: str  # LOW | MEDIUM | HIGH | VERY_HIGH
    lower: float  # inclusive
    upper: float | None  # exclusive; None = no upper bound
