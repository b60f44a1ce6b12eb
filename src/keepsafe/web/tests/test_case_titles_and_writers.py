"""Issue 14 §7 (a unique page title per tab) and the write buttons on case tabs, offered only to those who may
write on the case (people/rules/case_work.py): both derived from the URL conf, so a tab added later is covered."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from keepsafe.actions.models import Action
from keepsafe.actions.services.manage import refresh
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.web import urls
from keepsafe.web.views.case import TABS
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
CRN = "X123456"
# A route segment that opens a form which writes (book, record, add, review, end, reschedule, start).
WRITE_SEGMENTS = {"new", "reschedule", "outcome", "review", "end", "start", "consider", "decide"}


def _crn_pages() -> dict[str, str]:
    """Every page of a case that takes only the CRN, by URL name."""
    return {
        p.name: "/" + str(p.pattern).replace("<str:crn>", CRN)
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and set(p.pattern.converters) == {"crn"} and p.name
    }


def _write_links() -> list[re.Pattern[str]]:
    found = []
    for p in urls.urlpatterns:
        route = str(p.pattern) if isinstance(p, URLPattern) else ""
        # A document's page shows it as it stands now (a read; its generate button is a post form, checked apart).
        if "<str:crn>" in route and WRITE_SEGMENTS & set(route.split("/")) and p.name != "document-new":
            found.append(re.compile('href="/' + re.sub(r"<[^>]+>", r'[^/"?]+', route) + '[?"]'))
    return found


@pytest.fixture
def site(imported):
    person = make_person(CRN)
    person["contacts"] = [
        {"id": "C1", "type": "OFFICE_VISIT", "at": "2026-11-02T10:00:00Z", "outcome": "FAILED_TO_ATTEND"}
        | {"staff": "STF0001"}
    ]
    imported(org_with_managers() | {"people": [person]})
    refresh(Person.objects.get(crn=CRN).pk)  # the safety actions the failed attendance raises (forms on Actions)
    assert Action.objects.filter(person__crn=CRN, status=Action.Status.OPEN).exists()
    return {
        role: User.objects.create(username=role.lower(), staff=Staff.objects.get(code=code), role=role)
        for role, code in (("PRACTITIONER", "STF0001"), ("AUDITOR", "STF0100"))
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert match, "no <title>"
    return " ".join(match.group(1).split())


def test_every_case_tab_has_its_own_title_naming_the_tab_and_the_person(site):
    pages = _crn_pages()
    assert {name for name, _ in TABS} <= set(pages), "a tab with no route"
    client = _client(site["PRACTITIONER"])
    titles = {}
    for name, label in TABS:
        response = client.get(pages[name])
        assert response.status_code == 200, name
        titles[name] = _title(response.content.decode())
        assert titles[name].startswith(f"{label} – "), titles[name]
        assert CRN in titles[name], titles[name]
        assert titles[name].endswith("– Keepsafe"), titles[name]
    assert len(set(titles.values())) == len(TABS), titles
    # Every other page of the case (forms, recall) has a title none of the tabs has.
    for name, path in pages.items():
        response = client.get(path)
        if name not in dict(TABS) and response.status_code == 200:
            assert _title(response.content.decode()) not in titles.values(), name


def test_a_read_only_role_sees_no_write_button_on_any_case_page_and_the_case_holder_does(site):
    links = _write_links()
    assert links
    sign_out = reverse("web:sign-out")
    offered = {}
    for role, user in site.items():
        client = _client(user)
        seen = []
        for name, path in _crn_pages().items():
            response = client.get(path)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            seen += [
                (name, form.group(0))
                for form in re.finditer(r'<form[^>]*method="post"[^>]*>', html, re.I)
                if f'action="{sign_out}"' not in form.group(0)  # the header's sign-out, on every page
            ]
            seen += [(name, link.pattern) for link in links if link.search(html)]
        offered[role] = seen
    assert offered["AUDITOR"] == []
    assert {"case-appointments", "case-flags", "case-actions"} <= {name for name, _ in offered["PRACTITIONER"]}
