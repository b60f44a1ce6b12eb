"""Domestic abuse and safeguarding checks before release and at the start of a community sentence.

Why: inspectors found domestic abuse checks done before release in 55% of cases and safeguarding information shared
in 59% (seeds/004), and information received but not acted on (seeds/002). So a check is done only when the partner's
answer is recorded *and* the practitioner records what was done with it (issue 6 §3).
"""

from __future__ import annotations

import enum
import re
from datetime import date, datetime, timedelta

from keepsafe.actions.rules.calendar import end_of_day, start_of_day, working_days_after
from keepsafe.actions.rules.common import (
    default_escalations,
    default_reminders,
    event_in_view,
    withdrawn_if_ended,
)
from keepsafe.actions.rules.facts import CaseFacts, CheckFacts, EventFacts
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Evidence, Expected, OwnerRole

KINDS = {"DOMESTIC_ABUSE": ActionType.DOMESTIC_ABUSE_CHECK, "SAFEGUARDING": ActionType.SAFEGUARDING_CHECK}
WORDS = {"DOMESTIC_ABUSE": "domestic abuse", "SAFEGUARDING": "safeguarding"}


class ActedOn(enum.StrEnum):
    """What was done with a check's answer: a recorded decision (issue 12 §8), never just "noted"."""

    FLAG = "FLAG"  # a flag (registration) added or reviewed since the answer arrived
    PLAN_UPDATED = "PLAN_UPDATED"  # the risk assessment and its plan completed since the answer arrived
    REFERRAL = "REFERRAL"  # a referral made (MARAC, children's services, IDVA, police): say to whom and why
    REASON = "REASON"  # nothing changes, and why: a reason of substance


ACTED_ON_LABELS = {
    ActedOn.FLAG: "A flag added or reviewed because of it",
    ActedOn.PLAN_UPDATED: "The risk assessment and plan updated because of it",
    ActedOn.REFERRAL: "A referral made (say to whom and why)",
    ActedOn.REASON: "No change, for a reason (say what the answer showed and why nothing changes)",
}

# "Noted." is not a decision (issue 12 §8; seeds/002: information received but not acted on). A reason of substance
# is at least SUBSTANCE_MIN_CHARS characters and SUBSTANCE_MIN_WORDS different words that are not acknowledgement.
SUBSTANCE_MIN_CHARS = 40
SUBSTANCE_MIN_WORDS = 5
STOCK_WORDS = frozenset(
    "noted note notes seen read received receipt acknowledged acknowledge ack checked check ok okay fine thanks "
    "thank you no nfa n/a na none nil action actions further needed required necessary taken at this time for now "
    "the a an and of to on in it is was has have been be will i we this that as per see above below file filed "
    "logged log info information update updated reviewed done nothing new same".split()
)


def substance_problem(notes: str) -> str | None:
    """Why `notes` is not a reason of substance, or None. Acknowledgement and stock phrases carry no decision."""
    text = " ".join(notes.split())
    words = {w for w in re.findall(r"[a-z0-9][a-z0-9'/-]*", text.lower()) if w not in STOCK_WORDS}
    if len(text) < SUBSTANCE_MIN_CHARS or len(words) < SUBSTANCE_MIN_WORDS:
        return (
            "say what the answer showed and what was decided because of it; 'noted', 'seen', 'read' or 'no action' "
            f"is not a decision (at least {SUBSTANCE_MIN_CHARS} characters and {SUBSTANCE_MIN_WORDS} words of "
            "substance)"
        )
    return None


def acted_on_problems(outcome: str, notes: str, flag_since: bool, plan_since: bool) -> list[tuple[str, str]]:
    """What is wrong with recording `outcome` as what was done with an answer. `flag_since` and `plan_since`: a flag
    was added or reviewed, an assessment completed, after the answer arrived (the decision has to exist)."""
    if outcome not in ActedOn.__members__:
        return [("outcome", "choose what was done: " + "; ".join(ACTED_ON_LABELS.values()))]
    problems: list[tuple[str, str]] = []
    if outcome == ActedOn.FLAG and not flag_since:
        problems.append(("outcome", "no flag has been added or reviewed since the answer arrived: do that first"))
    if outcome == ActedOn.PLAN_UPDATED and not plan_since:
        problems.append(
            ("outcome", "no risk assessment has been completed since the answer arrived: complete it first")
        )
    if outcome in (ActedOn.REFERRAL, ActedOn.REASON):
        if (problem := substance_problem(notes)) is not None:
            problems.append(("notes", problem))
    elif not notes.strip():
        problems.append(("notes", "say what the flag or plan now says because of the answer"))
    return problems


def release_date(event: EventFacts) -> date | None:
    return event.release or event.conditional_release or event.parole_eligibility


def _state(kind: str, checks: list[CheckFacts], facts: CaseFacts) -> tuple[Evidence | None, str]:
    """Satisfied by the newest check of the kind both answered and acted on; otherwise what is still missing."""
    known = [c for c in checks if c.requested_at <= facts.as_of]
    done = [
        c
        for c in known
        if c.answered_at is not None
        and c.answered_at <= facts.as_of
        and c.acted_on_at is not None
        and c.acted_on_at <= facts.as_of
    ]
    if done:
        last = max(done, key=lambda c: c.acted_on_at or c.requested_at)
        assert last.acted_on_at is not None
        return Evidence("check", last.id, last.acted_on_at, f"{WORDS[kind]} check answered and acted on"), ""
    answered = [c for c in known if c.answered_at is not None and c.answered_at <= facts.as_of]
    if answered:
        return None, "The answer has arrived: record what was done with it"
    if known:
        return None, "Requested; waiting for the partner's answer, then record what was done with it"
    return None, f"Request a {WORDS[kind]} check, record the answer and what was done with it"


def check_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    out: list[Expected] = []
    for event in facts.events:
        triggers: list[tuple[str, datetime, datetime, date | None]] = []
        if event.custodial and (release := release_date(event)) is not None:
            due_day = release - timedelta(days=policy.checks_days_before_release)
            opens = start_of_day(max(event.sentence_date, due_day - timedelta(days=28)))
            triggers.append(("release", opens, end_of_day(due_day), release))
        elif not event.custodial:
            opens = start_of_day(event.sentence_date)
            triggers.append(("start", opens, working_days_after(opens, policy.checks_working_days_after_start), None))
        for when, opens, due, release in triggers:
            window_from = opens - timedelta(days=policy.checks_valid_days_before)
            for kind, action_type in KINDS.items():
                key = f"event:{event.id}:{when}:{kind}"
                if not event_in_view(event, opens, key, facts, policy):
                    continue
                relevant = [c for c in facts.checks if c.kind == kind and c.requested_at >= window_from]
                satisfied, missing = _state(kind, relevant, facts)
                title = f"{WORDS[kind].capitalize()} check " + (
                    f"before release on {release:%-d %B %Y}" if release else "at the start of the sentence"
                )
                out.append(
                    Expected(
                        type=action_type,
                        key=key,
                        title=title,
                        owner=OwnerRole.COM,
                        opens_at=opens,
                        due=due,
                        evidence_needed=missing or "Done",
                        reminders=default_reminders(policy),
                        escalations=default_escalations(policy),
                        event=event.id,
                        satisfied=satisfied,
                        withdrawn=withdrawn_if_ended(event, facts, satisfied),
                    )
                )
    return out


# --- issue 14 §2 (helper "flags"): the flags a check's answer can justify, added in the same step ------------------
# registration-types.csv: a domestic abuse check (police call-outs, a DVPN) justifies the domestic abuse perpetrator
# or victim flag; a safeguarding check (children's services) a child protection, child concerns or risk to children
# flag. Keepsafe's own mapping of the nDelius register types to the two checks of issue 6 §3.
JUSTIFIED_FLAGS: dict[str, tuple[str, ...]] = {
    "DOMESTIC_ABUSE": ("ADVP", "ADVV"),
    "SAFEGUARDING": ("RCPR", "RCCO", "RCHD"),
}
