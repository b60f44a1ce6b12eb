"""Issue 15 §3 (helper "overs"): an SPO opens /oversight, sees a touch point on a trainee's case, records an SPO
oversight note (an empty one first: the GOV.UK error summary) and sees the touch point close — axe-clean throughout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keepsafe.actions.models import Action
from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import bundle_import
from keepsafe.people.models import Contact
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "A000150"


@pytest.fixture
def site(transactional_db, live_server):
    bundle = org_with_managers()
    for staff in bundle["staff"]:
        if staff["code"] == "STF0001":
            staff["grade"] = "PQIP"  # a trainee's case needs oversight at set intervals
    bundle["people"] = [make_person(CRN, contacts=[], records=[])]
    bundle_import(actor=SYSTEM, raw=raw(bundle), reconcile=False)
    sweep_everything(as_of=None)
    user = User(username="sam", staff=Staff.objects.get(code="STF0100"), role="SPO", first_name="Sam")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def test_an_spo_records_an_oversight_note_and_the_touch_point_closes(site, page, sign_in, assert_accessible):
    assert Action.objects.filter(person__crn=CRN, type="OVERSIGHT_TOUCHPOINT", status="OPEN").exists()
    sign_in(page, site, "sam")
    page.goto(f"{site}/oversight")
    expect(page).to_have_title("Management oversight – Keepsafe")
    row = page.locator(f"[data-testid='touchpoints-row'][data-crn='{CRN}']")
    assert row.count() >= 1
    assert_accessible(page)

    row.first.get_by_role("link", name="Record oversight note").click()
    page.wait_for_load_state()
    expect(page).to_have_title(f"Record an SPO oversight note – {CRN} – Keepsafe")
    assert_accessible(page)
    page.click("button:has-text('Record oversight note')")  # empty: refused, nothing stored
    page.wait_for_load_state()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert not Contact.objects.filter(person__crn=CRN, type="SPO_OVERSIGHT").exists()

    page.fill("#notes", "Reviewed the sentence plan and risk management plan with the PQiP; next review in a month.")
    page.click("button:has-text('Record oversight note')")
    page.wait_for_load_state()
    expect(page).to_have_title("Management oversight – Keepsafe")
    assert "touch point" in page.locator("[data-testid='success-banner']").inner_text()
    assert page.locator(f"[data-testid='touchpoints-row'][data-crn='{CRN}']").count() == 0
    assert_accessible(page)
    assert not Action.objects.filter(person__crn=CRN, type="OVERSIGHT_TOUCHPOINT", status="OPEN").exists()

    page.goto(f"{site}/oversight/team")
    expect(page).to_have_title("Supervisor view – Keepsafe")
    assert_accessible(page)
