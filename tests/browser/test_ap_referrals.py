"""Issue 16 §5 in a real browser (helper "ap"): a licence requiring approved premises shows "No confirmed place"; a
referral with a bad date first (the error summary), sent with the risk summary; the premises refuse it; an emergency
referral is accepted with a place; the flag goes; every page axe-clean."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from keepsafe.bundles.importer import bundle_import
from keepsafe.core import clock
from keepsafe.premises.models import ApReferral
from keepsafe.premises.tests.conftest import ap_person
from keepsafe.testing.fixtures import SYSTEM, make_bundle, partner_agreement, raw
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.browser
PASSWORD = "a-long-browser-test-password"  # the sign_in fixture (conftest.py) uses the same
CRN = "A000165"


@pytest.fixture
def site(transactional_db, live_server):
    person = ap_person(CRN)  # with its completed assessment: a referral needs a current risk summary
    release = (clock.today() + timedelta(days=60)).isoformat()
    person["events"][0]["dates"] |= {"release": release, "conditional_release": release}
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)), reconcile=False)
    partner_agreement("APCRU", kind="OTHER", answers=(), send_kinds=())
    user = User(username="ada", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER", first_name="Ada")
    user.set_password(PASSWORD)
    user.save()
    return live_server.url


def _date(page, prefix: str, day) -> None:
    page.fill(f"#{prefix}-day", str(day.day))
    page.fill(f"#{prefix}-month", str(day.month))
    page.fill(f"#{prefix}-year", str(day.year))


def _refer(page, arrival, *, emergency: bool) -> None:
    page.get_by_role("link", name="Refer to approved premises").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Refer to approved premises")))
    page.get_by_label("Approved premises partner").select_option("APCRU")
    page.get_by_label("Approved premises", exact=True).fill("Bunyan House")
    _date(page, "requested_arrival", arrival)
    if emergency:
        page.get_by_role("radio", name=re.compile("^Yes, an emergency")).check()
    else:
        page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_label("Why approved premises are needed").fill("High RoSH to a known adult")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_test_id("success-banner").wait_for()


def test_a_refused_then_accepted_referral(site, page, sign_in, assert_accessible):
    arrival = clock.today() + timedelta(days=60)
    page.set_default_timeout(180_000)  # a shared, loaded machine
    page.set_default_navigation_timeout(180_000)
    sign_in(page, site, "ada")
    page.goto(f"{site}/case/{CRN}")
    page.get_by_role("link", name="Approved premises", exact=True).click()
    expect(page.get_by_test_id("ap-no-place")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Refer to approved premises").click()
    page.get_by_label("Approved premises", exact=True).fill("Bunyan House")
    page.fill("#requested_arrival-day", "31")
    page.fill("#requested_arrival-month", "2")
    page.fill("#requested_arrival-year", str(arrival.year))
    page.get_by_role("button", name="Send referral").click()
    expect(page).to_have_title(re.compile("^" + re.escape("Error: ")))
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert not ApReferral.objects.exists()
    assert_accessible(page)
    page.get_by_role("link", name="Back to approved premises").click()

    _refer(page, arrival, emergency=False)
    expect(page.get_by_test_id("ap-decision")).to_contain_text("Waiting for the premises")
    page.get_by_role("link", name=re.compile("^Record decision")).click()
    expect(page).to_have_title(re.compile("^" + re.escape("Record the approved premises' decision")))
    assert_accessible(page)
    page.get_by_role("radio", name="Refused", exact=True).check()
    page.get_by_role("textbox", name=re.compile("^The premises' reason")).fill("No bed: arson risk")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_test_id("success-banner").wait_for()
    expect(page.get_by_test_id("ap-decision")).to_contain_text("Refused")
    expect(page.get_by_test_id("ap-no-place")).to_be_visible()

    _refer(page, arrival, emergency=True)
    page.get_by_role("link", name=re.compile("^Record decision")).click()
    page.get_by_role("radio", name="Accepted: a place is offered").check()
    _date(page, "place_date", arrival)
    page.get_by_role("button", name="Record decision").click()
    page.get_by_test_id("success-banner").wait_for()
    expect(page.get_by_test_id("ap-no-place")).to_have_count(0)
    expect(page.get_by_test_id("ap-referral")).to_have_count(2)
    assert_accessible(page)
