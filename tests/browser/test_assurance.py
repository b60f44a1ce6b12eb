"""Assurance pages in a real browser (issue 17): the delivery dashboard and the cases behind a number, drawing and
completing a case audit, selecting and reviewing recall decisions, overrides and equality; every page axe-clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.actions.models import Action, Recall
from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.risk.models import Assessment
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same


@pytest.fixture
def site(transactional_db, live_server):
    people = [make_person(f"A0000{n:02d}", gender="FEMALE" if n % 3 else "MALE") for n in range(10, 40)]
    bundle_import(actor=SYSTEM, raw=raw(org_with_managers() | {"people": people}), reconcile=False)
    now = clock.now()
    for n, person in enumerate(Person.objects.order_by("crn")):
        due = now - timedelta(days=10 + n)
        Action.objects.create(
            person=person,
            type="ENFORCEMENT_DECISION",
            key=f"browser:{n}",
            title="Enforcement decision",
            owner_role="COM",
            opens_at=due - timedelta(days=2),
            due=due,
            created_at=due - timedelta(days=2),
            status="DONE" if n % 4 else "OPEN",
            closed_at=due - timedelta(hours=1) if n % 4 else None,
            evidence={"kind": "decision"} if n % 4 else None,
        )
    person = Person.objects.order_by("crn").first()
    Recall.objects.create(
        person=person,
        external_id="R1",
        considered_at=now - timedelta(days=5),
        considered_by="STF0001",
        decided_at=now - timedelta(days=5),
        decided_by="STF0100",
        decision="RECALL",
        emergency=True,
    )
    Assessment.objects.create(  # an override: the countersigner kept HIGH in force over the assessor's MEDIUM
        person=person,
        external_id="A1",
        status="COMPLETE",
        assessor_code="STF0001",
        started_at=now - timedelta(days=6),
        completed_at=now - timedelta(days=5),
        overall="MEDIUM",
        previous_level="HIGH",
        countersign_agreed=False,
        countersigned_at=now - timedelta(days=4),
        countersigned_by="STF0100",
        countersign_comments="Two police call-outs since the assessment",
    )
    Staff.objects.create(code="STF0700", forename="Quinn", surname="Quality", grade="ADMIN")
    for username, code, role in (("hana", "STF0800", "HEAD_OF_PDU"), ("quinn", "STF0700", "AUDITOR")):
        user = User(username=username, staff=Staff.objects.get(code=code), role=role, first_name=code)
        user.set_password(PASSWORD)
        user.save()
    return live_server.url


def test_assurance_pages_are_accessible_and_work(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "hana")
    page.get_by_role("link", name="Assurance").click()
    page.get_by_test_id("measures").wait_for()
    row = page.locator("[data-measure=ENFORCEMENT_DECISIONS]")
    assert "73%" in row.inner_text()  # 22 of the 30 decisions on time (every fourth still open)
    expect(page.get_by_test_id("chart-ENFORCEMENT_DECISIONS").locator("svg.ks-chart")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "assurance-dashboard")
    row.get_by_role("link").click()
    page.get_by_test_id("case-listing").wait_for()
    expect(page.get_by_test_id("case-listing").get_by_role("link", name="A000010")).to_be_visible()
    assert_accessible(page)
    # The practitioners behind the capacity measure: names and counts, never a case.
    page.locator("[data-measure=CAPACITY]").get_by_role("link").click()
    page.get_by_test_id("practitioner-listing").wait_for()
    assert "A0000" not in page.get_by_test_id("practitioner-listing").inner_text()
    expect(page.get_by_test_id("chart-CAPACITY").locator("svg.ks-chart")).to_be_visible()
    assert_accessible(page)
    # A date that is not a date is refused, clearly.
    page.fill("#from-day", "31")
    page.fill("#from-month", "2")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Case audits").click()
    page.get_by_test_id("draw-form").wait_for()
    page.fill("#size", "3")
    page.fill("#seed", "2026")
    page.get_by_role("button", name="Draw the sample").click()
    page.get_by_test_id("audits").wait_for()
    assert page.get_by_test_id("audits").locator("tbody tr").count() == 3
    assert_accessible(page)
    screenshot(page, "assurance-audits")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, site, "quinn")
    page.goto(f"{site}/assurance/audits?scope=PDU&code=GMR-MN")
    page.get_by_test_id("audits").locator("a").first.click()
    page.get_by_test_id("audit-form").wait_for()
    page.get_by_role("button", name="Complete the audit").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    form = page.get_by_test_id("audit-form")
    for i in range(8):
        form.locator("input[type=radio][value=yes]").nth(i).check()
        form.locator("textarea").nth(i).fill("Seen in the case notes and the plan")
    form.get_by_role("button", name="Complete the audit").click()
    page.get_by_test_id("rollup-1").wait_for()
    assert "12/12" in page.get_by_test_id("rollup-1").inner_text()

    page.get_by_role("link", name="Recall decision sampling").click()
    page.get_by_role("button", name="Select decisions for review").click()
    page.get_by_test_id("reviews").wait_for()
    assert "Recall not executed within its time" in page.get_by_test_id("reviews").inner_text()
    assert_accessible(page)
    screenshot(page, "assurance-recall-sampling")
    page.get_by_label("Disagree").check()
    page.get_by_label("Reasons").fill("Nobody chased the police for 5 days")
    page.get_by_role("button", name="Record the review").click()
    assert "Action opened" in page.get_by_test_id("reviews").inner_text()

    page.get_by_role("link", name="Overrides").click()
    page.get_by_test_id("overrides-team").wait_for()
    listed = page.get_by_test_id("overrides-list").inner_text()
    assert "Two police call-outs since the assessment" in listed
    assert "Sara Senior" in listed
    assert "Medium → High" in listed
    assert "Manchester North Team 1" in page.get_by_test_id("overrides-team").inner_text()
    assert_accessible(page)
    screenshot(page, "assurance-overrides")
    page.get_by_role("link", name="Equality").click()
    page.get_by_test_id("equality-sex-1").wait_for()
    assert_accessible(page)
    screenshot(page, "assurance-equality")
