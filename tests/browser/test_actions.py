"""Safety actions in a real browser: my actions, team actions, a case's actions and the recall workflow, axe-clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same


@pytest.fixture
def site(transactional_db, live_server):
    today = clock.today()
    person = make_person("A000010")
    event = person["events"][0]
    event["sentence"] = {
        "type": "DETERMINATE_CUSTODY",
        "date": (today - timedelta(days=700)).isoformat(),
        "length_months": 48,
    }
    release = today - timedelta(days=20)
    event["dates"].update(
        {
            "release": release.isoformat(),
            "conditional_release": release.isoformat(),
            "licence_expiry": (today + timedelta(days=700)).isoformat(),
            "sentence_expiry": (today + timedelta(days=700)).isoformat(),
        }
    )
    person["contacts"] = [
        {
            "id": "C7",
            "type": "APPOINTMENT",
            "at": f"{(today - timedelta(days=6)).isoformat()}T10:00:00Z",
            "staff": "STF0001",
            "outcome": "FAILED_TO_ATTEND",
            "notes": "",
        }
    ]

    # Issue 12: intelligence of a knife and threats since release, and a domestic abuse check answered.
    def received(days_ago: int) -> str:
        return f"{(today - timedelta(days=days_ago)).isoformat()}T10:00:00Z"

    person["records"] = [
        *person["records"],
        {
            "id": "INTEL-B1",
            "source": "PRISON",
            "kind": "INTELLIGENCE_LOG",
            "occurred_at": received(5),
            "received_at": received(5),
            "author": "Security department",
            "text": "Intelligence: he has a knife and has threatened to kill his former partner.",
            "order": None,
        },
        {
            "id": "DA-REPLY-B1",
            "source": "POLICE",
            "kind": "DOMESTIC_ABUSE_CHECK",
            "occurred_at": received(8),
            "received_at": received(8),
            "author": "Police DA unit",
            "text": "Two call-outs in 2024 to a former partner.",
            "order": None,
        },
    ]
    person["checks"] = [
        {
            "id": "DA-B1",
            "kind": "DOMESTIC_ABUSE",
            "requested_at": received(10),
            "response_record": "DA-REPLY-B1",
            "acted_on_at": None,
            "acted_on_by": None,
        }
    ]
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)
    sweep_everything(as_of=None)
    for username, code, role in (("ada", "STF0001", "PRACTITIONER"), ("sara", "STF0100", "SPO")):
        user = User(username=username, staff=Staff.objects.get(code=code), role=role, first_name=code)
        user.set_password(PASSWORD)
        user.save()
    return live_server.url


def test_actions_pages_and_the_recall_workflow_are_accessible(site, page, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "ada")
    page.get_by_role("link", name="My actions").click()
    page.get_by_test_id("actions-table").wait_for()  # waits for the page to load, rather than racing it
    expect(page.get_by_test_id("actions-table")).to_be_visible()
    expect(page.get_by_test_id("actions-chart")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "my-actions")
    page.get_by_role("link", name="A000010").first.click()
    expect(page.get_by_test_id("action").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "case-actions")
    # An enforcement decision without reasons is refused, clearly.
    section = page.locator("[data-action-type=ENFORCEMENT_DECISION]")
    section.get_by_label("Warning").check()
    section.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    section = page.locator("[data-action-type=ENFORCEMENT_DECISION]")
    section.get_by_label("Warning").check()
    section.get_by_label("Reasons").fill("First absence: warning letter sent")
    section.get_by_role("button", name="Record decision").click()
    expect(page.locator("[data-action-type=ENFORCEMENT_DECISION]")).to_have_count(0)

    # A check's answer cannot be closed with "Noted.": the refusal says why, and the page stays accessible.
    section = page.locator("[data-action-type=DOMESTIC_ABUSE_CHECK]")
    section.get_by_label("No change, for a reason").check()
    section.get_by_label("What the answer showed and what was decided").fill("Noted.")
    section.get_by_role("button", name="Record what was done").click()
    expect(page.get_by_text("is not a decision").first).to_be_visible()
    assert_accessible(page)
    section = page.locator("[data-action-type=DOMESTIC_ABUSE_CHECK]")
    section.get_by_label("A referral made").check()
    section.get_by_label("What the answer showed and what was decided").fill(
        "Police confirm two call-outs to his former partner in 2024; MARAC referral made today."
    )
    section.get_by_role("button", name="Record what was done").click()
    expect(page.locator("[data-action-type=DOMESTIC_ABUSE_CHECK]")).to_have_count(0)

    page.goto(f"{site}/case/A000010/recall")
    expect(page.get_by_text("including during normal working hours")).to_be_visible()
    expect(page.get_by_test_id("emergency-suggested")).to_be_visible()
    page.get_by_role("button", name="Ask the SPO for a decision").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Risk has increased").check()
    page.get_by_label("What has happened?").fill("Threats to his former partner reported by police")
    page.get_by_role("button", name="Ask the SPO for a decision").click()
    assert page.get_by_test_id("recall-stage").inner_text() == "Considered"

    page.context.clear_cookies()
    sign_in(page, site, "sara")
    page.get_by_role("link", name="Team actions").click()
    expect(page.locator("[data-action-type=RECALL_DECISION]")).to_have_count(1)
    assert_accessible(page)
    page.goto(f"{site}/case/A000010/recall")
    page.get_by_label("Recall", exact=True).check()
    page.get_by_label("Standard").check()
    page.get_by_label("Yes").check()
    page.get_by_label("Rationale").fill("Escalating threats; emergency recall now")
    page.get_by_role("button", name="Record decision").click()
    assert "Part A" in page.get_by_test_id("recall-next").inner_text()
    assert_accessible(page)
    screenshot(page, "recall-part-a")
