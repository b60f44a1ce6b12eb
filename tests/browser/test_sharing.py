"""Issue 16 §3-4 (helper "share"): a referral refused while a risk review is open, then sent once the review is done;
a MAPPA meeting recorded with an agreed action — in a real browser, axe-clean at every step (errors included)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.actions.models import Action
from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, org_with_managers, partner_agreement, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "A000016"


@pytest.fixture
def site(transactional_db, live_server):
    bundle = make_bundle(make_person(CRN))
    bundle.update({k: v for k, v in org_with_managers().items() if k != "people"})
    bundle_import(actor=SYSTEM, raw=raw(bundle), reconcile=False)
    partner_agreement("MHOUSE", kind="HOUSING", answers=(), send_kinds=())
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


@pytest.fixture
def page(page):
    # The machine these run on is shared: a slow first page is not a failure of the journey.
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    return page


def fill_date(page, name: str, day) -> None:
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def test_a_referral_refused_while_a_review_is_open_then_sent(site, page, sign_in, assert_accessible, screenshot):
    now = clock.now()
    review = Action.objects.create(
        person=Person.objects.get(crn=CRN),
        type="RISK_REVIEW",
        key="risk-review:browser",
        title="Review the risk assessment",
        owner_role="COM",
        opens_at=now,
        due=now + timedelta(days=5),
        created_at=now,
    )
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/disclosures")
    expect(page.get_by_test_id("referral-refused").get_by_text("a risk review is open")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{site}/case/{CRN}/referrals/new")
    expect(page).to_have_title(re.compile("^" + re.escape("Make a referral")))
    expect(page.get_by_test_id("referral-refused")).to_be_visible()
    assert page.get_by_test_id("referral-send").count() == 0
    assert_accessible(page)

    # The review is done (here: closed by a manager); the same page now offers the form.
    Action.objects.filter(pk=review.pk).update(
        status="CANCELLED", closed_at=clock.now(), closed_by="STF0100", cancel_reason="Reviewed"
    )
    page.goto(f"{site}/case/{CRN}/referrals/new")
    page.get_by_test_id("referral-send").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: Make a referral")))
    expect(page.get_by_text("Say why this information is being shared").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("MHOUSE (housing)").check()
    page.fill("#reason", "Housing application on release; the partner needs the current risk picture")
    page.get_by_test_id("referral-send").click()
    expect(page.get_by_test_id("referral-sent")).to_be_visible()
    expect(page.get_by_role("heading", name="Who is at risk")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "referral-sent")
    page.goto(f"{site}/case/{CRN}/disclosures")
    expect(page.get_by_test_id("disclosures").get_by_text("ISA-MHOUSE-1")).to_be_visible()


def test_a_meeting_with_an_agreed_action(site, page, sign_in, assert_accessible, screenshot):
    today = clock.today()
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/meetings")
    page.get_by_test_id("meeting-start").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Record a MAPPA or IOM meeting")))
    page.get_by_test_id("meeting-save").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: Record a MAPPA or IOM meeting")))
    assert_accessible(page)
    page.get_by_label("MAPPA level 2 meeting").check()
    page.fill("#chair", "DI Smith")
    page.fill("#attendees", "DI Smith (GMP)\nAda (probation)")
    page.fill("#invitations", "POLICE | DS Jones | accepted")
    page.fill("#minutes", "Agreed a joint home visit with the police.")
    page.fill("#action-1-text", "Joint home visit with police")
    page.select_option("#action-1-owner", "STF0100")
    fill_date(page, "action-1-due", today + timedelta(days=7))
    page.get_by_test_id("meeting-save").click()
    expect(page.get_by_test_id("meeting-added")).to_be_visible()
    expect(page.get_by_test_id("meeting").get_by_text("Joint home visit with police")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "meeting-recorded")
    assert Action.objects.filter(type="MEETING_ACTION", owner__code="STF0100").count() == 1
