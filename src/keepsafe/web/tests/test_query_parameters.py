"""A page's address asks for something by its query parameters (`?sort=-rosh&page=2`). A value the page cannot answer
(`?sort=banana`, `?page=-3`, `?rosh=purple`, a parameter given twice) is refused: a 400 on the GOV.UK error page that
names the parameter, repeats the value given (escaped) and says which values there are — never a default taken
without a word (web/views/common.py: `query_value`, `query_choice`, `query_day`, `page_number`).

Derived, not listed: every route of the URL conf (testing/routes.py) is opened by the first role it answers, and the
query parameters its view reads are recorded as it reads them (`_Recording`). Every parameter read is then sent a
nonsense value and given twice. A page added tomorrow that reads a parameter is covered tomorrow: it must refuse
nonsense or be listed below with the reason it may not.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from django.core.handlers import wsgi
from django.http import QueryDict
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.actions.services.manage import refresh
from keepsafe.core.actor import Role
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.testing.routes import WebRoute, web_routes
from keepsafe.web.tests.test_secin_matrix import fillers
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
CRN = "A000001"
NONSENSE = "<b>banana</b>"
WEB_ROUTES = web_routes()

# Who opens each page: the first of these that the page answers with 200.
USERS = (
    ("ada", "STF0001", Role.PRACTITIONER),
    ("sara", "STF0100", Role.SPO),
    ("hana", "STF0800", Role.HEAD_OF_PDU),
    ("alex", "STF0900", Role.REGIONAL_LEADER),
    ("pat", "STF0200", Role.POM),
    ("audrey", None, Role.AUDITOR),
    ("root", None, Role.ADMINISTRATOR),
)

# Parameters whose every value means something: any text is a search. Given twice they are still refused.
FREE_TEXT = {("search", "q"), ("audit", "actor")}

# Pages that read their address but are not lists, with why their parameters are not held to this test. A page added
# tomorrow that reads its address is not among them: it is held to it until it is listed here with a reason.
FORMS = {
    "flag-new": "a form: a link pre-fills its boxes (the check a flag answers); what is posted is checked as errors",
    "allocation-case": "a form: a link pre-fills its boxes; what is posted is checked as the form's errors",
    "check-new": "a form: `kind` chooses which check to request, and one that is not a check kind is a 404",
    "case-meetings": "a tab: `added=1` shows the banner after a meeting is recorded, and nothing else reads it",
}
# The assurance pages' own choices: the unit and period on their picker (a 400 on the page's form, by field) and the
# download's format, list and measure (a 400 or 404 as JSON), docs/assurance.md; every one of these pages checks all
# of them for repetition (`_exported`) though each page uses only some. Their list's `page` is held to this test.
ASSURANCE = {"assurance", "assurance-audits", "assurance-recall-sampling", "assurance-overrides", "assurance-equality"}
ASSURANCE_OWN = {"unit", "scope", "code", "format", "list", "measure", "audit", "from", "to"} | {
    f"{prefix}-{part}" for prefix in ("from", "to") for part in ("day", "month", "year")
}


def held(route_name: str, name: str) -> bool:
    """Whether the test holds this page's parameter to refusing nonsense by name."""
    return route_name not in FORMS and not (route_name in ASSURANCE and name in ASSURANCE_OWN)


class _Recording(QueryDict):
    """The request's GET: every name a view reads (get, getlist, [], in) is recorded in `READ`."""

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)


READ: set[str] = set()


@contextmanager
def recording() -> Iterator[set[str]]:
    """What the view reads from the address, from after the middleware (which reads every parameter for NUL)."""
    READ.clear()
    original = wsgi.QueryDict
    wsgi.QueryDict = _Recording  # the WSGI request builds its GET from this name (django/core/handlers/wsgi.py)
    try:
        yield READ
    finally:
        wsgi.QueryDict = original


@pytest.fixture
def site(imported):
    bundle = org_with_managers()
    bundle["people"] = [make_person(CRN)]
    with time_machine.travel(NOW, tick=False):
        imported(bundle)
        refresh(Person.objects.get(crn=CRN).pk)  # its safety actions, so the action lists have rows
    for username, code, role in USERS:
        User.objects.create(username=username, staff=Staff.objects.get(code=code) if code else None, role=role.value)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def answered(route: WebRoute) -> tuple[str, str, set[str]] | None:
    """The first user the page answers (200), its path and the query parameters its view read; None if nobody."""
    fill = fillers(CRN)
    if route.name.startswith("team"):  # a team's pages take the team's code; a PDU's (fillers) the PDU's
        fill["code"] = lambda: "GMR-MN-1"
    path = route.path(fill)
    for username, _, _ in USERS:
        client = client_for(username)
        with recording() as read:
            response = client.get(path)
        if response.status_code == 200:
            # the middleware's NUL check reads none by name; what is left was read by the view
            return username, path, set(read)
    return None


def pages_with_parameters() -> dict[str, tuple[str, str, set[str]]]:
    found = {}
    for route in WEB_ROUTES:
        if route.name in ("sign-in", "sign-out"):
            continue  # `next` is a redirect target, checked by Django's url_has_allowed_host_and_scheme
        opened = answered(route)
        if opened is not None and opened[2]:
            found[route.name] = opened
    return found


def names_it(body: str, name: str) -> bool:
    return f"{name}=" in body


@time_machine.travel(NOW, tick=False)
def test_every_parameter_a_list_page_reads_is_refused_by_name_when_it_is_nonsense_or_given_twice(site):
    pages = pages_with_parameters()
    # The discovery found the list pages (a guard against recording nothing): the caseloads' filters, sort and page,
    # the action lists' page, search, notifications, the diary, the chronology's filters and the audit search.
    assert {"sort", "sentence", "rosh", "setting", "page"} <= pages["caseload"][2]
    for name in ("team", "pdu", "actions-mine", "actions-team", "actions-pdu", "search", "region", "oversight"):
        assert "page" in pages[name][2], name
    assert {"show", "page"} <= pages["notifications"][2]
    assert {"view", "date"} <= pages["diary"][2]
    assert {"source", "kind"} <= pages["case-chronology"][2]
    assert {"crn", "actor", "from", "to"} <= pages["audit"][2]
    assert "page" in pages["assurance-overrides"][2]
    assert set(FORMS) <= set(pages), "a page listed as a form no longer reads its address: take it off the list"
    failures = []
    for route_name, (username, path, read) in sorted(pages.items()):
        client = client_for(username)
        for name in sorted(read):
            if not held(route_name, name):
                continue
            attempts = [("twice", {name: ["1", "2"]})]
            if (route_name, name) not in FREE_TEXT:
                attempts.append(("nonsense", {name: NONSENSE}))
                # more digits than Python reads as one integer: a 500 before, for page=
                attempts.append(("digits", {name: "9" * 5000}))
            for what, data in attempts:
                response = client.get(path, data)
                body = response.content.decode()
                if what == "digits" and response.status_code == 200:
                    continue  # a page number past the last page shows the last; any other parameter refuses it
                if response.status_code != 400 or not names_it(body, name):
                    failures.append(f"{route_name} ?{name}= {what}: {response.status_code}")
                elif what == "nonsense" and (NONSENSE in body or "banana" not in body):
                    failures.append(f"{route_name} ?{name}= nonsense: the value given is not repeated, escaped")
                elif what == "twice" and "more than once" not in body:
                    failures.append(f"{route_name} ?{name}= twice: not said to be given more than once")
    assert not failures, "\n".join(failures)


@time_machine.travel(NOW, tick=False)
def test_the_refusal_is_the_govuk_error_page_with_the_values_allowed_and_a_way_back(site):
    response = client_for("sara").get("/teams/GMR-MN-1", {"sort": "banana", "rosh": "HIGH"})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "<title>Error: There is a problem with the web address" in body
    assert "govuk-error-summary" in body
    assert "sort=banana is not a column this list sorts by: give sort= one of name, crn" in body
    assert "like sort=-name, sorts it the other way" in body
    assert 'href="/teams/GMR-MN-1?rosh=HIGH"' in body  # the same page without the parameter refused
    rosh = html.unescape(client_for("ada").get("/caseload?rosh=purple").content.decode())
    assert "rosh=purple is not a RoSH level: give rosh= one of VERY_HIGH, HIGH, MEDIUM, LOW or NOT_ASSESSED" in rosh
    for page in ("-3", "0", "abc", "２", "1.5"):
        body = html.unescape(client_for("ada").get("/actions", {"page": page}).content.decode())
        assert f"page={page} is not a page number: give page= a whole number from 1" in body, page


@time_machine.travel(NOW, tick=False)
def test_valid_values_still_answer(site):
    ada, sara, hana = client_for("ada"), client_for("sara"), client_for("hana")
    for client, path in (
        (ada, "/caseload?sort=-rosh&rosh=HIGH&setting=COMMUNITY&sentence=&page=1"),
        (ada, "/caseload?sort=last&sentence=COMMUNITY_ORDER"),
        (sara, "/teams/GMR-MN-1?sort=-practitioner&rosh=NOT_ASSESSED"),
        (hana, "/pdus/GMR-MN?setting=CUSTODY&sort=crn"),
        (ada, "/actions?page=1"),
        (sara, "/actions/team?page=1"),
        (hana, "/actions/pdu"),
        (ada, "/search?q=smith&page=1"),
        (ada, "/notifications?show=unread&page=1"),
        (ada, "/diary?view=week&date=2026-11-23"),
        (ada, f"/case/{CRN}/chronology?source=PROBATION&kind=CONTACT"),
        (client_for("audrey"), "/audit?crn=a000001&from=2026-11-01&to=2026-11-30"),
    ):
        assert client.get(path).status_code == 200, path


@time_machine.travel(NOW, tick=False)
def test_a_page_past_the_last_shows_the_last(site):
    """GOV.UK pagination and Django's Paginator.get_page, as the overrides list and notifications already did: a link
    kept from when the list was longer lands on its last page, never on an empty "page 7 of 1"."""
    person = Person.objects.get(crn=CRN)
    assert Action.objects.filter(person=person, status=Action.Status.OPEN).exists()
    for client, path, row in (
        (client_for("ada"), "/caseload", CRN),
        (client_for("ada"), "/actions", f"/case/{CRN}/actions"),
        (client_for("ada"), f"/search?q={CRN}", CRN),
        (client_for("sara"), "/teams/GMR-MN-1", CRN),
    ):
        sep = "&" if "?" in path else "?"
        for page in ("7", "9" * 40, "9" * 5000):
            response = client.get(f"{path}{sep}page={page}")
            assert response.status_code == 200, (path, page)
            body = response.content.decode()
            assert row in body, (path, page)
            assert not re.search(r"\(page \d+\)", body.split("</title>")[0]), (path, page)  # page 1 of 1, shown


def test_every_role_of_staff_opens_pages():
    """Each page is opened by the first role it answers: every role that signs in is among them."""
    assert {role for _, _, role in USERS} == set(Role) - {Role.PARTNER, Role.SYSTEM}


# Try-out 10 (an independent user who had not read the code, 1,600 requests as seven roles): what it found.
@time_machine.travel(NOW, tick=False)
def test_try_out_10_a_repeated_choice_on_an_assurance_page_is_the_error_page_and_a_download_gets_json(site):
    hana = client_for("hana")
    page = hana.get("/assurance", {"unit": ["PDU:GMR-MN", "PDU:GMR-MN"]})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
    assert "Give unit= once" in page.content.decode()
    download = hana.get("/assurance", {"format": "json", "measure": ["a", "b"]})
    assert download.status_code == 400
    assert download.json() == {"errors": {"measure": "Give measure= once: it is in the address more than once"}}


@time_machine.travel(NOW, tick=False)
def test_try_out_10_an_actor_no_event_was_made_by_is_said_to_be_mistyped(site):
    auditor = client_for("audrey")
    auditor.get("/audit")  # an auditor's own search is an event made by them
    typo = auditor.get("/audit", {"actor": "banana"})
    assert typo.status_code == 400
    assert "No event in the audit trail was made by actor=banana" in html.unescape(typo.content.decode())
    assert auditor.get("/audit", {"actor": "audrey"}).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_try_out_10_an_impossible_date_and_a_trailing_space_are_said_plainly(site):
    ada = client_for("ada")
    body = html.unescape(ada.get("/diary", {"date": "2026-02-30"}).content.decode())
    assert "date=2026-02-30 is not a real date (no such day in that month)" in body
    body = html.unescape(client_for("sara").get("/teams/GMR-MN-1", {"sort": "name "}).content.decode())
    assert 'sort="name " is not a column' in body


@time_machine.travel(NOW, tick=False)
def test_try_out_10_the_diary_offers_no_link_out_of_the_dates_it_answers(site):
    ada = client_for("ada")
    first = ada.get("/diary", {"view": "week", "date": "1900-01-08"})
    assert first.status_code == 200
    assert 'data-testid="diary-previous"' not in first.content.decode()
    assert 'data-testid="diary-next"' in first.content.decode()
    for link in re.findall(r'href="\?view=week&amp;date=([0-9-]+)"', first.content.decode()):
        assert ada.get("/diary", {"view": "week", "date": link}).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_try_out_10_each_refusal_has_its_own_title(site):
    sara = client_for("sara")
    titles = {
        re.search(r"<title>(.*?)</title>", sara.get(path, {name: "banana"}).content.decode(), re.S)[1].strip()
        for path, name in (("/teams/GMR-MN-1", "sort"), ("/teams/GMR-MN-1", "rosh"), ("/caseload", "sort"))
    }
    assert len(titles) == 3, titles
    assert all(t.startswith("Error: There is a problem with the web address /") for t in titles), titles
