"""What a partner sends: one record, validated item by item so one bad item never sinks a batch."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from keepsafe.core.fields import HappenedAt
from keepsafe.records.rules.civil_orders import order_json
from keepsafe.records.schemas import CarriesOrder, RecordKind
from keepsafe.sharing.rules.agreements import EXTERNAL_ID_MAX

# A partner's own id for what it sends (stored in the partner's namespace: sharing/rules/agreements.py).
NO_NUL = r"^[^\x00]*$"  # unpaired surrogates are refused too; generators never make them
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"
ExternalId = Annotated[str, Field(min_length=1, max_length=EXTERNAL_ID_MAX, pattern=EXTERNAL_ID_PATTERN)]


class PartnerRecordIn(CarriesOrder):
    model_config = ConfigDict(extra="forbid", strict=True)

    external_id: ExternalId
    crn: Annotated[str, Field(pattern=r"^[A-Z][0-9]{6}$")]
    kind: RecordKind
    occurred_at: HappenedAt
    author: Annotated[str, Field(min_length=1, max_length=200)]
    text: Annotated[str, Field(min_length=1, max_length=100_000)]

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
    """A partner's answer to a check: the body of `POST /api/v1/checks/{id}/answer`."""

    model_config = ConfigDict(extra="forbid")

    external_id: ExternalId
    occurred_at: HappenedAt
    # The schema states that NUL and unpaired surrogates are refused (by the request middleware, for every call).
    author: Annotated[str, Field(min_length=1, max_length=200, json_schema_extra={"pattern": NO_NUL})]
    text: Annotated[str, Field(min_length=1, max_length=100_000, json_schema_extra={"pattern": NO_NUL})]
