"""workload_many / potential_capacity against hand-worked figures, allocation history, and the query count."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keepsafe.oversight.workload import potential_capacity, training_many, workload_at, workload_many
from keepsafe.people.models import Event, Person, PersonVersion
from keepsafe.risk.models import CaseRisk, RiskLevelChange
from keepsafe.workforce.models import Pdu, Reduction, Region, Staff, Team, TrainingCompletion

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    region = Region.objects.create(code="GMR", name="Greater Manchester")
    pdu = Pdu.objects.create(code="GMR-MN", name="Manchester North", region=region)
    return Team.objects.create(code="GMR-MN-1", name="Team 1", pdu=pdu)


def _staff(team, code, grade="PO", hours=37):
    return Staff.objects.create(code=code, forename="A", surname=code, grade=grade, team=team, contracted_hours=hours)


def _case(team, crn, staff, tier, sentence="COMMUNITY_ORDER", release=None, level=None, dob=date(1980, 1, 1)):
    person = Person.objects.create(
        crn=crn, forename="P", surname=crn, date_of_birth=dob, gender="MALE", pdu=team.pdu, practitioner=staff
    )
    Event.objects.create(
        person=person,
        external_id="1",
        offence="x",
        offence_category="violence",
        sentence_type=sentence,
        sentence_date=date(2024, 1, 1),
        release=release,
    )
    CaseRisk.objects.create(person=person, tier_v2=tier, level=level)
    return person


def test_points_capacity_and_high_risk_by_hand(team):
    ada = _staff(team, "STF0001")
    _case(team, "X000001", ada, "B2", "DETERMINATE_CUSTODY", release=date(2026, 1, 1), level="HIGH")  # licence 132
    _case(team, "X000002", ada, "A3")  # community 206
    _case(team, "X000003", ada, "C1", "EXTENDED")  # custody, not released: 23
    _case(team, "X000004", ada, "B1", "COMMUNITY_ORDER", dob=date(2007, 1, 1))  # T2A (19): 47
    Reduction.objects.create(staff=ada, reason="DISABILITY", hours=Decimal("1.8"), start=date(2026, 1, 1))
    Reduction.objects.create(staff=ada, reason="NQO", start=date(2025, 1, 1))  # expired after 9 months
    load = workload_many([ada.pk], as_of=NOW)[ada.pk]
    assert load.points == 132 + 206 + 23 + 47
    assert load.available_points == 2070
    assert load.capacity_percent == Decimal("19.700")  # 408 / 2070 = 0.1971 → 0.197
    assert (load.cases, load.high_risk_cases) == (4, 1)
    assert [r.reason for r in load.reductions] == ["DISABILITY"]
    assert not load.over_capacity


def test_over_capacity_and_not_measured(team):
    pso = _staff(team, "STF0002", grade="PSO", hours=7)  # 7 h → trunc(2176 × 7/37) = 411 points
    for i in range(3):
        _case(team, f"X00001{i}", pso, "A3")
    spo = _staff(team, "STF0100", grade="SPO")
    _case(team, "X000020", spo, "D2")
    loads = workload_many([pso.pk, spo.pk], as_of=NOW)
    assert loads[pso.pk].available_points == 411
    assert loads[pso.pk].capacity_percent == Decimal("150.400")  # 618 / 411
    assert loads[pso.pk].over_capacity
    assert loads[spo.pk].capacity_percent is None
    assert loads[spo.pk].not_measured_because
    assert loads[spo.pk].over_capacity  # points with nothing to set them against


def test_allocation_and_rosh_follow_history(team):
    ada, ben = _staff(team, "STF0001"), _staff(team, "STF0002")
    person = _case(team, "X000001", ben, "B2")
    moved = datetime(2026, 3, 1, tzinfo=UTC)
    for known_from, holder in ((datetime(2024, 1, 1, tzinfo=UTC), ada), (moved, ben)):
        PersonVersion.objects.create(
            person=person, pdu=team.pdu, practitioner=holder, known_from=known_from, recorded_at=known_from, by="t"
        )
    RiskLevelChange.objects.create(
        person=person, at=datetime(2026, 4, 1, tzinfo=UTC), by="t", previous=None, new="VERY_HIGH", effective=True
    )
    before = workload_many([ada.pk, ben.pk], as_of=datetime(2026, 2, 1, tzinfo=UTC))
    assert (before[ada.pk].cases, before[ben.pk].cases) == (1, 0)
    assert before[ada.pk].high_risk_cases == 0
    after = workload_many([ada.pk, ben.pk], as_of=NOW)
    assert (after[ada.pk].cases, after[ben.pk].cases, after[ben.pk].points) == (0, 1, 115)
    assert after[ben.pk].high_risk_cases == 1


def test_terminated_events_and_untiered_cases_weigh_nothing(team):
    ada = _staff(team, "STF0001")
    p = _case(team, "X000001", ada, "A3")
    Event.objects.filter(person=p).update(terminated=date(2026, 1, 1))
    _case(team, "X000002", ada, "")
    load = workload_many([ada.pk], as_of=NOW)[ada.pk]
    assert (load.cases, load.points) == (2, 0)


def test_fixed_number_of_queries_for_2_and_40_staff(team):
    def count(n):
        staff = [_staff(team, f"S{n:02d}{i:03d}") for i in range(n)]
        for i, s in enumerate(staff):
            _case(team, f"Y{n:02d}{i:04d}", s, "B2")
            Reduction.objects.create(staff=s, reason="GROUPS", hours=Decimal(2), start=date(2026, 1, 1))
        with CaptureQueriesContext(connection) as queries:
            loads = workload_many([s.pk for s in staff], as_of=NOW)
        assert all(load.cases == 1 for load in loads.values())
        return len(queries)

    assert count(2) == count(40)


def test_potential_capacity(team):
    ada = _staff(team, "STF0001")
    _case(team, "X000001", ada, "A3")  # 206 of 2176
    new = _case(team, "X000002", None, "B2", "DETERMINATE_CUSTODY", release=date(2026, 1, 1))  # licence 132
    pc = potential_capacity(ada.pk, new.pk, as_of=NOW)
    assert (pc.now, pc.then) == (Decimal("9.500"), Decimal("15.500"))
    assert pc.text == "9.5% → 15.5%"
    held = Person.objects.get(crn="X000001")
    same = potential_capacity(ada.pk, held.pk, as_of=NOW)
    assert same.already_held
    assert same.now == same.then
    with pytest.raises(Staff.DoesNotExist):
        potential_capacity(999_999, new.pk, as_of=NOW)


def test_training_many(team):
    ada = _staff(team, "STF0001")
    TrainingCompletion.objects.create(staff=ada, course="DOMESTIC_ABUSE", completed_on=date(2022, 1, 1))
    states = {s.course.code: s.state.value for s in training_many([ada], today=NOW.date())[ada.pk]}
    assert states["DOMESTIC_ABUSE"] == "OVERDUE"
    assert states["CHILD_SAFEGUARDING"] == "MISSING"


# issue 17 (helper "period17"): the dashboard's month ends read at once — workload_at — equal workload_many at each.


def _history_fixture(team):
    """Cases whose allocation, sentence, tier, RoSH and flags change in 2025–2026; reductions that start and end."""
    from keepsafe.people.models import EventVersion, Registration, RegistrationHistory, RegistrationType
    from keepsafe.risk.models import TierChange
    from keepsafe.risk.rules.rosh import REGISTRATION_FOR_LEVEL, Level

    def at(y, m, d):
        return datetime(y, m, d, 9, tzinfo=UTC)

    ada, ben, cat = _staff(team, "STF0001"), _staff(team, "STF0002", "PSO", 22), _staff(team, "STF0003", "PQIP")
    moved = _case(team, "X000001", ben, "B2")
    for known_from, holder in ((at(2024, 1, 1), ada), (at(2025, 9, 10), ben)):
        PersonVersion.objects.create(
            person=moved, pdu=team.pdu, practitioner=holder, known_from=known_from, recorded_at=known_from, by="t"
        )
    released = _case(team, "X000002", ada, "C2", sentence="DETERMINATE_CUSTODY", release=date(2026, 2, 1))
    event = released.events.get()
    sentence = {
        "event": event,
        "by": "t",
        "offence": "x",
        "offence_category": "violence",
        "sentence_type": "DETERMINATE_CUSTODY",
        "sentence_date": date(2024, 1, 1),
        "release": date(2026, 2, 1),
    }
    EventVersion.objects.create(known_from=at(2024, 1, 1), recorded_at=at(2024, 1, 1), **sentence)
    EventVersion.objects.create(
        known_from=at(2026, 5, 3), recorded_at=at(2026, 5, 3), terminated=date(2026, 5, 1), **sentence
    )
    retiered = _case(team, "X000003", cat, "A1")
    TierChange.objects.create(person=retiered, at=at(2025, 11, 20), previous_v2="D0", new_v2="A1")
    raised = _case(team, "X000004", cat, "D2", level="LOW")
    RiskLevelChange.objects.create(person=raised, at=at(2026, 1, 5), by="t", previous="LOW", new="HIGH", effective=True)
    flagged = _case(team, "X000005", ada, "B1")
    kind = RegistrationType.objects.get(code=REGISTRATION_FOR_LEVEL[Level.HIGH])  # seeded by a migration
    flag = Registration.objects.create(person=flagged, external_id="1", type=kind, start=date(2025, 6, 1))
    RegistrationHistory.objects.create(
        registration=flag, action="ADDED", at=at(2025, 6, 1), by="t", known_from=at(2025, 6, 1), start=date(2025, 6, 1)
    )
    RegistrationHistory.objects.create(
        registration=flag,
        action="UPDATED",
        at=at(2026, 3, 2),
        by="t",
        known_from=at(2026, 3, 2),
        start=date(2025, 6, 1),
        end=date(2026, 3, 1),
    )
    Reduction.objects.create(staff=ben, reason="DISABILITY", hours=Decimal(4), start=date(2025, 12, 1))
    Reduction.objects.create(
        staff=ada, reason="COURT_DUTY", hours=Decimal(7), start=date(2025, 8, 14), end=date(2026, 2, 28)
    )
    return [ada.pk, ben.pk, cat.pk]


def test_workload_at_equals_workload_many_at_every_instant(team):
    staff = _history_fixture(team)
    instants = [datetime(2025 + (m > 12), (m - 1) % 12 + 1, 1, tzinfo=UTC) for m in range(1, 25)]
    instants += [datetime(2025, 9, 10, 9, tzinfo=UTC), datetime(2026, 5, 3, 8, 59, tzinfo=UTC), NOW]
    together = workload_at(staff, instants)
    assert set(together) == set(instants)
    for instant in instants:
        assert together[instant] == workload_many(staff, as_of=instant), instant
    # the fixture moves: points, cases and high-risk cases differ between instants
    assert len({tuple((w.points, w.cases, w.high_risk_cases) for w in together[i].values()) for i in instants}) > 4


def test_workload_at_costs_the_same_queries_for_3_and_36_instants(team):
    staff = _history_fixture(team)

    def count(n: int) -> int:
        instants = [datetime(2024 + m // 12, m % 12 + 1, 1, tzinfo=UTC) for m in range(n)]
        with CaptureQueriesContext(connection) as queries:
            assert len(workload_at(staff, instants)) == n
        return len(queries)

    assert count(3) == count(36)
