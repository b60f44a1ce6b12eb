"""Issue 16 §7 in a real browser (helper "victim"): on the Sentence tab, record a victim liaison officer's exclusion
zone request (a missing date first: the error summary), see the licence prompt it raises where the conditions are
shown, then record it as declined with the reason and see the prompt go; every page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.victims.models import VictimRepresentation
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "A000716"


@pytest.fixture
def site(transactional_db, live_server):
    person = make_person(CRN, contacts=[], records=[], assessments=[], registrations=[])
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)  # a licence with a NO_CONTACT condition
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def _date(page, prefix: str, day) -> None:
    page.fill(f"#{prefix}-day", str(day.day))
    page.fill(f"#{prefix}-month", str(day.month))
    page.fill(f"#{prefix}-year", str(day.year))


def test_an_exclusion_zone_request_prompts_until_declined_with_a_reason(
    site, page, sign_in, assert_accessible, screenshot
):
    today = clock.today()
    page.set_default_timeout(180_000)  # a shared, loaded machine
    page.set_default_navigation_timeout(180_000)
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/sentence")
    expect(page.get_by_test_id("victim-contact")).to_contain_text("No representations")
    expect(page.get_by_test_id("victim-prompt")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Record a representation").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Record a victim liaison officer")))
    page.get_by_label("Victim liaison officer").fill("Val Lowe")
    page.get_by_role("radio", name="Exclusion zone").check()
    page.get_by_label("Exclusion zone: the area").fill("Acacia Avenue and the streets around it, M8")
    page.get_by_role("button", name="Record representation").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_label("Victim liaison officer")).to_have_value("Val Lowe")
    assert not VictimRepresentation.objects.exists()
    assert_accessible(page)
    _date(page, "received_on", today)
    page.get_by_role("button", name="Record representation").click()

    expect(page.get_by_test_id("success-banner")).to_be_visible()
    prompt = page.get_by_test_id("victim-prompt")
    expect(prompt).to_have_count(1)
    expect(prompt).to_contain_text("no exclusion zone condition")
    expect(page.get_by_test_id("victim-representation")).to_contain_text("Requested")
    assert_accessible(page)
    screenshot(page, "victim-contact-prompt")

    page.get_by_role("link", name=re.compile("^Record outcome")).click()
    expect(page).to_have_title(re.compile("^" + re.escape("Record a representation's outcome")))
    page.get_by_role("radio", name="Declined").check()
    _date(page, "decided_on", today)
    page.get_by_role("button", name="Record outcome").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.locator(".govuk-error-summary")).to_contain_text("reason")
    assert_accessible(page)
    page.get_by_label("Why was it declined?").fill("His only approved address is inside the zone")
    page.get_by_role("button", name="Record outcome").click()

    expect(page.get_by_test_id("success-banner")).to_be_visible()
    expect(page.get_by_test_id("victim-prompt")).to_have_count(0)
    expect(page.get_by_test_id("victim-representation")).to_contain_text("His only approved address")
    assert_accessible(page)
