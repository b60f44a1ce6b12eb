"""Issue 15 §3 (helper "overs"): the /oversight page and the SPO oversight note form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from keepsafe.actions.models import Action
from keepsafe.actions.services.manage import refresh
from keepsafe.audit.models import AuditEvent
from keepsafe.oversight.models import PduStatus
from keepsafe.people.models import Contact, Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.fixture
def site(imported):
    bundle = org_with_managers()
    for staff in bundle["staff"]:
        if staff["code"] == "STF0001":
            staff["grade"] = "PQIP"
    imported(
        bundle
        | {
            "people": [
                make_person("X600001", contacts=[], records=[]),
                make_person("X600002", contacts=[], records=[], restricted_to=["STF0001"], forename="Hidden"),
            ]
        }
    )
    users = {
        code: User.objects.create(username=code.lower(), staff=Staff.objects.get(code=code), role=role)
        for code, role in (("STF0100", "SPO"), ("STF0001", "PRACTITIONER"), ("STF0800", "HEAD_OF_PDU"))
    }
    with time_machine.travel(NOW, tick=False):
        for person in Person.objects.all():
            refresh(person.pk)
    hidden = Person.objects.get(crn="X600002")
    # A touch point the SPO owns on a case they may not see (say, restricted after it was assigned): counted only.
    Action.objects.create(
        person=hidden,
        type="OVERSIGHT_TOUCHPOINT",
        key="oversight:test:hidden",
        title="Hidden touch point",
        owner=Staff.objects.get(code="STF0100"),
        owner_role="SPO",
        opens_at=NOW,
        due=NOW + timedelta(days=3),
        created_at=NOW,
    )
    return users


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_spo_sees_their_touch_points_countersigning_queue_and_span_of_control(site):
    with time_machine.travel(NOW, tick=False):
        response = _client(site["STF0100"]).get("/oversight")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Management oversight – Keepsafe</title>" in html
    assert 'data-testid="touchpoints-row" data-crn="X600001"' in html
    assert "X600002" not in html  # owned, but on a case the SPO may not see: counted, never named
    assert 'data-testid="touchpoints-hidden">1 more' in html
    assert 'data-testid="countersign-none"' in html
    assert 'data-spo="STF0100"' in html
    event = AuditEvent.objects.filter(action="OVERSIGHT_QUEUE", details__queue="touchpoints").order_by("-id").first()
    assert event is not None
    assert "X600001" in event.details["crns"]


def test_span_of_control_counts_practitioners_and_their_cases_per_spo(site):
    from keepsafe.oversight.selectors import span_of_control

    team = Staff.objects.get(code="STF0100").team_id
    (span,) = span_of_control([team])
    (spo,) = span.spans
    assert spo.code == "STF0100"
    assert (
        spo.practitioners == Staff.objects.filter(line_manager__code="STF0100", grade__in=["PO", "PQIP", "PSO"]).count()
    )
    assert spo.pqips == 1
    assert spo.cases == Person.objects.filter(practitioner__line_manager__code="STF0100").count() == 2


def test_the_head_of_pdu_sees_each_spos_touch_points_waiting_and_overdue_without_a_case_named(site):
    """Issue 15 try-out: a head of PDU's /oversight read "0 overdue" while their SPOs' touch points were weeks late."""
    spo = Staff.objects.get(code="STF0100")
    Action.objects.create(
        person=Person.objects.get(crn="X600001"),
        type="OVERSIGHT_TOUCHPOINT",
        key="oversight:test:late",
        title="Late touch point",
        owner=spo,
        owner_role="SPO",
        opens_at=NOW - timedelta(days=30),
        due=NOW - timedelta(days=10),
        created_at=NOW - timedelta(days=30),
    )
    waiting = Action.objects.filter(type="OVERSIGHT_TOUCHPOINT", status="OPEN", owner=spo, opens_at__lte=NOW)
    with time_machine.travel(NOW, tick=False):
        html = _client(site["STF0800"]).get("/oversight").content.decode()
    row = html.split('data-spo="STF0100"')[1].split("</tr>")[0]
    assert f">{waiting.count()}</td>" in row
    late = waiting.filter(due__lt=NOW).count()
    assert late >= 1
    assert f"{late} overdue" in row
    assert "X600001" not in row  # counts only


@pytest.mark.parametrize("code", ["STF0001"])
def test_a_practitioner_may_not_open_the_oversight_page_or_the_note_form(site, code):
    client = _client(site[code])
    assert client.get("/oversight").status_code == 403
    assert client.post("/case/X600001/oversight-note", {"notes": "x"}).status_code == 403
    assert not Contact.objects.filter(type="SPO_OVERSIGHT").exists()


def test_recording_a_note_closes_the_touch_points_and_says_so(site):
    client = _client(site["STF0100"])
    person = Person.objects.get(crn="X600001")
    open_before = Action.objects.filter(person=person, type="OVERSIGHT_TOUCHPOINT", status="OPEN").count()
    assert open_before >= 1
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        form = client.get("/case/X600001/oversight-note")
        assert form.status_code == 200
        assert "<title>Record an SPO oversight note – X600001 – Keepsafe</title>" in form.content.decode()
        response = client.post("/case/X600001/oversight-note", {"notes": "Reviewed the plan"}, follow=True)
    html = response.content.decode()
    assert 'data-testid="success-banner"' in html
    assert f"{open_before} touch point" in html
    assert not Action.objects.filter(person=person, type="OVERSIGHT_TOUCHPOINT", status="OPEN").exists()


def test_a_blank_note_shows_the_error_summary_and_stores_nothing(site):
    with time_machine.travel(NOW, tick=False):
        response = _client(site["STF0100"]).post("/case/X600001/oversight-note", {"notes": "  "})
    html = response.content.decode()
    assert response.status_code == 400  # re-shown with errors (issue 16 try-out)
    assert "<title>Error: Record an SPO oversight note – X600001 – Keepsafe</title>" in html
    assert 'href="#notes"' in html
    assert not Contact.objects.filter(type="SPO_OVERSIGHT").exists()


def test_a_case_the_manager_may_not_see_is_answered_like_a_missing_one(site):
    client = _client(site["STF0100"])
    assert client.get("/case/X600002/oversight-note").status_code == 404
    assert client.get("/case/Z999999/oversight-note").status_code == 404


# --- issue 15 §4: prioritisation -------------------------------------------------------------------------------------


def test_a_head_of_pdu_sets_red_and_termination_shows_deprioritised_and_the_region_sees_it(site):
    head = _client(site["STF0800"])
    with time_machine.travel(NOW, tick=False):
        page = head.get("/oversight/pdu-status")
        assert page.status_code == 200
        assert "<title>Prioritisation status – Manchester North – Keepsafe</title>" in page.content.decode()
        bad = head.post("/oversight/pdu-status", {"status": "RED", "reason": ""})
        assert "<title>Error: Prioritisation status" in bad.content.decode()
        # issue 15 try-out: every problem at once, 400, and no status from 1800 (nor from before last year)
        for year, day in (("1800", "1"), ("2025", "1"), ("2026", "31")):
            wrong = head.post(
                "/oversight/pdu-status",
                {"status": "PURPLE", "reason": "", "applies_from-day": day}
                | {"applies_from-month": "2" if day == "31" else "1", "applies_from-year": year},
            )
            summary = wrong.content.decode().split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
            assert wrong.status_code == 400
            for field in ("status", "reason", "applies_from"):
                assert f'href="#{field}' in summary, (year, field)
        assert not PduStatus.objects.exists()
        response = head.post(
            "/oversight/pdu-status",
            {"status": "RED", "reason": "58% staffed", "applies_from-day": "23"}
            | {"applies_from-month": "11", "applies_from-year": "2026"},
            follow=True,
        )
        assert 'data-testid="success-banner"' in response.content.decode()
        person = Person.objects.get(crn="X600001")
        Action.objects.create(
            person=person,
            type="TERMINATION",
            key="t:termination",
            title="Termination",
            owner=Staff.objects.get(code="STF0001"),
            owner_role="COM",
            opens_at=NOW,
            due=NOW,
            created_at=NOW,
        )
        mine = _client(site["STF0001"]).get("/actions").content.decode()
    rows = [r for r in mine.split("<tr") if 'data-action-type="' in r]
    flagged = {r.split('data-action-type="')[1].split('"')[0] for r in rows if 'data-testid="deprioritised"' in r}
    assert flagged == {"TERMINATION"}
    aco = User.objects.create(username="aco", staff=Staff.objects.get(code="STF0900"), role="REGIONAL_LEADER")
    with time_machine.travel(NOW, tick=False):
        region = _client(aco).get("/region").content.decode()
    assert 'data-testid="prioritisation-row" data-pdu="GMR-MN"' in region
    assert "58% staffed" in region


def test_only_a_head_of_pdu_may_set_the_status(site):
    for code in ("STF0100", "STF0001"):
        assert _client(site[code]).post("/oversight/pdu-status", {"status": "RED"}).status_code == 403


# --- issue 15 §6: the supervisor view --------------------------------------------------------------------------------


def test_the_supervisor_view_shows_each_practitioner_with_reasons_and_highlights_outliers(site):
    with time_machine.travel(NOW, tick=False):
        response = _client(site["STF0100"]).get("/oversight/team")
        assert _client(site["STF0001"]).get("/oversight/team").status_code == 403
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Supervisor view – Keepsafe</title>" in html
    assert 'data-testid="supervisor-row" data-staff="STF0001" data-outlier="true"' in html  # never overseen: far
    assert "no SPO oversight note on any of their cases" in html
    assert 'data-testid="supervisor-chart" data-team="GMR-MN-1"' in html
