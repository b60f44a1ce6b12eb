"""The equality page's population for a period (try-out round 2): a period before about 2007 failed the page and both
exports with a 500 ("no age band holds age -1"): every case held now was counted, including people born after the
period's end. Only people under a sentence in the period, born by its end, are counted now."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"


def _young(crn: str) -> dict:
    """A person born in 2008, first sentenced on 10 January 2025."""
    person = make_person(crn, forename="Young", surname="Case", date_of_birth="2008-03-01")
    person["criminal_history"] = {"first_sanction_date": "2025-01-10", "sanctions": 1, "violent_sanctions": 1}
    event = copy.deepcopy(person["events"][0])
    event["offence_date"] = "2024-12-01"
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": "2025-01-10", "length_months": 24}
    event["dates"] = {
        "release": "2025-07-10",
        "conditional_release": "2025-07-10",
        "parole_eligibility": None,
        "licence_expiry": "2027-01-10",
        "sentence_expiry": "2027-01-10",
        "pss_end": None,
    }
    person["events"] = [event]
    return person


@pytest.fixture
def aco(imported) -> Client:
    # An adult sentenced in 2019 (make_person) and a young person sentenced in 2025.
    imported(org_with_managers() | {"people": [make_person("A000001"), _young("A000004")]})
    user = User.objects.create(username="aco", staff=Staff.objects.get(code="STF0900"), role="REGIONAL_LEADER")
    client = Client()
    client.force_login(user)
    return client


UNIT = {"scope": "REGION", "code": "GMR"}


def _people(client: Client, first: str, last: str) -> int:
    answer = client.get("/assurance/equality", UNIT | {"from": first, "to": last, "format": "json"})
    assert answer.status_code == 200, answer.content
    return int(answer.json()["people"])


def test_a_period_before_a_person_was_born_or_sentenced_does_not_count_them(aco):
    with time_machine.travel(NOW, tick=False):
        for fmt in ("", "json", "csv"):
            answer = aco.get("/assurance/equality", UNIT | {"from": "2000-01-01", "to": "2000-12-31", "format": fmt})
            assert answer.status_code == 200, fmt
        assert _people(aco, "2000-01-01", "2000-12-31") == 0  # nobody was under a sentence in 2000
        assert _people(aco, "2020-01-01", "2020-12-31") == 1  # the adult sentenced in 2019; not the young person
        assert _people(aco, "2025-01-01", "2025-12-31") == 2  # both
        assert _people(aco, "2026-10-01", "2026-11-30") == 2


def test_a_terminated_sentence_is_not_counted_after_it_ended(aco):
    from keepsafe.people.models import Event

    Event.objects.filter(person__crn="A000001").update(terminated=date(2024, 6, 30))
    with time_machine.travel(NOW, tick=False):
        assert _people(aco, "2024-06-30", "2024-12-31") == 1  # still under it on 30 June
        assert _people(aco, "2024-07-01", "2024-12-31") == 0
        assert _people(aco, "2026-10-01", "2026-11-30") == 1  # the young person only


DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=DAYS, b=DAYS)
def test_any_period_is_answered_or_refused_never_a_server_error(aco, a, b):
    """Any period from 1900 to 2100 (from on or before to): the page and both exports answer 200, or 400 with the
    errors (as JSON for an export); never a 500 (the test client raises a view's exception)."""
    first, last = min(a, b), max(a, b)
    query = UNIT | {"from": first.isoformat(), "to": last.isoformat()}
    with time_machine.travel(NOW, tick=False):
        page = aco.get("/assurance/equality", query)
        assert page.status_code in (200, 400)
        for fmt in ("json", "csv"):
            answer = aco.get("/assurance/equality", query | {"format": fmt})
            assert answer.status_code in (200, 400), (fmt, answer.status_code)
            if answer.status_code == 400:
                assert answer["Content-Type"] == "application/json"
                assert answer.json()["errors"]
    if date(1900, 1, 1) <= first and last <= date(2026, 11, 30):
        assert page.status_code == 200  # a period that may be asked for is answered
