"""`keepsafe workload --json [--pdu CODE] [--as-of INSTANT]`: the documented shape, the filters, one-line errors."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from keepsafe.audit.models import AuditEvent
from keepsafe.oversight.tests.test_workload_selectors import _case, _staff
from keepsafe.workforce.models import Pdu, Reduction, Region, Team

pytestmark = pytest.mark.django_db
KEYS = ["staff", "grade", "points", "available_points", "capacity_percent", "cases", "high_risk_cases", "reductions"]


@pytest.fixture
def org():
    region = Region.objects.create(code="GMR", name="Greater Manchester")
    north = Team.objects.create(
        code="N1", name="North 1", pdu=Pdu.objects.create(code="GMR-MN", name="North", region=region)
    )
    south = Team.objects.create(
        code="S1", name="South 1", pdu=Pdu.objects.create(code="GMR-MS", name="South", region=region)
    )
    ada = _staff(north, "STF0001")
    Reduction.objects.create(staff=ada, reason="DISABILITY", hours=Decimal("1.8"), start=date(2020, 1, 1))
    _case(north, "X000001", ada, "A3")
    _staff(north, "STF0100", grade="SPO")  # not a case-holding grade: not listed
    _staff(south, "STF0002", grade="PSO")
    return north, south


def run(*args):
    out = StringIO()
    call_command("workload", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_shape_and_pdu_filter(org):
    rows = run()
    assert [r["staff"] for r in rows] == ["STF0001", "STF0002"]
    assert all(list(r) == KEYS for r in rows)
    ada = rows[0]
    assert ada == {
        "staff": "STF0001",
        "grade": "PO",
        "points": 206,
        "available_points": 2070,
        "capacity_percent": 10.0,
        "cases": 1,
        "high_risk_cases": 0,
        "reductions": [{"reason": "DISABILITY", "hours": 1.8, "start": "2020-01-01", "end": None}],
    }
    assert [r["staff"] for r in run("--pdu", "GMR-MS")] == ["STF0002"]
    assert AuditEvent.objects.filter(action="WORKLOAD_READ").count() == 2


def test_as_of_before_the_reduction(org):
    [ada, _] = run("--as-of", "2019-06-01T00:00:00Z")
    assert ada["available_points"] == 2176
    assert ada["reductions"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pdu", "NOPE"), "--pdu: no probation delivery unit with code 'NOPE'"),
        (("--as-of", "yesterday"), "--as-of: 'yesterday' is not an ISO 8601 instant"),
        (("--as-of", "2026-01-01T00:00:00"), "--as-of: '2026-01-01T00:00:00' needs an offset or Z"),
    ],
)
def test_bad_pdu_or_instant_is_one_line_exit_2(org, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("workload", "--json", *args, stdout=StringIO())
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_who_may_read_workload(org):
    """The try-out found any SPO reading another PDU's sickness reductions, and practitioners reading everyone's:
    SPOs read their own PDU's workload, practitioners none (exit 3, one line, nothing printed)."""
    out = StringIO()
    call_command("workload", "--json", "--pdu", "GMR-MN", "--as-user", "STF0100", stdout=out)
    assert [r["staff"] for r in json.loads(out.getvalue())] == ["STF0001"]
    for args in (("--pdu", "GMR-MS", "--as-user", "STF0100"), ("--as-user", "STF0100"), ("--as-user", "STF0001")):
        printed = StringIO()
        with pytest.raises(CommandError) as caught:
            call_command("workload", "--json", *args, stdout=printed)
        assert caught.value.returncode == 3
        assert "\n" not in str(caught.value)
        assert printed.getvalue() == ""


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00"])
def test_an_instant_outside_the_years_keepsafe_holds_is_one_line_exit_2(org, instant):
    with pytest.raises(CommandError) as caught:
        call_command("workload", "--json", "--as-of", instant, stdout=StringIO())
    assert caught.value.returncode == 2
    assert "outside 1900" in str(caught.value)


def test_a_future_as_of_is_refused_one_line_exit_2(org):
    """Tester (fix6 3): `--as-of 2030-01-01T00:00:00Z` printed a projection as if known; refused, nothing printed."""
    printed = StringIO()
    with time_machine.travel("2026-12-02T09:00:00Z", tick=False):
        for instant in ("2030-01-01T00:00:00Z", "2026-12-02T09:00:01Z"):
            with pytest.raises(CommandError) as caught:
                call_command("workload", "--json", "--as-of", instant, stdout=printed)
            assert caught.value.returncode == 2
            assert str(caught.value) == "--as-of is in the future; workload is known only up to now"
        assert printed.getvalue() == ""
        call_command("workload", "--json", "--as-of", "2026-12-02T09:00:00Z", stdout=printed)  # now itself is known
    assert json.loads(printed.getvalue())
