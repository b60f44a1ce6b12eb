"""Input shapes shared by every way records arrive (case bundles, the partner API)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from keepsafe.records.rules.civil_orders import CivilOrder, OrderType


class CivilOrderIn(BaseModel):
    """Issue 5 §5: the order a CIVIL_ORDER record carries."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: OrderType
    start: date
    end: date | None = None
    protected_person: Annotated[str, Field(min_length=1, max_length=200)]

    def as_order(self) -> CivilOrder:
        return CivilOrder(self.type, self.start, self.end, self.protected_person)
