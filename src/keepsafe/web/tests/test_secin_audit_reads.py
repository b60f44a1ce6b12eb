"""Issue 11 §9 and low items: reads that list cases are audited with the CRNs; searches record what was searched."""

from __future__ import annotations

import logging

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import override_settings

from keepsafe.audit.models import AuditEvent
from keepsafe.audit.selectors import audit_search
from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.core.logging import RedactCrnFilter
from keepsafe.people.selectors import person_search
from keepsafe.testing.fixtures import SYSTEM, make_bundle
from keepsafe.web.tests.test_action_pages import NOW, as_user, site  # noqa: F401 — the fixture
from keepsafe.workforce.models import User

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("user", "path", "scope"),
    [("ada", "/actions", "mine"), ("sara", "/actions/team", "team"), ("hana", "/actions/pdu", "pdu")],
)
def test_every_action_list_records_the_crns_it_showed(site, user, path, scope):  # noqa: F811
    assert as_user(site[user]).get(path).status_code == 200
    event = AuditEvent.objects.filter(action="ACTIONS_LIST").latest("id")
    assert (event.actor, event.details["scope"], event.details["crns"]) == (user, scope, ["X123456"])


def test_a_search_records_what_was_searched_for(imported, staff_actor):
    imported(make_bundle())
    person_search(viewer=staff_actor("STF0001"), query="  Smith ")
    event = AuditEvent.objects.get(action="CASE_SEARCH")
    assert event.details["query"] == "Smith"


def test_auditor_searches_and_refused_attempts_are_audited(imported, staff_actor):
    imported(make_bundle())
    auditor = Actor(username="audrey", role=Role.AUDITOR)
    list(audit_search(viewer=auditor, crn="X123456"))
    searched = AuditEvent.objects.get(action="AUDIT_SEARCH", actor="audrey")
    assert (searched.outcome, searched.details["filters"]["crn"]) == ("OK", "X123456")
    with pytest.raises(PermissionDeniedError):
        audit_search(viewer=staff_actor("STF0001"), actor="STF0002")
    refused = AuditEvent.objects.get(action="AUDIT_SEARCH", actor="stf0001")
    assert (refused.outcome, refused.details["filters"]["actor"]) == ("DENIED", "STF0002")


def test_a_refused_keepsafe_audit_is_audited_on_the_cli_channel(imported):
    imported(make_bundle())
    with pytest.raises(CommandError):
        call_command("audit_search", "--crn", "X123456", "--as-user", "STF0001")
    refused = AuditEvent.objects.get(action="AUDIT_SEARCH")
    assert (refused.outcome, refused.channel, refused.actor_staff_code) == ("DENIED", "CLI", "STF0001")


def test_the_web_audit_search_is_audited(imported, client):
    imported(make_bundle())
    client.force_login(User.objects.create(username="audrey", role="AUDITOR"))
    assert client.get("/audit", {"crn": "X123456", "actor": "audrey"}).status_code == 200
    # a name no one has is the form's error (try-out 10), and that search is on the trail too
    assert client.get("/audit", {"crn": "X123456", "actor": "nobody-here"}).status_code == 400
    events = AuditEvent.objects.filter(action="AUDIT_SEARCH").order_by("id")
    assert [(e.channel, e.details["filters"]["actor"]) for e in events] == [("WEB", "audrey"), ("WEB", "nobody-here")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only triggers are PostgreSQL's")
def test_truncate_cannot_empty_the_audit_trail():
    audit_record(actor=SYSTEM, action="TEST", crn="X123456")
    with transaction.atomic(), connection.cursor() as cursor:
        # The test suite's connections may truncate (to reset between tests); a real connection may not.
        cursor.execute("SET LOCAL keepsafe.audit_truncate = ''")
        with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic():
            cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(action="TEST").count() == 1


def test_lowercase_crns_are_masked_in_log_lines():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/case/x123456",), None
    )
    RedactCrnFilter().filter(record)
    assert record.getMessage() == "Not Found: /case/[CRN]"


def test_demo_refuses_to_run_under_production_settings():
    with (
        override_settings(KEEPSAFE_PRODUCTION=True),
        pytest.raises(CommandError, match="refuses to run under production"),
    ):
        call_command("demo", "--people", "1")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("aaaaaaaaaaaaaaaa", "different characters"),
        ("abababababababababab", "different characters"),
        ("my-name-is-adalovelace-ok", "username"),
    ],
)
def test_predictable_long_passwords_are_refused(password, problem):
    from django.conf import settings
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(username="adalovelace")
    with override_settings(AUTH_PASSWORD_VALIDATORS=settings.AUTH_PASSWORD_VALIDATORS or _production_validators()):
        with pytest.raises(ValidationError, match=problem):
            validate_password(password, user)
        validate_password("correct horse battery staple", user)


def _production_validators():
    from keepsafe.config.settings import base

    return base.AUTH_PASSWORD_VALIDATORS


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("check_id", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_check_on_a_visible_case_has_its_own_error(site, check_id):  # noqa: F811
    response = as_user(site["ada"]).post(f"/case/X123456/checks/{check_id}/acted-on", {"notes": "done"})
    assert response.status_code == 400
    assert f"There is no check {check_id!r} on this case".replace("'", "&#39;") in response.content.decode()
