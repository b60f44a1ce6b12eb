"""Contact levels (issue 14): CONTACT_LEVEL and HOME_VISIT actions are open exactly while a period's expectation is
unmet, and meeting it closes them; the region's table and the reference defaults are validated."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Action
from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.contact_levels import contact_level_actions, period_of, table_from, tables_from
from keepsafe.actions.rules.policy import DEFAULT_POLICY
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.selectors import CONTACT_LEVELS, contact_level_facts
from keepsafe.actions.services.manage import refresh
from keepsafe.people.appointment_services import appointment_book
from keepsafe.people.models import Person
from keepsafe.records.services import appointment_outcome_record
from keepsafe.risk.models import CaseRisk
from keepsafe.testing.fixtures import make_person, org_with_managers

START = date(2026, 1, 5)  # a community order starts; periods count from here
ORDER = f.EventFacts(id="1", sentence_type="COMMUNITY_ORDER", sentence_date=START, sentence_expiry=date(2028, 1, 5))
TABLE = f.ContactLevelTable(
    by_tier={"A": f.Expectation(4, 28), "C": f.Expectation(1, 28)},
    by_rosh={"HIGH": f.Expectation(2, 28)},
    home_visits=f.Expectation(1, 91),
)


def _facts(as_of: datetime, contacts, tier="A", rosh=None, da=False, open_keys=frozenset(), events=(ORDER,)):
    return f.CaseFacts(
        crn="X000001",
        as_of=as_of,
        com_allocated=True,
        events=events,
        contacts=tuple(contacts),
        contact_levels=f.ContactLevelFacts(TABLE, tier, rosh, da),
        open_keys=frozenset(open_keys),
    )


def _current(expected, kind=ActionType.CONTACT_LEVEL, as_of=None):
    rows = [e for e in expected if e.type == kind and e.withdrawn is None]
    return max(rows, key=lambda e: e.opens_at)


OUTCOMES = ["ATTENDED", "FAILED_TO_COMPLY", "FAILED_TO_ATTEND", "ACCEPTABLE_ABSENCE", "RESCHEDULED"]


@settings(max_examples=200, deadline=None)
@given(
    day=st.integers(0, 700),
    hour=st.integers(0, 23),
    contacts=st.lists(
        st.tuples(
            st.integers(-60, 60), st.sampled_from(["OFFICE_VISIT", "HOME_VISIT", "PHONE"]), st.sampled_from(OUTCOMES)
        ),
        max_size=8,
    ),
    tier=st.sampled_from(["A", "C", None]),
    rosh=st.sampled_from([None, "LOW", "HIGH", "VERY_HIGH"]),
    da=st.booleans(),
)
def test_an_action_is_open_exactly_while_the_period_is_short_of_contacts(day, hour, contacts, tier, rosh, da):
    as_of = datetime.combine(START + timedelta(days=day), datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)
    made = [
        f.ContactFacts(f"C{i}", kind, as_of + timedelta(days=offset), outcome)
        for i, (offset, kind, outcome) in enumerate(contacts)
    ]
    expected = contact_level_actions(_facts(as_of, made, tier, rosh, da), DEFAULT_POLICY)
    levels = [e for e in expected if e.type == ActionType.CONTACT_LEVEL]
    want = {"A": TABLE.by_tier["A"], "C": TABLE.by_tier["C"]}.get(tier or "")
    if rosh == "HIGH" and (want is None or want.count / want.period_days < 2 / 28):
        want = TABLE.by_rosh["HIGH"]
    assert bool(levels) == (want is not None)
    for e in levels:
        start = date.fromisoformat(e.detail["period_start"])
        opens = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        due = opens + timedelta(days=want.period_days)
        count = sum(
            1 for c in made if c.outcome in ("ATTENDED", "FAILED_TO_COMPLY") and opens <= c.at < due and c.at <= as_of
        )
        assert (e.satisfied is None) == (count < want.count), (e, count)
    homes = [e for e in expected if e.type == ActionType.HOME_VISIT]
    assert bool(homes) == (rosh in ("HIGH", "VERY_HIGH") or da)
    for e in homes:
        start = date.fromisoformat(e.detail["period_start"])
        opens = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        visits = [
            c
            for c in made
            if c.type == "HOME_VISIT"
            and c.outcome in ("ATTENDED", "FAILED_TO_COMPLY")
            and opens <= c.at < opens + timedelta(days=91)
            and c.at <= as_of
        ]
        assert (e.satisfied is None) == (not visits)


@settings(max_examples=100, deadline=None)
@given(day=st.integers(0, 700), already=st.integers(0, 3))
def test_meeting_the_expectation_closes_the_current_period(day, already):
    as_of = datetime.combine(START + timedelta(days=day), datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    start = period_of(START, as_of.date(), 28)
    opens = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    made = [f.ContactFacts(f"C{i}", "PHONE", opens + timedelta(minutes=i), "ATTENDED") for i in range(already)]
    before = _current(contact_level_actions(_facts(as_of, made), DEFAULT_POLICY))
    assert before.satisfied is None  # tier A needs 4
    more = [
        f.ContactFacts(f"D{i}", "OFFICE_VISIT", opens + timedelta(hours=1, minutes=i), "ATTENDED")
        for i in range(4 - already)
    ]
    after = _current(contact_level_actions(_facts(as_of, made + more), DEFAULT_POLICY))
    assert after.key == before.key
    assert after.satisfied is not None


def test_a_missed_period_stays_open_through_the_next_then_is_withdrawn_and_ending_supervision_withdraws_all():
    as_of = datetime(2026, 3, 10, 12, tzinfo=UTC)  # third period (2 March to 29 March)
    expected = contact_level_actions(_facts(as_of, [], open_keys={"contact-level:2026-01-05:4/28"}), DEFAULT_POLICY)
    keys = {e.key: e for e in expected}
    assert keys["contact-level:2026-01-05:4/28"].withdrawn is not None  # two periods ago
    assert keys["contact-level:2026-02-02:4/28"].satisfied is None  # last period: missed, overdue
    assert keys["contact-level:2026-02-02:4/28"].due < as_of
    assert keys["contact-level:2026-03-02:4/28"].due > as_of
    ended = f.EventFacts(id="1", sentence_type="COMMUNITY_ORDER", sentence_date=START, terminated=date(2026, 3, 1))
    gone = contact_level_actions(
        _facts(as_of, [], open_keys={"contact-level:2026-02-02:4/28"}, events=(ended,)), DEFAULT_POLICY
    )
    assert [e.withdrawn is not None for e in gone] == [True]
    assert contact_level_actions(_facts(as_of, [], tier=None), DEFAULT_POLICY) == []


def test_the_reference_table_is_valid_and_a_region_overrides_the_default():
    default, regions = tables_from(json.loads(CONTACT_LEVELS.read_text()))
    assert default.by_tier["A"] == f.Expectation(4, 28)
    assert default.home_visits == f.Expectation(1, 91)
    _, regions = tables_from(
        {
            "default": json.loads(CONTACT_LEVELS.read_text())["default"],
            "regions": {"GMR": {"home_visits": {"count": 2, "period_days": 91}}},
        }
    )
    assert regions["GMR"].home_visits == f.Expectation(2, 91)
    assert regions["GMR"].by_tier == default.by_tier


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"by_tier": {"Z": {"count": 1, "period_days": 28}}}, "unknown tiers Z"),
        ({"by_rosh": {"SEVERE": {"count": 1, "period_days": 28}}}, "unknown RoSH levels SEVERE"),
        ({"by_tier": {"A": {"count": 0, "period_days": 28}}}, "at least 1"),
        ({"by_tier": {"A": {"count": "4", "period_days": 28}}}, "whole numbers"),
        ({"by_tier": {"A": {"count": 4}}}, "exactly `count` and `period_days`"),
        ({"colour": {}}, "unknown keys colour"),
    ],
)
def test_a_bad_table_names_the_entry(data, words):
    with pytest.raises(ValueError, match=words):
        table_from(data, "regions.GMR")


@pytest.mark.django_db
def test_reconcile_opens_a_contact_level_action_and_an_attended_appointment_closes_it(imported, staff_actor):
    person = make_person("X400001", contacts=[], records=[], assessments=[], registrations=[])
    person["events"][0].update(
        {
            "sentence": {"type": "COMMUNITY_ORDER", "date": "2026-11-02", "length_months": 24},
            "dates": {k: None for k in person["events"][0]["dates"]} | {"sentence_expiry": "2028-11-02"},
            "requirements": [],
            "licence_conditions": [],
        }
    )
    imported(org_with_managers() | {"people": [person]})
    subject = Person.objects.get(crn="X400001")
    CaseRisk.objects.update_or_create(person=subject, defaults={"tier_v3": "C", "level": "MEDIUM"})
    assert contact_level_facts([subject.pk], datetime(2026, 11, 23, tzinfo=UTC))[subject.pk].tier == "C"
    actor = staff_actor("STF0001")
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        refresh(subject.pk)
        action = Action.objects.get(person=subject, type="CONTACT_LEVEL", status="OPEN")
        booked = appointment_book(
            actor=actor,
            person=subject,
            type="OFFICE_VISIT",
            at=now + timedelta(hours=2),
            location="Office",
            staff_id=subject.practitioner_id,
        )
    with time_machine.travel(now + timedelta(hours=4), tick=False):
        appointment_outcome_record(actor=actor, appointment=booked, outcome="ATTENDED", notes="Seen")
        refresh(subject.pk)
    action.refresh_from_db()
    assert action.status == "DONE"
