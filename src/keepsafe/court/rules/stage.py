"""A court stage as the action rules see it at one instant (issue 16 §1, "before sentence").

Built by `court.selectors.court_stage_facts_many` from what was known at the instant: the court date then known (an
adjournment known later does not move an earlier instant's due date), the pre-sentence report's checks as requested
and answered by then, and the address assessments recorded by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class PreSentenceCheckFacts:
    kind: str  # DOMESTIC_ABUSE | SAFEGUARDING (sharing.rules.agreements.CheckKind)
    id: str
    requested_at: datetime
    answered_at: datetime | None  # None: not answered by the instant


@dataclass(frozen=True)
class AssessedAddress:
    address_key: str  # suitability.address_key of the assessed address
    conclusion: str
    at: datetime
    id: str


@dataclass(frozen=True)
class CourtStageFacts:
    id: str
    court: str
    court_date: date  # the date known at the instant (the newest listing or adjournment recorded by then)
    opened_at: datetime
    closed_at: datetime | None  # the court outcome, if recorded by the instant
    psr_requested_at: datetime | None  # None: no pre-sentence report requested (by the instant)
    checks: tuple[PreSentenceCheckFacts, ...] = ()
    considering: tuple[str, ...] = ()  # requirements being considered (CURFEW, RESIDENCE, …)
    proposed_address: str = ""
    assessed: tuple[AssessedAddress, ...] = ()
