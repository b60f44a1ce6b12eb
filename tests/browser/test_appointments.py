"""Issue 14 in a real browser: book an appointment, record that the person failed to attend, and record the
enforcement decision that failure calls for; the diary lists it; every page axe-clean."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.people.models import Appointment
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same


@pytest.fixture
def site(transactional_db, live_server):
    today = clock.today()
    person = make_person("A000014", contacts=[], records=[], assessments=[], registrations=[])
    person["events"][0].update(
        {
            "sentence": {
                "type": "COMMUNITY_ORDER",
                "date": (today - timedelta(days=30)).isoformat(),
                "length_months": 24,
            },
            "dates": {k: None for k in person["events"][0]["dates"]}
            | {"sentence_expiry": (today + timedelta(days=700)).isoformat()},
            "requirements": [],
            "licence_conditions": [],
        }
    )
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def test_book_fail_to_attend_then_enforcement_decision(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/A000014")
    page.get_by_role("link", name="Appointments", exact=True).click()
    page.get_by_test_id("no-upcoming").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Book an appointment").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Book an appointment")))

    # Bad input: the error summary, "Error:" in the title, the typed input kept, nothing written.
    page.get_by_label("Office visit").check()
    page.get_by_label("Location").fill("Manchester North office")
    page.get_by_role("button", name="Book appointment").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Location").input_value() == "Manchester North office"
    assert_accessible(page)
    assert not Appointment.objects.exists()

    tomorrow = clock.today() + timedelta(days=1)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_label("Time").fill("10:30")
    page.get_by_role("button", name="Book appointment").click()
    expect(page.get_by_test_id("success-banner")).to_be_visible()
    expect(page.get_by_test_id("upcoming-appointments")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "appointments-booked")

    # The appointment's time comes and goes (the test moves it into the past rather than waiting a day).
    appointment = Appointment.objects.get()
    Appointment.objects.filter(pk=appointment.pk).update(at=clock.now() - timedelta(hours=2))
    page.reload()
    page.get_by_role("link", name="Record outcome").first.click()
    page.get_by_label("Acceptable absence").check()
    page.get_by_role("button", name="Record outcome").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.get_by_text("Enter the evidence for the absence").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Failed to attend").check()
    page.get_by_role("button", name="Record outcome").click()
    assert "Failed to attend" in page.get_by_test_id("success-banner").inner_text()
    assert "Failed to attend" in page.get_by_test_id("appointment-outcome").first.inner_text()

    sweep_everything(as_of=None)  # the worker's reconcile, run here
    page.get_by_role("link", name="Actions", exact=True).click()
    section = page.locator("[data-action-type=ENFORCEMENT_DECISION]")
    section.wait_for()
    assert_accessible(page)
    section.get_by_label("Warning").check()
    section.get_by_label("Reasons").fill("First absence: warning letter sent")
    section.get_by_role("button", name="Record decision").click()
    expect(page.locator("[data-action-type=ENFORCEMENT_DECISION]")).to_have_count(0)

    page.get_by_role("link", name="Chronology", exact=True).click()
    expect(page.get_by_text("Office visit: Failed to attend").first).to_be_visible()

    page.get_by_role("link", name="My diary").click()
    page.get_by_test_id("diary-count").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Show the week").click()
    expect(page).to_have_title(re.compile("^" + re.escape("My diary: week beginning")))
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})  # a phone: nothing scrolls sideways
    page.goto(f"{site}/case/A000014/appointments")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
