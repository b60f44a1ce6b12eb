"""Caseload tables at scale (issue 20): a page costs a fixed number of queries whatever the scope's size, every
column is computed (open and overdue safety actions too), and PostgreSQL's JIT is off for Keepsafe's short queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keepsafe.actions.models import Action
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db


def _people(first: int, count: int) -> list[dict]:
    return [make_person(f"B{n:06d}", surname=f"Surname{n:06d}") for n in range(first, first + count)]


def _client(username: str, code: str, role: str) -> Client:
    user = User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/caseload", "PRACTITIONER"),
        ("/caseload?sort=-rosh", "PRACTITIONER"),
        ("/caseload?sort=next&setting=COMMUNITY", "PRACTITIONER"),
        ("/teams/GMR-MN-1?sort=last", "SPO"),
        ("/pdus/GMR-MN?rosh=NOT_ASSESSED&sort=sentence", "HEAD_OF_PDU"),
    ],
)
def test_a_caseload_page_costs_the_same_queries_at_any_scope_size(imported, path, role):
    imported(make_bundle(*_people(1, 5)))
    code = "STF0001" if role == "PRACTITIONER" else "STF0100"
    client = _client("viewer", code, role)
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    imported(make_bundle(*_people(100, 60)))
    with CaptureQueriesContext(connection) as large:
        response = client.get(path)
    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]


def _action(crn: str, key: str, due_in_days: int, status: str = "OPEN") -> None:
    now = clock.now()
    Action.objects.create(
        person=Person.objects.get(crn=crn),
        type="RISK_REVIEW",
        key=key,
        title="Review the risk assessment",
        owner=Staff.objects.get(code="STF0001"),
        owner_role="COM",
        opens_at=now - timedelta(days=10),
        due=now + timedelta(days=due_in_days),
        created_at=now - timedelta(days=10),
        status=status,
        closed_at=None if status == "OPEN" else now,
        cancel_reason="" if status == "OPEN" else "test",
    )


def test_the_open_safety_actions_column_counts_open_and_overdue_actions(imported):
    imported(make_bundle(*_people(1, 3)))
    Action.objects.all().delete()
    _action("B000001", "a", due_in_days=-2)
    _action("B000001", "b", due_in_days=5)
    _action("B000002", "c", due_in_days=5)
    _action("B000002", "d", due_in_days=-5, status="CANCELLED")
    body = _client("ada", "STF0001", "PRACTITIONER").get("/caseload").content.decode()
    assert "Not yet tracked" not in body

    def row(crn: str) -> str:
        found = re.search(rf'href="/case/{crn}".*?</tr>', body, re.S)
        assert found is not None
        return found.group(0)

    assert "2 open" in row("B000001")
    assert "1 overdue" in row("B000001")
    assert "1 open" in row("B000002")
    assert "overdue" not in row("B000002")
    assert ">None</td>" in row("B000003")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgres_jit_is_off_for_keepsafe_connections():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
