"""Issue 14 §8: `keepsafe user add|disable|list` and the administrators' accounts page create sign-in accounts for
imported staff with a role that fits their grade; every problem is reported by field and nothing is written."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from keepsafe.audit.models import AuditEvent
from keepsafe.config.settings import base
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.testing.fixtures import SYSTEM, make_bundle
from keepsafe.workforce.models import Staff, User
from keepsafe.workforce.rules.grades import Grade, default_role, role_problem
from keepsafe.workforce.selectors import actor_for_user
from keepsafe.workforce.services import user_add, user_disable

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unguessable-passphrase-9"


@pytest.fixture
def site(imported):
    imported(make_bundle())
    User.objects.create(username="root", role="ADMINISTRATOR")


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("user", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_cli_add_list_disable(site):
    out = run("add", "ada.jones", "--staff", "STF0001", "--role", "PRACTITIONER")
    assert "account ada.jones created for staff STF0001 as Practitioner" in out
    generated = out.rsplit(": ", 1)[1].strip()
    assert User.objects.get(username="ada.jones").check_password(generated)
    assert "ada.jones\tAda Jones\tSTF0001\tPractitioner\tactive" in run("list")
    run("add", "sara", "--staff", "STF0100", "--role", "SPO", "--password-stdin", stdin=PASSWORD + "\n")
    assert User.objects.get(username="sara").check_password(PASSWORD)
    run("disable", "ada.jones", "--reason", "Left the service")
    assert "ada.jones\tAda Jones\tSTF0001\tPractitioner\tdisabled" in run("list")
    assert not User.objects.get(username="ada.jones").is_active
    audited = AuditEvent.objects.filter(action__in=["USER_ADD", "USER_DISABLE"]).values_list("details", flat=True)
    assert len(audited) == 3
    assert all(PASSWORD not in str(d) and generated not in str(d) for d in audited)  # never a password


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "x", "--staff", "STF0001", "--role", "PRACTITIONER"), "username: Enter a username of 3 to 150"),
        (("add", "newbie", "--staff", "NOPE", "--role", "PRACTITIONER"), "No member of staff has the code 'NOPE'"),
        (("add", "newbie", "--staff", "STF0001", "--role", "SPO"), "sign in as Practitioner (or Auditor), not"),
        (("add", "newbie", "--staff", "STF0001", "--role", "PARTNER"), "role is not a person's"),
        (("add", "newbie", "--staff", "STF0001", "--role", "KING"), "role: Choose a role"),
        (("disable", "nobody", "--reason", "x"), "There is no account 'nobody'"),
        (("disable", "root", "--reason", " "), "Give the reason"),
    ],
)
def test_cli_bad_input_says_which_field_and_why_and_writes_nothing(site, args, message):
    before = list(User.objects.values_list("username", "is_active"))
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert list(User.objects.values_list("username", "is_active")) == before


@override_settings(AUTH_PASSWORD_VALIDATORS=base.AUTH_PASSWORD_VALIDATORS)  # the test settings turn them off
def test_a_staff_member_has_one_account_and_a_username_is_taken_once(site):
    user_add(actor=SYSTEM, username="ada", staff_code="STF0001", role="PRACTITIONER")
    with pytest.raises(ValidationError) as caught:
        user_add(actor=SYSTEM, username="ADA", staff_code="STF0001", role="PRACTITIONER", password="short")
    fields = {f for f, _ in caught.value.problems}
    assert fields == {"username", "staff", "password"}


def test_only_administrators_manage_accounts(site):
    user_add(actor=SYSTEM, username="ada", staff_code="STF0001", role="PRACTITIONER")
    ada = actor_for_user(User.objects.get(username="ada"))
    with pytest.raises(PermissionDeniedError):
        user_add(actor=ada, username="ben", staff_code="STF0002", role="PRACTITIONER")
    with pytest.raises(PermissionDeniedError):
        user_disable(actor=ada, username="root", reason="x")
    root = actor_for_user(User.objects.get(username="root"))
    with pytest.raises(ValidationError, match="your own account"):
        user_disable(actor=root, username="root", reason="testing")


@pytest.mark.parametrize("grade", list(Grade))
@pytest.mark.parametrize("role", list(Role))
def test_a_grade_holds_its_usual_role_or_auditor_and_never_system_or_partner(grade, role):
    fits = role_problem(grade, role) is None
    assert fits == (role in (default_role(grade), Role.AUDITOR) and role not in (Role.SYSTEM, Role.PARTNER))


def test_the_admin_page_creates_and_disables_accounts(site):
    admin = Client()
    admin.force_login(User.objects.get(username="root"))
    page = admin.get("/admin/accounts").content.decode()
    assert "Ada Jones (STF0001)" in page
    bad = admin.post("/admin/accounts", {"do": "add", "username": "a d", "staff": "STF0001", "role": "SPO"})
    body = bad.content.decode()
    assert "<title>Error: Accounts" in body
    assert 'href="#username"' in body
    assert 'href="#role"' in body
    assert 'value="a d"' in body  # what was typed is kept
    assert not User.objects.filter(staff__code="STF0001").exists()
    made = admin.post("/admin/accounts", {"do": "add", "username": "ada", "staff": "STF0001", "role": "PRACTITIONER"})
    assert "no-store" in made.headers["Cache-Control"]  # the password shown once is not cached
    assert 'data-testid="generated-password"' in made.content.decode()
    assert User.objects.get(username="ada").staff == Staff.objects.get(code="STF0001")
    done = admin.post("/admin/accounts", {"do": "disable", "disable": "ada", "reason": "Left"}, follow=True)
    assert "Account ada disabled" in done.content.decode()
    assert not User.objects.get(username="ada").is_active


def test_the_admin_page_is_for_administrators_only(site):
    user_add(actor=SYSTEM, username="ada", staff_code="STF0001", role="PRACTITIONER")
    ada = Client()
    ada.force_login(User.objects.get(username="ada"))
    assert ada.get("/admin/accounts").status_code == 403
    assert ada.post("/admin/accounts", {"do": "disable", "disable": "root", "reason": "x"}).status_code == 403
    assert User.objects.get(username="root").is_active
