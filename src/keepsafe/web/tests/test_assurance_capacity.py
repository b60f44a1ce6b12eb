"""The capacity measure on the delivery dashboard (issue 17 item 1, hmpps.md §2c), worked by hand: three PSOs on 7
hours (411 available points each, trunc(2176 × 7/37)); community A3 cases at 206 points."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keepsafe.assurance.rules.capacity import CapacityFigure, NoFigure
from keepsafe.assurance.rules.scope import Scope
from keepsafe.assurance.selectors import capacity_measure
from keepsafe.audit.models import AuditEvent
from keepsafe.people.models import Event, Person
from keepsafe.risk.models import CaseRisk
from keepsafe.workforce.models import Pdu, Reduction, Region, Staff, Team, User
from keepsafe.workforce.selectors import actor_for_user

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
# Ends with this month: a later end date is refused (period17); a month not yet begun is read through the selector.
PERIOD = {"from-day": "1", "from-month": "10", "from-year": "2026", "to-day": "30", "to-month": "11", "to-year": "2026"}


def _staff(team: Team, code: str, surname: str, grade: str = "PSO", hours: int = 7) -> Staff:
    return Staff.objects.create(
        code=code, forename="Pat", surname=surname, grade=grade, team=team, contracted_hours=hours
    )


def _case(team: Team, crn: str, staff: Staff, level: str | None = None) -> Person:
    person = Person.objects.create(
        crn=crn,
        forename="Case",
        surname=crn,
        date_of_birth=date(1980, 1, 1),
        gender="MALE",
        pdu=team.pdu,
        practitioner=staff,
    )
    Event.objects.create(
        person=person,
        external_id="1",
        offence="x",
        offence_category="violence",
        sentence_type="COMMUNITY_ORDER",
        sentence_date=date(2024, 1, 1),
    )
    CaseRisk.objects.create(person=person, tier_v2="A3", level=level)
    return person


@pytest.fixture
def unit():
    client = _unit()
    Person.objects.update(created_at=RECORDS_BEGIN)  # Keepsafe's first record of these caseloads
    return client


RECORDS_BEGIN = datetime(2026, 1, 5, 9, tzinfo=UTC)


def _unit() -> Client:
    region = Region.objects.create(code="GMR", name="Greater Manchester")
    pdu = Pdu.objects.create(code="GMR-MN", name="Manchester North", region=region)
    team = Team.objects.create(code="GMR-MN-1", name="Team 1", pdu=pdu)
    other = Team.objects.create(code="GMR-MN-2", name="Team 2", pdu=pdu)
    over, under, reduced = (
        _staff(team, "STF0001", "Over"),
        _staff(team, "STF0002", "Under"),
        _staff(team, "STF0003", "Reduced"),
    )
    _case(team, "X000001", over, level="HIGH")
    _case(team, "X000002", over)  # 412 / 411 → 100.2 %: over
    _case(team, "X000003", under)  # 206 / 411 → 50.1 %: within
    _case(team, "X000004", reduced)  # 50.1 % until all 7 hours are reduced from 1 November: then not measured
    Reduction.objects.create(staff=reduced, reason="DISABILITY", hours=Decimal(7), start=date(2026, 11, 1))
    _case(other, "X000005", _staff(other, "STF0004", "Elsewhere"))  # in the PDU, not the team
    spo = _staff(team, "STF0100", "Senior", grade="SPO", hours=37)  # not a case-holding grade
    client = Client()
    client.force_login(User.objects.create(username="spo", staff=spo, role="SPO"))
    return client


def test_capacity_figure_trend_and_exports_by_hand(unit):
    with time_machine.travel(NOW, tick=False):
        data = unit.get("/assurance", PERIOD | {"format": "json"}).json()
        page = unit.get("/assurance", PERIOD).content.decode()
        rows = list(csv.reader(io.StringIO(unit.get("/assurance", PERIOD | {"format": "csv"}).content.decode())))
    cap = data["capacity"]
    assert (cap["numerator"], cap["denominator"]) == (1, 2)  # at now (23 Nov): Over 100.2 %, Under 50.1 %
    assert (cap["points"], cap["available_points"]) == (618, 822)
    assert cap["unit_capacity_percent"] == 75.2  # 618 / 822
    assert cap["at"] == "2026-11-23T10:00:00+00:00"  # the period ends after now: measured now
    october, november = cap["trend"]
    assert (october["numerator"], october["denominator"], october["points"], october["available_points"]) == (
        2,
        3,
        824,
        1233,  # the reduction starts on 1 November: on 31 October all three are measured
    )
    assert (november["numerator"], november["denominator"]) == (1, 2)
    assert ["CAPACITY", cap["label"], "2026-10-01", "2026-11-30", "1", "2", "0.5", "75.2", ""] in rows
    spo = actor_for_user(User.objects.get(username="spo"))
    ahead = capacity_measure(
        spo, Scope.TEAM, "GMR-MN-1", date(2026, 10, 1), date(2026, 12, 31), as_of=datetime(2026, 11, 23, 10, tzinfo=UTC)
    )
    assert ahead.trend[2] is NoFigure.NOT_STARTED  # December has not started
    assert (
        ahead.trend[1]
        == capacity_measure(
            spo,
            Scope.TEAM,
            "GMR-MN-1",
            date(2026, 11, 1),
            date(2026, 11, 30),
            as_of=datetime(2026, 11, 23, 10, tzinfo=UTC),
        ).figure
    )
    assert ["CAPACITY", cap["label"], "2026-10-01", "2026-10-31", "2", "3", str(2 / 3), "66.8", ""] in rows
    assert rows[0][-2:] == ["unit_capacity_percent", "no_figure"]
    assert "75.2%" in page
    assert "Capacity %: Keepsafe holds no" not in page
    assert 'data-testid="chart-CAPACITY"' in page


def test_the_practitioner_list_names_practitioners_and_no_case_and_is_audited(unit):
    with time_machine.travel(NOW, tick=False):
        page = unit.get("/assurance", PERIOD | {"measure": "CAPACITY"}).content.decode()
        listed = unit.get("/assurance", PERIOD | {"measure": "CAPACITY", "format": "csv"}).content.decode()
    lines = list(csv.reader(io.StringIO(listed)))
    assert lines[0] == [
        "staff",
        "name",
        "grade",
        "capacity_percent",
        "points",
        "available_points",
        "cases",
        "high_risk_cases",
    ]
    assert lines[1:] == [
        ["STF0001", "Pat Over", "Probation services officer", "100.2", "412", "411", "2", "1"],
        ["STF0002", "Pat Under", "Probation services officer", "50.1", "206", "411", "1", "0"],
    ]
    assert "Pat Over" in page
    assert "Over capacity" in page
    assert "Pat Elsewhere" not in page
    for crn in ("X000001", "X000002", "X000003", "X000004", "X000005"):
        assert crn not in page
        assert crn not in listed
    event = AuditEvent.objects.filter(action="ASSURANCE_CAPACITY_VIEW").latest("id")
    assert event.details["practitioners"] == 2
    assert event.details["code"] == "GMR-MN-1"


def test_a_pdu_counts_all_its_teams(unit):
    User.objects.create(
        username="head",
        staff=_staff(Team.objects.get(code="GMR-MN-1"), "STF0800", "Head", "HEAD_OF_PDU", 37),
        role="HEAD_OF_PDU",
    )
    head = Client()
    head.force_login(User.objects.get(username="head"))
    with time_machine.travel(NOW, tick=False):
        cap = head.get("/assurance", PERIOD | {"scope": "PDU", "code": "GMR-MN", "format": "json"}).json()["capacity"]
    assert (cap["numerator"], cap["denominator"], cap["points"], cap["available_points"]) == (2, 3, 824, 1233)


def test_the_dashboard_reads_capacity_in_queries_independent_of_the_number_of_practitioners(unit):
    def count() -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
            assert unit.get("/assurance", PERIOD | {"format": "json"}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    team = Team.objects.get(code="GMR-MN-1")
    for n in range(5):
        _case(team, f"X00010{n}", _staff(team, f"STF020{n}", f"Extra{n}"), level="VERY_HIGH")
    assert count() == before


# issue 17 §1 (helper "period17"): the period's length costs no query — facts are read once for the whole period and
# bucketed by month in code (capacity: workload_at reads every month end at once).
def _months(n: int) -> dict[str, str]:
    start_month = 11 - (n - 1)  # the n months to November 2026
    year, month = 2026 + (start_month - 1) // 12, (start_month - 1) % 12 + 1
    return {"from-day": "1", "from-month": str(month), "from-year": str(year)} | {
        "to-day": "30",
        "to-month": "11",
        "to-year": "2026",
    }


@pytest.mark.parametrize("fmt", ["json", "csv", ""])
def test_the_dashboard_costs_the_same_queries_for_3_and_36_months(unit, fmt):
    def count(n: int) -> int:
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
            response = unit.get("/assurance", _months(n) | ({"format": fmt} if fmt else {}))
        assert response.status_code == 200
        if fmt == "json":
            assert len(response.json()["capacity"]["trend"]) == n
            assert all(len(m["trend"]) == n for m in response.json()["measures"])
        return len(ctx.captured_queries)

    assert _months(3)["from-month"] == "9"
    assert (_months(36)["from-month"], _months(36)["from-year"]) == ("12", "2023")
    assert count(3) == count(36)


def test_a_month_before_the_caseload_records_begin_has_no_figure(unit):
    """A period from 1900 showed every practitioner within capacity: before Keepsafe's first record of their cases,
    their caseloads are unknown, not empty. The records begin on 5 January 2026 (the fixture's cases)."""
    spo = actor_for_user(User.objects.get(username="spo"))
    as_of = datetime(2026, 11, 23, 10, tzinfo=UTC)
    row = capacity_measure(spo, Scope.TEAM, "GMR-MN-1", date(2025, 11, 1), date(2026, 1, 31), as_of=as_of)
    assert row.records_begin == datetime(2026, 1, 5, 9, tzinfo=UTC)
    november, december, january = row.trend
    assert november is december is NoFigure.BEFORE_RECORDS
    assert isinstance(january, CapacityFigure)
    assert (january.within, january.measured) == (2, 3)
    wholly_before = capacity_measure(spo, Scope.TEAM, "GMR-MN-1", date(1900, 1, 1), date(1900, 3, 31), as_of=as_of)
    assert wholly_before.figure is NoFigure.BEFORE_RECORDS
    assert wholly_before.loads == []
    assert set(wholly_before.trend) == {NoFigure.BEFORE_RECORDS}
    before = PERIOD | {"from-month": "1", "from-year": "1900", "to-month": "3", "to-year": "1900", "to-day": "31"}
    with time_machine.travel(NOW, tick=False):
        cap = unit.get("/assurance", before | {"format": "json"}).json()["capacity"]
        page = unit.get("/assurance", before).content.decode()
        listed = unit.get("/assurance", before | {"measure": "CAPACITY"}).content.decode()
        listed_json = unit.get("/assurance", before | {"measure": "CAPACITY", "format": "json"}).json()
        rows = list(csv.reader(io.StringIO(unit.get("/assurance", before | {"format": "csv"}).content.decode())))
    assert (cap["numerator"], cap["denominator"], cap["no_figure"]) == (None, None, str(NoFigure.BEFORE_RECORDS))
    assert cap["records_begin"] == "2026-01-05T09:00:00+00:00"
    assert [m["no_figure"] for m in cap["trend"]] == [str(NoFigure.BEFORE_RECORDS)] * 3
    assert 'data-testid="capacity-no-figure"' in page
    assert "first record of these practitioners" in page
    assert "5 January 2026" in page
    assert listed_json["rows"] == []
    assert listed_json["no_figure"] == str(NoFigure.BEFORE_RECORDS)
    assert "No records: before Keepsafe" in listed
    assert "No practitioner could be measured." in listed
    assert [r[4:6] for r in rows if r[0] == "CAPACITY"] == [["", ""]] * 4  # the period and its three months
    assert {r[-1] for r in rows if r[0] == "CAPACITY"} == {str(NoFigure.BEFORE_RECORDS)}  # why they are empty
    assert cap["points"] is None
    assert cap["available_points"] is None


def test_with_no_case_at_all_no_month_has_a_capacity_figure():
    region = Region.objects.create(code="GMR", name="Greater Manchester")
    team = Team.objects.create(code="T1", name="Team 1", pdu=Pdu.objects.create(code="P1", name="P", region=region))
    _staff(team, "STF0001", "Alone")
    spo = _staff(team, "STF0100", "Senior", grade="SPO", hours=37)
    actor = actor_for_user(User.objects.create(username="spo", staff=spo, role="SPO"))
    row = capacity_measure(actor, Scope.TEAM, "T1", date(2026, 10, 1), date(2026, 11, 30))
    assert row.records_begin is None
    assert row.figure is NoFigure.BEFORE_RECORDS
    assert set(row.trend) == {NoFigure.BEFORE_RECORDS}
