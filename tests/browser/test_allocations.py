"""Issue 15 §2 "Done when" (helper "alloc"): the allocation journey in a real browser, axe-clean at every step —
queue → choose a PSO for a high-RoSH licence case → refused with the error summary → override reason → allocated →
success banner; the head of PDU's countersign is open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keepsafe.actions.models import Action
from keepsafe.bundles.importer import bundle_import
from keepsafe.oversight.tests.test_allocate import PQIP, PSO, _staff, bendall_like, mcsweeney_like, simple_case
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, org_with_managers, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same


@pytest.fixture
def site(transactional_db, live_server):
    bundle = org_with_managers()
    bundle["staff"] += [_staff(PSO, "PSO"), _staff(PQIP, "PQIP")]
    bundle["people"] = [mcsweeney_like(), bendall_like(), simple_case()]
    bundle_import(actor=SYSTEM, raw=raw(bundle))
    user = User(username="sara", staff=Staff.objects.get(code="STF0100"), role="SPO", first_name="Sara")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def test_allocation_refused_then_overridden(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "sara")
    page.get_by_role("link", name="Cases to allocate").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Cases to allocate")))
    assert page.get_by_test_id("queue-row").count() == 3
    assert_accessible(page)
    page.locator("[data-crn='M100001'] a").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Allocate M100001")))
    assert_accessible(page)
    page.locator(f"[data-code='{PSO}'] input").check()
    page.get_by_role("button", name="Allocate case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "high RoSH" in summary.inner_text()
    expect(page).to_have_title(re.compile("^" + re.escape("Error:")))
    assert_accessible(page)
    screenshot(page, "allocation-refused")
    assert Person.objects.get(crn="M100001").practitioner is None
    page.fill("#override_reason", "Only PSO who knows him from custody; SPO reviews weekly")
    page.fill("#notes", "Worked with him on the resettlement plan")
    page.get_by_role("button", name="Allocate case").click()
    banner = page.get_by_test_id("success-banner")
    expect(banner).to_be_visible()
    assert "countersign" in banner.inner_text()
    assert page.get_by_test_id("queue-row").count() == 2
    assert_accessible(page)
    screenshot(page, "allocation-overridden")
    assert Person.objects.get(crn="M100001").practitioner.code == PSO
    assert Action.objects.filter(person__crn="M100001", type="ALLOCATION_COUNTERSIGN", status="OPEN").exists()
