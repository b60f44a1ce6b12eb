"""A case's facts as known at one instant: the only input the action rules see.

The reconciler builds these from the database keeping only what was known at the instant (records by when they
were received, decisions by when they were made), so `keepsafe sweep --as-of` replays any moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from keepsafe.court.rules.stage import CourtStageFacts
from keepsafe.premises.rules.referral import ApFacts

CUSTODIAL = frozenset({"DETERMINATE_CUSTODY", "EXTENDED", "INDETERMINATE"})
COMMUNITY = frozenset({"COMMUNITY_ORDER", "SUSPENDED_SENTENCE_ORDER"})


@dataclass(frozen=True)
class RequirementFacts:
    id: str
    type: str
    start: date | None


@dataclass(frozen=True)
class EventFacts:
    id: str
    sentence_type: str
    sentence_date: date
    release: date | None = None
    conditional_release: date | None = None
    parole_eligibility: date | None = None
    licence_expiry: date | None = None
    sentence_expiry: date | None = None
    pss_end: date | None = None
    terminated: date | None = None
    requirements: tuple[RequirementFacts, ...] = ()
    licence_conditions: int = 0
    early_allocation: bool = False

    @property
    def custodial(self) -> bool:
        return self.sentence_type in CUSTODIAL

    @property
    def earliest_release(self) -> date | None:
        """OMiC ERD (hmpps.md §4): the parole eligibility date if there is one, else the earlier of release and CRD."""
        if self.parole_eligibility is not None:
            return self.parole_eligibility
        candidates = [d for d in (self.release, self.conditional_release) if d is not None]
        return min(candidates) if candidates else None

    @property
    def expiry(self) -> date | None:
        """When supervision ends: the latest of sentence expiry, licence expiry and post-sentence supervision."""
        candidates = [d for d in (self.sentence_expiry, self.licence_expiry, self.pss_end) if d is not None]
        return max(candidates) if candidates else None


@dataclass(frozen=True)
class ContactFacts:
    id: str
    type: str
    at: datetime
    outcome: str | None


@dataclass(frozen=True)
class EnforcementFacts:
    contact: str
    decision: str  # WARNING | BREACH | RECALL_CONSIDERATION
    at: datetime
    ref: str


@dataclass(frozen=True)
class RecallFacts:
    id: str
    event: str | None
    considered_at: datetime
    decided_at: datetime | None
    decision: str | None  # RECALL | NO_RECALL
    emergency: bool
    revoked_at: datetime | None
    executed_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class CheckFacts:
    id: str
    kind: str  # DOMESTIC_ABUSE | SAFEGUARDING
    requested_at: datetime
    answered_at: datetime | None
    acted_on_at: datetime | None


@dataclass(frozen=True)
class AssessmentFacts:
    id: str
    completed_at: datetime
    countersign_required: bool
    countersigned_at: datetime | None
    # When Keepsafe learned of it (an imported one: the import); None is read as its completion.
    recorded_at: datetime | None = None

    @property
    def known_at(self) -> datetime:
        return max(self.completed_at, self.recorded_at) if self.recorded_at else self.completed_at


@dataclass(frozen=True)
class RegistrationFacts:
    id: str
    type: str
    name: str
    start: date
    end: date | None
    next_review: date | None
    reviews: tuple[datetime, ...] = ()  # when it was reviewed (its history)


@dataclass(frozen=True)
class SignificantRecord:
    """A record that calls for a risk review by its nature: a new charge, a change of address, a DA call-out."""

    id: str
    kind: str
    received_at: datetime
    why: str


@dataclass(frozen=True)
class FindingFacts:
    """A serious-harm indicator found in a record (docs/indicators.md), by when the finding was received."""

    record: str
    indicator: str
    received_at: datetime


@dataclass(frozen=True)
class ReleasePlanItem:
    event: str
    item: str
    at: datetime
    ref: str


# --- issue 14: contact levels ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Expectation:
    """At least `count` contacts in every period of `period_days` days."""

    count: int
    period_days: int


@dataclass(frozen=True)
class ContactLevelTable:
    """One region's contact levels (actions/reference/contact-levels.json): by tier letter, by RoSH level (the stricter
    of the two applies), and home visits for high and very high RoSH and domestic abuse cases."""

    by_tier: dict[str, Expectation]
    by_rosh: dict[str, Expectation]
    home_visits: Expectation | None


@dataclass(frozen=True)
class ContactLevelFacts:
    """What a case's contact level depends on: its region's table, tier letter, RoSH level and a domestic abuse flag."""

    table: ContactLevelTable
    tier: str | None = None  # the tier's letter (v3, else v2)
    rosh: str | None = None  # LOW | MEDIUM | HIGH | VERY_HIGH
    domestic_abuse: bool = False


# --- end issue 14 ----------------------------------------------------------------------------------------------------


# --- issue 16 §6 (helper "transfer"): remand ------------------------------------------------------------------------
@dataclass(frozen=True)
class RemandFacts:
    """A period on remand (unsentenced) for a matter, as known at the instant; `end` None while it lasts."""

    id: str
    start: date
    end: date | None
    matter: str


# --- end issue 16 (helper "transfer") ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    crn: str
    as_of: datetime
    com_allocated: bool
    events: tuple[EventFacts, ...] = ()
    contacts: tuple[ContactFacts, ...] = ()
    enforcement: tuple[EnforcementFacts, ...] = ()
    recalls: tuple[RecallFacts, ...] = ()
    checks: tuple[CheckFacts, ...] = ()
    assessments: tuple[AssessmentFacts, ...] = ()
    registrations: tuple[RegistrationFacts, ...] = ()
    significant: tuple[SignificantRecord, ...] = ()
    findings: tuple[FindingFacts, ...] = ()  # indicator findings in records, received by the instant
    release_plan: tuple[ReleasePlanItem, ...] = ()
    victim_registered: bool = False
    open_keys: frozenset[str] = field(default_factory=frozenset)  # keys of this case's actions still open
    contact_levels: ContactLevelFacts | None = None  # issue 14: None where no expectation applies
    oversight: OversightFacts | None = None  # issue 15 ("overs"): None where no touch point applies
    remand: tuple[RemandFacts, ...] = ()  # issue 16 §6 (helper "transfer"): remand periods known by the instant
    court_stages: tuple[CourtStageFacts, ...] = ()  # issue 16 §1: before sentence (court/rules/stage.py)
    approved_premises: ApFacts = field(default_factory=ApFacts)  # issue 16 §5 (helper "ap"): premises/rules/referral.py


# --- issue 15 (helper "overs"): management oversight touch points -----------------------------------------------------
@dataclass(frozen=True)
class TouchpointTable:
    """One region's touch points (actions/reference/oversight-touchpoints.json, docs/workforce.md "Oversight")."""

    after_allocation_working_days: int
    before_release_opens_days: int
    before_release_due_days: int
    after_release_working_days: int
    after_rosh_change_working_days: int
    intervals_days: dict[str, int]  # reason (PQIP | NQO | HIGH | VERY_HIGH) → days between oversight notes


@dataclass(frozen=True)
class RoshChangeFacts:
    id: str
    at: datetime
    previous: str | None
    new: str


@dataclass(frozen=True)
class OversightFacts:
    """What a case's touch points depend on, as known at the instant: when its community offender manager was
    allocated, whether they are a trainee (PQiP) or newly qualified (NQO), the RoSH level and its changes, and the
    SPO oversight notes (contacts of type SPO_OVERSIGHT) recorded on the case."""

    table: TouchpointTable
    allocated_at: datetime | None = None
    holder: str | None = None  # PQIP | NQO | None (any other grade)
    rosh: str | None = None
    rosh_changes: tuple[RoshChangeFacts, ...] = ()
    notes: tuple[ContactFacts, ...] = ()


# --- end issue 15 ("overs") -------------------------------------------------------------------------------------------
