"""Victim contact pages: record a representation and its outcome (GOV.UK error summary, unique titles), the prompt
on the Sentence tab and in the case JSON (one rule), audited reads, and a hidden case shows nothing."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from django.test import Client

from keepsafe.audit.models import AuditEvent
from keepsafe.cases.selectors import case_summary
from keepsafe.core.errors import NotFoundError
from keepsafe.people.models import CaseAccess, Person
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers
from keepsafe.victims.models import VictimRepresentation
from keepsafe.workforce.models import Staff, User
from keepsafe.workforce.selectors import actor_for_user

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
CRN = "X123456"


def _title(page: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", page, re.S)
    assert match
    return html.unescape(" ".join(match.group(1).split()))


@pytest.fixture
def client(imported):
    p = make_person(CRN)
    p["events"][0]["licence_conditions"] = [{"id": "L1", "type": "STANDARD", "text": "Be of good behaviour"}]
    p["events"][0]["dates"]["licence_expiry"] = "2027-09-01"
    imported(org_with_managers() | {"people": [p]})
    user = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    c = Client()
    c.force_login(user)
    return c


NEW = {"vlo_name": "Val Lowe", "kind": "NO_CONTACT", "no_contact_victim": "yes", "no_contact_named": "Amy Doe"}
DAY = {"received_on-day": "20", "received_on-month": "11", "received_on-year": "2026"}


@time_machine.travel(NOW, tick=False)
def test_record_prompt_decline_and_the_case_json_agrees(client):
    form = client.get(f"/case/{CRN}/victim-contact/new").content.decode()
    assert _title(form).startswith("Record a victim liaison officer's representation")
    bad = client.post(f"/case/{CRN}/victim-contact/new", {"kind": "EXCLUSION_ZONE"}).content.decode()
    assert _title(bad).startswith("Error: ")
    assert "There is a problem" in bad
    assert 'href="#received_on-day"' in bad
    bad = client.post(f"/case/{CRN}/victim-contact/new", {**DAY, "kind": "EXCLUSION_ZONE"}).content.decode()
    assert 'href="#vlo_name"' in bad
    assert 'href="#zone"' in bad
    assert not VictimRepresentation.objects.exists()

    done = client.post(f"/case/{CRN}/victim-contact/new", NEW | DAY, follow=True).content.decode()
    rep = VictimRepresentation.objects.get()
    assert f"Representation {rep.external_id} recorded" in done
    assert 'data-testid="victim-prompt"' in done
    assert "the victim, Amy Doe" in done
    summary = case_summary(crn=CRN, viewer=SYSTEM)
    assert [p["representation"] for p in summary["victim_prompts"]] == [rep.external_id]
    assert summary["victim_representations"][0]["no_contact_named"] == ["Amy Doe"]

    outcome = client.get(f"/case/{CRN}/victim-contact/outcome?representation={rep.external_id}").content.decode()
    assert _title(outcome).startswith("Record a representation's outcome")
    assert _title(outcome) != _title(form)
    day = {"decided_on-day": "21", "decided_on-month": "11", "decided_on-year": "2026"}
    refused = client.post(
        f"/case/{CRN}/victim-contact/outcome", {"representation": rep.external_id, "status": "DECLINED"} | day
    ).content.decode()
    assert 'href="#decline_reason"' in refused
    declined = client.post(
        f"/case/{CRN}/victim-contact/outcome",
        {"representation": rep.external_id, "status": "DECLINED", "decline_reason": "Lives next door"} | day,
        follow=True,
    ).content.decode()
    assert 'data-testid="victim-prompt"' not in declined
    assert "Lives next door" in declined
    assert case_summary(crn=CRN, viewer=SYSTEM)["victim_prompts"] == []
    assert client.get(f"/case/{CRN}/victim-contact/outcome?representation=NOPE").status_code == 404
    assert client.get(f"/case/{CRN}/victim-contact/nonsense").status_code == 404
    assert AuditEvent.objects.filter(crn=CRN, action="VICTIM_REPRESENTATION_OUTCOME").count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_case_hidden_from_the_viewer_shows_nothing_of_its_victim_contact(client):
    client.post(f"/case/{CRN}/victim-contact/new", NEW | DAY)
    person = Person.objects.get(crn=CRN)
    other = Staff.objects.get(code="STF0002")
    CaseAccess.objects.create(person=person, staff=other, kind=CaseAccess.Kind.EXCLUSION)
    hidden = Client()
    hidden.force_login(User.objects.create(username="bo", staff=other, role="PRACTITIONER"))
    for path in ("sentence", "victim-contact/new"):
        response = hidden.get(f"/case/{CRN}/{path}")
        assert response.status_code == 404
        assert b"Amy Doe" not in response.content
    with pytest.raises(NotFoundError):
        case_summary(crn=CRN, viewer=actor_for_user(User.objects.get(username="bo")))


@time_machine.travel(NOW, tick=False)
def test_an_auditor_reads_the_section_but_is_offered_no_form(client):
    client.post(f"/case/{CRN}/victim-contact/new", NEW | DAY)
    auditor = Client()
    auditor.force_login(User.objects.create(username="aud", staff=Staff.objects.get(code="STF0100"), role="AUDITOR"))
    page = auditor.get(f"/case/{CRN}/sentence").content.decode()
    assert "Victim contact" in page
    assert "Amy Doe" in page
    assert "/victim-contact/new" not in page
    assert auditor.post(f"/case/{CRN}/victim-contact/new", NEW | DAY).status_code == 403
    assert VictimRepresentation.objects.count() == 1
