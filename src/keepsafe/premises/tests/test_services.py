"""Approved premises services end to end: a refused then accepted referral, the decision and pre-release actions in
`keepsafe actions CRN --json`, the disclosure logged, refusals by field, audit, and who may write."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from keepsafe.audit.models import AuditEvent
from keepsafe.cases.ap_referrals import ap_referral_send
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.court.tests.conftest import actions, sweep
from keepsafe.people.models import Person
from keepsafe.premises.models import ApReferral
from keepsafe.premises.selectors import ap_facts_many
from keepsafe.premises.services import ap_arrival_record, ap_decision_record, ap_referral_record
from keepsafe.premises.tests.conftest import CRN
from keepsafe.sharing.models import Disclosure

pytestmark = pytest.mark.django_db


def _send(actor, *, emergency=False, reason="High RoSH to a known adult; needs 24-hour staffed residence"):
    return ap_referral_send(
        actor=actor,
        person=Person.objects.get(crn=CRN),
        partner_code="APCRU",
        premises="Bunyan House",
        requested_arrival=date(2027, 5, 3),
        emergency=emergency,
        reason=reason,
    )


def _by_key(instant: str, *, closed: bool = False) -> dict[str, dict]:
    return {a["key"]: a for a in actions(CRN, instant, closed=closed) if a["type"] == "AP_REFERRAL"}


def test_refused_then_accepted_referral_closes_the_decisions_and_the_pre_release_flag(ap_case, at, staff_actor):
    officer = staff_actor("STF0001")
    sweep("2027-03-01T10:00:00Z")
    flag = _by_key("2027-03-01T10:00:00Z")["ap:1:place"]
    assert flag["due"] == "2027-04-04T23:00:00Z"  # 28 days before release on 3 May, London time
    with at("2027-03-01T11:00:00Z"):
        first = _send(officer)
    # The risk summary went to the premises' partner and the disclosure is logged on the case.
    disclosure = Disclosure.objects.get(pk=first.disclosure_id)
    assert disclosure.service == "APPROVED_PREMISES"
    assert disclosure.partner_code == "APCRU"
    sweep("2027-03-01T12:00:00Z")
    open_now = _by_key("2027-03-01T12:00:00Z")
    assert set(open_now) == {"ap:1:place", f"ap:{first.external_id}:decision"}
    assert open_now[f"ap:{first.external_id}:decision"]["due"] == "2027-03-09T00:00:00Z"  # 5 working days
    with at("2027-03-02T09:00:00Z"):
        ap_decision_record(actor=officer, referral=first, decision="REFUSED", reason="No bed: arson risk")
    with at("2027-03-02T09:30:00Z"):
        second = _send(officer, emergency=True)
    sweep("2027-03-02T10:00:00Z")
    open_now = _by_key("2027-03-02T10:00:00Z")
    assert set(open_now) == {"ap:1:place", f"ap:{second.external_id}:decision"}  # the refusal closed the first
    assert open_now[f"ap:{second.external_id}:decision"]["due"] == "2027-03-02T13:30:00Z"  # emergency: 4 hours
    with at("2027-03-02T11:00:00Z"):
        ap_decision_record(actor=officer, referral=second, decision="ACCEPTED", place_date=date(2027, 5, 3))
    sweep("2027-03-02T12:00:00Z")
    assert _by_key("2027-03-02T12:00:00Z") == {}
    # As of before the acceptance the flag was open: the facts are point-in-time.
    before = ap_facts_many([second.person_id], datetime.fromisoformat("2027-03-02T10:30:00Z"))[second.person_id]
    assert before.confirmed_place() is None
    with at("2027-05-03T15:00:00Z"):
        ap_arrival_record(actor=officer, referral=second, arrival="ARRIVED", on=date(2027, 5, 3))
    second.refresh_from_db()
    assert second.arrival == "ARRIVED"
    audited = list(AuditEvent.objects.filter(crn=CRN, action__startswith="AP_").values_list("action", flat=True))
    assert sorted(audited) == sorted(
        ["AP_REFERRAL_RECORD", "AP_REFERRAL_RECORD", "AP_DECISION_RECORD", "AP_DECISION_RECORD", "AP_ARRIVAL_RECORD"]
    )


def test_a_non_arrival_reopens_the_need_for_a_place(ap_case, at, staff_actor):
    officer = staff_actor("STF0001")
    person = Person.objects.get(crn=CRN)
    with at("2027-03-01T11:00:00Z"):
        referral = ap_referral_record(
            actor=officer, person=person, premises="Bunyan House", requested_arrival=date(2027, 3, 10), emergency=False
        )
        ap_decision_record(actor=officer, referral=referral, decision="ACCEPTED", place_date=date(2027, 3, 10))
    with at("2027-03-10T18:00:00Z"):
        ap_arrival_record(actor=officer, referral=referral, arrival="DID_NOT_ARRIVE", on=date(2027, 3, 10))
    sweep("2027-03-11T09:00:00Z")
    assert "ap:1:place" in _by_key("2027-03-11T09:00:00Z")


def test_refusals_name_the_field_and_store_nothing(ap_case, at, staff_actor):
    officer = staff_actor("STF0001")
    person = Person.objects.get(crn=CRN)
    with at("2027-03-01T11:00:00Z"), pytest.raises(ValidationError) as bad:
        ap_referral_record(
            actor=officer, person=person, premises="", requested_arrival=date(2027, 2, 1), emergency=False
        )
    assert [f for f, _ in bad.value.problems] == ["premises", "requested_arrival"]
    with at("2027-03-01T11:00:00Z"), pytest.raises(ValidationError) as no_reason:
        _send(officer, reason=" ")
    assert [f for f, _ in no_reason.value.problems] == ["reason"]
    assert not Disclosure.objects.filter(person=person).exists()  # nothing sent
    with at("2027-03-01T11:00:00Z"):
        referral = ap_referral_record(
            actor=officer, person=person, premises="Bunyan House", requested_arrival=date(2027, 3, 10), emergency=True
        )
    with at("2027-03-01T12:00:00Z"), pytest.raises(ValidationError) as early:
        ap_decision_record(
            actor=officer,
            referral=referral,
            decision="ACCEPTED",
            place_date=date(2027, 3, 10),
            decided_at=datetime.fromisoformat("2027-03-01T10:00:00Z"),
        )
    assert [f for f, _ in early.value.problems] == ["decided_on"]
    with at("2027-03-01T12:00:00Z"), pytest.raises(ValidationError) as arrival:
        ap_arrival_record(actor=officer, referral=referral, arrival="ARRIVED", on=date(2027, 3, 1))
    assert "no accepted place" in arrival.value.problems[0][1]
    assert ApReferral.objects.get(pk=referral.pk).decision == ""


def test_someone_who_may_not_work_the_case_cannot_refer(ap_case, at, staff_actor):
    stranger = staff_actor("STF0002")  # another practitioner, not holding the case
    with at("2027-03-01T11:00:00Z"), pytest.raises(PermissionDeniedError):
        ap_referral_record(
            actor=stranger,
            person=Person.objects.get(crn=CRN),
            premises="Bunyan House",
            requested_arrival=date(2027, 3, 10),
            emergency=False,
        )
    assert not ApReferral.objects.exists()
