"""Before sentence (issue 16 §1): the pre-sentence report's checks and the proposed address, due before court.

Why: in the Bendall case the domestic abuse and child safeguarding checks were not made before the court chose a
curfew at an address where children lived (seeds/004, "Key findings from Bendall and McSweeney cases"). So when a
pre-sentence report is requested, each check is a safety action due `pre_sentence_working_days_before_court` working
days before the court date (re-dated when the hearing is adjourned), escalating like every safety action, and closed
when the partner answers; and a curfew or residence requirement being considered at an address opens an address
suitability action until the address is assessed. A report requested too late to meet that target is due at once
and flagged, never given a due instant already in the past or after the hearing without saying so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from keepsafe.actions.rules.calendar import end_of_day, is_working_day, start_of_day
from keepsafe.actions.rules.common import default_escalations, default_reminders, in_view
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole
from keepsafe.court.rules.stage import CourtStageFacts
from keepsafe.court.rules.suitability import CHECK_WORDS, address_key, needs_assessment

KINDS = ("DOMESTIC_ABUSE", "SAFEGUARDING")


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (count ≥ 1)."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    current, remaining = day, count
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@dataclass(frozen=True)
class PreSentenceDue:
    due: datetime
    late: bool  # requested too late for the target: due at once (the request's instant), and flagged


def pre_sentence_due(requested_at: datetime, court_date: date, working_days_before_court: int) -> PreSentenceDue:
    """The end of the working day `working_days_before_court` working days before the hearing (0: the start of the
    hearing day), or at once and flagged when the request came after that."""
    if working_days_before_court == 0:
        target = start_of_day(court_date)
    else:
        target = end_of_day(working_days_before(court_date, working_days_before_court))
    if target < requested_at:
        return PreSentenceDue(requested_at, True)
    return PreSentenceDue(target, False)


@dataclass(frozen=True)
class _Frame:
    """What every action of one stage shares: when it opened, when it is due, why it would be withdrawn."""

    stage: CourtStageFacts
    opens_at: datetime
    timing: PreSentenceDue
    facts: CaseFacts
    policy: Policy

    def expected(
        self, action_type: ActionType, key: str, title: str, missing: str, done: Evidence | None, extra: dict[str, str]
    ) -> Expected:
        stage = self.stage
        closed = stage.closed_at is not None and stage.closed_at <= self.facts.as_of
        withdrawn = f"the court outcome was recorded on {stage.closed_at:%-d %B %Y}" if stage.closed_at else None
        late = " (requested too late: due at once)" if self.timing.late else ""
        return Expected(
            type=action_type,
            key=key,
            title=f"{title} before court on {stage.court_date:%-d %B %Y}{late}",
            owner=OwnerRole.COM,
            opens_at=self.opens_at,
            due=self.timing.due,
            evidence_needed=missing,
            reminders=default_reminders(self.policy),
            escalations=default_escalations(self.policy),
            satisfied=done,
            withdrawn=withdrawn if done is None and closed else None,
            detail={
                "court_date": stage.court_date.isoformat(),
                "court": stage.court,
                "late": str(self.timing.late),
            }
            | extra,
            raised_at=self.opens_at if self.timing.late else None,
        )


def pre_sentence_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    for stage in facts.court_stages:
        requested = stage.psr_requested_at
        if requested is None or requested > facts.as_of:
            continue
        timing = pre_sentence_due(requested, stage.court_date, policy.pre_sentence_working_days_before_court)
        frame = _Frame(stage, requested, timing, facts, policy)
        by_kind = {c.kind: c for c in stage.checks if c.requested_at <= facts.as_of}
        for kind in KINDS:
            key = f"court:{stage.id}:psr:{kind}"
            if not _wanted(key, requested, stage, facts, policy):
                continue
            check = by_kind.get(kind)
            satisfied = None
            if check is None:
                missing = f"Request the {CHECK_WORDS[kind]} for the pre-sentence report"
            elif check.answered_at is not None and check.answered_at <= facts.as_of:
                satisfied = Evidence("check", check.id, check.answered_at, f"{CHECK_WORDS[kind]} answered")
                missing = "Done"
            else:
                missing = "Requested; chase the partner: the answer is needed before the court date"
            title = CHECK_WORDS[kind].capitalize()
            out.append(frame.expected(ActionType.PRE_SENTENCE_CHECK, key, title, missing, satisfied, {"check": kind}))
        # One action per address considered: a new address needs its own assessment.
        where = address_key(stage.proposed_address)
        key = f"court:{stage.id}:address:{hashlib.sha256(where.encode()).hexdigest()[:12]}"
        if not needs_assessment(stage.considering, stage.proposed_address, ()):
            continue
        if not _wanted(key, requested, stage, facts, policy):
            continue
        found = {a.address_key: a for a in stage.assessed if a.at <= facts.as_of}.get(where)
        done = (
            Evidence("address_assessment", found.id, found.at, f"address assessed: {found.conclusion}")
            if found is not None
            else None
        )
        missing = (
            "Done"
            if done
            else "Record who lives at the address (children and their ages, a victim, a partner), the checks' "
            "answers relied on and whether it is suitable"
        )
        title = f"Assess {stage.proposed_address or 'the proposed address'}"
        out.append(frame.expected(ActionType.ADDRESS_SUITABILITY, key, title, missing, done, {}))
    return out


def _wanted(key: str, opens: datetime, stage: CourtStageFacts, facts: CaseFacts, policy: Policy) -> bool:
    """In view, and not for a stage closed before its action was ever opened."""
    closed = stage.closed_at is not None and stage.closed_at <= facts.as_of
    return in_view(opens, key, facts, policy) and (not closed or key in facts.open_keys)
