"""Every duration the action rules use, with its default and where the default comes from.

Deployments override any of these with KEEPSAFE_ACTIONS (config/settings); docs/actions.md lists them. Where the
default is Keepsafe's own choice rather than published policy, the comment says so: regions set their own.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class Policy:
    # Recall (issue 6 §3; McCann action plan, seeds/003 rec. 5: "keep automatically reminding … until … completed").
    recall_emergency_reminder_hours: int = 4
    recall_standard_reminder_hours: int = 24
    # Keepsafe default: an emergency recall should be executed within a day, a standard one within three; after that
    # the ACO is told. Recall Policy Framework §4 sets the Part A timescales; arrest is for the police.
    recall_emergency_due_hours: int = 24
    recall_standard_due_hours: int = 72
    # Domestic abuse and safeguarding checks (seeds/004: done in only 55% / 59% of cases before release).
    checks_days_before_release: int = 28  # Keepsafe default, so the answer is back before the release plan is due
    checks_working_days_after_start: int = 10  # Keepsafe default, community sentences
    # Handover: OMiC model (hmpps.md §4, handover_calculation.rb and handover_email_batch_run.rb).
    handover_reminder_days_before: int = 56
    handover_unallocated_days_after: int = 14
    # Release plan: Keepsafe default window before release (release planning starts at the handover at the latest).
    release_plan_opens_days_before: int = 56
    release_plan_due_days_before: int = 7
    # First appointment: Keepsafe defaults (National Standards leave it to regions): release day + 1 working day,
    # community sentence within 5 working days.
    first_appointment_working_days_after_release: int = 1
    first_appointment_working_days_after_start: int = 5
    # Enforcement: a recorded decision within 2 working days of a failure to attend (issue 6 §3; seeds/002: enforcement
    # not taken in 27 of 70 cases); a second unacceptable absence within 12 months needs breach or recall.
    enforcement_working_days: int = 2
    enforcement_second_absence_days: int = 365
    # Requirements started promptly (seeds/002: not in 47% of cases). Keepsafe default window, per requirement.
    requirement_start_working_days: int = 10
    # Risk reviews: Keepsafe defaults. New information within 5 working days; within 15 working days of a community
    # sentence; within 5 working days of release (an assessment up to 8 weeks before release counts).
    risk_review_signal_working_days: int = 5
    risk_review_sentence_working_days: int = 15
    risk_review_release_working_days: int = 5
    risk_review_release_lookback_days: int = 56
    risk_review_event_working_days: int = 5
    # Registration reviews open this long before the review date (the review date itself is nDelius's frequency).
    registration_review_lead_days: int = 14
    # Termination: Keepsafe default, the termination assessment is started four weeks before sentence expiry.
    termination_lead_days: int = 28
    # Countersignature: Keepsafe default, an SPO countersigns within 5 working days of completion.
    countersign_working_days: int = 5
    # Escalation after the due instant (owner → line manager → head of PDU), Keepsafe defaults.
    escalate_to_line_manager_hours: int = 0
    escalate_to_head_hours: int = 48
    overdue_reminder_hours: int = 24
    # Keepsafe: recall consideration must reach an SPO decision within a day (issue 6 §3, the recall workflow).
    recall_decision_due_hours: int = 24
    # Keepsafe default: an arrest or charge on licence gets a recall consideration recorded within a day (issue 12 §7).
    recall_consideration_due_hours: int = 24
    # Checks count when requested up to this long before the release or sentence they are for.
    checks_valid_days_before: int = 182
    # Imported history: a trigger older than this when first evaluated does not open an action (one already open
    # stays open), so loading years of legacy data does not bury today's work under stale overdue items.
    trigger_lookback_days: int = 90
    # issue 16 §1: a pre-sentence report's checks and address assessment are due this many working days before the
    # court date (Keepsafe default: the author has the answers before writing the proposal; seeds/004, Bendall).
    pre_sentence_working_days_before_court: int = 2
    # issue 16 §5 (helper "ap"), Keepsafe defaults (seeds/003 recs 4 and 13 give no times; docs/sharing.md "Approved
    # premises"): an emergency (out-of-hours) referral's decision within hours, any other within working days; a
    # licence condition to reside at approved premises needs a confirmed place this many days before release.
    ap_emergency_decision_hours: int = 4
    ap_decision_working_days: int = 5
    ap_place_days_before_release: int = 28


DEFAULT_POLICY = Policy()


def policy_from(overrides: dict[str, Any] | None) -> Policy:
    """A policy with configured overrides; an unknown name or a negative value is refused by name."""
    if not overrides:
        return DEFAULT_POLICY
    known = {f.name for f in fields(Policy)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(
            f"KEEPSAFE_ACTIONS: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    for name, value in overrides.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"KEEPSAFE_ACTIONS[{name!r}] must be a whole number ≥ 0, got {value!r}")
    return replace(DEFAULT_POLICY, **overrides)


def hours(n: int) -> timedelta:
    return timedelta(hours=n)
