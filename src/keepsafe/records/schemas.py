"""Input shapes shared by every way records arrive (case bundles, the partner API)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from keepsafe.core.fields import PlannedOn
from keepsafe.records.rules.civil_orders import CivilOrder, OrderType, order_problems
from keepsafe.records.rules.kinds import kind_problem


def _kind(value: str) -> str:
    if (problem := kind_problem(value)) is not None:
        raise ValueError(problem)
    return value


# An upper-case record kind code (records/rules/kinds.py).
RecordKind = Annotated[str, AfterValidator(_kind)]


class CivilOrderIn(BaseModel):
    """Issue 5 §5: the order a CIVIL_ORDER record carries."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: OrderType
    start: PlannedOn
    end: PlannedOn | None = None
    protected_person: Annotated[str, Field(min_length=1, max_length=200)]

    def as_order(self) -> CivilOrder:
        return CivilOrder(self.type, self.start, self.end, self.protected_person)


class CarriesOrder(BaseModel):
    """A record as it arrives: a CIVIL_ORDER carries its order, no other kind does (records/rules/civil_orders.py)."""

    kind: str
    order: CivilOrderIn | None = None

    @model_validator(mode="after")
    def _order_matches_kind(self) -> CarriesOrder:
        problems = order_problems(self.kind, self.order.as_order() if self.order else None)
        if problems:
            raise ValueError("; ".join(f"{field}: {reason}" for field, reason in problems))
        return self
