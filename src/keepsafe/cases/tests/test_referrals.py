"""Referrals with the current risk summary, their refusals, and the disclosure log (issue 16 §3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from keepsafe.actions.models import Action
from keepsafe.audit.models import AuditEvent
from keepsafe.cases.referrals import (
    disclosure_get,
    disclosures_for_case,
    document_digest,
    referral_make,
    referral_partners,
    referral_refused,
)
from keepsafe.core import clock
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.people.models import Person
from keepsafe.records.services import record_add
from keepsafe.risk.services import assessment_start
from keepsafe.sharing.models import Disclosure, DisclosureChangeError, SharingAgreement
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, org_with_managers, partner_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(imported):
    bundle = make_bundle(make_person())
    bundle.update({k: v for k, v in org_with_managers().items() if k != "people"})
    imported(bundle)
    partner_agreement("MHOUSE", kind="HOUSING", answers=(), send_kinds=())
    partner_agreement()  # GMP, police
    return Person.objects.get(crn="X123456")


@pytest.fixture
def com(staff_actor):
    return staff_actor("STF0001")


def refer(person, actor, partner="MHOUSE", service="HOUSING", reason="Housing application after release"):
    return referral_make(actor=actor, person=person, partner_code=partner, service=service, reason=reason)


def problems(exc) -> dict[str, str]:
    return dict(exc.value.problems)


def test_a_referral_carries_the_current_risk_summary_and_is_logged(case, com):
    disclosure = refer(case, com)
    document = disclosure.document
    headings = [s["heading"] for s in document["sections"]]
    assert headings == [
        "The person",
        "The referral",
        "Risk of serious harm",
        "Who is at risk",
        "Active flags",
        "Serious-harm indicators found",
    ]
    fields = {f["label"]: f["text"] for s in document["sections"] for f in s["fields"]}
    assert fields["In the community"] == "Children: Low; The public: Medium; A known adult: High; Staff: Low"
    assert fields["A known adult"] == "High"
    assert fields["The public"] == "Medium"
    assert "Children" not in fields
    assert fields["Licence condition"] == "Not to contact Jane Doe directly or indirectly"
    assert fields["Information sharing agreement"] == "ISA-MHOUSE-1"
    assert any(label.startswith("Weapons") for label in fields)  # the blade found in the cell
    weapons = next(text for label, text in fields.items() if label.startswith("Weapons"))
    assert weapons.startswith("1 record or contact; last ")  # never "1 record(s) or contact(s)"
    assert disclosure.sha256 == document_digest(document)
    assert (disclosure.partner_code, disclosure.agreement_reference, disclosure.made_by) == (
        "MHOUSE",
        "ISA-MHOUSE-1",
        "STF0001",
    )
    event = AuditEvent.objects.get(action="DISCLOSURE")
    assert event.crn == "X123456"
    assert event.details["sha256"] == disclosure.sha256
    assert event.details["partner"] == "MHOUSE"
    assert event.details["agreement"] == "ISA-MHOUSE-1"
    assert list(disclosures_for_case(case)) == [disclosure]


def test_a_summary_to_police_for_mappa_is_a_police_summary(case, com):
    disclosure = refer(case, com, partner="GMP", service="MAPPA", reason="MAPPA level 2 meeting")
    assert disclosure.kind == "POLICE_SUMMARY"
    assert disclosure.service == "MAPPA"


def test_refused_while_a_risk_review_is_open(case, com):
    now = clock.now()
    Action.objects.create(
        person=case,
        type="RISK_REVIEW",
        key="risk-review:test",
        title="Review the risk assessment",
        owner_role="COM",
        opens_at=now,
        due=now + timedelta(days=5),
        created_at=now,
    )
    assert "a risk review is open" in (referral_refused(case) or "")
    with pytest.raises(ValidationError) as exc:
        refer(case, com)
    assert "a risk review is open (Review the risk assessment" in problems(exc)["risk"]
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(action="REFERRAL_REFUSED", crn="X123456").count() == 1


def test_refused_while_an_assessment_is_in_progress(case, com):
    draft = assessment_start(actor=com, person=case)
    with pytest.raises(ValidationError) as exc:
        refer(case, com)
    assert f"a risk assessment is in progress ({draft.external_id})" in problems(exc)["risk"]
    assert not Disclosure.objects.exists()


def test_refused_when_the_summary_is_older_than_the_newest_significant_information(case, com):
    now = clock.now()
    record_add(
        actor=SYSTEM,
        person=case,
        external_id="ARREST-1",
        source="POLICE",
        kind="ARREST",
        occurred_at=now - timedelta(hours=2),
        received_at=now - timedelta(hours=1),
        author="PC 1",
        text="Arrested for theft.",
    )
    with pytest.raises(ValidationError) as exc:
        refer(case, com)
    reason = problems(exc)["risk"]
    assert "older than the newest significant information (Arrested, ARREST-1" in reason
    assert not Disclosure.objects.exists()


def test_refused_when_an_indicator_finding_is_newer_than_the_assessment(case, com):
    now = clock.now()
    record_add(
        actor=SYSTEM,
        person=case,
        external_id="CAD-7",
        source="POLICE",
        kind="CALL_OUT",
        occurred_at=now - timedelta(hours=2),
        received_at=now - timedelta(hours=1),
        author="PC 1",
        text="He threatened to stab his neighbour with a knife.",
    )
    with pytest.raises(ValidationError) as exc:
        refer(case, com)
    assert "CAD-7" in problems(exc)["risk"]


def test_refused_without_a_completed_assessment(imported):
    imported(make_bundle(make_person(assessments=[])))
    partner_agreement("MHOUSE", kind="HOUSING", answers=(), send_kinds=())
    with pytest.raises(ValidationError) as exc:
        refer(Person.objects.get(crn="X123456"), SYSTEM)
    assert "no completed RoSH assessment" in problems(exc)["risk"]


def test_refused_to_a_partner_without_a_current_agreement(case, com):
    SharingAgreement.objects.filter(reference="ISA-MHOUSE-1").update(valid_until=date(2021, 1, 1))
    with pytest.raises(ValidationError) as exc:
        refer(case, com)
    assert problems(exc)["partner"] == "MHOUSE has no information sharing agreement in force today covering X123456"
    assert [p.code for p in referral_partners(case)] == ["GMP"]


def test_refused_to_a_partner_whose_agreement_does_not_cover_the_case(case, com):
    partner_agreement("SHOUSE", kind="HOUSING", answers=(), send_kinds=(), pdus=("GMR-MN",))
    SharingAgreement.objects.get(reference="ISA-SHOUSE-1").pdus.clear()
    with pytest.raises(ValidationError) as exc:
        refer(case, com, partner="SHOUSE")
    assert "no information sharing agreement in force today" in problems(exc)["partner"]


@pytest.mark.parametrize(
    ("partner", "service", "reason", "field", "says"),
    [
        ("NOPE", "HOUSING", "x", "partner", "there is no partner organisation 'NOPE'"),
        ("GMP", "HOUSING", "x", "partner", "GMP is a POLICE partner; a housing referral goes to a HOUSING partner"),
        ("MHOUSE", "MAPPA", "x", "partner", "goes to a POLICE partner"),
        ("MHOUSE", "PIZZA", "x", "service", "choose what the referral is for"),
        ("MHOUSE", "HOUSING", " ", "reason", "say why this information is being shared"),
    ],
)
def test_bad_input_is_refused_with_a_specific_reason(case, com, partner, service, reason, field, says):
    with pytest.raises(ValidationError) as exc:
        refer(case, com, partner=partner, service=service, reason=reason)
    assert says in problems(exc)[field]
    assert not Disclosure.objects.exists()


def test_only_those_who_work_the_case_refer(case, staff_actor):
    with pytest.raises(PermissionDeniedError):
        refer(case, staff_actor("STF0002"))
    assert not Disclosure.objects.exists()


def test_a_logged_disclosure_never_changes(case, com):
    disclosure = refer(case, com)
    disclosure.reason = "changed"
    with pytest.raises(DisclosureChangeError):
        disclosure.save()
    with pytest.raises(DisclosureChangeError):
        disclosure.delete()


def test_reading_a_disclosure_is_audited_and_a_wrong_id_is_not_found(case, com):
    disclosure = refer(case, com)
    read = disclosure_get(actor=com, person=case, public_id=str(disclosure.public_id))
    assert read == disclosure
    assert AuditEvent.objects.filter(action="DISCLOSURE_READ", crn="X123456").count() == 1
    with pytest.raises(NotFoundError):
        disclosure_get(actor=com, person=case, public_id="not-a-uuid")


def test_the_database_refuses_to_change_a_logged_disclosure(case, com):
    from django.db import DatabaseError, transaction

    refer(case, com)
    with pytest.raises(DatabaseError), transaction.atomic():
        Disclosure.objects.update(reason="changed")
    assert Disclosure.objects.get().reason == "Housing application after release"
