"""Issue 16 §1 in a real browser (helper "court"): record a court stage (a bad date first: the error summary), request
the pre-sentence report (both partner checks asked for), see a curfew proposal refused until the address is assessed,
assess it, propose, and record the outcome; every page axe-clean."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.court.models import CourtStage
from keepsafe.people.models import Event
from keepsafe.sharing.models import CheckRequest
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, partner_agreement, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "A000016"
ADDRESS = "12 Acacia Avenue, Manchester M8 4QT"


@pytest.fixture
def site(transactional_db, live_server):
    person = make_person(CRN, events=[], contacts=[], records=[], assessments=[], registrations=[])
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)
    partner_agreement(send_kinds=("CALL_OUT",))
    partner_agreement("MCC", kind="CHILDRENS_SERVICES", answers=("SAFEGUARDING",), send_kinds=("SAFEGUARDING_REPLY",))
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def _date(page, prefix: str, day) -> None:
    page.fill(f"#{prefix}-day", str(day.day))
    page.fill(f"#{prefix}-month", str(day.month))
    page.fill(f"#{prefix}-year", str(day.year))


def test_court_stage_to_sentence_with_the_curfew_blocked_until_the_address_is_assessed(
    site, page, sign_in, assert_accessible, screenshot
):
    court_date = clock.today() + timedelta(days=28)
    page.set_default_timeout(180_000)  # a shared, loaded machine: the first page can take most of a minute
    page.set_default_navigation_timeout(180_000)
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}")
    page.get_by_role("link", name="Court", exact=True).click()
    page.get_by_test_id("no-court-stage").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Record a court stage").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Record a court stage")))
    page.get_by_label("Court", exact=True).fill("Manchester Crown Court")
    page.get_by_label("Charges").fill("Assault occasioning actual bodily harm (domestic)")
    page.fill("#court_date-day", "31")
    page.fill("#court_date-month", "2")
    page.fill("#court_date-year", str(court_date.year))
    page.get_by_role("button", name="Record court stage").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Court", exact=True).input_value() == "Manchester Crown Court"
    assert not CourtStage.objects.exists()
    assert_accessible(page)
    _date(page, "court_date", court_date)
    page.get_by_role("button", name="Record court stage").click()
    page.get_by_test_id("success-banner").wait_for()
    assert page.get_by_test_id("court-date").inner_text().startswith(f"{court_date.day} ")

    page.get_by_role("link", name="Request a pre-sentence report").click()
    page.get_by_role("checkbox", name="Curfew", exact=True).check()
    page.get_by_label("Proposed address").fill(ADDRESS)
    assert_accessible(page)
    page.get_by_role("button", name="Request pre-sentence report").click()
    page.get_by_test_id("success-banner").wait_for()
    assert sorted(CheckRequest.objects.values_list("kind", flat=True)) == ["DOMESTIC_ABUSE", "SAFEGUARDING"]
    assert page.get_by_test_id("psr-check").count() == 2

    page.get_by_role("link", name="Record the report's proposal").click()
    page.get_by_label("Community order").check()
    page.get_by_role("checkbox", name="Curfew", exact=True).check()
    page.get_by_label("Address (for a curfew or residence requirement)").fill(ADDRESS)
    page.get_by_role("button", name="Record proposal").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(
        page.get_by_text("cannot be proposed until the suitability of that address is assessed").first
    ).to_be_visible()
    screenshot(page, "court-proposal-refused")

    page.goto(f"{site}/case/{CRN}/court/address")
    page.get_by_label("Ages of children who live or stay there").fill("4, 7")
    page.locator("#victim").check()
    page.locator("#partner").check()
    page.get_by_label("Unsuitable").check()
    page.get_by_label("Why").fill("The victim of the call-outs and two children live there.")
    assert_accessible(page)
    page.get_by_role("button", name="Record assessment").click()
    page.get_by_test_id("address-assessment").wait_for()

    page.goto(f"{site}/case/{CRN}/court/propose")
    page.get_by_label("Community order").check()
    page.get_by_label("Accredited programme").check()
    page.get_by_role("button", name="Record proposal").click()
    page.get_by_test_id("success-banner").wait_for()
    assert "not answered yet" in page.get_by_test_id("psr-proposal").inner_text()

    page.goto(f"{site}/case/{CRN}/court/outcome")
    page.get_by_label("Community order").check()
    _date(page, "sentence_date", clock.today())
    page.get_by_label("Offence", exact=True).fill("Assault occasioning actual bodily harm")
    page.select_option("#offence_category", "violence")
    page.get_by_label("Length in months").fill("24")
    assert_accessible(page)
    page.get_by_role("button", name="Record outcome").click()
    page.get_by_test_id("success-banner").wait_for()
    assert Event.objects.filter(person__crn=CRN, sentence_type="COMMUNITY_ORDER").exists()
    assert not CourtStage.objects.get().is_open
    assert_accessible(page)
