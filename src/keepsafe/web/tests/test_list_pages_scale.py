"""List pages under concurrent users (issue 20 §3): the caseload and action lists build their rows from values, not
a model instance per row; the RoSH column's rule, worked out in Python for a page, agrees with the SQL the filters
and sorts use; the action lists take their total from the per-type chart; the header's unread count reads only the
cases each notification names."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from itertools import product

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keepsafe.actions.inbox import unread_count
from keepsafe.actions.models import Action, Notification
from keepsafe.actions.services.notify import deliver
from keepsafe.cases.caseload import ROSH_BY_REGISTRATION, _with_rosh, rosh_level
from keepsafe.core import clock
from keepsafe.people.models import CaseAccess, Person, Registration, RegistrationType
from keepsafe.risk.models import CaseRisk
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db


def _client(username: str, code: str, role: str) -> Client:
    user = User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    client = Client()
    client.force_login(user)
    return client


def _people(count: int) -> list[dict]:
    return [make_person(f"B{n:06d}", surname=f"Surname{n:06d}") for n in range(1, count + 1)]


def _actions(owner: Staff | None) -> None:
    now = clock.now()
    for n, person in enumerate(Person.objects.order_by("crn")):
        Action.objects.create(
            person=person,
            type="RISK_REVIEW",
            key=f"list-{n}",
            title="Review the risk assessment",
            owner=owner,
            owner_role="COM",
            opens_at=now - timedelta(days=10),
            due=now + timedelta(days=n - 30),
            created_at=now - timedelta(days=10),
            status="OPEN",
        )


def _instances_built(client: Client, path: str) -> tuple[Counter[str], str]:
    built: Counter[str] = Counter()

    def count(sender: type, **_: object) -> None:
        built[sender.__name__] += 1

    post_init.connect(count)
    try:
        response = client.get(path)
    finally:
        post_init.disconnect(count)
    assert response.status_code == 200
    return built, response.content.decode()


@pytest.mark.parametrize(
    ("path", "username", "code", "role"),
    [
        ("/caseload", "ada", "STF0001", "PRACTITIONER"),
        ("/teams/GMR-MN-1?sort=-rosh", "sam", "STF0100", "SPO"),
        ("/pdus/GMR-MN?sort=last", "hana", "STF0100", "HEAD_OF_PDU"),
        ("/actions", "ada", "STF0001", "PRACTITIONER"),
        ("/actions/team", "sam", "STF0100", "SPO"),
        ("/actions/pdu", "hana", "STF0100", "HEAD_OF_PDU"),
    ],
)
def test_a_list_page_builds_its_rows_from_values_not_a_model_per_row(imported, path, username, code, role):
    """A page of 50 rows used to build 50 people (and for actions, 50 actions with their person, owner, team and
    event): five times as long as composing the rows shown. Now none, whatever the page's size."""
    imported(make_bundle(*_people(60)))
    _actions(Staff.objects.get(code="STF0001"))
    client = _client(username, code, role)
    built, body = _instances_built(client, path)
    assert built["Person"] == 0, built
    assert built["Action"] == 0, built
    assert body.count('class="govuk-table__row') >= 50  # the rows are there: a full page of them


def test_the_action_list_rows_show_what_the_models_showed(imported):
    """The values-built rows keep every column's words: the case, the owner (or Nobody), the escalation, the
    emergency recall's marker."""
    imported(make_bundle(*_people(3)))
    _actions(None)
    first, second, third = Action.objects.order_by("person__crn")
    Action.objects.filter(pk=first.pk).update(
        type="RECALL_EXECUTION", detail={"emergency": "yes"}, owner=Staff.objects.get(code="STF0001")
    )
    Action.objects.filter(pk=second.pk).update(escalation_level=2, detail={"emergency": "no"}, type="RECALL_EXECUTION")
    body = _client("hana", "STF0100", "HEAD_OF_PDU").get("/actions/pdu").content.decode()
    rows = re.findall(r'<tr class="govuk-table__row[^"]*" data-action-type.*?</tr>', body, re.S)
    assert len(rows) == 3
    assert 'data-emergency="true"' in rows[0]
    assert "B000001" in rows[0]
    assert f'href="/case/B000001/actions#action-{first.pk}"' in rows[0]
    owner = Staff.objects.get(code="STF0001")
    assert f"{owner.forename} {owner.surname}" in rows[0]
    assert "data-emergency" not in rows[1]
    assert "Level 2" in rows[1]
    assert "Nobody" in rows[1]
    assert "B000003" in rows[2]
    assert ">No</td>" in rows[2]
    assert third.title in rows[2]


def test_the_action_list_total_comes_from_the_chart_without_a_count_query(imported):
    imported(make_bundle(*_people(55)))
    _actions(Staff.objects.get(code="STF0001"))
    client = _client("hana", "STF0100", "HEAD_OF_PDU")
    client.get("/actions/pdu")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/actions/pdu?page=2").content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert "55 open actions" in body
    assert "Page 2 of 2" in body
    assert body.count("data-action-type=") == 5


def test_the_rosh_column_agrees_with_the_sql_rule_for_every_level_and_registration(imported):
    """`rosh_level` (a page's rows, in Python) and `_with_rosh` (the filters and the RoSH sort, in SQL) give the
    same level for every assessed level (none, blank, each level) and every RoSH registration (none, each code)."""
    assessed: list[str | None] = [None, "", "LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
    codes: list[str | None] = [None, *ROSH_BY_REGISTRATION]
    combinations = list(product(assessed, codes))
    imported(make_bundle(*_people(len(combinations))))
    types = {t.code: t for t in RegistrationType.objects.filter(code__in=ROSH_BY_REGISTRATION)}
    assert set(types) == set(ROSH_BY_REGISTRATION)
    today = clock.today()
    for person, (level, code) in zip(Person.objects.order_by("crn"), combinations, strict=True):
        Registration.objects.filter(person=person, type__group="rosh").delete()
        CaseRisk.objects.update_or_create(person=person, defaults={"level": level})
        if code is not None:
            Registration.objects.create(person=person, external_id="ROSH", type=types[code], start=date(2020, 1, 1))
    sql = dict(_with_rosh(Person.objects.all(), today).values_list("crn", "rosh"))
    for person, (level, code) in zip(Person.objects.order_by("crn"), combinations, strict=True):
        assert rosh_level(level, code) == sql[person.crn], (level, code)


def test_the_unread_count_reads_no_notification_body_unless_a_case_is_hidden(imported):
    imported(make_bundle(*_people(2)))
    ada = Staff.objects.get(code="STF0001")
    first, second = Person.objects.order_by("crn")
    for person in (first, second):
        Notification.objects.create(
            recipient=ada, kind="REMINDER", subject="s", body="b", cases=[person.pk], created_at=clock.now()
        )
    lines = [
        {"person": first.pk, "overdue": True, "text": "- one"},
        {"person": second.pk, "overdue": False, "text": "- two"},
    ]
    Notification.objects.create(
        recipient=ada,
        kind="DIGEST",
        subject="Team actions",
        body="both",
        created_at=clock.now(),
        cases=[first.pk, second.pk],
        parts={"day": "1 December 2026", "lines": lines},
    )
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(ada.pk) == 3
    assert not [q["sql"] for q in queries.captured_queries if '"body"' in q["sql"]]
    CaseAccess.objects.create(person=second, staff=ada, kind=CaseAccess.Kind.EXCLUSION)
    assert unread_count(ada.pk) == 2  # the reminder about the hidden case goes; the digest keeps its other line
    CaseAccess.objects.create(person=first, staff=ada, kind=CaseAccess.Kind.EXCLUSION)
    assert unread_count(ada.pk) == 0
    deliver()  # the outbox withholds what names a hidden case, as it would have


@pytest.mark.parametrize(
    ("path", "counted"),
    [
        ("/teams/GMR-MN-1", False),
        ("/pdus/GMR-MN?sort=-name&page=2", False),
        ("/pdus/GMR-MN?setting=COMMUNITY", True),
        ("/teams/GMR-MN-1?rosh=NOT_ASSESSED", True),
    ],
)
def test_an_unfiltered_team_or_pdu_caseload_takes_its_total_from_the_cases_per_practitioner(imported, path, counted):
    """The cases-per-practitioner table counts the same visible cases in the same scope; with no filter its sum is
    the total, so the page no longer counts the scope twice. A filter narrows the total, which is then counted."""
    imported(make_bundle(*_people(55)))
    client = _client("hana", "STF0100", "HEAD_OF_PDU")
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(path).content.decode()
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert bool(counts) is counted, counts
    shown = re.search(r'data-testid="caseload-total">(\d+) case', body)
    assert shown is not None
    visible = Person.objects.count() if not counted else int(shown.group(1))
    assert int(shown.group(1)) == visible
    per_practitioner = sum(int(n) for n in re.findall(r'govuk-table__cell--numeric">(\d+)</td>', body))
    assert per_practitioner == Person.objects.count()


@pytest.mark.parametrize("number", ["²", "１", "٣"])
def test_notifications_page_and_mark_in_digits_other_than_0_to_9_are_not_a_server_error(imported, number):
    imported(make_bundle(*_people(1)))
    ada = _client("ada", "STF0001", "PRACTITIONER")
    page = ada.get(f"/notifications?page={number}")  # not a page number in the digits 0 to 9: refused, naming it
    assert page.status_code == 400
    assert f"page={number} is not a page number" in page.content.decode()
    response = ada.post("/notifications", {"mark": number})
    assert response.status_code == 200
    assert "Choose a notification to mark as read" in response.content.decode()
