"""Approved premises referrals (issue 16 §5): what a referral must say, when the premises' decision is due, and when a
licence condition to reside at approved premises has a confirmed place.

Sources: seeds/003 recommendation 13 ("clear and responsive arrangements for emergency referral to approved premises
... to manage offenders who present a high risk of serious harm") and recommendation 4 (capacity for every high risk
of harm offender who requires a placement). Neither gives a time, so the due times are Keepsafe defaults
(actions/rules/policy.py, docs/sharing.md "Approved premises"): an emergency (out-of-hours) referral's decision is due
within `ap_emergency_decision_hours` hours, any other within `ap_decision_working_days` working days.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from keepsafe.core.ranges import When, date_problem

PREMISES_MAX = 200
REASON_MAX = 2000
# The licence condition code that requires residence at approved premises (people.rules.vocabulary
# LicenceConditionType.APPROVED_PREMISES): detected by its code, never by reading the condition's text.
AP_CONDITION = "APPROVED_PREMISES"


class Decision(enum.StrEnum):
    ACCEPTED = "ACCEPTED"  # a place offered, from a date
    REFUSED = "REFUSED"  # with the premises' reason


# The decisions in words (issue 20 try-out: an error read "already has the premises' decision (REFUSED)").
DECISION_WORDS = {Decision.ACCEPTED: "accepted", Decision.REFUSED: "refused"}


def decision_words(decision: str | None) -> str:
    """A stored decision in words; "awaited" while there is none."""
    return DECISION_WORDS[Decision(decision)] if decision else "awaited"


class Arrival(enum.StrEnum):
    ARRIVED = "ARRIVED"
    DID_NOT_ARRIVE = "DID_NOT_ARRIVE"


@dataclass(frozen=True)
class ApReferralFacts:
    """One referral as known at an instant (premises.selectors.ap_facts_many): a decision or arrival recorded after
    the instant is not known then."""

    id: str
    premises: str
    referred_at: datetime
    requested_arrival: date
    emergency: bool
    decision: str | None = None  # Decision, None while awaited
    decided_at: datetime | None = None
    place_date: date | None = None  # the date the place is available from (accepted only)
    arrival: str | None = None  # Arrival, None until recorded
    arrival_at: datetime | None = None

    @property
    def place_confirmed(self) -> bool:
        """Accepted with a place (a date it is available from), and not lost by a recorded non-arrival."""
        return (
            self.decision == Decision.ACCEPTED
            and self.place_date is not None
            and self.arrival != Arrival.DID_NOT_ARRIVE
        )


@dataclass(frozen=True)
class ApConditionFacts:
    """A licence condition to reside at approved premises, on one sentence (event), known from `known_from`."""

    event: str
    condition: str
    known_from: datetime


@dataclass(frozen=True)
class ApFacts:
    conditions: tuple[ApConditionFacts, ...] = ()
    referrals: tuple[ApReferralFacts, ...] = ()

    def confirmed_place(self, as_of: datetime | None = None) -> ApReferralFacts | None:
        """The referral whose place is confirmed (the earliest decided), or None; with `as_of`, only a place decided
        by then (a replay never closes the flag with a decision still in its future)."""
        placed = [
            r
            for r in self.referrals
            if r.place_confirmed and r.decided_at is not None and (as_of is None or r.decided_at <= as_of)
        ]
        return min(placed, key=lambda r: (r.decided_at, r.id)) if placed else None


def text_problem(value: str, what: str, limit: int) -> str | None:
    if not value.strip():
        return f"enter {what}"
    if len(value.strip()) > limit:
        return f"{what} must be {limit} characters or fewer (it is {len(value.strip())})"
    return None


def referral_problems(
    *, premises: str, referred_on: date, requested_arrival: date, today: date
) -> list[tuple[str, str]]:
    """A referral's own errors, by field (issue 16 §5)."""
    problems: list[tuple[str, str]] = []
    if (problem := text_problem(premises, "the approved premises referred to", PREMISES_MAX)) is not None:
        problems.append(("premises", problem))
    if referred_on > today:
        problems.append(("referred_on", f"the referral date {referred_on:%-d %B %Y} must be today or in the past"))
    if (out := date_problem(requested_arrival, When.PLANNED, today, words=True)) is not None:  # core/ranges.py: planned
        problems.append(("requested_arrival", f"the requested arrival date {out}"))
    elif requested_arrival < referred_on:
        problems.append(
            (
                "requested_arrival",
                f"the requested arrival date {requested_arrival:%-d %B %Y} must be on or after the referral date "
                f"{referred_on:%-d %B %Y}",
            )
        )
    return problems


def decision_problems(
    *,
    referral: ApReferralFacts,
    decision: str,
    decided_at: datetime,
    place_date: date | None,
    reason: str,
    now: datetime,
) -> list[tuple[str, str]]:
    """The premises' decision: once, not before the referral, accepted with a place date, refused with a reason."""
    problems: list[tuple[str, str]] = []
    if referral.decision is not None:
        made = decision_words(referral.decision)
        problems.append(("decision", f"referral {referral.id} already has the premises' decision ({made})"))
        return problems
    if decision not in Decision.__members__:
        problems.append(("decision", "choose the premises' decision: accepted or refused"))
        return problems
    if decided_at < referral.referred_at:
        problems.append(
            (
                "decided_on",
                f"the decision cannot come before the referral (referred {referral.referred_at:%-d %B %Y %H:%M})",
            )
        )
    if decided_at > now:
        problems.append(("decided_on", "the decision date must be now or in the past"))
    if decision == Decision.ACCEPTED:
        if place_date is None:
            problems.append(("place_date", "enter the date the place is available from"))
        elif place_date < referral.referred_at.date():
            problems.append(("place_date", "the place cannot be available before the referral was made"))
        if reason.strip() and len(reason.strip()) > REASON_MAX:
            problems.append(("reason", f"notes must be {REASON_MAX} characters or fewer"))
    else:
        if place_date is not None:
            problems.append(("place_date", "a refused referral has no place date: clear it or choose accepted"))
        if (problem := text_problem(reason, "the premises' reason for refusing", REASON_MAX)) is not None:
            problems.append(("reason", problem))
    return problems


def arrival_problems(*, referral: ApReferralFacts, arrival: str, on: date, today: date) -> list[tuple[str, str]]:
    """Arrival (or non-arrival) is recorded once, only for an accepted referral with a place, not before the place."""
    problems: list[tuple[str, str]] = []
    if referral.arrival is not None:
        problems.append(("arrival", f"referral {referral.id} already has its arrival recorded ({referral.arrival})"))
        return problems
    if arrival not in Arrival.__members__:
        problems.append(("arrival", f"choose whether the person arrived: one of {', '.join(Arrival)}"))
        return problems
    if referral.decision != Decision.ACCEPTED or referral.place_date is None:
        problems.append(
            ("arrival", f"referral {referral.id} has no accepted place: record the premises' acceptance first")
        )
        return problems
    if on < referral.place_date:
        problems.append(
            (
                "arrival_on",
                f"the arrival date cannot be before the place is available ({referral.place_date:%-d %B %Y})",
            )
        )
    if on > today:
        problems.append(("arrival_on", "the arrival date must be today or in the past"))
    return problems
