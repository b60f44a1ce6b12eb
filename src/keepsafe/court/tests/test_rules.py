"""The pure rules before sentence: due instants before the court date, address suitability, the proposal's refusal."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepsafe.actions.rules.calendar import is_working_day, local_date, start_of_day
from keepsafe.actions.rules.facts import CaseFacts
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.presentence import pre_sentence_actions, pre_sentence_due, working_days_before
from keepsafe.actions.rules.types import ActionType
from keepsafe.court.rules.stage import AssessedAddress, CourtStageFacts, PreSentenceCheckFacts
from keepsafe.court.rules.suitability import (
    ADDRESS_REQUIREMENTS,
    CheckState,
    Conclusion,
    address_key,
    assessment_problems,
    proposal_problems,
    proposal_warnings,
)
from keepsafe.people.rules.vocabulary import RequirementType

REQUIREMENTS = frozenset(RequirementType.__members__)
# hypothesis takes naive bounds and adds the time zone itself.
instants = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=datetime(2029, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
court_dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 1, 31))


@settings(max_examples=300, deadline=None)
@given(requested=instants, court_date=court_dates, days=st.integers(min_value=0, max_value=10))
def test_checks_are_due_before_court_when_time_allows_and_never_silently_in_the_past(requested, court_date, days):
    timing = pre_sentence_due(requested, court_date, days)
    assert timing.due >= requested  # never due before it was asked for
    if timing.late:
        assert timing.due == requested  # due at once, and flagged
    else:
        assert timing.due <= start_of_day(court_date)  # never after the hearing starts
    # Late only when the target had already passed: a request in good time is never flagged.
    target = pre_sentence_due(datetime(2000, 1, 1, tzinfo=UTC), court_date, days).due
    assert timing.late == (target < requested)


@given(day=court_dates, count=st.integers(min_value=1, max_value=15))
def test_working_days_before_lands_on_a_working_day_with_count_working_days_up_to_the_hearing(day, count):
    before = working_days_before(day, count)
    assert is_working_day(before)
    between = [before + timedelta(days=n) for n in range(1, (day - before).days)]
    assert sum(is_working_day(d) for d in between) == count - 1


def test_working_days_skip_weekends_and_bank_holidays():
    # Monday 4 January 2027: two working days before is Wednesday 30 December 2026 (New Year's Day, a Friday).
    assert working_days_before(date(2027, 1, 4), 2) == date(2026, 12, 30)
    with pytest.raises(ValueError, match="at least 1"):
        working_days_before(date(2027, 1, 4), 0)


def _facts(stage: CourtStageFacts, at: str, open_keys: frozenset[str] = frozenset()) -> CaseFacts:
    return CaseFacts(
        crn="X1", as_of=datetime.fromisoformat(at), com_allocated=True, court_stages=(stage,), open_keys=open_keys
    )


STAGE = CourtStageFacts(
    id="CS1",
    court="Manchester Crown Court",
    court_date=date(2027, 1, 25),
    opened_at=datetime(2027, 1, 4, 10, tzinfo=UTC),
    closed_at=None,
    psr_requested_at=datetime(2027, 1, 5, 10, tzinfo=UTC),
    checks=(
        PreSentenceCheckFacts("DOMESTIC_ABUSE", "C-DA", datetime(2027, 1, 5, 10, tzinfo=UTC), None),
        PreSentenceCheckFacts("SAFEGUARDING", "C-SG", datetime(2027, 1, 5, 10, tzinfo=UTC), None),
    ),
    considering=("CURFEW",),
    proposed_address="12 Acacia Avenue, M8 4QT",
)


def test_an_adjournment_moves_the_due_date_and_a_late_request_is_due_at_once_and_raised():
    first = {e.key: e for e in pre_sentence_actions(_facts(STAGE, "2027-01-06T09:00:00+00:00"), DEFAULT_POLICY)}
    assert {e.type for e in first.values()} == {ActionType.PRE_SENTENCE_CHECK, ActionType.ADDRESS_SUITABILITY}
    assert {e.due for e in first.values()} == {datetime(2027, 1, 22, tzinfo=UTC)}
    moved = STAGE.__class__(**{**STAGE.__dict__, "court_date": date(2027, 2, 8)})
    later = pre_sentence_actions(_facts(moved, "2027-01-06T09:00:00+00:00"), DEFAULT_POLICY)
    assert {local_date(e.due) for e in later} == {date(2027, 2, 5)}  # end of Thursday 4 February
    assert all("8 February 2027" in e.title for e in later)
    # Requested the Friday before a Monday hearing: too late for two working days, so due at once and raised.
    rushed = STAGE.__class__(**{**STAGE.__dict__, "psr_requested_at": datetime(2027, 1, 22, 9, tzinfo=UTC)})
    (da, *_rest) = pre_sentence_actions(_facts(rushed, "2027-01-22T10:00:00+00:00"), DEFAULT_POLICY)
    assert da.due == rushed.psr_requested_at
    assert da.raised_at == rushed.psr_requested_at
    assert "requested too late" in da.title
    assert da.detail["late"] == "True"


def test_answered_checks_and_an_assessed_address_are_satisfied_and_an_outcome_withdraws_the_rest():
    answered = STAGE.__class__(
        **{
            **STAGE.__dict__,
            "checks": (
                STAGE.checks[0].__class__(
                    "DOMESTIC_ABUSE", "C-DA", STAGE.checks[0].requested_at, datetime(2027, 1, 10, tzinfo=UTC)
                ),
                STAGE.checks[1],
            ),
            "assessed": (
                AssessedAddress(
                    address_key("12 acacia avenue m8 4qt"), "SUITABLE", datetime(2027, 1, 11, tzinfo=UTC), "AA1"
                ),
            ),
            "closed_at": datetime(2027, 1, 25, 16, tzinfo=UTC),
        }
    )
    open_keys = frozenset({"court:CS1:psr:SAFEGUARDING"})
    out = {
        e.key: e for e in pre_sentence_actions(_facts(answered, "2027-01-25T18:00:00+00:00", open_keys), DEFAULT_POLICY)
    }
    # Closed stage: only the action already open is kept, withdrawn with the outcome named.
    assert set(out) == {"court:CS1:psr:SAFEGUARDING"}
    assert out["court:CS1:psr:SAFEGUARDING"].withdrawn == "the court outcome was recorded on 25 January 2027"
    before = {
        e.type + e.key: e for e in pre_sentence_actions(_facts(answered, "2027-01-12T09:00:00+00:00"), DEFAULT_POLICY)
    }
    satisfied = {k for k, e in before.items() if e.satisfied is not None}
    assert any("DOMESTIC_ABUSE" in k for k in satisfied)
    assert any(k.startswith("ADDRESS_SUITABILITY") for k in satisfied)


def test_a_report_with_no_check_requested_asks_for_it_and_nothing_is_opened_without_a_report():
    bare = STAGE.__class__(**{**STAGE.__dict__, "checks": ()})
    out = pre_sentence_actions(_facts(bare, "2027-01-06T09:00:00+00:00"), DEFAULT_POLICY)
    assert all(e.evidence_needed.startswith("Request the") for e in out if e.type == ActionType.PRE_SENTENCE_CHECK)
    no_report = STAGE.__class__(**{**STAGE.__dict__, "psr_requested_at": None})
    assert pre_sentence_actions(_facts(no_report, "2027-01-06T09:00:00+00:00"), DEFAULT_POLICY) == []


@given(kind=st.sampled_from(sorted(ADDRESS_REQUIREMENTS)), address=st.text(min_size=1, max_size=60))
def test_a_curfew_or_residence_proposal_is_refused_until_that_address_is_assessed(kind, address):
    refused = proposal_problems(requirements=[kind], address=address, assessed={}, known_requirements=REQUIREMENTS)
    assert refused
    assert refused[0][0] == "address"
    if address_key(address):
        for conclusion in Conclusion:
            result = proposal_problems(
                requirements=[kind],
                address=address,
                assessed={address_key(address): conclusion.value},
                known_requirements=REQUIREMENTS,
            )
            assert bool(result) == (conclusion is Conclusion.UNSUITABLE)


def test_an_address_is_the_same_whatever_its_case_spacing_and_punctuation():
    assert address_key("12 Acacia Avenue,  Manchester M8 4QT") == address_key("12 acacia avenue manchester m8-4qt")
    assert address_key("12 Acacia Avenue") != address_key("14 Acacia Avenue")
    # Try-out (issue 16): spacing inside a postcode and a street word written short are the same address, so an
    # unsuitable finding cannot be escaped by spelling the address another way.
    assert address_key("12 Acacia Avenue, Salford M6 1AA") == address_key("12 ACACIA ave. salford m61aa")
    assert address_key("3 Mill Rd") == address_key("3 Mill Road")
    unsuitable = {address_key("12 Acacia Avenue, Salford M6 1AA"): Conclusion.UNSUITABLE.value}
    spelt_otherwise = "12 Acacia Ave., Salford M61AA"
    refused = proposal_problems(
        requirements=["CURFEW"], address=spelt_otherwise, assessed=unsuitable, known_requirements=REQUIREMENTS
    )
    assert refused
    assert "unsuitable" in " ".join(reason for _, reason in refused).lower()


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ,.-", max_size=40),
    st.sampled_from([" ", "  ", ", ", " , ", ".", "-", " - "]),
)
def test_an_address_key_ignores_spacing_punctuation_and_case(address, separator):
    # Separators are swapped for others, never removed: removing the space in "l n" makes the abbreviation "ln"
    # (lane), a different word, so "spacing ignored" holds between separators, not across them.
    respelt = re.sub(r"[ ,.-]+", separator, address).upper()
    assert address_key(address) == address_key(respelt)


def test_a_postcode_matches_with_or_without_its_space():
    assert address_key("3 Mill Lane, M6 1AA") == address_key("3 mill ln m61aa")


@pytest.mark.parametrize("kind", sorted(REQUIREMENTS - ADDRESS_REQUIREMENTS))
def test_other_requirements_need_no_address(kind):
    assert proposal_problems(requirements=[kind], address="", assessed={}, known_requirements=REQUIREMENTS) == []


def test_unknown_requirements_and_assessment_fields_are_named():
    assert proposal_problems(requirements=["TAG"], address="", assessed={}, known_requirements=REQUIREMENTS) == [
        ("requirements[0]", "unknown requirement 'TAG'")
    ]
    problems = dict(
        assessment_problems(
            address=" ",
            children_ages=[4, 18, "x"],
            conclusion="SUITABLE_WITH_CONDITIONS",
            conditions="",
            reasons="",
            relied_on=["NOPE"],
            known_checks=frozenset({"C1"}),
            answered_checks=frozenset({"C1"}),
        )
    )
    assert set(problems) == {"address", "children_ages[1]", "children_ages[2]", "conditions", "reasons", "relied_on"}


def test_the_proposal_warns_of_each_check_unanswered_or_never_requested():
    assert proposal_warnings([CheckState("DOMESTIC_ABUSE", None, False), CheckState("SAFEGUARDING", "C2", False)]) == [
        "No domestic abuse check (police) was requested",
        "The child safeguarding check is not answered yet",
    ]
    assert proposal_warnings([CheckState("DOMESTIC_ABUSE", "C1", True)]) == []


@pytest.mark.parametrize("conclusion", list(Conclusion))
@pytest.mark.parametrize("relied_on", [[], ["C1"], ["C2"], ["C1", "C2"]])
@pytest.mark.parametrize("known", [frozenset(), frozenset({"C1", "C2"})])
def test_a_suitable_conclusion_rests_on_an_answered_check(conclusion, relied_on, known):
    """Issue 16 try-outs: an address found suitable (with or without conditions) with no check relied on, with no
    check requested at all, or relying on a check that has no answer yet (the form showed it "(not answered)") is
    refused by field; an unsuitable finding may rest on who lives there alone. C1 is answered, C2 is not."""
    problems = assessment_problems(
        address="1 High Street, M1 1AA",
        children_ages=[],
        conclusion=conclusion.value,
        conditions="No visitors under 18",
        reasons="Lives alone",
        relied_on=[check for check in relied_on if check in known],
        known_checks=known,
        answered_checks=frozenset({"C1"}) & known,
    )
    relied = [check for check in relied_on if check in known]
    refused = [reason for field, reason in problems if field == "relied_on"]
    suitable = conclusion is not Conclusion.UNSUITABLE
    assert bool(refused) == (suitable and (not relied or "C2" in relied))
    if suitable and not known:
        assert "request the domestic abuse and safeguarding checks" in refused[0]
    if suitable and "C2" in relied:
        assert any("no answer yet" in reason for reason in refused)
