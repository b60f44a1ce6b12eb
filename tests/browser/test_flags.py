"""Issue 14 "Done when": add a flag -> review it -> end it, a check's answer adding its flag in one step, and
notifications read — in a real browser, axe-clean at every step (errors included)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.actions.models import Notification
from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.records.services import record_add
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "A000020"


@pytest.fixture
def site(transactional_db, live_server):
    today = clock.today()
    person = make_person(CRN)
    event = person["events"][0]
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": (today - timedelta(days=700)).isoformat()}
    event["sentence"]["length_months"] = 48
    release = today - timedelta(days=20)
    event["dates"].update(
        {
            "release": release.isoformat(),
            "conditional_release": release.isoformat(),
            "licence_expiry": (today + timedelta(days=700)).isoformat(),
            "sentence_expiry": (today + timedelta(days=700)).isoformat(),
        }
    )
    answered = f"{(today - timedelta(days=3)).isoformat()}T10:00:00Z"
    person["records"] = [
        *person["records"],
        {
            "id": "DA-REPLY-F1",
            "source": "POLICE",
            "kind": "DOMESTIC_ABUSE_CHECK",
            "occurred_at": answered,
            "received_at": answered,
            "author": "Police DA unit",
            "text": "Three call-outs since release to his new partner's address.",
            "order": None,
        },
    ]
    person["checks"] = [
        {
            "id": "DA-F1",
            "kind": "DOMESTIC_ABUSE",
            "requested_at": f"{(today - timedelta(days=5)).isoformat()}T10:00:00Z",
            "response_record": "DA-REPLY-F1",
            "acted_on_at": None,
            "acted_on_by": None,
        }
    ]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)
    sweep_everything(as_of=None)
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def fill_date(page, name: str, day) -> None:
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def test_add_a_flag_review_it_and_end_it(site, page, sign_in, assert_accessible, screenshot):
    today = clock.today()
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/flags")
    page.get_by_test_id("add-flag").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Add a flag")))
    page.fill("#start-day", "31")
    page.fill("#start-month", "2")
    page.fill("#start-year", str(today.year))
    page.get_by_role("button", name="Add flag").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: Add a flag")))
    expect(page.get_by_text("Choose the type of flag").first).to_be_visible()
    expect(page.get_by_text("The start date must be a real date").first).to_be_visible()
    assert page.input_value("#start-day") == "31"  # what was typed is kept
    assert_accessible(page)

    page.select_option("#type", "MAPP")
    fill_date(page, "start", today)
    page.select_option("#level", "M2")
    page.select_option("#category", "M2")
    page.fill("#notes", "Level 2 MAPPA agreed at today's meeting")
    page.get_by_role("button", name="Add flag").click()
    expect(page.get_by_test_id("success-banner").get_by_text("MAPPA flag added")).to_be_visible()
    expect(page.get_by_text("Level 2 – multi-agency meetings, Category 2 – violent offender")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "flags-added")

    card = page.locator("[data-testid=active-flag]", has_text="MAPPA")
    card.get_by_role("link", name="Review the MAPPA flag").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Review the MAPPA flag")))
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Choose whether to keep, amend or end the flag").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Keep it as it is").check()
    page.fill("#notes", "Still managed at level 2; next meeting in 12 weeks")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_test_id("success-banner").get_by_text("MAPPA flag reviewed and kept")).to_be_visible()

    card = page.locator("[data-testid=active-flag]", has_text="MAPPA")
    card.get_by_role("link", name="End the MAPPA flag").click()
    page.get_by_role("button", name="End flag").click()
    expect(page.get_by_text("Give the reason the flag is ending").first).to_be_visible()
    assert_accessible(page)
    page.fill("#reason", "Deregistered at the MAPPA meeting")
    page.get_by_role("button", name="End flag").click()
    expect(page.get_by_test_id("success-banner").get_by_text("MAPPA flag ended")).to_be_visible()
    expect(page.get_by_test_id("removed-flags").get_by_text("Deregistered at the MAPPA meeting")).to_be_visible()
    assert_accessible(page)


def test_a_check_answer_adds_the_flag_it_justifies(site, page, sign_in, assert_accessible):
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}/actions")
    page.get_by_test_id("flag-from-check").first.click()
    expect(page.get_by_test_id("flag-for-check")).to_be_visible()
    assert_accessible(page)
    page.select_option("#type", "ADVP")
    page.fill("#notes", "Three call-outs since release to his new partner's address")
    page.get_by_role("button", name="Add flag").click()
    banner = page.get_by_test_id("success-banner")
    expect(banner.get_by_text("the domestic abuse check is recorded as acted on")).to_be_visible()
    assert_accessible(page)


def test_notifications_are_read_in_keepsafe(site, page, sign_in, assert_accessible, screenshot):
    person = Person.objects.get(crn=CRN)
    now = clock.now()
    record_add(
        actor=SYSTEM,
        person=person,
        external_id="GMP-F2",
        source="POLICE",
        kind="CALL_OUT",
        occurred_at=now,
        received_at=now,
        author="PC 1",
        text="Call-out to the partner's address.",
    )
    mine = Notification.objects.filter(recipient__code="STF0001")
    unread = mine.count()
    assert unread >= 1
    sign_in(page, site, "ada")
    page.get_by_role("link", name=f"Notifications ({unread} unread)").click()
    expect(page.get_by_test_id("unread-summary")).to_be_visible()
    expect(page.get_by_text("New information").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "notifications")
    page.get_by_test_id("notification").first.get_by_role("button").click()
    expect(page.get_by_test_id("success-banner").get_by_text("Notification marked as read")).to_be_visible()
    if unread > 1:
        page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_text("You have no unread notifications")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    assert_accessible(page)
    assert not mine.filter(read_at__isnull=True).exists()
