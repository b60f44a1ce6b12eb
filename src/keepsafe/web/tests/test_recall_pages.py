"""Issue 14 §4 (recall cannot be missed) and §6 (pages for each role, lists that paginate): the red banner on every
case tab and in the caseload, action lists by severity then due, the regional leader's landing page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern

from keepsafe.actions import lists as action_lists
from keepsafe.actions.models import Action, Recall
from keepsafe.actions.rules.types import SEVERITY_ORDER, ActionType, severity
from keepsafe.audit.models import AuditEvent
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.web import urls
from keepsafe.workforce.models import Pdu, Region, Staff, Team, User

pytestmark = pytest.mark.django_db
DECIDED = "2026-11-23T10:00:00Z"
LATER = "2026-11-24T16:00:00Z"  # 30 hours after the decision


def _on_licence(crn: str, **changes) -> dict:
    person = make_person(crn, **changes)
    event = person["events"][0]
    event["dates"].update(
        {"release": "2026-10-01", "conditional_release": "2026-10-01", "licence_expiry": "2028-01-01"}
    )
    event["dates"]["sentence_expiry"] = "2028-01-01"
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": "2024-09-01", "length_months": 40}
    return person


@pytest.fixture
def site(imported):
    imported(
        org_with_managers()
        | {
            "people": [
                _on_licence("X123456"),
                _on_licence("X000002", forename="Quiet", surname="Case"),
                _on_licence("X000003", forename="Hidden", surname="Person", restricted_to=["STF0002"]),
            ]
        }
    )
    users = {}
    for username, code, role in (
        ("ada", "STF0001", "PRACTITIONER"),
        ("sara", "STF0100", "SPO"),
        ("alex", "STF0900", "REGIONAL_LEADER"),
        ("pat", "STF0200", "POM"),
    ):
        users[username] = User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    return users


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _recall(site, crn: str = "X123456", emergency: bool = True) -> None:
    """Considered by the practitioner, decided by the SPO, through the pages."""
    ada, sara = as_user(site["ada"]), as_user(site["sara"])
    with time_machine.travel(DECIDED, tick=False):
        assert (
            ada.post(
                f"/case/{crn}/recall/consider",
                {"event": "1", "reasons": ["RISK_INCREASED"], "concerns": "Threats to ex-partner"},
            ).status_code
            == 302
        )
        decision = {"decision": "RECALL", "type": "STANDARD", "emergency": "yes" if emergency else "no"}
        assert sara.post(f"/case/{crn}/recall/decide", decision | {"rationale": "Escalating"}).status_code == 302


def case_tabs() -> list[str]:
    """Every page of a case that takes only the CRN, from the URL conf (a tab added later is covered)."""
    return [
        str(p.pattern)
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and set(p.pattern.converters) == {"crn"} and p.name
    ]


def test_an_active_recall_is_a_red_banner_on_every_case_tab_until_executed(site):
    ada = as_user(site["ada"])
    tabs = ["/" + t.replace("<str:crn>", "X123456") for t in case_tabs()]
    assert len(tabs) >= 7
    with time_machine.travel(DECIDED, tick=False):
        assert 'data-testid="recall-banner"' not in ada.get("/case/X123456").content.decode()
    _recall(site)
    shown = 0
    with time_machine.travel(LATER, tick=False):
        ada = as_user(site["ada"])  # a new day's sign-in
        Recall.objects.update(revoked_at=clock.now() - timedelta(hours=5))
        for path in tabs:
            response = ada.get(path)
            if response.status_code != 200 or 'data-testid="case-header"' not in response.content.decode():
                continue
            page = response.content.decode()
            shown += 1
            assert 'data-testid="recall-banner"' in page, path
            assert page.index('data-testid="recall-banner"') < page.index('data-testid="case-header"'), path
            assert "Emergency recall" in page
            assert "5 hours since revocation" in page
        assert shown >= 7
        # Another case on the caseload has no banner.
        assert 'data-testid="recall-banner"' not in ada.get("/case/X000002").content.decode()
        caseload = ada.get("/caseload").content.decode()
        assert caseload.count('data-testid="caseload-recall"') == 1
        assert "Emergency recall: not yet in custody" in caseload
        assert (
            ada.post(
                "/case/X123456/recall/executed", {"at": "2026-11-24T15:00", "notes": "Police custody record"}
            ).status_code
            == 302
        )
        for path in tabs:
            assert 'data-testid="recall-banner"' not in ada.get(path).content.decode(), path
        assert 'data-testid="caseload-recall"' not in ada.get("/caseload").content.decode()


def test_a_decision_not_to_recall_shows_no_banner(site):
    ada, sara = as_user(site["ada"]), as_user(site["sara"])
    with time_machine.travel(DECIDED, tick=False):
        ada.post("/case/X123456/recall/consider", {"event": "1", "reasons": ["CONTACT_STOPPED"], "concerns": "Missed"})
        sara.post("/case/X123456/recall/decide", {"decision": "NO_RECALL", "rationale": "Re-engaged"})
        assert 'data-testid="recall-banner"' not in ada.get("/case/X123456").content.decode()


# --- severity --------------------------------------------------------------------------------------------------------


@time_machine.travel(DECIDED, tick=False)
def test_the_sql_severity_agrees_with_the_rule_for_every_type(site):
    """The Case/When of actions.lists.with_severity, evaluated by the database, equals actions.rules.types.severity
    for every action type (from the enum), emergency or not."""
    person = Person.objects.get(crn="X123456")
    for action_type in ActionType:
        for emergency in (False, True):
            _action(person, action_type, f"{action_type}:{emergency}", 1, emergency)
    got = {
        (a.type, a.detail.get("emergency") == "yes"): a.severity
        for a in action_lists.with_severity(Action.objects.filter(person=person))
    }
    assert got == {(t, e): severity(t, e) for (t, e) in got}, "SQL and rule disagree"
    assert len(got) == len(ActionType) + 1  # only RECALL_EXECUTION carries `emergency`
    assert got[("RECALL_EXECUTION", True)] == 0 < got[("RECALL_EXECUTION", False)] == 1
    assert set(SEVERITY_ORDER) == set(ActionType), "a new action type needs a place in SEVERITY_ORDER"


def _action(person: Person, action_type: str, key: str, due_hours: float, emergency: bool = False) -> Action:
    now = clock.now()
    return Action.objects.create(
        person=person,
        type=action_type,
        key=key,
        title=key,
        owner=person.practitioner,
        owner_role="COM",
        opens_at=now - timedelta(days=1),
        due=now + timedelta(hours=due_hours),
        created_at=now - timedelta(days=1),
        detail={"emergency": "yes" if emergency else "no"} if action_type == "RECALL_EXECUTION" else {},
        status="OPEN",
    )


@time_machine.travel(DECIDED, tick=False)
def test_action_lists_sort_by_severity_then_due_in_sql(site):
    person = Person.objects.get(crn="X123456")
    made = []
    for i, action_type in enumerate(ActionType):
        for emergency in (False, True) if action_type is ActionType.RECALL_EXECUTION else (False,):
            # Later due for the more severe types, so sorting by due alone would get it wrong.
            made.append(_action(person, action_type, f"{action_type}:{emergency}", 100 - i * 5, emergency))
    made.append(_action(person, "RISK_REVIEW", "overdue-review", -48))
    rows, total = action_lists.page(Action.objects.filter(person=person), offset=0, limit=100, now=clock.now())
    assert total == len(made)
    keys = [(severity(r["action"].type, r["action"].detail.get("emergency") == "yes"), r["action"].due) for r in rows]
    assert keys == sorted(keys)
    assert [(r["action"].type, r["action"].detail.get("emergency")) for r in rows[:2]] == [
        ("RECALL_EXECUTION", "yes"),
        ("RECALL_EXECUTION", "no"),
    ]
    page = as_user(site["ada"]).get("/actions").content.decode()
    assert page.index('data-action-type="RECALL_EXECUTION" data-emergency="true"') < page.index(
        'data-action-type="RISK_REVIEW"'
    )


@time_machine.travel(DECIDED, tick=False)
def test_action_lists_paginate_and_count_everything(site):
    person = Person.objects.get(crn="X123456")
    for n in range(63):
        _action(person, "RISK_REVIEW", f"review-{n}", n - 10)
    ada = as_user(site["ada"])
    first = ada.get("/actions").content.decode()
    assert first.count('data-action-type="RISK_REVIEW"') == 50
    assert "63 open actions" in first
    assert 'data-testid="pagination"' in first
    second = ada.get("/actions?page=2")
    assert second.content.decode().count('data-action-type="RISK_REVIEW"') == 13
    assert "(page 2)" in second.content.decode().split("</title>")[0]
    # The chart counts the whole list, not one page.
    assert "63 open actions, <strong>11 overdue</strong>" in first  # due at or before now: n = 0..10
    past = ada.get("/actions?page=99").content.decode()  # past the last page: the last (core/pages.py)
    assert past.count('data-action-type="RISK_REVIEW"') == 13
    assert "(page 2)" in past.split("</title>")[0]
    assert ada.get("/actions?page=abc").status_code == 400  # not a page number: refused, naming it


# --- the regional leader's landing page ------------------------------------------------------------------------------


def test_a_regional_leader_lands_on_their_region_with_every_recall_awaiting_execution(site):
    _recall(site, "X123456", emergency=True)
    _recall(site, "X000002", emergency=False)
    with time_machine.travel(DECIDED, tick=False):
        # A recall on a case the ACO may not see, and one in another region, are never listed or counted.
        Person.objects.filter(crn="X000003").update()
        other_region = Region.objects.create(code="NE", name="North East")
        other_pdu = Pdu.objects.create(code="NE-1", name="Newcastle", region=other_region)
        Team.objects.create(code="NE-1-1", name="Newcastle 1", pdu=other_pdu)
        elsewhere = Person.objects.get(crn="X000002")
        Person.objects.filter(pk=elsewhere.pk).update(pdu=other_pdu)
    with time_machine.travel(LATER, tick=False):
        alex = as_user(site["alex"])
        Recall.objects.filter(person__crn="X123456").update(revoked_at=clock.now() - timedelta(hours=7))
        assert alex.get("/").headers["Location"] == "/region"
        page = alex.get("/region").content.decode()
    assert "Greater Manchester: overview" in page
    assert 'data-testid="recalls-total">Recalls awaiting execution: 1<' in page
    assert page.count('data-testid="recall-row"') == 1
    assert 'data-crn="X123456"' in page
    assert "X000002" not in page
    assert "X000003" not in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-testid="recall-hours">7</td>' in page
    assert 'data-testid="region-pdus"' in page
    event = AuditEvent.objects.filter(action="RECALLS_AWAITING_EXECUTION").latest("id")
    assert event.details["crns"] == ["X123456"]
    # Other roles do not have this page.
    assert as_user(site["ada"]).get("/region").status_code == 403


def test_a_regional_leader_linked_to_no_region_is_told_so(site):
    Staff.objects.filter(line_manager__code="STF0900").update(line_manager=None)
    page = as_user(site["alex"]).get("/region").content.decode()
    assert 'data-testid="region-none"' in page


def test_the_poms_caseload_is_the_cases_they_are_pom_for(site):
    Person.objects.filter(crn="X000002").update(prison_offender_manager=None)
    page = as_user(site["pat"]).get("/caseload").content.decode()
    assert "X123456" in page
    assert "X000002" not in page
    assert "X000003" not in page  # POM for it, but it is restricted to someone else
    assert 'data-testid="caseload-total">1 case<' in page
