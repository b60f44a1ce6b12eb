"""What a partner sends: one record, validated item by item so one bad item never sinks a batch."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from keepsafe.records.rules.civil_orders import order_json, order_problems
from keepsafe.records.rules.kinds import kind_problem
from keepsafe.records.schemas import CivilOrderIn


def _kind(value: str) -> str:
    if (problem := kind_problem(value)) is not None:
        raise ValueError(problem)
    return value


class PartnerRecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    external_id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
    crn: Annotated[str, Field(pattern=r"^[A-Z][0-9]{6}$")]
    kind: Annotated[str, AfterValidator(_kind)]
    occurred_at: AwareDatetime
    author: Annotated[str, Field(min_length=1, max_length=200)]
    text: Annotated[str, Field(min_length=1, max_length=100_000)]
    order: CivilOrderIn | None = None

    @model_validator(mode="after")
    def _order_matches_kind(self) -> PartnerRecordIn:
        problems = order_problems(self.kind, self.order.as_order() if self.order else None)
        if problems:
            raise ValueError("; ".join(f"{field}: {reason}" for field, reason in problems))
        return self

    def content(self) -> dict[str, Any]:
        return {
            "crn": self.crn,
            "kind": self.kind,
            "occurred_at": self.occurred_at.isoformat(),
            "author": self.author,
            "text": self.text,
            "order": order_json(self.order.as_order()) if self.order else None,
        }


class CheckAnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    external_id: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
    occurred_at: AwareDatetime
    author: Annotated[str, Field(min_length=1, max_length=200)]
    text: Annotated[str, Field(min_length=1, max_length=100_000)]
