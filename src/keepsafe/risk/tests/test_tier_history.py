"""Issue 15 §1 (helper "tierhist"): the tier history — written with each tier change, backfilled once, and read as of
an instant without ever showing a later change."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.people.models import Person
from keepsafe.risk.models import CaseRisk, TierChange
from keepsafe.risk.rules.tier.history import TierStep, tier_in_force
from keepsafe.risk.selectors import risk_summary, tier_history_json, tiers_v2_as_of
from keepsafe.risk.services import risk_recalculate, risk_recalculate_many
from keepsafe.risk.tests.test_services import assess
from keepsafe.testing.fixtures import make_bundle, make_person

migration = importlib.import_module("keepsafe.risk.migrations.0006_tierhist_tier_changes")
T0 = datetime(2026, 1, 1, tzinfo=UTC)
TIERS = [f"{letter}{n}" for letter in "ABCD" for n in range(4)]


# --- the pure rule ---------------------------------------------------------------------------------------------------


@st.composite
def histories(draw):
    """A chain of tier changes (each replacing the tier the one before set), several possibly at the same instant."""
    count = draw(st.integers(min_value=0, max_value=8))
    offsets = sorted(draw(st.lists(st.integers(0, 40), min_size=count, max_size=count)))
    tiers = draw(st.lists(st.sampled_from(["", *TIERS]), min_size=count + 1, max_size=count + 1))
    steps = [TierStep(T0 + timedelta(days=offsets[i]), i + 1, tiers[i], tiers[i + 1]) for i in range(count)]
    return steps


@given(histories(), st.integers(-5, 45), st.sampled_from(["", "C2"]), st.randoms())
def test_as_of_never_shows_the_future(steps, day, stored, rnd):
    at = T0 + timedelta(days=day, hours=12)
    shuffled = list(steps)
    rnd.shuffle(shuffled)  # the order rows come back in does not matter
    read = tier_in_force(shuffled, at, without_history=stored or None)
    if not steps:
        assert read == (stored or None)
        return
    known = [s for s in steps if s.at <= at]
    first = steps[0]
    expected = known[-1].new if known else (first.previous or first.new)
    assert read == (expected or None)
    # never a tier that only a change after the instant set (unless an earlier change set it too); before the first
    # change, what it replaced, or — when it replaced none known — the history's first tier
    in_force_by_then = {s.new for s in known} | {first.previous} | ({first.new} if not first.previous else set())
    assert (read or "") in in_force_by_then
    if known:
        assert read == (max(known, key=lambda s: (s.at, s.order)).new or None)


def test_changes_at_the_same_instant_take_the_last_recorded():
    steps = [TierStep(T0, 2, "B1", "A3"), TierStep(T0, 1, "", "B1")]
    assert tier_in_force(steps, T0, without_history=None) == "A3"
    # before the first change, which replaced no known tier: the history's first tier
    assert tier_in_force(steps, T0 - timedelta(seconds=1), without_history="D0") == "B1"
    assert tier_in_force([TierStep(T0, 1, "C2", "A3")], T0 - timedelta(seconds=1), without_history=None) == "C2"
    assert tier_in_force([], T0, without_history="D0") == "D0"


# --- writing the history ---------------------------------------------------------------------------------------------


@pytest.fixture
def person(imported):
    imported(make_bundle(make_person(assessments=[])))
    return Person.objects.get(crn="X123456")


@pytest.mark.django_db
def test_a_tier_change_is_recorded_with_what_it_replaced(person, staff_actor):
    first = list(TierChange.objects.filter(person=person))
    assert len(first) == 1  # the import stored the first tier
    risk = CaseRisk.objects.get(person=person)
    assert (first[0].previous_v2, first[0].new_v2, first[0].new_v3) == ("", risk.tier_v2, risk.tier_v3)
    was_v2, was_v3 = risk.tier_v2, risk.tier_v3
    assess(staff_actor("STF0001"), person, "VERY_HIGH")  # RoSH very high: tier v2 A
    risk.refresh_from_db()
    assert risk.tier_v2 != was_v2
    latest = TierChange.objects.filter(person=person).first()
    assert (latest.previous_v2, latest.new_v2, latest.previous_v3, latest.new_v3) == (
        was_v2,
        risk.tier_v2,
        was_v3,
        risk.tier_v3,
    )
    assert not latest.backfilled
    # recalculating with nothing changed adds nothing
    risk_recalculate(person=person)
    risk_recalculate_many(people=[person])
    assert TierChange.objects.filter(person=person).count() == 2


@pytest.mark.django_db
def test_the_case_json_shows_the_tier_history_as_known(person, staff_actor):
    assess(staff_actor("STF0001"), person, "VERY_HIGH")
    shown = risk_summary(person)["tier_history"]
    assert [c["new_v2"] for c in shown] == [c.new_v2 or None for c in TierChange.objects.filter(person=person)]
    assert shown[0]["previous_v2"] == shown[1]["new_v2"]
    before = TierChange.objects.filter(person=person).order_by("at", "id").first().at - timedelta(seconds=1)
    assert tier_history_json(person, before) == []
    assert risk_summary(person, before)["tier_history"] == []


@pytest.mark.django_db
def test_the_backfill_starts_each_history_from_the_stored_tier(person):
    TierChange.objects.all().delete()
    risk = CaseRisk.objects.get(person=person)
    migration.backfill(apps, None)
    row = TierChange.objects.get(person=person)
    assert (row.at, row.new_v2, row.new_v3, row.previous_v2, row.backfilled) == (
        risk.updated_at,
        risk.tier_v2,
        risk.tier_v3,
        "",
        True,
    )
    # the backfilled row is the history's first tier, before it and from it
    assert tiers_v2_as_of([person.pk], risk.updated_at - timedelta(days=400)) == {person.pk: risk.tier_v2 or None}
    assert tiers_v2_as_of([person.pk], risk.updated_at) == {person.pk: risk.tier_v2 or None}


# --- reading as of an instant, against the database ------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=histories(), day=st.integers(-5, 45))
def test_tiers_as_of_from_the_database_never_show_the_future(person, steps, day):
    TierChange.objects.filter(person=person).delete()
    rows = TierChange.objects.bulk_create(
        TierChange(person=person, at=s.at, previous_v2=s.previous, new_v2=s.new) for s in steps
    )
    at = T0 + timedelta(days=day, hours=12)
    stored = CaseRisk.objects.get(person=person).tier_v2
    recorded = [TierStep(r.at, r.pk, r.previous_v2, r.new_v2) for r in rows]
    assert tiers_v2_as_of([person.pk], at)[person.pk] == tier_in_force(recorded, at, without_history=stored or None)
    if rows:
        first = steps[0].previous or steps[0].new
        allowed = {None, first or None, *(r.new_v2 or None for r in rows if r.at <= at)}
        assert tiers_v2_as_of([person.pk], at)[person.pk] in allowed


@pytest.mark.django_db
def test_tiers_as_of_take_a_fixed_number_of_queries(person):
    def count(n):
        people = []
        for i in range(n):
            p = Person.objects.create(
                crn=f"Q{n:02d}{i:04d}",
                forename="A",
                surname="B",
                gender="MALE",
                date_of_birth=T0.date(),
                pdu=person.pdu,
            )
            CaseRisk.objects.create(person=p, tier_v2="C1")
            TierChange.objects.create(person=p, at=T0, previous_v2="", new_v2="C1")
            TierChange.objects.create(person=p, at=T0 + timedelta(days=3), previous_v2="C1", new_v2="A3")
            people.append(p.pk)
        with CaptureQueriesContext(connection) as queries:
            read = tiers_v2_as_of(people, T0 + timedelta(days=1))
        assert set(read.values()) == {"C1"}
        return len(queries)

    assert count(2) == count(40)
