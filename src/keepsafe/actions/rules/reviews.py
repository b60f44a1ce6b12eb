"""Reviews: the risk assessment after new information and key moments, registrations by their review dates, and
countersignature of assessments that need a senior officer.

Why: seeds/001 concerns 3-4 (new information never led to a review), 6 (a restraining order flag nobody reviewed);
the risk issue decides which assessments need countersigning (risk/rules/countersign.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from keepsafe.actions.rules.calendar import end_of_day, start_of_day, working_days_after
from keepsafe.actions.rules.checks import release_date
from keepsafe.actions.rules.common import default_escalations, default_reminders, in_view, terminated_by
from keepsafe.actions.rules.facts import AssessmentFacts, CaseFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole

# Significant events that call for a risk review (issue 6 §3 RISK_REVIEW): record kinds, and police call-outs that
# carry a domestic abuse indicator (seeds/001 concern 7: call-outs never reached the assessor).
SIGNIFICANT_KINDS = {
    "NEW_CHARGE": "New charge",
    "CHARGE": "New charge",
    "ARREST": "Arrested",
    "CHANGE_OF_ADDRESS": "Change of address",
    "ADDRESS_CHANGE": "Change of address",
}


def significance(kind: str, indicators: frozenset[str]) -> str | None:
    """Why a record calls for a risk review by its nature, or None."""
    if kind in SIGNIFICANT_KINDS:
        return SIGNIFICANT_KINDS[kind]
    if kind == "CALL_OUT" and "domestic_abuse" in indicators:
        return "Domestic abuse call-out"
    return None


# How serious an indicator is for an open review (Keepsafe's ordering, docs/indicators.md groups): weapons and threats
# first, as in the prison intelligence never acted on in the Zara Aleena case (seeds/001 concerns 3-4); then harm to
# a person, a partner or a child; then needs and engagement.
SEVERITY: dict[str, int] = {
    "weapons": 3,
    "threats": 3,
    "violence": 2,
    "violence_escalation": 2,
    "domestic_abuse": 2,
    "stalking": 2,
    "order_breach": 2,
    "sexual_harm": 2,
    "child_safeguarding": 2,
}
SEVERITY_WORDS = {1: "needs or engagement", 2: "harm to others", 3: "weapons or threats"}


def severity(indicator: str) -> int:
    return SEVERITY.get(indicator, 1)


@dataclass(frozen=True)
class Review:
    """The indicator records received after one completed assessment (or before any) and before the next: one review.
    It closes when the next assessment is completed; it is raised each time a more serious indicator arrives."""

    since: AssessmentFacts | None
    answered_by: AssessmentFacts | None
    records: tuple[str, ...]  # in the order received
    indicators: frozenset[str]
    first: datetime
    newest: datetime
    raised: tuple[datetime, ...]  # when a record more serious than any before it arrived on the open review

    @property
    def key(self) -> str:
        # The signal's id in the risk issue's words (risk/rules/review_signal.py), so existing actions keep their key.
        return f"risk-review:signal:RISK_REVIEW:{self.since.id if self.since else 'NO_ASSESSMENT'}"

    @property
    def severity(self) -> int:
        return max(severity(i) for i in self.indicators)


def risk_reviews(facts: CaseFacts) -> list[Review]:
    """Issue 12 §3: each record with indicators received after the latest completed assessment belongs to an open
    review; the review closes when an assessment is completed after the newest of them."""
    done = sorted((a for a in facts.assessments if a.completed_at <= facts.as_of), key=lambda a: (a.completed_at, a.id))
    bounds: list[AssessmentFacts | None] = [None, *done]
    found = sorted((x for x in facts.findings if x.received_at <= facts.as_of), key=lambda x: (x.received_at, x.record))
    out: list[Review] = []
    for since, answered_by in zip(bounds, [*done, None], strict=True):
        window = [
            x
            for x in found
            if (since is None or x.received_at > since.completed_at)
            and (answered_by is None or x.received_at <= answered_by.completed_at)
        ]
        if not window:
            continue
        raised: list[datetime] = []
        worst = 0
        for x in window:
            if worst and severity(x.indicator) > worst and x.received_at > window[0].received_at:
                raised.append(x.received_at)
            worst = max(worst, severity(x.indicator))
        out.append(
            Review(
                since=since,
                answered_by=answered_by,
                records=tuple(dict.fromkeys(x.record for x in window)),
                indicators=frozenset(x.indicator for x in window),
                first=window[0].received_at,
                newest=window[-1].received_at,
                raised=tuple(dict.fromkeys(raised)),
            )
        )
    return out


def _assessed_since(facts: CaseFacts, since: datetime) -> Evidence | None:
    done = sorted(
        (a for a in facts.assessments if since <= a.completed_at <= facts.as_of), key=lambda a: a.completed_at
    )
    if not done:
        return None
    return Evidence("assessment", done[0].id, done[0].completed_at, "risk assessment completed")


def _review_expected(review: Review, facts: CaseFacts, policy: Policy) -> Expected:
    count = len(review.records)
    satisfied = None
    if review.answered_by is not None:
        satisfied = Evidence(
            "assessment", review.answered_by.id, review.answered_by.completed_at, "risk assessment completed"
        )
    return Expected(
        type=ActionType.RISK_REVIEW,
        key=review.key,
        # Bounded (it is an email subject): the most serious kind; the indicators are in `detail`.
        title=f"New information with risk indicators ({count} record{'s' if count != 1 else ''}), "
        f"the most serious: {SEVERITY_WORDS[review.severity]}",
        owner=OwnerRole.COM,
        opens_at=review.first,
        due=working_days_after(review.first, policy.risk_review_signal_working_days),
        evidence_needed="A risk of serious harm assessment completed after the newest of these records",
        reminders=replace(default_reminders(policy), also_at=review.raised),
        escalations=default_escalations(policy),
        satisfied=satisfied,
        raised_at=review.raised[-1] if review.raised else None,
        detail={
            "records": ",".join(review.records),
            "severity": SEVERITY_WORDS[review.severity],
            "indicators": ",".join(sorted(review.indicators)),
        },
    )


def risk_review_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """A completed risk assessment after: new indicator information (one review per assessment answered, see
    `risk_reviews`); a community sentence starting; a release; a significant event (a new charge, a recall, a change
    of address, a domestic abuse call-out)."""
    out: list[Expected] = []
    in_a_review: set[str] = set()
    for review in risk_reviews(facts):
        in_a_review.update(review.records)
        # In view while any of its records is recent: old unanswered intelligence never hides new intelligence.
        if in_view(review.newest, review.key, facts, policy):
            out.append(_review_expected(review, facts, policy))
    triggers: list[
        tuple[str, str, datetime, datetime, datetime, str | None]
    ] = []  # key, title, opens, due, since, event
    for record in facts.significant:
        if record.id in in_a_review:
            continue
        due = working_days_after(record.received_at, policy.risk_review_event_working_days)
        triggers.append((f"record:{record.id}", record.why, record.received_at, due, record.received_at, None))
    for recall in facts.recalls:
        if recall.decision == "RECALL" and recall.decided_at is not None:
            due = working_days_after(recall.decided_at, policy.risk_review_event_working_days)
            triggers.append(
                (f"recall:{recall.id}", "Recall decided", recall.decided_at, due, recall.decided_at, recall.event)
            )
    for event in facts.events:
        if terminated_by(event, facts):
            continue
        if event.custodial:
            release = release_date(event)
            if release is not None:
                opens = start_of_day(release)
                since = opens - timedelta(days=policy.risk_review_release_lookback_days)
                due = working_days_after(opens, policy.risk_review_release_working_days)
                triggers.append(
                    (
                        f"event:{event.id}:release:{release.isoformat()}",
                        "Released on licence",
                        opens,
                        due,
                        since,
                        event.id,
                    )
                )
        else:
            opens = start_of_day(event.sentence_date)
            due = working_days_after(opens, policy.risk_review_sentence_working_days)
            triggers.append((f"event:{event.id}:sentence", "Community sentence started", opens, due, opens, event.id))
    for subject, title, opens, due, since, event_id in triggers:
        key = f"risk-review:{subject}"
        if not in_view(opens, key, facts, policy):
            continue
        out.append(
            Expected(
                type=ActionType.RISK_REVIEW,
                key=key,
                title=title,
                owner=OwnerRole.COM,
                opens_at=opens,
                due=due,
                evidence_needed="A completed risk of serious harm assessment",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                event=event_id,
                satisfied=_assessed_since(facts, since),
            )
        )
    return out


def registration_review_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """Each active registration by its next review date (nDelius frequency; a civil order 28 days before it ends).
    An action for an earlier review date is done by the review that moved the date, or withdrawn if it ended."""
    out: list[Expected] = []
    lead = timedelta(days=policy.registration_review_lead_days)
    as_of_day = facts.as_of.date()
    for reg in facts.registrations:
        if reg.start > as_of_day:
            continue
        ended = reg.end is not None and reg.end <= as_of_day
        prefix = f"registration:{reg.id}:"
        keys = {k for k in facts.open_keys if k.startswith(prefix)}
        if reg.next_review is not None and not ended:
            keys.add(prefix + reg.next_review.isoformat())
        for key in sorted(keys):
            review_day = datetime.fromisoformat(key.removeprefix(prefix)).date()
            opens = start_of_day(review_day) - lead
            # The active registration's current review date is chased however long ago it fell (issue 12 §9: a MAPPA
            # review overdue since 2018 shown in the header and never chased); the look-back spares only old dates.
            current = not ended and reg.next_review is not None and review_day == reg.next_review
            if not in_view(opens, key, facts, policy) and not (current and opens <= facts.as_of):
                continue
            reviews = sorted(r for r in reg.reviews if opens <= r <= facts.as_of)
            satisfied = Evidence("registration", reg.id, reviews[0], "registration reviewed") if reviews else None
            withdrawn = None
            if satisfied is None and ended:
                withdrawn = "registration ended"
            elif satisfied is None and review_day != reg.next_review:
                withdrawn = f"review date changed to {reg.next_review}" if reg.next_review else "no review needed now"
            out.append(
                Expected(
                    type=ActionType.REGISTRATION_REVIEW,
                    key=key,
                    title=f"Review the {reg.name} registration by {review_day:%-d %B %Y}",
                    owner=OwnerRole.COM,
                    opens_at=opens,
                    due=end_of_day(review_day),
                    evidence_needed="A recorded review of the registration (keep, amend or end it)",
                    reminders=default_reminders(policy),
                    escalations=default_escalations(policy),
                    satisfied=satisfied,
                    withdrawn=withdrawn,
                    detail={"registration": reg.id, "type": reg.type},
                )
            )
    return out


def countersign_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    for assessment in facts.assessments:
        if not assessment.countersign_required:
            continue
        key = f"assessment:{assessment.id}:countersign"
        # From when Keepsafe learned of it: an imported trainee's assessment completed months ago still needs an SPO.
        known = assessment.known_at
        if not in_view(known, key, facts, policy):
            continue
        signed = assessment.countersigned_at is not None and assessment.countersigned_at <= facts.as_of
        out.append(
            Expected(
                type=ActionType.COUNTERSIGN,
                key=key,
                title="Countersign a risk assessment",
                owner=OwnerRole.SPO,
                opens_at=known,
                due=working_days_after(known, policy.countersign_working_days),
                evidence_needed="The SPO's countersignature (agree, or disagree with comments)",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy)[1:],
                satisfied=Evidence("assessment", assessment.id, assessment.countersigned_at, "countersigned")
                if signed and assessment.countersigned_at is not None
                else None,
                detail={"assessment": assessment.id},
            )
        )
    return out


def termination_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """Before supervision ends: the termination assessment and closure, by the COM (also for recalled people)."""
    out: list[Expected] = []
    for event in facts.events:
        expiry = event.expiry
        if expiry is None:
            continue
        key = f"event:{event.id}:termination:{expiry.isoformat()}"
        opens = start_of_day(expiry - timedelta(days=policy.termination_lead_days))
        if not in_view(opens, key, facts, policy):
            continue
        satisfied = None
        if terminated_by(event, facts) and event.terminated is not None:
            satisfied = Evidence("event", event.id, start_of_day(event.terminated), "sentence terminated and closed")
        out.append(
            Expected(
                type=ActionType.TERMINATION,
                key=key,
                title=f"Termination assessment before the sentence ends on {expiry:%-d %B %Y}",
                owner=OwnerRole.COM,
                opens_at=opens,
                due=end_of_day(expiry),
                evidence_needed="The termination assessment, then the sentence closed",
                reminders=default_reminders(policy),
                escalations=default_escalations(policy),
                event=event.id,
                satisfied=satisfied,
            )
        )
    return out
