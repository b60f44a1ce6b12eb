"""Which recall decisions go to a second reviewer (quality-assurance sampling).

Source: seeds/003 recommendation 6 (McCann action plan: quality-assurance sampling of recall and no-recall
decisions); issue 17 §3. Every decision not to recall after a charge and every recall not executed within its time
is reviewed; of the other no-recall decisions, a configurable share, chosen by a seeded hash of the recall so a
decision's selection never depends on what else was decided.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

CHARGE_KINDS = frozenset({"CHARGE", "NEW_CHARGE"})
CHARGE_LOOKBACK = timedelta(days=90)  # actions/rules/policy.py trigger_lookback_days: news that still counts


class Reason(enum.StrEnum):
    NO_RECALL_AFTER_CHARGE = "NO_RECALL_AFTER_CHARGE"
    RECALL_NOT_EXECUTED_IN_TIME = "RECALL_NOT_EXECUTED_IN_TIME"
    SAMPLED_NO_RECALL = "SAMPLED_NO_RECALL"


REASON_LABELS = {
    Reason.NO_RECALL_AFTER_CHARGE: "Decision not to recall after a charge (every one)",
    Reason.RECALL_NOT_EXECUTED_IN_TIME: "Recall not executed within its time (every one)",
    Reason.SAMPLED_NO_RECALL: "Decision not to recall (sampled)",
}


@dataclass(frozen=True)
class DecisionFacts:
    recall: int
    case: int
    decision: str | None  # "RECALL" | "NO_RECALL" | None (not decided)
    decided_at: datetime | None
    emergency: bool | None
    executed_at: datetime | None
    cancelled: bool
    charges_received: tuple[datetime, ...]  # when the case's CHARGE / NEW_CHARGE records arrived


def sampled(recall: int, seed: int, share: Fraction) -> bool:
    """True for about `share` of recalls: sha256(seed:recall) read as a number in [0, 1) below the share."""
    digest = hashlib.sha256(f"{seed}:{recall}".encode()).digest()
    return Fraction(int.from_bytes(digest[:8], "big"), 2**64) < share


def reasons_for(
    d: DecisionFacts, *, seed: int, share: Fraction, as_of: datetime, emergency_hours: int, standard_hours: int
) -> list[Reason]:
    """Why this decision goes to a second reviewer ([] when it does not)."""
    if d.decided_at is None or (d.cancelled and d.decision != "NO_RECALL"):
        return []
    out: list[Reason] = []
    if d.decision == "NO_RECALL":
        if any(d.decided_at - CHARGE_LOOKBACK <= at <= d.decided_at for at in d.charges_received):
            out.append(Reason.NO_RECALL_AFTER_CHARGE)
        elif sampled(d.recall, seed, share):
            out.append(Reason.SAMPLED_NO_RECALL)
    elif d.decision == "RECALL":
        limit = timedelta(hours=emergency_hours if d.emergency else standard_hours)
        deadline = d.decided_at + limit
        late = d.executed_at > deadline if d.executed_at is not None else deadline <= as_of
        if late:
            out.append(Reason.RECALL_NOT_EXECUTED_IN_TIME)
    return out


def select(
    decisions: Iterable[DecisionFacts],
    *,
    seed: int,
    share: Fraction,
    as_of: datetime,
    emergency_hours: int,
    standard_hours: int,
) -> list[tuple[DecisionFacts, Sequence[Reason]]]:
    if not 0 <= share <= 1:
        raise ValueError(f"the share of no-recall decisions sampled must be between 0 and 1, not {share}")
    out: list[tuple[DecisionFacts, Sequence[Reason]]] = []
    for d in decisions:
        why = reasons_for(
            d, seed=seed, share=share, as_of=as_of, emergency_hours=emergency_hours, standard_hours=standard_hours
        )
        if why:
            out.append((d, why))
    return out
