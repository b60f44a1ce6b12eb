"""The seeded demo region (region/conftest.py): logins, people, flags, records, restrictions, audits, appointments,
and a second seed that changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from keepsafe.actions.models import EnforcementDecisionRecord
from keepsafe.assurance.models import AuditSample, CaseAudit
from keepsafe.audit.models import AuditEvent
from keepsafe.demo import caseloads
from keepsafe.demo.seed import DEMO_PASSWORD
from keepsafe.people.models import CaseAccess, Contact, Person, Registration, RegistrationHistory
from keepsafe.people.rules.vocabulary import ContactType
from keepsafe.records.models import Record
from keepsafe.risk.models import Assessment
from keepsafe.workforce.models import Pdu, Staff, User

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_seed_builds_a_region_with_logins(demo_region):
    assert demo_region.summary.as_dict()["people"]["created"] == demo_region.people
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


def test_seeding_again_changes_nothing(demo_region):
    """A second seed of the same region writes nothing but its own audit event: no second set of people, assessments
    (issue 17: the overridden ones go through the risk services once), oversight notes, contacts or flag reviews."""
    audits = AuditEvent.objects.count()
    assessments = Assessment.objects.filter(source=Assessment.Source.KEEPSAFE).count()
    notes = Contact.objects.filter(type=ContactType.SPO_OVERSIGHT).count()
    contacts = Contact.objects.count()
    reviews = RegistrationHistory.objects.filter(action=RegistrationHistory.Action.REVIEWED).count()
    assert assessments > 0
    assert notes > 0
    assert contacts > 0
    assert reviews > 0
    again = demo_region.seed_again()
    assert not again.changed_anything
    assert AuditEvent.objects.count() == audits + 1  # only the DEMO_SEED event itself
    assert Assessment.objects.filter(source=Assessment.Source.KEEPSAFE).count() == assessments
    assert Contact.objects.filter(type=ContactType.SPO_OVERSIGHT).count() == notes
    assert Contact.objects.count() == contacts
    assert RegistrationHistory.objects.filter(action=RegistrationHistory.Action.REVIEWED).count() == reviews


def test_the_demo_practitioner_has_appointments_this_week_and_next_and_past_outcomes_in_the_diary(demo_region):
    """Issue 14: the demo region carries appointments (bundle `appointments`), so `./dev demo` shows a diary."""
    from datetime import timedelta

    from django.test import Client

    from keepsafe.people.models import Appointment

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
