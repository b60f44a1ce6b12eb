"""Issue 16 §3: the Disclosures tab, a referral refused with its reason then sent, and a disclosure as it was sent;
an excluded member of staff never learns of the case from these pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.sharing.models import Disclosure
from keepsafe.testing.fixtures import make_bundle, make_person, org_with_managers, partner_agreement
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(imported):
    bundle = make_bundle(make_person(), make_person("Y000001", excluded=["STF0001"], forename="Hidden"))
    bundle.update({k: v for k, v in org_with_managers().items() if k != "people"})
    imported(bundle)
    partner_agreement("MHOUSE", kind="HOUSING", answers=(), send_kinds=())
    user = User.objects.create(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")
    client = Client()
    client.force_login(user)
    return client


def _open_review(crn: str) -> Action:
    now = clock.now()
    return Action.objects.create(
        person=Person.objects.get(crn=crn),
        type="RISK_REVIEW",
        key="risk-review:page-test",
        title="Review the risk assessment",
        owner_role="COM",
        opens_at=now,
        due=now + timedelta(days=5),
        created_at=now,
    )


def test_a_referral_refused_while_a_review_is_open_then_sent_once_it_is_closed(site):
    review = _open_review("X123456")
    tab = site.get("/case/X123456/disclosures").content.decode()
    assert "A referral cannot be made now: a risk review is open" in tab
    page = site.get("/case/X123456/referrals/new").content.decode()
    assert "This referral cannot be sent now: a risk review is open" in page
    assert "referral-send" not in page
    refused = site.post(
        "/case/X123456/referrals/new", {"partner": "MHOUSE", "service": "HOUSING", "reason": "Housing on release"}
    )
    assert refused.status_code == 400
    assert "This referral cannot be sent: a risk review is open" in refused.content.decode()
    assert not Disclosure.objects.exists()

    Action.objects.filter(pk=review.pk).update(
        status="CANCELLED", closed_at=clock.now(), closed_by="STF0100", cancel_reason="Reviewed"
    )
    form = site.get("/case/X123456/referrals/new").content.decode()
    assert "referral-send" in form
    assert "MHOUSE" in form
    sent = site.post(
        "/case/X123456/referrals/new", {"partner": "MHOUSE", "service": "HOUSING", "reason": "Housing on release"}
    )
    assert sent.status_code == 302
    disclosure = Disclosure.objects.get()
    page = site.get(sent.headers["Location"]).content.decode()
    assert "Sent to" in page
    assert disclosure.sha256 in page
    assert "Who is at risk" in page
    tab = site.get("/case/X123456/disclosures").content.decode()
    assert "ISA-MHOUSE-1" in tab
    assert "Referral with risk summary: Housing" in tab


def test_a_form_error_is_shown_in_the_error_summary(site):
    response = site.post("/case/X123456/referrals/new", {"partner": "", "service": "", "reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#reason"' in body
    assert 'href="#partner"' in body
    assert "<title>Error: Make a referral" in body


def test_an_excluded_member_of_staff_never_learns_of_the_case_from_these_pages(site):
    for path in ("/case/Y000001/disclosures", "/case/Y000001/referrals/new", "/case/Y000001/disclosures/x"):
        assert site.get(path).status_code == 404
        assert site.get(path.replace("Y000001", "Z999999")).status_code == 404


# --- issue 16 §4: meetings ------------------------------------------------------------------------------------------


def _meeting_form(**changes: str) -> dict[str, str]:
    today = clock.today()
    due = today + timedelta(days=7)
    return {
        "kind": "MAPPA_LEVEL_2",
        "held_on-day": str(today.day),
        "held_on-month": str(today.month),
        "held_on-year": str(today.year),
        "chair": "DI Smith",
        "attendees": "DI Smith (GMP)\nAnn Officer (probation)",
        "invitations": "POLICE | DS Jones | accepted",
        "minutes": "Agreed a joint home visit.",
        "action-1-text": "Joint home visit with police",
        "action-1-owner": "STF0100",
        "action-1-due-day": str(due.day),
        "action-1-due-month": str(due.month),
        "action-1-due-year": str(due.year),
    } | changes


def test_a_meeting_with_an_agreed_action_is_recorded_and_shown(site):
    form = site.get("/case/X123456/meetings/new").content.decode()
    assert "STF0100" in form
    assert "STF0002" in form  # may see this case
    response = site.post("/case/X123456/meetings/new", _meeting_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get(type="MEETING_ACTION")
    assert action.owner.code == "STF0100"
    tab = site.get(response.headers["Location"]).content.decode()
    assert "Meeting recorded" in tab
    assert "Joint home visit with police" in tab
    assert "MAPPA level 2 meeting" in tab


def test_a_meeting_form_error_names_the_field(site):
    response = site.post("/case/X123456/meetings/new", _meeting_form(**{"action-1-owner": "", "chair": ""}))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#chair"' in body
    assert 'href="#action-1-text"' in body
    assert not Action.objects.filter(type="MEETING_ACTION").exists()


def test_an_excluded_member_of_staff_never_learns_of_the_case_from_meetings(site):
    for path in ("/case/Y000001/meetings", "/case/Y000001/meetings/new"):
        assert site.get(path).status_code == 404
        assert site.post(path, _meeting_form()).status_code == 404
    assert not Action.objects.filter(type="MEETING_ACTION").exists()
