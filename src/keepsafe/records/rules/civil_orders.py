"""Civil orders become flags: a CIVIL_ORDER record creates or updates the matching registration.

Why: in the Bendall case a restraining order protecting a former partner was never seen by the people managing him
(seeds/004); nobody should have to remember to add the flag. Codes are those of registration-types.csv.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

CIVIL_ORDER_KIND = "CIVIL_ORDER"


class OrderType(enum.StrEnum):
    RESTRAINING_ORDER = "RESTRAINING_ORDER"
    NON_MOLESTATION_ORDER = "NON_MOLESTATION_ORDER"
    STALKING_PROTECTION_ORDER = "STALKING_PROTECTION_ORDER"
    SEXUAL_HARM_PREVENTION_ORDER = "SEXUAL_HARM_PREVENTION_ORDER"
    DOMESTIC_ABUSE_PROTECTION_ORDER = "DOMESTIC_ABUSE_PROTECTION_ORDER"


ORDER_LABELS = {
    OrderType.RESTRAINING_ORDER: "Restraining order",
    OrderType.NON_MOLESTATION_ORDER: "Non-molestation order",
    OrderType.STALKING_PROTECTION_ORDER: "Stalking protection order",
    OrderType.SEXUAL_HARM_PREVENTION_ORDER: "Sexual harm prevention order",
    OrderType.DOMESTIC_ABUSE_PROTECTION_ORDER: "Domestic abuse protection order",
}

# registration-types.csv has no code of its own for non-molestation or domestic abuse protection orders. Both forbid
# contact with a named person, which is what the restraining-order flag (RSTO) alerts staff to, so they raise RSTO;
# the notes name the order actually made.
REGISTRATION_FOR_ORDER = {
    OrderType.RESTRAINING_ORDER: "RSTO",
    OrderType.NON_MOLESTATION_ORDER: "RSTO",
    OrderType.DOMESTIC_ABUSE_PROTECTION_ORDER: "RSTO",
    OrderType.STALKING_PROTECTION_ORDER: "SPO",
    OrderType.SEXUAL_HARM_PREVENTION_ORDER: "SOPS",
}


@dataclass(frozen=True)
class CivilOrder:
    type: OrderType
    start: date
    end: date | None
    protected_person: str


@dataclass(frozen=True)
class RegistrationPlan:
    external_id: str
    type_code: str
    start: date
    end: date | None
    notes: str


def order_problems(kind: str, order: CivilOrder | None) -> list[tuple[str, str]]:
    """A CIVIL_ORDER record must carry its order, and only such records may."""
    if kind == CIVIL_ORDER_KIND and order is None:
        return [("order", "a CIVIL_ORDER record needs its order: type, start, end and protected_person")]
    if kind != CIVIL_ORDER_KIND and order is not None:
        return [("order", f"only CIVIL_ORDER records carry an order, not {kind}")]
    if order is not None and order.end is not None and order.end < order.start:
        return [("order.end", f"end {order.end} is before start {order.start}")]
    if order is not None and not order.protected_person.strip():
        return [("order.protected_person", "name the person the order protects")]
    return []


def registration_id(order: CivilOrder) -> str:
    """One flag per order type and protected person, so a varied or renewed order updates the same flag."""
    slug = re.sub(r"[^A-Z0-9]+", "-", order.protected_person.upper()).strip("-") or "UNNAMED"
    return f"ORDER-{REGISTRATION_FOR_ORDER[order.type]}-{order.type.value[:3]}-{slug}"[:64]


def registration_plan(order: CivilOrder, record_id: str) -> RegistrationPlan:
    until = f"until {order.end.isoformat()}" if order.end else "until further order"
    return RegistrationPlan(
        external_id=registration_id(order),
        type_code=REGISTRATION_FOR_ORDER[order.type],
        start=order.start,
        end=order.end,
        notes=(
            f"{ORDER_LABELS[order.type]} protecting {order.protected_person.strip()}, "
            f"from {order.start.isoformat()} {until} (record {record_id})"
        ),
    )


def should_update(current_start: date, order: CivilOrder) -> bool:
    """A record of an older order arriving late never overrides a newer one."""
    return order.start >= current_start


def order_json(order: CivilOrder | None) -> dict[str, str | None] | None:
    """The stored and exported form (bundle `records[].order`)."""
    if order is None:
        return None
    return {
        "type": order.type.value,
        "start": order.start.isoformat(),
        "end": order.end.isoformat() if order.end else None,
        "protected_person": order.protected_person,
    }


def order_from_json(data: dict[str, str | None] | None) -> CivilOrder | None:
    if data is None:
        return None
    end = data.get("end")
    return CivilOrder(
        OrderType(str(data["type"])),
        date.fromisoformat(str(data["start"])),
        date.fromisoformat(end) if end else None,
        str(data["protected_person"]),
    )
