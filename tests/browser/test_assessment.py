"""A RoSH assessment walked in the browser by a PO, a trainee (PQiP) and an SPO; every step axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from keepsafe.bundles.importer import bundle_import
from keepsafe.people.models import Person
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
RATIONALE = "He threatened his former partner in October and carried a knife in August; harm would be serious."


@pytest.fixture
def site(transactional_db, live_server):
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person("A000001", forename="Jordan", surname="Example"))))
    team = Staff.objects.get(code="STF0001").team
    Staff.objects.create(code="PQ01", forename="Tara", surname="Trainee", grade="PQIP", team=team)
    for username, code, role in (
        ("ada", "STF0001", "PRACTITIONER"),
        ("sara", "STF0100", "SPO"),
        ("tara", "PQ01", "PRACTITIONER"),
    ):
        user = User(username=username, staff=Staff.objects.get(code=code), role=role, first_name=code)
        user.set_password(PASSWORD)
        user.save()
    return live_server.url


def analyse(page, relevant: set[str]) -> None:
    page.fill("#analysis-nature", "Violence towards a former partner")
    page.fill("#analysis-imminence", "Could happen at any time if he drinks")
    page.fill("#analysis-increases", "Alcohol; contact with the partner")
    page.fill("#analysis-reduces", "Work; stable housing")
    for code in INDICATORS:
        if code in relevant:
            page.check(f"#ind-{code}")
        else:
            page.check(f"#ind-{code}-2")
            page.fill(f"#reason-{code}", "Nothing in police, prison or practitioner records")
    page.click("button:has-text('Save and continue')")
    page.wait_for_load_state()


def judge(page, level: str) -> None:
    for group in ("children", "public", "known_adult", "staff"):
        page.select_option(f"#community-{group}", level)
        page.fill(f"#rationale-{group}", RATIONALE)
    page.check("#in_custody-2")
    for item in ("suicide", "self_harm", "custody_coping", "hostel_coping", "vulnerability"):
        page.check(f"#rts-{item}-2")
    page.click("button:has-text('Save judgement')")
    page.wait_for_load_state()


def start(page, base: str) -> None:
    page.goto(f"{base}/case/A000001/risk")
    page.click("button:has-text('Start a RoSH assessment')")
    page.wait_for_load_state()


def test_po_lowering_waits_for_the_spo_and_prompts_must_be_answered(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/A000001/risk")
    assert "high rosh" in page.inner_text("[data-testid=risk-overall]").lower()  # from the imported assessment
    assert_accessible(page)
    start(page, site)
    assert "Step 1: gather" in page.inner_text("main")
    assert "Restraining order" in page.inner_text("[data-testid=gather-registrations]")
    assert_accessible(page)
    page.click("text=Continue to analysis")
    page.click("button:has-text('Save and continue')")  # nothing answered: every indicator is an error
    expect(page.locator(".govuk-error-summary a[href='#ind-weapons']")).to_be_visible()
    assert_accessible(page)
    analyse(page, {"weapons", "threats", "violence"})
    assert "Step 3: judge" in page.inner_text("main")
    judge(page, "MEDIUM")
    prompts = page.inner_text("[data-testid=prompts]")
    assert "Weapons, threats to harm and violence are all present" in prompts
    assert "Complete the assessment" not in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "assessment-prompts")
    page.fill("#prompt-WEAPONS_THREATS_VIOLENCE", "To match other documents")
    page.click("button:has-text('Save judgement')")
    assert "not other documents" in page.inner_text(".govuk-error-summary")
    for field in page.locator("textarea[id^=prompt-]").all():
        field.fill(
            "The knife find was in 2019 and the threats were withdrawn; nothing since in four years of "
            "police and prison records."
        )
    page.click("button:has-text('Save judgement')")
    page.wait_for_load_state()
    assert "Overall RoSH: Medium" in page.inner_text("[data-testid=overall]")
    page.click("button:has-text('Complete the assessment')")
    page.wait_for_load_state()
    assert "Step 4: risk management plan" in page.inner_text("main")
    assert_accessible(page)
    assert "waiting for countersignature" in page.inner_text("[data-testid=pending-lowering]")
    assert "high rosh" in page.inner_text("[data-testid=case-rosh]").lower()  # the higher level still applies

    sign_in(page, site, "sara")
    page.goto(f"{site}/case/A000001/risk")
    page.click("[data-testid=assessments] a:has-text('Countersign')")
    # The SPO sees the level before, the overridden prompt with its evidence, and the reason (issue 12 §4).
    assert "Level before it: High" in page.inner_text("[data-testid=countersign-levels]")
    overridden = page.inner_text("[data-testid=countersign-prompts]")
    assert "Weapons, threats to harm and violence are all present" in overridden
    assert "record:PRISON-INTEL-881" in overridden
    assert "The knife find was in 2019" in overridden
    assert_accessible(page)
    page.check("#decision")
    page.fill("#comments", "Checked police and prison records with the PO; agree the risk has reduced.")
    page.click("button:has-text('Countersign')")
    page.wait_for_load_state()
    assert "medium rosh" in page.inner_text("[data-testid=case-rosh]").lower()
    assert page.locator("[data-testid=pending-lowering]").count() == 0
    assert_accessible(page)


def test_raising_takes_effect_the_moment_the_po_completes(site, page, sign_in, assert_accessible):
    sign_in(page, site, "ada")
    start(page, site)
    page.click("text=Continue to analysis")
    analyse(page, {"weapons", "threats", "violence"})
    judge(page, "VERY_HIGH")
    assert page.locator("[data-testid=prompts]").count() == 0
    page.click("button:has-text('Complete the assessment')")
    page.wait_for_load_state()
    assert "very high rosh" in page.inner_text("[data-testid=case-rosh]").lower()
    page.goto(f"{site}/case/A000001/risk")
    assert "Waiting" in page.inner_text("[data-testid=assessments]")  # the SPO reviews the raise afterwards
    assert_accessible(page)


def test_a_trainee_assessment_always_waits_for_countersignature(site, page, sign_in, assert_accessible):
    # Only staff who work the case may assess it (people/rules/case_work.py): Tara holds it.
    Person.objects.filter(crn="A000001").update(practitioner=Staff.objects.get(code="PQ01"))
    sign_in(page, site, "tara")
    start(page, site)
    page.click("text=Continue to analysis")
    analyse(page, set())
    judge(page, "HIGH")
    for field in page.locator("textarea[id^=prompt-]").all():
        field.fill("The restraining order protects her and he has kept to it for three years; MAPPA reviewed it.")
    if page.locator("textarea[id^=prompt-]").count():
        page.click("button:has-text('Save judgement')")
        page.wait_for_load_state()
    page.click("button:has-text('Complete the assessment')")
    page.wait_for_load_state()
    page.goto(f"{site}/case/A000001/risk")
    row = page.inner_text("[data-testid=assessments] tbody tr:first-child")
    assert "PQ01" in row
    assert "Waiting" in row
    assert_accessible(page)
