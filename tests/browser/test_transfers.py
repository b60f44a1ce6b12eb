"""Issue 16 §2 (helper "transfer"): a practitioner requests a transfer to another region's PDU, the receiving head
finds it in their list and accepts it naming the practitioner — in a real browser, axe-clean at every step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.tests.transfer_org import transfer_org
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "X123456"


@pytest.fixture
def site(transactional_db, live_server):
    bundle_import(actor=SYSTEM, raw=raw(transfer_org()), reconcile=False)
    sweep_everything(as_of=None)
    for username, code, role in (("ada", "STF0001", "PRACTITIONER"), ("hana", "STF2800", "HEAD_OF_PDU")):
        user = User(username=username, staff=Staff.objects.get(code=code), role=role, first_name=username.title())
        user.set_password(PASSWORD)
        user.save()
    return live_server.url


def test_request_then_accept(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/transfers")
    expect(page).to_have_title(re.compile("^" + re.escape("Transfers")))
    page.fill("#reason", "Moving to live with his sister in Birmingham")
    page.get_by_test_id("transfer-request").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: Request a transfer")))
    expect(page.get_by_text("Choose the PDU the case should move to").first).to_be_visible()
    assert page.input_value("#reason") == "Moving to live with his sister in Birmingham"  # what was typed is kept
    assert_accessible(page)
    page.select_option("#to_pdu", "WMR-BH")
    page.get_by_test_id("transfer-request").click()
    expect(page.get_by_test_id("success-banner").get_by_text("stays with you until it is accepted")).to_be_visible()
    expect(page.get_by_test_id("transfer-pending")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "transfer-requested")

    page.context.clear_cookies()
    sign_in(page, site, "hana")
    page.goto(f"{site}/transfers")
    expect(page).to_have_title(re.compile("^" + re.escape("Transfers waiting for your decision")))
    assert_accessible(page)
    page.locator(f"[data-crn={CRN}]").get_by_role("link").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Decide the transfer")))
    page.get_by_label("Accept the case").check()
    page.get_by_test_id("transfer-decide").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: Decide the transfer")))
    expect(page.get_by_text("Choose the practitioner who will hold the case").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Accept the case").check()
    page.select_option("#practitioner", "STF2001")
    page.get_by_test_id("transfer-decide").click()
    expect(page.get_by_test_id("success-banner").get_by_text("Transfer accepted")).to_be_visible()
    expect(page.get_by_test_id("transfer-history").get_by_text("Accepted")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "transfer-accepted")
    page.get_by_role("link", name="Transfer summary").click()
    expect(page.get_by_test_id("document").get_by_text("Open actions")).to_be_visible()
    assert Person.objects.get(crn=CRN).practitioner.code == "STF2001"
