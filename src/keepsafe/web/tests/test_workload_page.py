"""Issue 15 (helper "work"): /teams/<code>/workload — who may open it, what it shows, and that it names no case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from keepsafe.audit.models import AuditEvent
from keepsafe.people.models import Person
from keepsafe.risk.models import CaseRisk
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Pdu, Reduction, Staff, Team, TrainingCompletion, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(imported):
    bundle = org_with_managers()
    bundle["people"] = [
        make_person("A000001"),
        make_person("A000002", restricted_to=["STF0002"], forename="Hidden", surname="Restricted"),
        make_person("A000003", practitioner="STF0002", forename="Other", surname="Caseload"),
    ]
    imported(bundle)
    ben = Staff.objects.get(code="STF0002")  # 22.5 h: trunc(2176 × 22.5 / 37) = 1323 available points
    for i in range(8):
        p = Person.objects.create(
            crn=f"B00000{i}",
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
        CaseRisk.objects.create(person=p, tier_v2="A3", level="VERY_HIGH")
    Reduction.objects.create(staff=ben, reason="GROUPS", hours=Decimal("2.5"), start=date(2020, 1, 1))
    TrainingCompletion.objects.create(staff=ben, course="DOMESTIC_ABUSE", completed_on=date(2010, 1, 1))
    for username, code, role in (
        ("ada", "STF0001", "PRACTITIONER"),
        ("sara", "STF0100", "SPO"),
        ("hana", "STF0800", "HEAD_OF_PDU"),
        ("alex", "STF0900", "REGIONAL_LEADER"),
    ):
        User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    User.objects.create(username="audrey", role="AUDITOR")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize(
    ("who", "status"), [("ada", 403), ("audrey", 403), ("sara", 200), ("hana", 200), ("alex", 200)]
)
def test_roles(site, who, status):
    assert signed_in(who).get("/teams/GMR-MN-1/workload").status_code == status


def test_another_pdus_team_is_refused_with_the_reason_not_the_role(site):
    """Issue 15 try-out: an SPO opening another PDU's team read "Your role does not give access"."""
    home = Pdu.objects.first()
    other = Pdu.objects.create(code="GMR-XX", name="Elsewhere", region=home.region)
    Team.objects.create(code="GMR-XX-1", name="Elsewhere Team 1", pdu=other)
    answer = signed_in("sara").get("/teams/GMR-XX-1/workload")
    assert answer.status_code == 403
    assert "workload only" in answer.content.decode()
    assert "Your role does not give access" not in answer.content.decode()


def test_unknown_team_is_404_and_post_is_refused(site):
    assert signed_in("sara").get("/teams/NOPE/workload").status_code == 404
    assert signed_in("sara").post("/teams/GMR-MN-1/workload").status_code == 405


def test_page_shows_capacity_training_and_no_case(site):
    body = signed_in("sara").get("/teams/GMR-MN-1/workload").content.decode()
    assert "<title>" in body
    assert "Manchester North Team 1: workload and capacity" in body
    ben = body.split('data-staff="STF0002"')[1].split("</tr>")[0]
    # 20 h after a 2.5 h reduction → trunc(2176 × 20 / 37) = 1176; 8 × A3 community (206) + the bundle's two
    # licence cases whose licence ended (0 points: tier computed from the bundle, sentence expired) → 1648
    assert "Probation officer" in ben
    assert "Over capacity" in ben
    assert "Groups: 2.5 h" in ben
    assert "Overdue</strong> Domestic abuse" in ben
    assert 'data-testid="workload-chart"' in body
    assert "A000002" not in body
    assert "Hidden" not in body
    assert "B000001" not in body
    assert AuditEvent.objects.filter(action="TEAM_WORKLOAD_VIEW", details__team="GMR-MN-1").exists()
    assert 'data-testid="pdu-compliance"' in body


def test_team_caseload_links_to_its_workload(site):
    body = signed_in("sara").get("/teams/GMR-MN-1").content.decode()
    assert 'href="/teams/GMR-MN-1/workload"' in body
