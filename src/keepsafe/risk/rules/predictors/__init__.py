"""Actuarial predictors, exactly as published (shared/reference/predictors.md). Pure functions, no Django."""

from __future__ import annotations

import math
from dataclasses import dataclass


class PredictorInputError(ValueError):
    """An input a predictor cannot score; `field` names it so callers can report `id: field: reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


# No criminal record holds more sanctions than this, nor a gap longer than a lifetime: a larger number is a data
# error (a user try-out scored 2,000,000,000 sanctions as 0 %), refused rather than scored. Keepsafe's bound.
MAX_SANCTIONS = 1000
MAX_MONTHS = 120 * 12


def plausible_count(field: str, value: int) -> None:
    """Refuse a sanction count or a number of months no real record has (`MAX_SANCTIONS`, `MAX_MONTHS`)."""
    limit = MAX_MONTHS if field.endswith("months") else MAX_SANCTIONS
    if value > limit:
        unit = "months (a lifetime)" if field.endswith("months") else "sanctions"
        raise PredictorInputError(field, f"{value:,} is more than {limit:,} {unit}: check the input")


def given(value: object) -> str:
    """An input value as the person wrote it in JSON, for "got …" in an error: `null`, `true`, `'forty'`, `3.5`, "a
    list", "an object", "NaN (not a number)", "a number too large to use" (1e400) — never Python's words for them
    (`None`, `True`, `nan`, `inf`; user try-outs saw "got None" and "got inf").

    Keepsafe's wording for `keepsafe predict` errors (docs/risk.md)."""
    if value is None:
        return "null (no value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "NaN (not a number)"  # as written: json.loads accepts NaN
    if isinstance(value, float) and math.isinf(value):
        return "a number too large to use"  # 1e400, or Infinity
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
