from __future__ import annotations

import json
from datetime import date

import pytest

from keepsafe.actions.models import EnforcementDecisionRecord
from keepsafe.assurance.models import AuditSample, CaseAudit
from keepsafe.audit.models import AuditEvent
from keepsafe.bundles.validate import validate
from keepsafe.core.actor import Actor
from keepsafe.demo import caseloads, generator
from keepsafe.demo.seed import DEMO_PASSWORD, seed
from keepsafe.people.models import CaseAccess, Person, Registration
from keepsafe.records.models import Record
from keepsafe.workforce.models import Pdu, Staff, User

TODAY = date(2026, 11, 23)


def test_generation_is_deterministic_and_valid():
    org = generator.organisation(TODAY)
    first = next(generator.people(300, TODAY, org))
    again = next(generator.people(300, TODAY, org))
    assert first == again
    crns = [p["crn"] for p in first]
    assert len(set(crns)) == 300
    grades = {s["grade"] for s in org["staff"]}
    assert grades == {"PSO", "PQIP", "PO", "SPO", "HEAD_OF_PDU", "ACO", "POM", "ADMIN"}
    # issue 15 (helper "demo4"): each team an SPO and ten practitioners (caseloads.MORE_GRADES added to five)
    for team in org["teams"]:
        members = [s for s in org["staff"] if s["team"] == team["code"] and s["grade"] in ("PO", "PQIP", "PSO")]
        assert len(members) == 5 + len(caseloads.MORE_GRADES)


@pytest.mark.django_db
def test_seed_builds_a_region_with_logins_and_is_idempotent():
    summary = seed(actor=Actor.system(), today=TODAY, people=300, chunk=100)
    assert summary.as_dict()["people"]["created"] == 300
    assert Staff.objects.count() >= 55
    # issue 15 (helper "demo4"): the demo practitioner's caseload is what fits their capacity, the first CRNs always
    assert Person.objects.filter(practitioner__code="DEMO001").count() >= caseloads.DEMO_PRACTITIONER_ALWAYS
    assert Registration.objects.filter(type__code="RSTO").exists()
    assert Registration.objects.filter(type__code="MAPP").exists()
    assert Registration.objects.filter(type__code="ADVP").exists()
    assert Record.objects.filter(source="PRISON").exists()
    assert Record.objects.filter(source="POLICE").exists()
    assert CaseAccess.objects.filter(kind="RESTRICTION").exists()
    assert CaseAccess.objects.filter(kind="EXCLUSION").exists()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"PRACTITIONER", "SPO", "HEAD_OF_PDU", "REGIONAL_LEADER", "POM", "AUDITOR", "ADMINISTRATOR"}
    assert User.objects.get(username="spo").check_password(DEMO_PASSWORD)
    # assurance (issue 17): one seeded audit sample per PDU, most of it audited
    assert EnforcementDecisionRecord.objects.filter(decision="WARNING").exists()
    assert EnforcementDecisionRecord.objects.filter(decision="BREACH").exists()
    pdus = Pdu.objects.count()
    assert AuditSample.objects.filter(seed=2026, size=20).count() == pdus
    assert CaseAudit.objects.filter(status="COMPLETE", auditor="DEMO006").count() == 16 * pdus
    # issue 16 §5 try-out: every demo case can be referred to approved premises (the form offers partners of kind
    # OTHER with an agreement covering the case)
    from keepsafe.cases.referrals import referral_partners

    assert any(p.kind == "OTHER" for p in referral_partners(Person.objects.order_by("crn").first()))
    audits = AuditEvent.objects.count()
    again = seed(actor=Actor.system(), today=TODAY, people=300, chunk=100)
    assert not again.changed_anything
    assert AuditEvent.objects.count() == audits + 1  # only the DEMO_SEED event itself


@pytest.mark.django_db
def test_every_demo_person_passes_full_bundle_validation():
    org = generator.organisation(TODAY)
    for batch in generator.people(600, TODAY, org, chunk=300):
        bundle = validate(json.dumps({**org, "people": batch}))
        assert len(bundle.people) == 300


@pytest.mark.django_db
def test_the_demo_practitioner_has_appointments_this_week_and_next_and_past_outcomes_in_the_diary():
    """Issue 14: the demo region carries appointments (bundle `appointments`), so `./dev demo` shows a diary."""
    from datetime import timedelta

    from django.test import Client

    from keepsafe.people.models import Appointment

    seed(actor=Actor.system(), today=TODAY, people=300, chunk=100)
    mine = Appointment.objects.filter(staff__code="DEMO001")
    monday = TODAY - timedelta(days=TODAY.weekday())
    for week in (monday, monday + timedelta(days=7)):
        assert mine.filter(at__date__gte=week, at__date__lt=week + timedelta(days=7), outcome__isnull=True).exists()
    assert mine.filter(outcome="FAILED_TO_ATTEND", contact__isnull=False).exists()
    assert mine.filter(outcome="ATTENDED").exists()
    assert {"OFFICE_VISIT", "HOME_VISIT", "PHONE"} <= set(mine.values_list("type", flat=True))
    client = Client()
    client.force_login(User.objects.get(username="practitioner"))
    upcoming = mine.filter(at__date__gte=monday, at__date__lt=monday + timedelta(days=7)).select_related("person")
    page = client.get(f"/diary?view=week&date={monday.isoformat()}").content.decode()
    assert all(a.person.crn in page for a in upcoming)
