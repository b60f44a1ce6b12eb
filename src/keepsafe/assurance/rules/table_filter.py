"""Row filters for tables an analyst brings: one column compared with one value (`days_b_screening_arrest<=30`,
`c_charge_degree!=O`).

Why: the ProPublica COMPAS analysis (Larson et al. 2016) selects its rows with exactly such comparisons before
measuring anything; the report must be able to reproduce a published selection.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

OPERATORS = ("==", "!=", "<", "<=", ">", ">=")


def compare[T: (float, str)](op: str, left: T, right: T) -> bool:
    """left OP right, for two numbers or two texts."""
    match op:
        case "==":
            return left == right
        case "!=":
            return left != right
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
    raise FilterSyntaxError(f"unknown operator {op!r}")


# The column is everything before the first operator character; two-character operators are tried first.
_PATTERN = re.compile(r"^(?P<column>[^=!<>]+?)\s*(?P<op>==|!=|<=|>=|<|>)\s*(?P<value>.*)$")


class FilterSyntaxError(ValueError):
    """A filter that is not `COLUMN OP VALUE` with OP one of == != < <= > >=."""


@dataclass(frozen=True, slots=True)
class RowFilter:
    column: str
    op: str
    value: str
    text: str

    def keeps(self, row: Mapping[str, str]) -> bool:
        """Compare the row's cell with the value: as numbers when both are numbers, otherwise as text (so an
        empty cell is text, and `""<"30"` is true)."""
        cell = row[self.column].strip()
        left, right = as_number(cell), as_number(self.value)
        if left is not None and right is not None:
            return compare(self.op, left, right)
        return compare(self.op, cell, self.value)


def as_number(text: str) -> float | None:
    """The finite number a cell holds, or None (text, empty, nan or infinity)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_filter(text: str) -> RowFilter:
    """`COLUMN OP VALUE`; spaces around the operator are ignored, the value is taken as written (trimmed)."""
    match = _PATTERN.match(text.strip())
    if match is None:
        raise FilterSyntaxError(f"filter {text!r} is not COLUMN OP VALUE with OP one of {' '.join(OPERATORS)}")
    column, op, value = match.group("column").strip(), match.group("op"), match.group("value").strip()
    if not column:
        raise FilterSyntaxError(f"filter {text!r} names no column")
    if value[:1] in {"=", "<", ">", "!"}:
        raise FilterSyntaxError(f"filter {text!r} has an unknown operator (use one of {' '.join(OPERATORS)})")
    return RowFilter(column=column, op=op, value=value, text=text)
