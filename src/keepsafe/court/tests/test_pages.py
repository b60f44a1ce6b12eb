"""The Court tab and its steps render (GOV.UK error summary, unique titles) and refuse bad input by field."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from keepsafe.court.models import AddressAssessment, CourtStage
from keepsafe.court.services import court_stage_open
from keepsafe.court.tests.conftest import CRN
from keepsafe.people.models import Person
from keepsafe.web.views.court import STEPS
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert match
    return " ".join(match.group(1).split())


def test_every_step_has_its_own_title_and_bad_input_shows_the_error_summary(bendall, at, staff_actor):
    user = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    with at("2027-01-04T10:00:00Z"):
        client = Client()
        client.force_login(user)  # signed in at the instant, so the session has not expired
        assert client.get(f"/case/{CRN}/court").status_code == 200
        assert client.get(f"/case/{CRN}/court/adjourn").status_code == 404  # no open stage yet
        bad = client.post(f"/case/{CRN}/court/open", {"court": "", "court_date-day": "31", "court_date-month": "2"})
        html = bad.content.decode()
        assert _title(html).startswith("Error: Record a court stage")
        assert "There is a problem" in html
        assert 'href="#court_date-year"' in html
        assert not CourtStage.objects.exists()
        _stage_open(staff_actor)
        titles = set()
        for verb in STEPS:
            if verb in ("open", "propose"):
                continue
            response = client.get(f"/case/{CRN}/court/{verb}")
            assert response.status_code == 200, verb
            titles.add(_title(response.content.decode()))
        assert len(titles) == len(STEPS) - 2
        tab = client.get(f"/case/{CRN}/court").content.decode()
        assert "Manchester Crown Court" in tab
        assert "25 January 2027" in tab
        refused = client.post(f"/case/{CRN}/court/adjourn", {"reason": ""}).content.decode()
        assert "Enter the date" in refused
        assert client.get(f"/case/{CRN}/court/nonsense").status_code == 404


def test_a_read_only_role_sees_no_court_step_and_gets_a_403_the_holder_sees_them(bendall, at):
    auditor = User.objects.create(username="aud", staff=Staff.objects.get(code="STF0100"), role="AUDITOR")
    holder = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    with at("2027-01-04T10:00:00Z"):
        steps = re.compile(rf'href="/case/{CRN}/court/[a-z]+"')
        for user, expected in ((auditor, False), (holder, True)):
            client = Client()
            client.force_login(user)
            assert bool(steps.search(client.get(f"/case/{CRN}/court").content.decode())) is expected
        client = Client()
        client.force_login(auditor)
        for verb in STEPS:
            assert client.post(f"/case/{CRN}/court/{verb}", {"court": "X"}).status_code == 403, verb
        assert not CourtStage.objects.exists()


def _stage_open(staff_actor) -> None:
    """A court stage on the case at Manchester Crown Court on 25 January 2027."""
    court_stage_open(
        actor=staff_actor("STF0001"),
        person=Person.objects.get(crn=CRN),
        court="Manchester Crown Court",
        court_date=date(2027, 1, 25),
        charges=["Assault"],
    )


def _practitioner_at_court(staff_actor) -> Client:
    """Ada signed in, with a court stage open on the case for 25 January 2027."""
    client = Client()
    client.force_login(
        User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    )
    _stage_open(staff_actor)
    return client


def test_a_suitable_address_with_no_check_relied_on_is_refused_with_every_other_problem(bendall, at, staff_actor):
    """Issue 16 try-out: a suitable finding needs a check relied on; a bad yes/no answer is refused by its field, never
    read as "no"; every problem shows at once with what was typed, status 400, nothing written."""
    with at("2027-01-04T10:00:00Z"):
        client = _practitioner_at_court(staff_actor)
        form = {"address": "1 High Street", "victim": "maybe", "partner": "no", "conclusion": "SUITABLE"}
        refused = client.post(f"/case/{CRN}/court/address", form | {"reasons": ""})
        html = refused.content.decode()
        assert refused.status_code == 400
        summary = html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
        for field in ("victim", "relied_on", "reasons"):
            assert f'href="#{field}"' in summary, field
        assert "request the domestic abuse and safeguarding checks" in summary  # none requested yet
        assert 'value="1 High Street"' in html
        assert not AddressAssessment.objects.exists()


@pytest.mark.parametrize("typed", ["５", "4, ５", "²", "١٢"])
def test_childrens_ages_and_a_sentence_length_take_the_digits_0_to_9_only(bendall, at, staff_actor, typed):
    """A try-out: the ages box used str.isdigit(), which takes a fullwidth "５" (int() reads it as 5) and "²" (which
    int() cannot read: a server error). Each is refused by its field with what was typed kept; nothing is written."""
    with at("2027-01-04T10:00:00Z"):
        client = _practitioner_at_court(staff_actor)
        form = {"address": "1 High Street", "victim": "no", "partner": "no", "conclusion": "UNSUITABLE"}
        refused = client.post(f"/case/{CRN}/court/address", form | {"children_ages": typed, "reasons": "Too far"})
        html = refused.content.decode()
        assert refused.status_code == 400
        summary = html.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
        assert '<a href="#children_ages">Enter each child&#39;s age as a whole number' in summary
        assert f'value="{typed}"' in html or f">{typed}<" in html
        assert not AddressAssessment.objects.exists()
        outcome = client.post(f"/case/{CRN}/court/outcome", {"length_months": typed.replace("4, ", "")})
        assert outcome.status_code == 400
        assert "Enter the length in whole months using the digits 0 to 9, like 24" in outcome.content.decode()
