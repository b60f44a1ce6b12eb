"""Issue 15 (helper "work"): an SPO opens the team workload page in a real browser — chart, table and training,
over capacity marked in words, axe-clean (WCAG 2.2 A/AA)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from keepsafe.bundles.importer import bundle_import
from keepsafe.people.models import Person
from keepsafe.risk.models import CaseRisk
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.workforce.models import Reduction, Staff, TrainingCompletion, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same


@pytest.fixture
def site(transactional_db, live_server):
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person("A000030"))))
    ben = Staff.objects.get(code="STF0002")
    for i in range(10):
        p = Person.objects.create(
            crn=f"B0000{i:02d}",
            forename="B",
            surname="B",
            date_of_birth=date(1980, 1, 1),
            gender="MALE",
            pdu=ben.team.pdu,
            practitioner=ben,
        )
        p.events.create(
            external_id="1",
            offence="x",
            offence_category="violence",
            sentence_type="COMMUNITY_ORDER",
            sentence_date=date(2024, 1, 1),
        )
        CaseRisk.objects.create(person=p, tier_v2="A3", level="HIGH")
    Reduction.objects.create(staff=ben, reason="COURT_DUTY", hours=Decimal("3.5"), start=date(2020, 1, 1))
    TrainingCompletion.objects.create(staff=ben, course="DOMESTIC_ABUSE", completed_on=date(2015, 1, 1))
    user = User.objects.create(username="sara", staff=Staff.objects.get(code="STF0100"), role="SPO")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def test_spo_sees_team_workload(page, site, sign_in, assert_accessible, screenshot):
    sign_in(page, site, "sara")
    page.goto(f"{site}/teams/GMR-MN-1/workload")
    expect(page).to_have_title(re.compile(re.escape("workload and capacity")))
    row = page.locator('[data-testid="workload-row"][data-staff="STF0002"]')
    assert "Over capacity" in row.inner_text()
    assert "Court duty: 3.5 h" in row.inner_text()
    expect(page.locator('[data-testid="workload-chart"]')).to_be_visible()
    assert "B000001" not in page.content()
    screenshot(page, "team-workload")
    assert_accessible(page)
