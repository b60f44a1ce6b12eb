"""Approved premises rules (issue 16 §5): every validation branch, the decision's due time (emergency and not), the
pre-release place flag, and the invariant: a pre-release AP_REFERRAL action is open iff the licence requires approved
premises, release is ahead, and no accepted referral has a place."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.calendar import LONDON
from keepsafe.actions.rules.expected import expected_actions
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.premises import ap_decision_due, ap_place_due, ap_referral_actions, release_of
from keepsafe.actions.rules.types import ActionType
from keepsafe.premises.rules.referral import (
    ApConditionFacts,
    ApFacts,
    ApReferralFacts,
    Decision,
    arrival_problems,
    decision_problems,
    referral_problems,
)

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # a Monday
REFERRED = datetime(2027, 2, 26, 22, 30, tzinfo=UTC)  # a Friday night: out of hours


def referral(**changes) -> ApReferralFacts:
    base = ApReferralFacts(
        id="APR1", premises="Bunyan House", referred_at=REFERRED, requested_arrival=date(2027, 3, 20), emergency=False
    )
    return replace(base, **changes)


def fields(problems) -> list[str]:
    return [field for field, _ in problems]


# --- validation ---------------------------------------------------------------------------------------------------


def test_a_referral_needs_premises_a_past_date_and_arrival_not_before_referral():
    ok = referral_problems(
        premises="Bunyan House",
        referred_on=date(2027, 3, 1),
        requested_arrival=date(2027, 3, 1),
        today=date(2027, 3, 1),
    )
    assert ok == []
    bad = referral_problems(
        premises="  ", referred_on=date(2027, 3, 2), requested_arrival=date(2027, 3, 1), today=date(2027, 3, 1)
    )
    assert fields(bad) == ["premises", "referred_on", "requested_arrival"]
    too_long = referral_problems(
        premises="x" * 201, referred_on=date(2027, 3, 1), requested_arrival=date(2027, 3, 5), today=date(2027, 3, 1)
    )
    assert fields(too_long) == ["premises"]
    assert "200 characters" in too_long[0][1]


def test_a_decision_cannot_come_before_the_referral_or_in_the_future():
    early = decision_problems(
        referral=referral(),
        decision="REFUSED",
        decided_at=REFERRED - timedelta(minutes=1),
        place_date=None,
        reason="Full",
        now=NOW,
    )
    assert fields(early) == ["decided_on"]
    assert "before the referral" in early[0][1]
    future = decision_problems(
        referral=referral(),
        decision="REFUSED",
        decided_at=NOW + timedelta(hours=1),
        place_date=None,
        reason="Full",
        now=NOW,
    )
    assert fields(future) == ["decided_on"]


def test_an_acceptance_needs_a_place_date_not_before_the_referral():
    common = {"referral": referral(), "decision": "ACCEPTED", "decided_at": NOW, "reason": "", "now": NOW}
    assert fields(decision_problems(place_date=None, **common)) == ["place_date"]
    assert fields(decision_problems(place_date=date(2027, 2, 1), **common)) == ["place_date"]
    assert decision_problems(place_date=date(2027, 3, 4), **common) == []


def test_a_refusal_needs_a_reason_and_no_place():
    common = {"referral": referral(), "decision": "REFUSED", "decided_at": NOW, "now": NOW}
    assert fields(decision_problems(place_date=None, reason=" ", **common)) == ["reason"]
    assert fields(decision_problems(place_date=date(2027, 3, 4), reason="Full", **common)) == ["place_date"]
    assert decision_problems(place_date=None, reason="No bed for a man with arson convictions", **common) == []


def test_a_decision_is_made_once_and_must_be_known():
    decided = referral(decision="REFUSED", decided_at=NOW)
    again = decision_problems(
        referral=decided, decision="ACCEPTED", decided_at=NOW, place_date=None, reason="", now=NOW
    )
    assert fields(again) == ["decision"]
    assert "already" in again[0][1]
    unknown = decision_problems(
        referral=referral(), decision="MAYBE", decided_at=NOW, place_date=None, reason="", now=NOW
    )
    assert fields(unknown) == ["decision"]
    assert "accepted or refused" in unknown[0][1]


def test_a_decision_is_named_in_words_never_by_its_code():
    """Issue 20 try-out: "already has the premises' decision (REFUSED)". Every decision and every wrong answer."""
    import re

    for made in Decision:
        for answer in [*Decision, "MAYBE"]:
            decided = referral(decision=made.value, decided_at=NOW)
            for r in (decided, referral()):
                for _, text in decision_problems(
                    referral=r, decision=answer, decided_at=NOW, place_date=None, reason="", now=NOW
                ):
                    assert not re.search(r"\b(?:ACCEPTED|REFUSED)\b", text), text


def test_arrival_needs_an_accepted_place_and_a_date_from_the_place_to_today():
    assert (
        "no accepted place"
        in arrival_problems(referral=referral(), arrival="ARRIVED", on=date(2027, 3, 1), today=date(2027, 3, 1))[0][1]
    )
    refused = referral(decision="REFUSED", decided_at=NOW)
    assert fields(arrival_problems(referral=refused, arrival="ARRIVED", on=date(2027, 3, 1), today=date(2027, 3, 1)))
    placed = referral(decision="ACCEPTED", decided_at=NOW, place_date=date(2027, 3, 4))
    assert fields(
        arrival_problems(referral=placed, arrival="ARRIVED", on=date(2027, 3, 3), today=date(2027, 3, 10))
    ) == ["arrival_on"]
    assert fields(
        arrival_problems(referral=placed, arrival="ARRIVED", on=date(2027, 3, 11), today=date(2027, 3, 10))
    ) == ["arrival_on"]
    assert fields(arrival_problems(referral=placed, arrival="LATE", on=date(2027, 3, 5), today=date(2027, 3, 10))) == [
        "arrival"
    ]
    assert (
        arrival_problems(referral=placed, arrival="DID_NOT_ARRIVE", on=date(2027, 3, 4), today=date(2027, 3, 10)) == []
    )
    arrived = replace(placed, arrival="ARRIVED", arrival_at=NOW)
    assert (
        "already"
        in arrival_problems(referral=arrived, arrival="ARRIVED", on=date(2027, 3, 5), today=date(2027, 3, 10))[0][1]
    )


# --- the decision action ------------------------------------------------------------------------------------------


def case(as_of: datetime, *, events=(), ap: ApFacts | None = None, open_keys=frozenset()) -> f.CaseFacts:
    return f.CaseFacts(
        crn="X300001",
        as_of=as_of,
        com_allocated=True,
        events=tuple(events),
        approved_premises=ap or ApFacts(),
        open_keys=frozenset(open_keys),
    )


def test_an_emergency_referral_is_due_within_hours_any_other_within_working_days():
    assert ap_decision_due(referral(emergency=True), DEFAULT_POLICY) == REFERRED + timedelta(hours=4)
    # Friday 26 February 2027 (22:30 UTC is still Friday in London) + 5 working days = Friday 5 March, end of day.
    assert ap_decision_due(referral(), DEFAULT_POLICY) == datetime(2027, 3, 6, 0, 0, tzinfo=UTC)


def test_a_referral_awaiting_the_decision_is_open_and_the_decision_closes_it():
    awaiting = ap_referral_actions(case(NOW, ap=ApFacts(referrals=(referral(emergency=True),))), DEFAULT_POLICY)
    assert [(e.type, e.key, e.satisfied) for e in awaiting] == [(ActionType.AP_REFERRAL, "ap:APR1:decision", None)]
    assert "Emergency" in awaiting[0].title
    assert awaiting[0].detail["emergency"] == "True"
    decided = referral(decision="REFUSED", decided_at=NOW - timedelta(hours=1))
    done = ap_referral_actions(case(NOW, ap=ApFacts(referrals=(decided,))), DEFAULT_POLICY)
    assert done[0].satisfied is not None
    assert done[0].satisfied.kind == "ap_referral"
    assert "ACCEPTED" not in done[0].satisfied.summary
    assert "REFUSED" not in done[0].satisfied.summary
    # Not yet referred at an earlier instant: nothing.
    assert (
        ap_referral_actions(case(REFERRED - timedelta(hours=1), ap=ApFacts(referrals=(referral(),))), DEFAULT_POLICY)
        == []
    )


def test_an_old_imported_referral_never_decided_does_not_open_an_action():
    old = referral(referred_at=NOW - timedelta(days=DEFAULT_POLICY.trigger_lookback_days + 1))
    assert ap_referral_actions(case(NOW, ap=ApFacts(referrals=(old,))), DEFAULT_POLICY) == []


# --- the pre-release place flag -----------------------------------------------------------------------------------

RELEASE = date(2027, 5, 3)
EVENT = f.EventFacts(id="1", sentence_type="DETERMINATE_CUSTODY", sentence_date=date(2025, 5, 1), release=RELEASE)
CONDITION = ApConditionFacts(event="1", condition="L2", known_from=datetime(2027, 1, 10, 9, tzinfo=UTC))


def place_actions(facts: f.CaseFacts):
    return [e for e in ap_referral_actions(facts, DEFAULT_POLICY) if e.detail.get("stage") == "place"]


def test_a_condition_without_a_place_is_flagged_due_days_before_release():
    [action] = place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(CONDITION,))))
    assert action.key == "ap:1:place"
    assert action.satisfied is None
    assert action.raised_at is None
    assert action.due == ap_place_due(RELEASE, DEFAULT_POLICY) == datetime(2027, 4, 4, 23, 0, tzinfo=UTC)  # BST
    assert action.opens_at == CONDITION.known_from


def test_a_confirmed_place_closes_the_flag_a_refusal_or_a_non_arrival_does_not():
    accepted = referral(decision="ACCEPTED", decided_at=NOW - timedelta(hours=2), place_date=RELEASE)
    [done] = place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(CONDITION,), referrals=(accepted,))))
    assert done.satisfied is not None
    assert "Bunyan House" in done.satisfied.summary
    refused = referral(decision="REFUSED", decided_at=NOW - timedelta(hours=2))
    [still] = place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(CONDITION,), referrals=(refused,))))
    assert still.satisfied is None
    lost = replace(accepted, arrival="DID_NOT_ARRIVE", arrival_at=NOW)
    [again] = place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(CONDITION,), referrals=(lost,))))
    assert again.satisfied is None


def test_a_place_confirmed_after_the_instant_does_not_close_the_flag_at_that_instant():
    # As-of never shows the future: a replay at NOW must not count a place the premises confirm an hour later.
    later = referral(decision="ACCEPTED", decided_at=NOW + timedelta(hours=1), place_date=RELEASE)
    [open_] = place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(CONDITION,), referrals=(later,))))
    assert open_.satisfied is None
    [done] = place_actions(
        case(NOW + timedelta(hours=2), events=[EVENT], ap=ApFacts(conditions=(CONDITION,), referrals=(later,)))
    )
    assert done.satisfied is not None


def test_a_condition_known_too_late_is_due_at_once_and_raised():
    late = replace(CONDITION, known_from=datetime(2027, 4, 20, 9, tzinfo=UTC))
    [action] = place_actions(case(datetime(2027, 4, 21, tzinfo=UTC), events=[EVENT], ap=ApFacts(conditions=(late,))))
    assert action.due == late.known_from
    assert action.raised_at == late.known_from
    assert action.detail["late"] == "True"


def test_after_release_the_flag_is_not_opened_but_an_open_one_stays_open():
    after = datetime(2027, 5, 4, 9, tzinfo=UTC)
    ap = ApFacts(conditions=(CONDITION,))
    assert place_actions(case(after, events=[EVENT], ap=ap)) == []
    [kept] = place_actions(case(after, events=[EVENT], ap=ap, open_keys={"ap:1:place"}))
    assert kept.satisfied is None
    assert kept.withdrawn is None


def test_no_release_date_no_flag_and_the_conditional_release_date_counts():
    undated = replace(EVENT, release=None)
    assert place_actions(case(NOW, events=[undated], ap=ApFacts(conditions=(CONDITION,)))) == []
    crd = replace(EVENT, release=None, conditional_release=RELEASE)
    assert release_of(crd) == RELEASE
    assert len(place_actions(case(NOW, events=[crd], ap=ApFacts(conditions=(CONDITION,))))) == 1


def test_a_condition_not_yet_known_or_for_another_sentence_is_not_flagged():
    future = replace(CONDITION, known_from=NOW + timedelta(days=1))
    assert place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(future,)))) == []
    other = replace(CONDITION, event="9")
    assert place_actions(case(NOW, events=[EVENT], ap=ApFacts(conditions=(other,)))) == []


# --- the invariant ------------------------------------------------------------------------------------------------

START = datetime(2027, 1, 1, tzinfo=UTC)
instants = st.integers(0, 400 * 24).map(lambda h: START + timedelta(hours=h))


@st.composite
def ap_cases(draw: st.DrawFn) -> f.CaseFacts:
    release = draw(st.none() | st.integers(-30, 400).map(lambda d: START.date() + timedelta(days=d)))
    event = replace(EVENT, release=release, conditional_release=None)
    conditions = tuple(ApConditionFacts("1", f"L{i}", draw(instants)) for i in range(draw(st.integers(0, 2))))
    referrals = []
    for i in range(draw(st.integers(0, 3))):
        referred = draw(instants)
        decision = draw(st.sampled_from([None, "ACCEPTED", "REFUSED"]))
        place = draw(st.none() | st.just(referred.date() + timedelta(days=3))) if decision == "ACCEPTED" else None
        arrival = draw(st.sampled_from([None, "ARRIVED", "DID_NOT_ARRIVE"])) if place else None
        referrals.append(
            referral(
                id=f"APR{i}",
                referred_at=referred,
                emergency=draw(st.booleans()),
                decision=decision,
                decided_at=referred + timedelta(hours=draw(st.integers(0, 300))) if decision else None,
                place_date=place,
                arrival=arrival,
            )
        )
    as_of = draw(instants)
    # Facts as the selector builds them: nothing recorded after the instant is known.
    known = tuple(
        replace(r, decision=None, decided_at=None, place_date=None, arrival=None)
        if r.decided_at is not None and r.decided_at > as_of
        else r
        for r in referrals
        if r.referred_at <= as_of
    )
    return case(as_of, events=[event], ap=ApFacts(conditions=conditions, referrals=known))


@settings(max_examples=300, deadline=None)
@given(ap_cases())
def test_a_pre_release_flag_is_open_iff_the_licence_requires_ap_release_is_ahead_and_no_place(facts):
    expected = [e for e in expected_actions(facts, DEFAULT_POLICY) if e.key == "ap:1:place"]
    open_flag = any(e.satisfied is None and e.withdrawn is None for e in expected)
    release = facts.events[0].release
    requires = any(c.known_from <= facts.as_of for c in facts.approved_premises.conditions)
    ahead = release is not None and release > facts.as_of.astimezone(LONDON).date()
    placed = any(
        r.decision == "ACCEPTED" and r.place_date is not None and r.arrival != "DID_NOT_ARRIVE"
        for r in facts.approved_premises.referrals
    )
    assert open_flag == (requires and ahead and not placed)
    assert len(expected) <= 1
