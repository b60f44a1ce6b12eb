"""Issue 16 §6 review (helper "share2"): a practitioner records a period on remand from the case — an end before the
start is refused with a specific error on the date input, then the period is recorded and listed on the Transfers
tab — in a real browser, axe-clean at every step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.tests.transfer_org import transfer_org
from keepsafe.people.models import RemandPeriod
from keepsafe.testing.fixtures import SYSTEM, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "X123456"


@pytest.fixture
def site(transactional_db, live_server):
    bundle_import(actor=SYSTEM, raw=raw(transfer_org()), reconcile=False)
    sweep_everything(as_of=None)
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def _date(page, name: str, day: str, month: str, year: str) -> None:
    page.fill(f"#{name}-day", day)
    page.fill(f"#{name}-month", month)
    page.fill(f"#{name}-year", year)


def test_record_a_period_on_remand(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/transfers")
    expect(page).to_have_title(re.compile("^" + re.escape("Transfers")))
    page.get_by_test_id("remand-new-link").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Record a period on remand")))
    assert_accessible(page)
    _date(page, "start", "5", "10", "2025")
    _date(page, "end", "1", "10", "2025")
    page.fill("#court", "Manchester Crown Court")
    page.fill("#matter", "Burglary")
    page.get_by_test_id("remand-save").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: Record a period on remand")))
    expect(page.locator("#end-error")).to_contain_text("must be on or after it started (5 October 2025)")
    expect(page.locator("#matter")).to_have_value("Burglary")  # what was typed is kept
    assert_accessible(page)
    _date(page, "end", "20", "10", "2025")
    page.get_by_test_id("remand-save").click()
    expect(page.get_by_test_id("success-banner").get_by_text("Period on remand recorded")).to_be_visible()
    expect(page.get_by_test_id("remand-periods").get_by_text("Burglary")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "remand-recorded")
    assert RemandPeriod.objects.get().matter == "Burglary"
