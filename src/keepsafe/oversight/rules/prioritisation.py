"""The prioritisation framework (issue 15 §4): each PDU has a RAG status set by its head; under amber or red the work
the framework lets a PDU deprioritise is shown as deprioritised — and safety-critical work never is.

Source: seeds/001 §1.1, §1.5 and §2.2 and seeds/000 (the HMPPS Prioritisation Framework, January 2022, refreshed May
2024: "Probation Regions are assigned a red, amber, or green categorisation depending upon the degree of prioritisation
required"; "when a PDU has reduced staffing capacity, they can re-prioritise tasks … to ensure … high priority work is
delivered"). The framework's own task list is not in our sources, so which action types may be deprioritised is
data (oversight/reference/prioritisation.json, Keepsafe's default, docs/workforce.md "Prioritisation"); which never
may is here, in code, and the data cannot override it: recall, domestic abuse and safeguarding checks, risk reviews,
MAPPA and other registration reviews, oversight touch points and the other public-protection actions (seeds/001
concerns 7 and 9; seeds/003 rec. 5; seeds/004).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from keepsafe.actions.rules.types import ActionType


class Rag(enum.StrEnum):
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"


RAG_LABELS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}

# The only work the data may ever mark as deprioritisable: administrative closure, starting requirements and the
# routine contact level (seeds/004: the framework pauses routine work, never public protection). Every other type —
# and every type added later, unless listed here on purpose — is safety-critical and never deprioritised, whatever a
# PDU's status and whatever the data says (recall, checks before and after sentence, risk and flag reviews, oversight,
# countersigning, allocation, transfers, handovers, MAPPA and IOM meeting actions, enforcement, home visits).
MAY_BE_DEPRIORITISED: frozenset[ActionType] = frozenset(
    {ActionType.TERMINATION, ActionType.REQUIREMENT_START, ActionType.CONTACT_LEVEL}
)
SAFETY_CRITICAL: frozenset[ActionType] = frozenset(ActionType) - MAY_BE_DEPRIORITISED


@dataclass(frozen=True)
class Framework:
    """Which action types each status lets a PDU deprioritise (red includes everything amber does)."""

    deprioritisable: dict[Rag, frozenset[ActionType]]


def framework_from(data: Mapping[str, Any]) -> Framework:
    """The framework from JSON; refuses an unknown status or type, and any safety-critical type, by name."""
    if not isinstance(data, Mapping) or set(data) != {Rag.AMBER.value, Rag.RED.value}:
        raise ValueError("prioritisation: needs exactly `AMBER` and `RED`, each a list of action types")
    out: dict[Rag, frozenset[ActionType]] = {Rag.GREEN: frozenset()}
    for rag in (Rag.AMBER, Rag.RED):
        names = data[rag.value]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"prioritisation.{rag.value}: a list of action types")
        unknown = sorted(set(names) - set(ActionType.__members__))
        if unknown:
            raise ValueError(f"prioritisation.{rag.value}: unknown action types {', '.join(unknown)}")
        critical = sorted(n for n in names if ActionType(n) in SAFETY_CRITICAL)
        if critical:
            raise ValueError(
                f"prioritisation.{rag.value}: {', '.join(critical)} is safety-critical and is never deprioritised"
            )
        out[rag] = frozenset(ActionType(n) for n in names)
    if not out[Rag.AMBER] <= out[Rag.RED]:
        missing = sorted(t.value for t in out[Rag.AMBER] - out[Rag.RED])
        raise ValueError(f"prioritisation.RED: must include everything AMBER does; missing {', '.join(missing)}")
    return Framework(out)


def is_deprioritised(action_type: str, rag: Rag | None, framework: Framework) -> bool:
    """Whether an action of this type is shown as deprioritised in a PDU with this status (None: never set)."""
    if rag is None or rag is Rag.GREEN or action_type not in ActionType.__members__:
        return False
    kind = ActionType(action_type)
    if kind in SAFETY_CRITICAL:
        return False
    return kind in framework.deprioritisable[rag]


def deprioritisable_types(rag: Rag | None, framework: Framework) -> list[ActionType]:
    """The types deprioritised under a status, in ActionType order (what the region page reports)."""
    return [t for t in ActionType if is_deprioritised(t.value, rag, framework)]


# --- helper "alloc2": the tag where practitioners look (caseload, a case's actions, action lists) -------------------
def deprioritised_tag(rag: Rag) -> str:
    """The words of the tag on deprioritised work, naming the status that allows it (docs/workforce.md)."""
    return f"Deprioritised (PDU status {RAG_LABELS[rag].lower()})"
