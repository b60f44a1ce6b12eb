"""Issue 12 §3, 6, 7, 8, 9 as pure rules: risk reviews that close and re-raise, recall only on licence, a recall
consideration after an arrest or charge on licence, what counts as acting on a check, overdue flag reviews chased."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.checks import STOCK_WORDS, ActedOn, acted_on_problems, substance_problem
from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.policy import DEFAULT_POLICY as P
from keepsafe.actions.rules.recall import emergency_grounds, licence_problem
from keepsafe.actions.rules.types import ActionType, escalation_level, reminder_slot


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def case(as_of: str, **kw) -> f.CaseFacts:
    return f.CaseFacts(crn="X000001", as_of=at(as_of), com_allocated=True, **kw)


def reviews(facts: f.CaseFacts) -> list:
    return [e for e in expected_actions(facts, P) if e.type == ActionType.RISK_REVIEW]


def finding(record: str, indicator: str, when: str) -> f.FindingFacts:
    return f.FindingFacts(record, indicator, at(when))


def assessment(aid: str, when: str) -> f.AssessmentFacts:
    return f.AssessmentFacts(aid, at(when), False, None)


LICENCE = f.EventFacts(
    id="1",
    sentence_type="DETERMINATE_CUSTODY",
    sentence_date=date(2024, 1, 10),
    release=date(2025, 6, 2),
    conditional_release=date(2025, 6, 2),
    licence_expiry=date(2027, 1, 10),
    sentence_expiry=date(2027, 1, 10),
)


# --- §3 risk reviews ------------------------------------------------------------------------------------------------


def test_a_risk_review_closes_when_an_assessment_is_completed_after_its_newest_record():
    a1 = assessment("A1", "2026-01-05T09:00:00")
    records = (
        finding("P-1", "substance_misuse", "2026-02-02T09:00:00"),
        finding("P-2", "threats", "2026-02-03T09:00:00"),
    )
    (open_review,) = reviews(case("2026-02-04T09:00:00", assessments=(a1,), findings=records))
    assert open_review.satisfied is None
    assert open_review.key == "risk-review:signal:RISK_REVIEW:A1"
    assert open_review.detail["records"] == "P-1,P-2"
    # The assessment that answers it: the review is still expected (so the reconciler can close it), and satisfied.
    # On the old code the signal vanished once answered, so its action was never closed.
    a2 = assessment("A2", "2026-02-05T09:00:00")
    later = case("2026-02-06T09:00:00", assessments=(a1, a2), findings=records, open_keys=frozenset({open_review.key}))
    (answered,) = reviews(later)
    assert answered.key == open_review.key
    assert answered.satisfied is not None
    assert answered.satisfied.ref == "A2"


def test_information_after_the_answering_assessment_opens_a_new_review():
    a1, a2 = assessment("A1", "2026-01-05T09:00:00"), assessment("A2", "2026-02-05T09:00:00")
    records = (finding("P-1", "threats", "2026-02-02T09:00:00"), finding("P-3", "weapons", "2026-02-10T09:00:00"))
    found = {e.key: e for e in reviews(case("2026-02-11T09:00:00", assessments=(a1, a2), findings=records))}
    assert found["risk-review:signal:RISK_REVIEW:A1"].satisfied is not None
    assert found["risk-review:signal:RISK_REVIEW:A2"].satisfied is None
    assert found["risk-review:signal:RISK_REVIEW:A2"].detail["records"] == "P-3"


def test_new_intelligence_opens_a_review_whose_first_record_is_older_than_the_look_back():
    old = finding("P-OLD", "substance_misuse", "2025-06-01T09:00:00")
    new = finding("P-NEW", "weapons", "2026-02-02T09:00:00")
    assert reviews(case("2026-02-03T09:00:00", findings=(old,))) == []  # stale on its own: the look-back holds
    (review,) = reviews(case("2026-02-03T09:00:00", findings=(old, new)))
    assert review.satisfied is None
    assert review.detail["records"] == "P-OLD,P-NEW"


def test_a_more_serious_indicator_on_an_open_review_renotifies_and_escalates_it():
    first = finding("P-1", "substance_misuse", "2026-02-02T09:00:00")
    worse = finding("P-2", "weapons", "2026-02-03T10:00:00")
    (calm,) = reviews(case("2026-02-03T09:00:00", findings=(first,)))
    assert calm.raised_at is None
    assert escalation_level(calm.escalations, calm.due, at("2026-02-03T11:00:00"), calm.raised_at) == 0
    (raised,) = reviews(case("2026-02-03T11:00:00", findings=(first, worse)))
    assert raised.key == calm.key
    assert raised.raised_at == worse.received_at
    assert raised.detail["severity"] == "weapons or threats"
    # Escalated to the line manager before it is due, and a new reminder instant at the arrival of the new record.
    assert escalation_level(raised.escalations, raised.due, at("2026-02-03T11:00:00"), raised.raised_at) == 1
    assert reminder_slot(raised.reminders, raised.opens_at, raised.due, at("2026-02-03T11:00:00")) == worse.received_at
    # Something no more serious does not raise it again.
    same = finding("P-3", "threats", "2026-02-04T10:00:00")
    (again,) = reviews(case("2026-02-04T11:00:00", findings=(first, worse, same)))
    assert again.raised_at == worse.received_at


# --- §6 recall only on licence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "day", "words"),
    [
        (LICENCE, date(2025, 6, 1), "in custody until release on 2 June 2025"),
        (LICENCE, date(2027, 1, 11), "licence ended"),
        (
            f.EventFacts("2", "DETERMINATE_CUSTODY", date(2025, 1, 1), release=date(2029, 3, 1)),
            date(2026, 12, 1),
            "in custody until release on 1 March 2029",
        ),
        (
            f.EventFacts("3", "INDETERMINATE", date(2020, 1, 1), parole_eligibility=date(2028, 5, 1)),
            date(2026, 12, 1),
            "no release date",
        ),
        (
            f.EventFacts("4", "INDETERMINATE", date(2020, 1, 1), release=date(2028, 5, 1)),
            date(2026, 12, 1),
            "in custody until release",
        ),
        (
            f.EventFacts(
                "5",
                "DETERMINATE_CUSTODY",
                date(2024, 1, 1),
                release=date(2024, 3, 1),
                licence_expiry=date(2024, 6, 1),
                pss_end=date(2025, 3, 1),
            ),
            date(2024, 9, 1),
            "post-sentence supervision is not recalled",
        ),
        (f.EventFacts("6", "COMMUNITY_ORDER", date(2026, 1, 1)), date(2026, 2, 1), "no licence"),
    ],
)
def test_recall_is_possible_only_while_on_licence(event, day, words):
    problem = licence_problem(event, (), day)
    assert problem is not None
    assert words in problem


def test_on_licence_means_released_and_not_yet_expired_nor_back_in_custody():
    assert licence_problem(LICENCE, (), date(2025, 6, 2)) is None
    assert licence_problem(LICENCE, (), date(2027, 1, 10)) is None
    life = f.EventFacts("9", "INDETERMINATE", date(2010, 1, 1), release=date(2024, 1, 1))
    assert licence_problem(life, (), date(2040, 1, 1)) is None  # an indeterminate licence never expires
    executed = f.RecallFacts(
        "R1",
        "1",
        at("2025-07-01T09:00:00"),
        at("2025-07-01T10:00:00"),
        "RECALL",
        True,
        None,
        at("2025-07-02T09:00:00"),
        None,
    )
    problem = licence_problem(LICENCE, (executed,), date(2025, 7, 3))
    assert problem is not None
    assert "back in custody" in problem


# --- §7 arrest or charge on licence ----------------------------------------------------------------------------------


def test_a_charge_on_licence_opens_a_recall_consideration_with_a_due_time_and_a_risk_review():
    charge = f.SignificantRecord("POL-9", "CHARGE", at("2025-08-01T10:00:00"), "New charge")
    facts = case("2025-08-01T12:00:00", events=(LICENCE,), significant=(charge,))
    expected = {e.type: e for e in expected_actions(facts, P)}
    consider = expected[ActionType.RECALL_CONSIDERATION]
    assert consider.due == at("2025-08-02T10:00:00")
    assert consider.satisfied is None
    assert consider.reminders.line_manager_too
    assert ActionType.RISK_REVIEW in expected
    # Recording the consideration (the SPO then decides) satisfies it; a consideration from before, already decided,
    # does not.
    decided_before = f.RecallFacts(
        "R0", "1", at("2025-07-01T09:00:00"), at("2025-07-01T10:00:00"), "NO_RECALL", False, None, None, None
    )
    stale = case("2025-08-01T12:00:00", events=(LICENCE,), significant=(charge,), recalls=(decided_before,))
    assert next(e for e in expected_actions(stale, P) if e.type == ActionType.RECALL_CONSIDERATION).satisfied is None
    considered = f.RecallFacts("R1", "1", at("2025-08-01T15:00:00"), None, None, False, None, None, None)
    later = case("2025-08-01T16:00:00", events=(LICENCE,), significant=(charge,), recalls=(considered,))
    done = next(e for e in expected_actions(later, P) if e.type == ActionType.RECALL_CONSIDERATION)
    assert done.satisfied is not None
    assert done.satisfied.ref == "R1"


def test_a_charge_while_in_custody_or_on_a_community_order_opens_no_recall_consideration():
    charge = f.SignificantRecord("POL-9", "ARREST", at("2025-05-01T10:00:00"), "Arrested")
    in_custody = case("2025-05-01T12:00:00", events=(LICENCE,), significant=(charge,))
    assert not [e for e in expected_actions(in_custody, P) if e.type == ActionType.RECALL_CONSIDERATION]
    order = f.EventFacts("2", "COMMUNITY_ORDER", date(2025, 1, 1))
    community = case("2025-05-01T12:00:00", events=(order,), significant=(charge,))
    assert not [e for e in expected_actions(community, P) if e.type == ActionType.RECALL_CONSIDERATION]


def test_weapons_or_threats_since_release_are_grounds_for_emergency_recall():
    found = (
        finding("INT-1", "weapons", "2025-05-01T09:00:00"),  # before release: not grounds
        finding("INT-2", "threats", "2025-07-01T09:00:00"),
        finding("INT-3", "substance_misuse", "2025-07-02T09:00:00"),
    )
    assert [g.record for g in emergency_grounds(found, date(2025, 6, 2))] == ["INT-2"]


# --- §8 acted on -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "notes",
    [
        "Noted.",
        "noted",
        "Seen and read.",
        "No action.",
        "NFA",
        "Noted - no further action required at this time.",
        "ok, noted, file",
        "",
    ],
)
def test_noted_is_not_a_reason(notes):
    assert substance_problem(notes) is not None
    assert acted_on_problems(ActedOn.REASON, notes, False, False)


@given(st.lists(st.sampled_from(sorted(STOCK_WORDS)), max_size=40), st.sampled_from([" ", ", ", ". ", " - "]))
def test_any_string_of_stock_words_is_not_a_reason(words, separator):
    assert substance_problem(separator.join(words)) is not None


def test_a_reason_of_substance_and_decisions_that_exist_are_accepted():
    reason = "Police confirm two call-outs to his former partner in 2024; MARAC referral made and risk plan amended."
    assert substance_problem(reason) is None
    assert acted_on_problems(ActedOn.REFERRAL, reason, False, False) == []
    # A flag or plan decision must exist since the answer arrived.
    assert acted_on_problems(ActedOn.FLAG, "Restraining order flag added", False, False)[0][0] == "outcome"
    assert acted_on_problems(ActedOn.FLAG, "Restraining order flag added", True, False) == []
    assert acted_on_problems(ActedOn.PLAN_UPDATED, "Plan now has exclusion zone", False, True) == []
    assert acted_on_problems("NOTED", reason, True, True)[0][0] == "outcome"


# --- §9 overdue flag reviews -----------------------------------------------------------------------------------------


def test_an_active_flag_overdue_for_review_for_years_gets_a_review_action_when_first_seen():
    mappa = f.RegistrationFacts("REG-M", "MAPP", "MAPPA", date(2016, 1, 1), None, date(2018, 3, 1), ())
    (review,) = [
        e
        for e in expected_actions(case("2026-12-01T09:00:00", registrations=(mappa,)), P)
        if e.type == ActionType.REGISTRATION_REVIEW
    ]
    assert review.key == "registration:REG-M:2018-03-01"
    assert review.satisfied is None
    assert review.withdrawn is None
    ended = f.RegistrationFacts("REG-M", "MAPP", "MAPPA", date(2016, 1, 1), date(2019, 1, 1), date(2018, 3, 1), ())
    assert not [e for e in expected_actions(case("2026-12-01T09:00:00", registrations=(ended,)), P)]
