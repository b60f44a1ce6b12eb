"""People are named by name on every page (issue 14 §7; issue 16 try-out: some pages showed "by STF0001")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keepsafe.workforce.models import Staff, User
from keepsafe.workforce.selectors import staff_name

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# a stored "who" shown in a template: a field named *_by, or an assessor's code
WHO = re.compile(r"\{\{\s*([\w.]+(?:_by|assessor_code))\s*(\|[^}]*)?\}\}")


def test_every_stored_who_on_a_page_goes_through_the_staff_filter():
    found = [
        f"{path.relative_to(TEMPLATES)}: {m.group(1)}"
        for path in TEMPLATES.rglob("*.html")
        for m in WHO.finditer(path.read_text())
        if "staff" not in (m.group(2) or "")
    ]
    assert not found, found


@pytest.mark.django_db
def test_a_staff_code_or_username_is_shown_as_the_name_with_the_code():
    ada = Staff.objects.create(code="STF0001", forename="Ada", surname="Lovelace", grade="PO")
    User.objects.create(username="ada", staff=ada, role="PRACTITIONER")
    User.objects.create(username="admin", first_name="Sam", last_name="Admin", role="ADMINISTRATOR")
    assert staff_name("STF0001") == "Ada Lovelace (STF0001)"
    assert staff_name("ada") == "Ada Lovelace (STF0001)"
    assert staff_name("admin") == "Sam Admin"
    assert staff_name("system") == "system"
    assert staff_name("") == ""
