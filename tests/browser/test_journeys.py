"""Practitioners, SPOs and auditors walking the service in a real browser; every page axe-clean."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, partner_agreement, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same


def _flagged_person() -> dict:
    today = clock.today()
    person = make_person("A000001", forename="Jordan", surname="Example")
    person["events"][0]["dates"].update(
        release=(today - timedelta(days=40)).isoformat(),
        conditional_release=(today - timedelta(days=40)).isoformat(),
        licence_expiry=(today + timedelta(days=400)).isoformat(),
        sentence_expiry=(today + timedelta(days=400)).isoformat(),
    )
    person["events"][0]["sentence"]["date"] = (today - timedelta(days=900)).isoformat()
    person["events"][0]["offence_date"] = (today - timedelta(days=1000)).isoformat()
    person["registrations"] = [
        {
            "id": "RO",
            "type": "RSTO",
            "start": (today - timedelta(days=100)).isoformat(),
            "end": (today + timedelta(days=1700)).isoformat(),
            "level": None,
            "category": None,
            "notes": "Restraining order protecting Jane Doe",
        },
        {
            "id": "MAPPA",
            "type": "MAPP",
            "start": (today - timedelta(days=200)).isoformat(),
            "end": None,
            "level": "M2",
            "category": "M1",
            "notes": "MAPPA level 2",
        },
        {
            "id": "DA",
            "type": "ADVP",
            "start": (today - timedelta(days=30)).isoformat(),
            "end": None,
            "level": None,
            "category": None,
            "notes": "Police call-outs to former partner",
        },
        {
            "id": "ROSH",
            "type": "RHRH",
            "start": (today - timedelta(days=30)).isoformat(),
            "end": None,
            "level": None,
            "category": None,
            "notes": "",
        },
        {
            "id": "IOM",
            "type": "IIOM",
            "start": (today - timedelta(days=30)).isoformat(),
            "end": None,
            "level": None,
            "category": None,
            "notes": "IOM cohort",
        },
    ]
    person["contacts"].append(
        {
            "id": "C2",
            "type": "HOME_VISIT",
            "at": f"{(today + timedelta(days=3)).isoformat()}T10:00:00Z",
            "staff": "STF0001",
            "outcome": None,
            "notes": "",
        }
    )
    police = copy.deepcopy(person["records"][0])
    police.update(
        id="POL-1",
        source="POLICE",
        kind="CALL_OUT",
        author="Police",
        text="Officers attended a domestic argument; former partner reported being pushed.",
    )
    person["records"].append(police)
    return person


@pytest.fixture
def site(transactional_db, live_server):
    bundle_import(
        actor=SYSTEM,
        raw=raw(
            make_bundle(
                _flagged_person(),
                make_person("A000002", forename="Hidden", surname="Restricted", restricted_to=["STF0002"]),
                make_person("A000003", forename="Excluded", surname="Person", excluded=["STF0001"]),
                make_person("A000004", forename="Other", surname="Caseload", practitioner="STF0002"),
            )
        ),
    )
    Staff.objects.create(
        code="STF0300",
        forename="Hope",
        surname="Head",
        grade="HEAD_OF_PDU",
        team=Staff.objects.get(code="STF0100").team,
    )
    for username, code, role in (
        ("ada", "STF0001", "PRACTITIONER"),
        ("sara", "STF0100", "SPO"),
        ("ben", "STF0002", "PRACTITIONER"),
        ("hope", "STF0300", "HEAD_OF_PDU"),
    ):
        user = User(username=username, staff=Staff.objects.get(code=code), role=role, first_name=code)
        user.set_password(PASSWORD)
        user.save()
    auditor = User(username="audrey", role="AUDITOR")
    auditor.set_password(PASSWORD)
    auditor.save()
    return live_server.url


def test_sign_in_page_and_its_errors_are_accessible(site, page, sign_in, assert_accessible):
    page.goto(f"{site}/caseload")
    assert "/sign-in" in page.url
    assert_accessible(page)
    page.click("button:has-text('Sign in')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_practitioner_walks_caseload_to_every_case_tab(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.wait_for_url(f"{site}/caseload")
    assert "Practitioner" in page.inner_text("[data-testid=signed-in-as]")
    table = page.inner_text("[data-testid=caseload-table]")
    assert "Example, Jordan" in table
    assert "A000001" in table
    assert "Excluded" not in table
    assert "Other" not in table
    assert "high rosh" in table.lower()
    assert_accessible(page)
    screenshot(page, "caseload")

    page.click("text=Example, Jordan")
    page.wait_for_url(f"{site}/case/A000001")
    header = page.locator("[data-testid=case-header]")
    assert "A000001" in header.inner_text()
    critical = page.locator("[data-critical=true]")
    assert critical.count() == 4  # restraining order, MAPPA, domestic abuse, high RoSH; IOM is not critical
    assert page.locator("[data-flag]").first.get_attribute("data-flag") == "RSTO"
    assert page.locator("[data-flag=IIOM]").get_attribute("data-critical") is None
    assert "Not to contact Jane Doe" in page.inner_text("[data-testid=protective-conditions]")
    assert_accessible(page)
    screenshot(page, "case-overview")

    for tab, expected in (
        ("Chronology", "Officers attended a domestic argument"),
        ("Sentence", "Building Better Relationships"),
        ("Flags", "MAPPA level 2"),
        ("Personal details", "2010/0012345A"),
    ):
        page.click(f".moj-sub-navigation__link:has-text('{tab}')")
        page.wait_for_load_state()
        assert expected in page.inner_text("main"), tab
        expect(page.locator("[data-testid=case-header]")).to_be_visible()
        assert_accessible(page)
    page.click(".moj-sub-navigation__link:has-text('Chronology')")
    page.select_option("#source", "POLICE")
    page.click("button:has-text('Filter')")
    chronology = page.inner_text("[data-testid=chronology]")
    assert "Officers attended" in chronology
    assert "Improvised blade" not in chronology


def test_hidden_cases_are_not_found_and_never_in_search(site, page, sign_in, assert_accessible):
    sign_in(page, site, "ada")
    page.wait_for_url(f"{site}/caseload")
    response = page.goto(f"{site}/case/A000003")
    assert response.status == 404
    assert "Page not found" in page.inner_text("h1")
    assert "Excluded" not in page.content()
    assert_accessible(page)
    page.goto(f"{site}/search?q=Restricted")
    assert page.inner_text("[data-testid=search-count]") == "0 results"
    assert_accessible(page)
    page.goto(f"{site}/search?q=Excluded")
    assert page.inner_text("[data-testid=search-count]") == "0 results"


def test_spo_sees_the_team_view(site, page, sign_in, assert_accessible):
    sign_in(page, site, "sara")
    page.wait_for_url(f"{site}/teams/GMR-MN-1")
    assert "Cases per practitioner" in page.inner_text("main")
    table = page.inner_text("[data-testid=caseload-table]")
    assert "Ada Jones" in table
    assert "Ben Other" in table
    assert "Restricted" not in table
    assert_accessible(page)
    page.select_option("#setting", "COMMUNITY")
    page.click("button:has-text('Apply filters')")
    assert "setting=COMMUNITY" in page.url
    assert_accessible(page)


def test_auditor_searches_the_trail(site, page, sign_in, assert_accessible):
    sign_in(page, site, "audrey")
    page.wait_for_url(f"{site}/audit")
    page.fill("#crn", "A000001")
    page.click("button:has-text('Search the audit trail')")
    assert "CASE_IMPORT_CREATE" in page.inner_text("[data-testid=audit-table]")
    assert_accessible(page)


def test_keyboard_alone_reaches_a_case(site, page, sign_in):
    sign_in(page, site, "ada")
    page.wait_for_url(f"{site}/caseload")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Example, Jordan":
            break
    else:
        pytest.fail("the case link was not reachable with the Tab key")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/case/A000001")
    assert "Jordan Example" in page.inner_text("h1")


def test_head_of_pdu_sees_the_pdu_and_sorts_it(site, page, sign_in, assert_accessible):
    sign_in(page, site, "hope")
    page.wait_for_url(f"{site}/pdus/GMR-MN")
    assert "Manchester North: caseload" in page.inner_text("h1")
    assert "Cases per practitioner" in page.inner_text("main")
    assert "Restricted" not in page.inner_text("main")
    assert_accessible(page)
    page.click("th a:has-text('CRN')")
    assert page.locator("th[aria-sort=ascending]").inner_text() == "CRN"
    page.click("th a:has-text('CRN')")
    first = page.locator("[data-testid=caseload-table] tbody tr").first.inner_text()
    assert "A000004" in first  # descending: the highest CRN visible to them comes first
    assert_accessible(page)


def test_search_results_and_role_refusals_are_accessible(site, page, sign_in, assert_accessible):
    sign_in(page, site, "ada")
    page.wait_for_url(f"{site}/caseload")
    page.click(".govuk-service-navigation__link:has-text('Search')")
    page.fill("#q", "other")
    page.click("button:has-text('Search')")
    results = page.inner_text("main")
    assert "A000004" in results
    assert "A000002" not in results
    assert "A000003" not in results
    assert_accessible(page)
    response = page.goto(f"{site}/teams/GMR-MN-1")
    assert response.status == 403
    assert "You cannot use this page" in page.inner_text("h1")
    assert_accessible(page)


def test_lock_out_after_repeated_failures(site, page, sign_in, assert_accessible, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{site}/sign-in")
        page.fill("#username", "ben")
        page.fill("#password", "not-the-password")
        page.click("button:has-text('Sign in')")
    sign_in(page, site, "ben")
    assert "Too many attempts to sign in" in page.inner_text("h1")
    assert_accessible(page)


def test_risk_information_checks_and_prison_form_are_accessible(site, page, sign_in, assert_accessible, screenshot):
    partner_agreement()
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/A000001")
    panel = page.get_by_test_id("risk-information")
    expect(panel.get_by_role("heading", name="Risk information")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "risk-information")
    # Evidence links to the record in the chronology, where the span is marked.
    panel.locator("a[href*='chronology#record-']").first.click()
    assert page.locator("mark.ks-finding").count() >= 1
    assert_accessible(page)
    screenshot(page, "chronology-marked")
    page.goto(f"{site}/case/A000001")
    page.get_by_role("link", name="Request a domestic abuse check").click()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Greater Manchester Police").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_test_id("checks").get_by_text("Waiting")).to_be_visible()

    pom = User(username="pat", staff=Staff.objects.get(code="STF0200"), role="POM")
    pom.set_password(PASSWORD)
    pom.save()
    page.context.clear_cookies()  # sign out by ending the session
    sign_in(page, site, "pat")
    page.goto(f"{site}/case/A000001/prison-information")
    page.get_by_role("button", name="Share with the community offender manager").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    for label in (
        "Custodial behaviour",
        "Adjudications",
        "Security intelligence",
        "Weapons and drugs finds",
        "Threats",
        "Visits and contact concerns",
        "Engagement with the sentence plan",
    ):
        page.get_by_label(label).fill("None known")
    page.get_by_label("Security intelligence").fill("Intelligence suggests he has access to a firearm.")
    page.get_by_role("button", name="Share with the community offender manager").click()
    expect(page.locator("mark.ks-finding", has_text="firearm")).to_have_count(1)
