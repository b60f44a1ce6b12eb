"""The pure action rules: calendars, handover dates, recall options, reminders and escalation, and each type's
creation, satisfaction and withdrawal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.calendar import add_working_days, end_of_day, is_working_day, working_days_after
from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.handover import handover_date
from keepsafe.actions.rules.policy import DEFAULT_POLICY, policy_from
from keepsafe.actions.rules.recall import (
    ARREST_SECTIONS,
    PART_A_SECTIONS,
    Progress,
    decision_problems,
    next_step,
    part_a_problems,
)
from keepsafe.actions.rules.supervision import decision_allowed
from keepsafe.actions.rules.types import (
    LABELS,
    ActionType,
    Escalation,
    ReminderPlan,
    Step,
    escalation_level,
    may_cancel,
    reminder_slot,
)
from keepsafe.core.actor import Role
from keepsafe.people.rules.vocabulary import ContactType

P = DEFAULT_POLICY


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if "+" not in text else datetime.fromisoformat(text)


def case(as_of: str, **kw) -> f.CaseFacts:
    return f.CaseFacts(crn="X000001", as_of=at(as_of), com_allocated=kw.pop("com_allocated", True), **kw)


def of_type(expected, action_type):
    return [e for e in expected if e.type == action_type]


# --- calendar -------------------------------------------------------------------------------------------------


def test_bank_holidays_of_england_and_wales_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England and Wales, not Scotland)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is a working day here
    assert not is_working_day(date(2026, 11, 21))  # Saturday


def test_two_working_days_after_christmas_eve_skip_the_holidays_and_weekend():
    # Thu 24 Dec 2026 → Fri 25 (Christmas), Sat, Sun, Mon 28 (Boxing Day substitute) → Tue 29, Wed 30.
    assert working_days_after(at("2026-12-24T15:00:00"), 2) == end_of_day(date(2026, 12, 30))


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=0, max_value=30))
def test_adding_working_days_lands_on_a_working_day_and_counts_exactly(day, n):
    result = add_working_days(day, n)
    assert is_working_day(result)
    assert result >= day
    between = [day + timedelta(days=i) for i in range(1, (result - day).days + 1)]
    first = day if is_working_day(day) else None
    counted = sum(1 for d in between if is_working_day(d)) - (0 if first else 1)
    assert counted == n


# --- handover (hmpps.md §4 worked examples, sentence start 2024-01-01) ----------------------------------------


@pytest.mark.parametrize(
    ("erd", "kind", "expected"),
    [
        (date(2024, 10, 31), {}, None),
        (date(2024, 11, 1), {}, None),
        (date(2024, 11, 2), {}, date(2024, 2, 17)),
        (date(2024, 11, 3), {}, date(2024, 2, 18)),
        (date(2026, 1, 1), {"early_allocation": True}, date(2024, 10, 1)),
        (date(2026, 1, 1), {"parole_eligible": True}, date(2025, 1, 1)),
        (date(2026, 1, 1), {"sentence_type": "INDETERMINATE"}, date(2025, 1, 1)),
    ],
)
def test_handover_date_matches_the_omic_worked_examples(erd, kind, expected):
    args = {"sentence_type": "DETERMINATE_CUSTODY", "parole_eligible": False, "early_allocation": False} | kind
    assert handover_date(sentence_start=date(2024, 1, 1), earliest_release=erd, **args) == expected


def custody(**kw) -> f.EventFacts:
    return f.EventFacts(id="1", sentence_type="DETERMINATE_CUSTODY", sentence_date=date(2024, 1, 1), **kw)


def test_handover_opens_eight_weeks_before_reminds_on_the_day_and_escalates_after_fourteen_days_unallocated():
    event = custody(release=date(2026, 6, 1), conditional_release=date(2026, 6, 1))
    handover = date(2025, 9, 17)  # 2026-06-01 − 8 months = 2025-10-01, − 14 days
    assert of_type(expected_actions(case("2025-07-22T00:00:00", events=(event,)), P), ActionType.HANDOVER) == []
    (e,) = of_type(
        expected_actions(case("2025-07-25T09:00:00", events=(event,), com_allocated=False), P), ActionType.HANDOVER
    )
    assert e.detail["handover_date"] == handover.isoformat()
    assert e.owner == "POM"
    assert e.satisfied is None
    assert reminder_slot(e.reminders, e.opens_at, e.due, at("2025-09-17T12:00:00")) == e.due
    assert escalation_level(e.escalations, e.due, at("2025-09-30T12:00:00")) == 0
    assert escalation_level(e.escalations, e.due, at("2025-10-01T12:00:00")) == 1
    assert e.escalations[0].to == Step.HEAD_OF_PDU
    (done,) = of_type(expected_actions(case("2025-09-17T12:00:00", events=(event,)), P), ActionType.HANDOVER)
    assert done.satisfied is not None


def test_short_determinate_sentences_have_no_handover():
    event = custody(release=date(2024, 9, 1))
    assert of_type(expected_actions(case("2024-08-01T00:00:00", events=(event,)), P), ActionType.HANDOVER) == []


# --- recall ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "decision", "recall_type", "emergency", "ok"),
    [
        ("DETERMINATE_CUSTODY", "RECALL", "FIXED_TERM", False, True),
        ("DETERMINATE_CUSTODY", "RECALL", "FIXED_TERM", True, False),
        ("DETERMINATE_CUSTODY", "RECALL", "STANDARD", True, True),
        ("EXTENDED", "RECALL", "FIXED_TERM", False, False),
        ("EXTENDED", "RECALL", "STANDARD", False, True),
        ("INDETERMINATE", "RECALL", "STANDARD", False, False),
        ("INDETERMINATE", "RECALL", "STANDARD", True, True),
        ("COMMUNITY_ORDER", "RECALL", "STANDARD", True, False),
        ("COMMUNITY_ORDER", "NO_RECALL", None, None, True),
    ],
)
def test_recall_options_depend_on_the_sentence(sentence, decision, recall_type, emergency, ok):
    assert (decision_problems(sentence, decision, recall_type, emergency) == []) is ok


def test_part_a_needs_every_section_and_the_arrest_section_says_why():
    problems = dict(part_a_problems({"circumstances": "Threats to ex-partner"}))
    assert set(problems) == (set(PART_A_SECTIONS) | set(ARREST_SECTIONS)) - {"circumstances"}
    assert "locate and arrest" in problems["last_known_address"]
    full = {k: "None known" for k in [*PART_A_SECTIONS, *ARREST_SECTIONS]}
    assert part_a_problems(full) == []
    assert part_a_problems(full | {"colour": "x"}) == [("colour", "not a Part A section")]


def test_no_step_of_the_recall_workflow_suggests_emergency_recall_is_out_of_hours_only():
    for flags in range(2**7):
        bits = [bool(flags >> i & 1) for i in range(7)]
        text = next_step(Progress("RECALL", *bits)).lower()
        assert "out of hours" not in text
        assert "out-of-hours" not in text


def recall(**kw) -> f.RecallFacts:
    base = dict(
        id="R1",
        event="1",
        considered_at=at("2026-03-02T10:00:00"),
        decided_at=at("2026-03-02T14:00:00"),
        decision="RECALL",
        emergency=True,
        revoked_at=None,
        executed_at=None,
        cancelled_at=None,
    )
    return f.RecallFacts(**(base | kw))


def test_emergency_recall_reminds_every_four_hours_day_and_night_and_escalates_to_the_aco_when_overdue():
    (e,) = of_type(expected_actions(case("2026-03-03T02:30:00", recalls=(recall(),)), P), ActionType.RECALL_EXECUTION)
    assert e.reminders.every == timedelta(hours=4)
    assert e.reminders.line_manager_too
    assert reminder_slot(e.reminders, e.opens_at, e.due, at("2026-03-03T02:30:00")) == at("2026-03-03T02:00:00")
    assert e.escalations == (Escalation(timedelta(0), Step.ACO),)
    assert escalation_level(e.escalations, e.due, at("2026-03-03T13:59:00")) == 0
    assert escalation_level(e.escalations, e.due, at("2026-03-03T14:00:00")) == 1


def test_standard_recall_reminds_daily_and_closes_only_when_back_in_custody():
    r = recall(emergency=False, revoked_at=at("2026-03-03T09:00:00"))
    (e,) = of_type(expected_actions(case("2026-03-10T00:00:00", recalls=(r,)), P), ActionType.RECALL_EXECUTION)
    assert e.reminders.every == timedelta(hours=24)
    assert e.satisfied is None
    done = recall(executed_at=at("2026-03-11T06:00:00"))
    (e,) = of_type(expected_actions(case("2026-03-11T07:00:00", recalls=(done,)), P), ActionType.RECALL_EXECUTION)
    assert e.satisfied is not None
    assert e.satisfied.kind == "recall"
    (before,) = of_type(expected_actions(case("2026-03-11T05:00:00", recalls=(done,)), P), ActionType.RECALL_EXECUTION)
    assert before.satisfied is None  # what was not yet known at the instant does not count


def test_a_considered_recall_waits_for_an_spo_decision():
    r = recall(decided_at=None, decision=None)
    expected = expected_actions(case("2026-03-02T12:00:00", recalls=(r,)), P)
    assert [e.type for e in expected] == [ActionType.RECALL_DECISION]
    assert expected[0].owner == "SPO"


def test_only_an_aco_may_cancel_a_recall_execution_and_only_managers_other_actions():
    assert may_cancel(ActionType.RECALL_EXECUTION, Role.REGIONAL_LEADER)
    for role in (Role.PRACTITIONER, Role.SPO, Role.HEAD_OF_PDU, Role.POM, Role.AUDITOR):
        assert not may_cancel(ActionType.RECALL_EXECUTION, role)
    assert may_cancel(ActionType.ENFORCEMENT_DECISION, Role.SPO)
    assert not may_cancel(ActionType.ENFORCEMENT_DECISION, Role.PRACTITIONER)


# --- checks ----------------------------------------------------------------------------------------------------


def check(**kw) -> f.CheckFacts:
    base = dict(
        id="C1", kind="DOMESTIC_ABUSE", requested_at=at("2026-04-01T09:00:00"), answered_at=None, acted_on_at=None
    )
    return f.CheckFacts(**(base | kw))


def test_a_check_answered_but_not_acted_on_stays_open():
    event = custody(release=date(2026, 6, 1))
    answered = check(answered_at=at("2026-04-03T09:00:00"))
    facts = case("2026-04-10T09:00:00", events=(event,), checks=(answered,))
    (da,) = of_type(expected_actions(facts, P), ActionType.DOMESTIC_ABUSE_CHECK)
    assert da.satisfied is None
    assert "record what was done" in da.evidence_needed
    assert da.due == end_of_day(date(2026, 5, 4))  # 28 days before release
    acted = check(answered_at=at("2026-04-03T09:00:00"), acted_on_at=at("2026-04-04T09:00:00"))
    (da,) = of_type(
        expected_actions(case("2026-04-10T09:00:00", events=(event,), checks=(acted,)), P),
        ActionType.DOMESTIC_ABUSE_CHECK,
    )
    assert da.satisfied is not None
    (sg,) = of_type(
        expected_actions(case("2026-04-10T09:00:00", events=(event,), checks=(acted,)), P),
        ActionType.SAFEGUARDING_CHECK,
    )
    assert sg.satisfied is None  # a domestic abuse check is not a safeguarding check


def test_community_sentences_need_checks_at_the_start():
    event = f.EventFacts(id="2", sentence_type="COMMUNITY_ORDER", sentence_date=date(2026, 4, 1))
    found = of_type(expected_actions(case("2026-04-01T12:00:00", events=(event,)), P), ActionType.SAFEGUARDING_CHECK)
    assert found
    assert found[0].due == working_days_after(at("2026-04-01T00:00:00+01:00"), 10)


# --- supervision ------------------------------------------------------------------------------------------------


def contact(cid: str, when: str, outcome: str = "FAILED_TO_ATTEND") -> f.ContactFacts:
    return f.ContactFacts(cid, "APPOINTMENT", at(when), outcome)


def test_a_failure_to_attend_needs_a_decision_in_two_working_days_and_a_second_one_needs_breach_or_recall():
    c0 = contact("C0", "2026-05-01T10:00:00")
    (alone,) = of_type(
        expected_actions(case("2026-05-01T12:00:00", contacts=(c0,)), P), ActionType.ENFORCEMENT_DECISION
    )
    assert alone.due == end_of_day(date(2026, 5, 6))  # Fri 1 May → Mon 4 May is a bank holiday → Tue 5, Wed 6
    c1, c2 = contact("C1", "2026-07-01T10:00:00"), contact("C2", "2026-09-01T10:00:00")
    facts = case("2026-09-01T12:00:00", contacts=(c1, c2))
    first, second = of_type(expected_actions(facts, P), ActionType.ENFORCEMENT_DECISION)
    assert "warning" in first.evidence_needed.lower()
    assert "breach" in second.evidence_needed.lower()
    warning = f.EnforcementFacts("C2", "WARNING", at("2026-09-02T10:00:00"), "d2")
    facts = case("2026-09-03T12:00:00", contacts=(c1, c2), enforcement=(warning,))
    assert of_type(expected_actions(facts, P), ActionType.ENFORCEMENT_DECISION)[1].satisfied is None
    assert decision_allowed("WARNING", 1, "FAILED_TO_ATTEND") is not None
    assert decision_allowed("BREACH", 1, "FAILED_TO_ATTEND") is None
    assert decision_allowed("WARNING", 0, "FAILED_TO_ATTEND") is None


def test_an_enforcement_decision_names_the_failure_it_follows_to_attend_or_to_comply():
    """Try-out round 2: after "Attended — failed to comply" the action read "after a failure to attend" and asked about
    "a further unacceptable absence". Its title, the text of what is needed and the refusal name the failure."""
    c1 = contact("C1", "2026-11-02T10:00:00")  # failed to attend
    c2 = contact("C2", "2026-12-01T10:00:00", "FAILED_TO_COMPLY")
    first, second = of_type(
        expected_actions(case("2026-12-01T12:00:00", contacts=(c1, c2)), P), ActionType.ENFORCEMENT_DECISION
    )
    assert first.title == "Failure to attend on 2 November 2026"
    assert second.title == "Failure to comply on 1 December 2026"
    assert second.evidence_needed == (
        "This failure to comply follows another failure to attend or comply within 12 months: "
        "record breach action or a recall consideration"
    )
    assert "absence" not in second.evidence_needed
    assert LABELS[ActionType.ENFORCEMENT_DECISION] == "Enforcement decision"  # never "after a failure to attend"
    refused = decision_allowed("WARNING", 1, "FAILED_TO_COMPLY")
    assert refused == "this failure to comply follows another failure to attend or comply within 12 months: " + (
        "start breach action or consider recall"
    )
    assert "failure to attend follows" in (decision_allowed("WARNING", 1, "FAILED_TO_ATTEND") or "")
    with pytest.raises(ValueError, match="not a failure to attend or to comply"):
        decision_allowed("WARNING", 1, "ATTENDED")


def test_acceptable_absences_need_no_enforcement():
    facts = case("2026-05-02T00:00:00", contacts=(contact("C1", "2026-05-01T10:00:00", "ACCEPTABLE_ABSENCE"),))
    assert of_type(expected_actions(facts, P), ActionType.ENFORCEMENT_DECISION) == []


def test_first_appointment_after_release_and_requirements_started():
    event = custody(release=date(2026, 6, 1), requirements=(f.RequirementFacts("R1", "UNPAID_WORK", None),))
    facts = case("2026-06-01T18:00:00", events=(event,))
    (first,) = of_type(expected_actions(facts, P), ActionType.FIRST_APPOINTMENT)
    assert first.due == end_of_day(date(2026, 6, 2))
    assert first.satisfied is None
    seen = case("2026-06-02T12:00:00", events=(event,), contacts=(contact("A1", "2026-06-02T10:00:00", "ATTENDED"),))
    assert of_type(expected_actions(seen, P), ActionType.FIRST_APPOINTMENT)[0].satisfied is not None


@pytest.mark.parametrize("kind", list(ContactType))
def test_only_an_office_appointment_home_visit_or_generic_appointment_is_a_first_appointment(kind):
    """Issue 14: phone, video, programme session, unpaid work and partner meeting are not the first face-to-face
    appointment with the practitioner (actions/rules/supervision.py, docs/actions.md)."""
    event = custody(release=date(2026, 6, 1))
    attended = f.ContactFacts("A1", kind.value, at("2026-06-02T10:00:00"), "ATTENDED")
    facts = case("2026-06-02T12:00:00", events=(event,), contacts=(attended,))
    (first,) = of_type(expected_actions(facts, P), ActionType.FIRST_APPOINTMENT)
    counts = kind in {ContactType.OFFICE_VISIT, ContactType.HOME_VISIT, ContactType.APPOINTMENT}
    assert (first.satisfied is not None) is counts


# --- reviews, registration, termination, countersign -------------------------------------------------------------


def test_risk_review_after_new_information_a_recall_and_a_domestic_abuse_call_out():
    before = f.AssessmentFacts("A1", at("2026-01-05T09:00:00"), False, None)
    finding = f.FindingFacts("P-1", "weapons", at("2026-02-02T09:00:00"))
    call_out = f.SignificantRecord("P-2", "CALL_OUT", at("2026-02-03T09:00:00"), "Domestic abuse call-out")
    facts = case(
        "2026-02-04T09:00:00",
        findings=(finding,),
        assessments=(before,),
        significant=(call_out,),
        recalls=(recall(considered_at=at("2026-02-03T09:00:00"), decided_at=at("2026-02-03T12:00:00")),),
    )
    reviews = of_type(expected_actions(facts, P), ActionType.RISK_REVIEW)
    assert {e.key for e in reviews} == {
        "risk-review:signal:RISK_REVIEW:A1",
        "risk-review:record:P-2",
        "risk-review:recall:R1",
    }
    assessed = f.AssessmentFacts("A2", at("2026-02-05T09:00:00"), False, None)
    facts = case("2026-02-06T09:00:00", findings=(finding,), significant=(call_out,), assessments=(before, assessed))
    assert all(e.satisfied for e in of_type(expected_actions(facts, P), ActionType.RISK_REVIEW))


def test_a_registration_review_moved_on_by_a_review_is_done_and_an_ended_one_is_withdrawn():
    reg = f.RegistrationFacts("REG1", "RSTO", "Restraining Order", date(2025, 1, 1), None, date(2026, 7, 1), ())
    facts = case("2026-06-26T00:00:00", registrations=(reg,), open_keys=frozenset({"registration:REG1:2026-07-01"}))
    (e,) = expected_actions(facts, P)
    assert e.satisfied is None
    assert e.key.endswith("2026-07-01")
    reviewed = f.RegistrationFacts(
        "REG1", "RSTO", "Restraining Order", date(2025, 1, 1), None, date(2027, 1, 1), (at("2026-06-25T10:00:00"),)
    )
    facts = case(
        "2026-06-26T00:00:00", registrations=(reviewed,), open_keys=frozenset({"registration:REG1:2026-07-01"})
    )
    old = next(e for e in expected_actions(facts, P) if e.key.endswith("2026-07-01"))
    assert old.satisfied is not None
    ended = f.RegistrationFacts("REG1", "RSTO", "Restraining Order", date(2025, 1, 1), date(2026, 6, 20), None, ())
    facts = case("2026-06-26T00:00:00", registrations=(ended,), open_keys=frozenset({"registration:REG1:2026-07-01"}))
    assert expected_actions(facts, P)[0].withdrawn == "registration ended"


def test_termination_and_countersign():
    event = f.EventFacts(
        id="3", sentence_type="COMMUNITY_ORDER", sentence_date=date(2025, 1, 1), sentence_expiry=date(2026, 7, 1)
    )
    (t,) = of_type(expected_actions(case("2026-06-10T00:00:00", events=(event,)), P), ActionType.TERMINATION)
    assert t.owner == "COM"
    assert t.satisfied is None
    a = f.AssessmentFacts("A1", at("2026-06-01T10:00:00"), True, None)
    (c,) = of_type(expected_actions(case("2026-06-02T00:00:00", assessments=(a,)), P), ActionType.COUNTERSIGN)
    assert c.owner == "SPO"
    assert c.due == end_of_day(date(2026, 6, 8))


def test_old_history_does_not_open_actions_but_open_ones_are_kept():
    old = contact("C1", "2025-01-01T10:00:00")
    assert (
        of_type(expected_actions(case("2026-01-01T00:00:00", contacts=(old,)), P), ActionType.ENFORCEMENT_DECISION)
        == []
    )
    kept = case("2026-01-01T00:00:00", contacts=(old,), open_keys=frozenset({"contact:C1:enforcement"}))
    assert of_type(expected_actions(kept, P), ActionType.ENFORCEMENT_DECISION)


def test_reminder_slots_and_escalation_levels_are_monotonic():
    plan = ReminderPlan(offsets=(-timedelta(days=1), timedelta(0)), every_overdue=timedelta(hours=24))
    opens, due = at("2026-01-01T00:00:00"), at("2026-01-10T00:00:00")
    slots = [reminder_slot(plan, opens, due, opens + timedelta(hours=h)) for h in range(0, 24 * 15, 5)]
    assert slots == sorted(slots)
    assert slots[0] == opens
    steps = (Escalation(timedelta(0), Step.LINE_MANAGER), Escalation(timedelta(hours=48), Step.HEAD_OF_PDU))
    levels = [escalation_level(steps, due, due + timedelta(hours=h)) for h in range(-5, 60)]
    assert levels == sorted(levels)
    assert levels[0] == 0
    assert levels[-1] == 2


def test_policy_overrides_are_checked_by_name():
    assert policy_from({"enforcement_working_days": 3}).enforcement_working_days == 3
    with pytest.raises(ValueError, match="unknown setting"):
        policy_from({"enforcment_working_days": 3})
    with pytest.raises(ValueError, match="whole number"):
        policy_from({"enforcement_working_days": -1})
