"""Issue 14 §4–§5 in a real browser, axe-clean: the recall banner on every case tab; Part A produced as a stored PDF
and countersigned by an ACO who landed on their region's page and read Part A in full."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.actions.models import Recall
from keepsafe.actions.services import recall as recall_services
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.models import CaseDocument
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
PART_A = {
    "circumstances": "Threats to kill his former partner, reported by police",
    "licence_conditions_breached": "Non-contact condition",
    "alternatives_tried": "Warning; increased reporting",
    "current_rosh": "Very high to a known adult",
    "mappa": "Category 1, level 2",
    "victim_contact_scheme": "Yes; the VLO has been told",
    "last_known_address": "12 Example Street, Manchester",
    "associates": "His brother in Salford",
    "vehicles": "None known",
    "risk_to_officers": "Has carried a knife",
}


def _actor(code: str, role: Role) -> Actor:
    staff = Staff.objects.get(code=code)
    return Actor(username=code, role=role, staff_id=staff.pk, staff_code=code)


@pytest.fixture
def site(transactional_db, live_server):
    today = clock.today()
    person = make_person("A000020")
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
    bundle_import(actor=SYSTEM, raw=raw(org_with_managers() | {"people": [person]}), reconcile=False)
    for username, code, role in (
        ("ada", "STF0001", "PRACTITIONER"),
        ("alex", "STF0900", "REGIONAL_LEADER"),
    ):
        user = User(username=username, staff=Staff.objects.get(code=code), role=role, first_name=code)
        user.set_password(PASSWORD)
        user.save()
    subject = Person.objects.get(crn="A000020")
    recall = recall_services.recall_consider(
        actor=_actor("STF0001", Role.PRACTITIONER),
        person=subject,
        event=subject.events.get(),
        reasons=["RISK_INCREASED"],
        concerns="Threats to kill his former partner",
    )
    recall_services.recall_decide(
        actor=_actor("STF0100", Role.SPO),
        recall=recall,
        decision="RECALL",
        recall_type="STANDARD",
        emergency=True,
        rationale="Escalating threats",
    )
    return live_server.url


def test_the_recall_banner_is_on_every_case_tab(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.goto(f"{site}/caseload")
    assert page.get_by_test_id("caseload-recall").inner_text() == "Emergency recall: not yet in custody"
    assert_accessible(page)
    page.goto(f"{site}/case/A000020")
    tabs = page.locator("nav[aria-label='Case sections'] a")
    names = [tabs.nth(i).inner_text() for i in range(tabs.count())]
    assert len(names) >= 8
    for name in names:
        page.locator("nav[aria-label='Case sections']").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        banner = page.get_by_test_id("recall-banner")
        expect(banner, name).to_be_visible()
        assert "Emergency recall: not yet back in custody" in banner.inner_text()
        # Above everything else on the tab.
        assert banner.bounding_box()["y"] < page.get_by_test_id("case-header").bounding_box()["y"]
        assert_accessible(page)
    screenshot(page, "recall-banner")


def test_part_a_pdf_is_produced_and_countersigned_by_an_aco_who_read_it(
    site, page, sign_in, assert_accessible, screenshot
):
    recall = Recall.objects.get()
    recall_services.recall_part_a_save(actor=_actor("STF0001", Role.PRACTITIONER), recall=recall, part_a=PART_A)
    recall_services.recall_countersign(
        actor=_actor("STF0800", Role.HEAD_OF_PDU), recall=Recall.objects.get(), level="SPO"
    )

    # The practitioner produces Part A as a PDF, stored on the case.
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/A000020")
    page.locator("nav[aria-label='Case sections']").get_by_role("link", name="Documents").click()
    expect(page).to_have_url(re.compile(r"/case/A000020/documents$"))
    assert_accessible(page)
    page.get_by_role("link", name="Part A").click()
    expect(page.get_by_test_id("document").get_by_text(PART_A["risk_to_officers"])).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("document-generate").click()
    expect(page.get_by_test_id("document-stored")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "part-a-stored")
    href = page.get_by_test_id("document-pdf").get_attribute("href")
    pdf = page.request.get(f"{site}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    stored = CaseDocument.objects.get()
    assert stored.generated_by == "STF0001"
    assert bytes(stored.pdf) == pdf.body()

    # The ACO lands on their region's page, finds the recall, reads Part A in full and countersigns it.
    page.context.clear_cookies()
    sign_in(page, site, "alex")
    assert page.url.endswith("/region")
    row = page.get_by_test_id("recall-row")
    assert row.count() == 1
    assert "Not yet revoked" in row.get_by_test_id("recall-hours").inner_text()
    assert_accessible(page)
    screenshot(page, "region-overview")
    row.get_by_role("link").first.click()
    part_a = page.get_by_test_id("part-a-in-full")
    for text in PART_A.values():
        expect(part_a.get_by_text(text, exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I have read Part A in full: countersign as ACO").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("recall-stage").inner_text() == "Countersigned by the ACO"
    assert_accessible(page)
    signed = Recall.objects.get()
    assert signed.aco_signed_by == "STF0900"
