"""Recall: who may decide what, what Part A must hold, and the actions that keep a recall moving until executed.

Sources: make-recall-decision (hmpps.md §3): reasons for considering recall, options per sentence type, emergency
forced for indeterminate and never with fixed-term, Part A contents, SPO then ACO countersignature. Why: Joseph
McCann's recall was decided and never executed (seeds/003 rec. 5); Jordan McSweeney's licence was revoked and he
was never arrested, with staff believing emergency recall was out-of-hours only (seeds/001 concern 9, seeds/004).
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from keepsafe.actions.rules.calendar import local_date, start_of_day
from keepsafe.actions.rules.common import default_escalations, default_reminders, in_view
from keepsafe.actions.rules.facts import CaseFacts, EventFacts, FindingFacts, RecallFacts
from keepsafe.actions.rules.policy import Policy, hours
from keepsafe.actions.rules.types import ActionType, Escalation, Evidence, Expected, OwnerRole, ReminderPlan, Step


class Reason(enum.StrEnum):
    RISK_INCREASED = "RISK_INCREASED"
    CONTACT_STOPPED = "CONTACT_STOPPED"


class Decision(enum.StrEnum):
    RECALL = "RECALL"
    NO_RECALL = "NO_RECALL"


class RecallType(enum.StrEnum):
    STANDARD = "STANDARD"
    FIXED_TERM = "FIXED_TERM"


@dataclass(frozen=True)
class Options:
    types: tuple[RecallType, ...]
    emergency_forced: bool


def options_for(sentence_type: str) -> Options:
    """make-recall-decision recallType*/formOptions.ts: determinate fixed-term or standard; extended standard;
    indeterminate "emergency standard" only. Community sentences have no licence to recall."""
    match sentence_type:
        case "DETERMINATE_CUSTODY":
            return Options((RecallType.FIXED_TERM, RecallType.STANDARD), emergency_forced=False)
        case "EXTENDED":
            return Options((RecallType.STANDARD,), emergency_forced=False)
        case "INDETERMINATE":
            return Options((RecallType.STANDARD,), emergency_forced=True)
    raise ValueError(f"a {sentence_type} sentence has no licence, so there is nothing to recall")


def licence_problem(event: EventFacts, recalls: Sequence[RecallFacts], day: date) -> str | None:
    """Why the person cannot be recalled on this sentence on `day`, or None while they are on licence.

    Recall revokes a licence, so it needs one in force: released (the release date, else the conditional release
    date, has come) and the licence not yet expired (an indeterminate licence has no expiry), and not back in custody
    after an executed recall. Post-sentence supervision is not a licence: its breaches go to the magistrates' court
    (Criminal Justice Act 2003 s.256AC), not recall. Why: issue 12 §6, recall offered to people still in prison."""
    if not event.custodial:
        return f"a {event.sentence_type.replace('_', ' ').lower()} has no licence to recall; consider breach instead"
    if event.terminated is not None and event.terminated <= day:
        return f"the sentence was terminated on {event.terminated:%-d %B %Y}"
    released = event.release or event.conditional_release
    if released is None:
        return "the person is in custody: no release date is recorded, so there is no licence to recall"
    if released > day:
        return f"the person is in custody until release on {released:%-d %B %Y}: there is no licence to recall yet"
    ends = max((d for d in (event.licence_expiry, event.sentence_expiry) if d is not None), default=None)
    if event.sentence_type != "INDETERMINATE" and ends is not None and ends < day:
        if event.pss_end is not None and event.pss_end >= day:
            return (
                f"the licence ended on {ends:%-d %B %Y}; post-sentence supervision is not recalled, its breaches go "
                "to the magistrates' court"
            )
        return f"the licence ended on {ends:%-d %B %Y}"
    back = [
        r
        for r in recalls
        if r.event == event.id
        and r.executed_at is not None
        and local_date(r.executed_at) <= day
        and local_date(r.executed_at) >= released
    ]
    if back:
        last = max(r.executed_at for r in back if r.executed_at is not None)
        return f"the person has been back in custody since {local_date(last):%-d %B %Y} after recall"
    return None


# Findings that make the recall form suggest an emergency recall on a licence case (issue 12 §7): intelligence of
# weapons and threats was what preceded the murder in the Zara Aleena case (seeds/001 concerns 3-4).
EMERGENCY_INDICATORS = frozenset({"weapons", "threats"})


def emergency_grounds(findings: Sequence[FindingFacts], released: date) -> list[FindingFacts]:
    """Weapons or threats findings received since release: grounds the recall form shows for emergency recall."""
    since = start_of_day(released)
    return sorted(
        (x for x in findings if x.indicator in EMERGENCY_INDICATORS and x.received_at >= since),
        key=lambda x: (x.received_at, x.record, x.indicator),
    )


# Records that call for a recall consideration when they arrive while the person is on licence (issue 12 §7: a
# charged offence on licence is the classic recall trigger, Joseph McCann, seeds/003).
RECALL_TRIGGERS = {"ARREST": "Arrested", "CHARGE": "Charged", "NEW_CHARGE": "Charged"}


def _considered(recalls: Sequence[RecallFacts], since: datetime, as_of: datetime) -> RecallFacts | None:
    """A recall consideration that takes in news from `since`: considered since, or still waiting for its decision."""
    live = [
        r
        for r in recalls
        if r.considered_at <= as_of
        and (r.considered_at >= since or r.decided_at is None or r.decided_at >= since)
        and (r.cancelled_at is None or r.cancelled_at >= since)
    ]
    return min(live, key=lambda r: r.considered_at) if live else None


def recall_consideration_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """An arrest or charge while on licence: the COM records a recall consideration (then the SPO decides) within
    `recall_consideration_due_hours`; the line manager is reminded too."""
    out: list[Expected] = []
    for record in facts.significant:
        if record.kind not in RECALL_TRIGGERS:
            continue
        day = local_date(record.received_at)
        event = next((e for e in facts.events if licence_problem(e, facts.recalls, day) is None), None)
        if event is None:
            continue
        key = f"record:{record.id}:recall-consideration"
        if not in_view(record.received_at, key, facts, policy):
            continue
        recall = _considered([r for r in facts.recalls if r.event == event.id], record.received_at, facts.as_of)
        satisfied = None
        if recall is not None:
            satisfied = Evidence(
                "recall", recall.id, max(recall.considered_at, record.received_at), "recall consideration recorded"
            )
        withdrawn = None
        if satisfied is None and licence_problem(event, facts.recalls, local_date(facts.as_of)) is not None:
            withdrawn = "no longer on licence"
        out.append(
            Expected(
                type=ActionType.RECALL_CONSIDERATION,
                key=key,
                title=f"{RECALL_TRIGGERS[record.kind]} on licence ({day:%-d %B %Y}): consider recall",
                owner=OwnerRole.COM,
                opens_at=record.received_at,
                due=record.received_at + hours(policy.recall_consideration_due_hours),
                evidence_needed="A recall consideration recorded for the SPO's decision (recall or no recall)",
                reminders=replace(default_reminders(policy), line_manager_too=True),
                escalations=default_escalations(policy),
                event=event.id,
                satisfied=satisfied,
                withdrawn=withdrawn,
                detail={"record": record.id},
            )
        )
    return out


def decision_problems(
    sentence_type: str, decision: str, recall_type: str | None, emergency: bool | None
) -> list[tuple[str, str]]:
    """The SPO's decision against the options for the sentence (formValidator.ts in make-recall-decision-ui)."""
    if decision not in Decision.__members__:
        return [("decision", "choose recall or no recall")]
    if decision == Decision.NO_RECALL:
        return []
    try:
        options = options_for(sentence_type)
    except ValueError as error:
        return [("decision", str(error))]
    problems: list[tuple[str, str]] = []
    allowed = ", ".join(t.value.replace("_", " ").lower() for t in options.types)
    if recall_type not in {t.value for t in options.types}:
        problems.append(("type", f"for a {sentence_type.replace('_', ' ').lower()} sentence choose: {allowed}"))
    if emergency is None:
        problems.append(("emergency", "say whether this is an emergency recall"))
    elif options.emergency_forced and not emergency:
        problems.append(("emergency", "recall from an indeterminate sentence is always an emergency recall"))
    elif recall_type == RecallType.FIXED_TERM and emergency:
        problems.append(("emergency", "a fixed-term recall cannot be an emergency recall; choose standard"))
    return problems


# Part A (PartADocumentMapper.kt): the sections the practitioner completes. The arrest section is mandatory because
# the police need it to find and safely arrest the person (issue 6 §3; seeds/001 concern 9: never arrested).
PART_A_SECTIONS = {
    "circumstances": "What led to the recall",
    "licence_conditions_breached": "Licence conditions breached",
    "alternatives_tried": "Alternatives to recall tried",
    "current_rosh": "Current risk of serious harm",
    "mappa": "MAPPA category and level",
    "victim_contact_scheme": "Victim contact scheme: is there a victim in the scheme, and has the VLO been told",
}
ARREST_SECTIONS = {
    "last_known_address": "Last known address",
    "associates": "Associates and places the person may be",
    "vehicles": "Vehicles the person uses",
    "risk_to_officers": "Risks to officers making the arrest",
}


def part_a_problems(part_a: Mapping[str, object]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    unknown = sorted(set(part_a) - set(PART_A_SECTIONS) - set(ARREST_SECTIONS))
    problems += [(name, "not a Part A section") for name in unknown]
    for name, label in (PART_A_SECTIONS | ARREST_SECTIONS).items():
        value = part_a.get(name)
        if not isinstance(value, str) or not value.strip():
            reason = "needed by the police to locate and arrest safely" if name in ARREST_SECTIONS else "required"
            problems.append((name, f"{label}: {reason} (write 'None known' if there is nothing)"))
    return problems


class Stage(enum.StrEnum):
    CONSIDERED = "CONSIDERED"
    DECIDED_NO_RECALL = "DECIDED_NO_RECALL"
    PART_A = "PART_A"
    SPO_SIGNED = "SPO_SIGNED"
    ACO_SIGNED = "ACO_SIGNED"
    SENT_TO_PPCS = "SENT_TO_PPCS"
    REVOKED = "REVOKED"
    EXECUTED = "EXECUTED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Progress:
    decision: str | None
    part_a_complete: bool
    spo_signed: bool
    aco_signed: bool
    sent: bool
    revoked: bool
    executed: bool
    cancelled: bool


def stage(p: Progress) -> Stage:
    """Where a recall stands (RecommendationStatus.kt, simplified to the steps Keepsafe records)."""
    if p.cancelled:
        return Stage.CANCELLED
    if p.executed:
        return Stage.EXECUTED
    if p.revoked:
        return Stage.REVOKED
    if p.decision is None:
        return Stage.CONSIDERED
    if p.decision == Decision.NO_RECALL:
        return Stage.DECIDED_NO_RECALL
    if p.sent:
        return Stage.SENT_TO_PPCS
    if p.aco_signed:
        return Stage.ACO_SIGNED
    if p.spo_signed:
        return Stage.SPO_SIGNED
    return Stage.PART_A


def next_step(p: Progress) -> str:
    """What has to happen next, in words the practitioner and managers see."""
    match stage(p):
        case Stage.CONSIDERED:
            return "The SPO records a rationale: recall or no recall"
        case Stage.DECIDED_NO_RECALL:
            return "Send the decision not to recall letter"
        case Stage.PART_A:
            return (
                "Complete Part A, then the SPO countersigns" if not p.part_a_complete else "The SPO countersigns Part A"
            )
        case Stage.SPO_SIGNED:
            return "The ACO countersigns Part A"
        case Stage.ACO_SIGNED:
            return "Send Part A to the public protection casework section"
        case Stage.SENT_TO_PPCS:
            return "Record the revocation of the licence"
        case Stage.REVOKED:
            return "Record when the person is back in custody; keep the police updated"
        case Stage.EXECUTED | Stage.CANCELLED:
            return "Nothing: the recall is closed"
    raise AssertionError("unreachable")


def _decision_action(recall: RecallFacts, facts: CaseFacts, policy: Policy) -> Expected:
    satisfied = None
    if recall.decided_at is not None and recall.decided_at <= facts.as_of:
        satisfied = Evidence("decision", recall.id, recall.decided_at, f"SPO decision: {recall.decision}")
    return Expected(
        type=ActionType.RECALL_DECISION,
        key=f"recall:{recall.id}:decision",
        title="Recall being considered: the SPO records a rationale",
        owner=OwnerRole.SPO,
        opens_at=recall.considered_at,
        due=recall.considered_at + hours(policy.recall_decision_due_hours),
        evidence_needed="The SPO's rationale and decision: recall or no recall",
        reminders=ReminderPlan(every=hours(policy.recall_emergency_reminder_hours)),
        escalations=(Escalation(hours(0), Step.HEAD_OF_PDU),),
        event=recall.event,
        satisfied=satisfied,
        withdrawn=_cancelled(recall, facts) if satisfied is None else None,
        detail={"recall": recall.id},
    )


def _cancelled(recall: RecallFacts, facts: CaseFacts) -> str | None:
    if recall.cancelled_at is not None and recall.cancelled_at <= facts.as_of:
        return "recall cancelled by an ACO"
    return None


def recall_actions(facts: CaseFacts, policy: Policy) -> list[Expected]:
    """RECALL_DECISION while a recall is considered; RECALL_EXECUTION from a decision to recall until the person is
    back in custody. Reminders go to the owner and line manager every 4 hours (emergency) or 24 (standard), at any
    hour of any day: emergency recall is never an out-of-hours-only process (seeds/001 concern 9)."""
    out: list[Expected] = []
    for recall in facts.recalls:
        if recall.considered_at > facts.as_of:
            continue
        out.append(_decision_action(recall, facts, policy))
        if recall.decision != Decision.RECALL or recall.decided_at is None or recall.decided_at > facts.as_of:
            continue
        every = policy.recall_emergency_reminder_hours if recall.emergency else policy.recall_standard_reminder_hours
        due = policy.recall_emergency_due_hours if recall.emergency else policy.recall_standard_due_hours
        executed = recall.executed_at is not None and recall.executed_at <= facts.as_of
        out.append(
            Expected(
                type=ActionType.RECALL_EXECUTION,
                key=f"recall:{recall.id}:execution",
                title=("Emergency recall" if recall.emergency else "Standard recall") + ": back into custody",
                owner=OwnerRole.COM,
                opens_at=recall.decided_at,
                due=recall.decided_at + hours(due),
                evidence_needed="When the person was returned to custody (from the police or the prison)",
                reminders=ReminderPlan(every=hours(every), line_manager_too=True),
                escalations=(Escalation(hours(0), Step.ACO),),
                event=recall.event,
                satisfied=Evidence("recall", recall.id, recall.executed_at, "returned to custody")
                if executed and recall.executed_at is not None
                else None,
                withdrawn=None if executed else _cancelled(recall, facts),
                detail={"recall": recall.id, "emergency": "yes" if recall.emergency else "no"},
            )
        )
    return out


def signature_problem(
    *, level: str, signer: str, considered_by: str, decided_by: str, part_a_by: Collection[str], spo_signed_by: str
) -> str | None:
    """Part A's two-person rule: whoever raised or decided the recall, wrote any of Part A, or already signed it can
    never sign (again), so the SPO and ACO countersignatures are two more people. Source: make-recall-decision
    (hmpps.md §3: the practitioner writes Part A, a manager countersigns, a senior manager countersigns) and issue 11
    §5. None when `signer` may sign at `level`."""
    if signer == spo_signed_by:
        return "You have already countersigned this Part A: the other countersignature must be someone else's"
    if signer == decided_by:
        return f"You decided this recall, so you cannot countersign its Part A as {level}: another manager must"
    if signer in part_a_by:
        return f"You wrote part of this Part A, so you cannot countersign it as {level}"
    if signer == considered_by:
        return f"You raised this recall, so you cannot countersign its Part A as {level}"
    return None


# --- recall cannot be missed (issue 14 §4) -------------------------------------------------------------------------


def awaiting_execution(p: Progress) -> bool:
    """An active recall: decided (recall), neither executed nor cancelled. Every case tab shows it in red and the
    regional leader's landing page lists it until the person is back in custody (seeds/001: recall not executed)."""
    return p.decision == Decision.RECALL and not p.executed and not p.cancelled


def hours_since(then: datetime, now: datetime) -> int:
    """Whole hours elapsed, as the ACO's list shows them (never negative: a revocation is never in the future)."""
    return max(0, int((now - then).total_seconds() // 3600))


def part_a_digest(part_a: Mapping[str, object]) -> str:
    """A fingerprint of Part A's text: the ACO countersigns the Part A they were shown, and only that (issue 14 §5).
    Any change to any section changes it; key order does not."""
    canonical = json.dumps({k: part_a[k] for k in sorted(part_a)}, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
