"""Issue 20 §3: a case page costs a fixed number of queries whatever the size of the case — more contacts, records,
flags, events, actions, recalls or documents never add a query. Every case tab from the URL conf is measured."""

from __future__ import annotations

import copy

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern

from keepsafe.actions.services.manage import refresh
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.web import urls
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"


def _grown(size: int) -> dict:
    """One case with `size` of everything that repeats: contacts, records, flags, events."""
    person = make_person("X123456")
    contact, record, flag, event = (
        person["contacts"][0],
        person["records"][0],
        person["registrations"][0],
        person["events"][0],
    )
    person["contacts"] = [
        {**contact, "id": f"C{n}", "at": f"2026-{1 + n % 10:02d}-{1 + n % 27:02d}T10:00:00Z"} for n in range(size)
    ]
    person["records"] = [{**record, "id": f"R-{n}", "text": f"Call-out number {n}: threats made."} for n in range(size)]
    person["registrations"] = [
        {**flag, "id": f"REG{n}", "type": t} for n, t in enumerate(["RSTO", "ADVP", "RHRH", "RCCO"][:size])
    ]
    events = []
    for n in range(size):
        e = copy.deepcopy(event)
        e["id"] = str(n + 1)
        e["requirements"] = [{**e["requirements"][0], "id": f"RQ{n}"}]
        e["licence_conditions"] = [{**e["licence_conditions"][0], "id": f"L{n}"}]
        events.append(e)
    person["events"] = events
    return person


def case_tabs() -> list[str]:
    return [
        "/" + str(p.pattern).replace("<str:crn>", "X123456")
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and set(p.pattern.converters) == {"crn"}
    ]


def _count(client: Client, path: str) -> tuple[int, list[str]] | None:
    """Queries of one GET of a page (None for a route that only takes a POST, or another role's page)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code in (403, 405):
        return None
    assert response.status_code == 200, (path, response.status_code)
    return len(queries), [q["sql"][:140] for q in queries.captured_queries]


@time_machine.travel(NOW, tick=False)
def test_every_case_tab_costs_the_same_queries_for_a_small_and_a_large_case(imported):
    counts: dict[str, dict[int, tuple[int, list[str]]]] = {}
    for size in (1, 4):
        imported(org_with_managers() | {"people": [_grown(size)]})
        person = Person.objects.get(crn="X123456")
        assert (person.events.count(), person.contacts.count(), person.registrations.count()) == (size,) * 3
        refresh(person.pk)
        user = User.objects.filter(username="ada").first() or User.objects.create(
            username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER"
        )
        client = Client()
        client.force_login(user)
        for path in case_tabs():
            client.get(path)  # warm: sessions, content types
            if (counted := _count(client, path)) is not None:
                counts.setdefault(path, {})[size] = counted
    assert len(counts) >= 8
    different = {
        path: (by[1][0], by[4][0], [q for q in by[4][1] if q not in by[1][1]])
        for path, by in counts.items()
        if by[1][0] != by[4][0]
    }
    assert not different, different
