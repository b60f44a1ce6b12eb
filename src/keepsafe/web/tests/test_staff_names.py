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


@pytest.mark.django_db
def test_the_staff_filter_looks_each_person_up_once_a_page_and_never_carries_names_between_pages(rf):
    """A table of rows by the same person read the staff and user tables again for every row (issue 20 §6)."""
    from django.db import connection
    from django.template import engines
    from django.test.utils import CaptureQueriesContext

    ada = Staff.objects.create(code="STF0001", forename="Ada", surname="Lovelace", grade="PO")
    User.objects.create(username="ada", staff=ada, role="PRACTITIONER")
    template = engines["jinja2"].from_string("{% for code in codes %}{{ code | staff }};{% endfor %}")
    request = rf.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = template.render({"codes": ["STF0001"] * 6 + ["ada"] * 6 + ["system"] * 3}, request)
    assert page == "Ada Lovelace (STF0001);" * 12 + "system;" * 3
    assert len(queries.captured_queries) == 1 + 2 + 2  # a code; a username (staff, then user); "system" (both)
    ada.forename = "Augusta"
    ada.save()
    assert template.render({"codes": ["STF0001"]}, request) == "Augusta Lovelace (STF0001);"  # a new page, looked up
