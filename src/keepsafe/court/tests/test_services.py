"""Court stage services: adjournment re-dates the checks and as-of shows the date known then; refusals by field."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from keepsafe.actions.models import ActionLog
from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.court.models import CourtDate, CourtStage, PreSentenceReport
from keepsafe.court.selectors import court_stage_facts_many
from keepsafe.court.services import court_date_adjourn, court_stage_open, psr_request
from keepsafe.court.tests.conftest import ADDRESS, CRN, actions, sweep
from keepsafe.people.models import Person
from keepsafe.sharing.models import CheckRequest

pytestmark = pytest.mark.django_db


def _open(actor, at):
    with at("2027-01-04T10:00:00Z"):
        return court_stage_open(
            actor=actor,
            person=Person.objects.get(crn=CRN),
            court="Manchester Magistrates' Court",
            court_date=date(2027, 1, 25),
            charges=["Criminal damage (domestic)"],
        )


def test_an_adjournment_moves_the_due_date_and_as_of_shows_the_date_known_then(bendall, at, staff_actor):
    officer = staff_actor("STF0001")
    stage = _open(officer, at)
    with at("2027-01-05T10:00:00Z"):
        psr_request(actor=officer, stage=stage, considering=["RESIDENCE"], proposed_address=ADDRESS)
    sweep("2027-01-05T12:00:00Z")
    with at("2027-01-06T10:00:00Z"):
        court_date_adjourn(actor=officer, stage=stage, new_date=date(2027, 2, 8), reason="Defence asked for time")
    sweep("2027-01-06T12:00:00Z")
    before = {r["key"]: r for r in actions(CRN, "2027-01-05T12:00:00Z")}
    after = {r["key"]: r for r in actions(CRN, "2027-01-06T12:00:00Z")}
    assert {r["due"] for r in after.values()} == {"2027-02-05T00:00:00Z"}  # end of Thursday 4 February
    assert len(after) == 3  # two checks and the residence address
    assert set(before) == set(after)
    assert [d.date for d in CourtDate.objects.filter(stage=stage)] == [date(2027, 1, 25), date(2027, 2, 8)]
    # The facts as of the first day still carry the date known then; each re-dating is logged on its action.
    known = court_stage_facts_many([stage.person_id], datetime.fromisoformat("2027-01-05T12:00:00Z"))
    assert known[stage.person_id][0].court_date == date(2027, 1, 25)
    known = court_stage_facts_many([stage.person_id], datetime.fromisoformat("2027-01-06T12:00:00Z"))
    assert known[stage.person_id][0].court_date == date(2027, 2, 8)
    assert ActionLog.objects.filter(kind=ActionLog.Kind.DUE_CHANGED).count() == 3
    assert AuditEvent.objects.filter(action="COURT_ADJOURN", crn=CRN).count() == 1


def test_refusals_name_the_field_and_write_nothing(bendall, at, staff_actor):
    officer = staff_actor("STF0001")
    person = Person.objects.get(crn=CRN)
    with at("2027-01-04T10:00:00Z"), pytest.raises(ValidationError) as bad:
        court_stage_open(actor=officer, person=person, court=" ", court_date=date(2027, 1, 1), charges=[])
    assert {f for f, _ in bad.value.problems} == {"court", "court_date", "charges"}
    stage = _open(officer, at)
    with at("2027-01-04T11:00:00Z"), pytest.raises(ValidationError) as twice:
        court_stage_open(actor=officer, person=person, court="X", court_date=date(2027, 2, 1), charges=["Y"])
    assert "already has an open court stage" in twice.value.problems[0][1]
    with at("2027-01-04T11:00:00Z"), pytest.raises(ValidationError) as no_reason:
        court_date_adjourn(actor=officer, stage=stage, new_date=date(2027, 2, 1), reason="")
    assert no_reason.value.problems == [("reason", "say why the hearing was adjourned")]
    # No children's services agreement: the report is refused by field, and no check is left half-requested.
    from keepsafe.sharing.models import SharingAgreement

    SharingAgreement.objects.filter(partner__code="MCC").update(answers=[])
    with at("2027-01-05T10:00:00Z"), pytest.raises(ValidationError) as no_partner:
        psr_request(actor=officer, stage=stage, considering=["CURFEW"], proposed_address=ADDRESS)
    assert no_partner.value.problems[0][0] == "safeguarding_partner"
    assert not CheckRequest.objects.exists()
    assert not PreSentenceReport.objects.exists()
    with at("2027-01-05T10:00:00Z"), pytest.raises(ValidationError) as unknown:
        psr_request(actor=officer, stage=stage, considering=["TAGGING"], proposed_address=ADDRESS)
    assert unknown.value.problems == [("considering[0]", "unknown requirement 'TAGGING'")]
    # Try-out (issue 16): a curfew considered with no address would open an address assessment nobody could close.
    with at("2027-01-05T10:00:00Z"), pytest.raises(ValidationError) as no_address:
        psr_request(actor=officer, stage=stage, considering=["CURFEW"], proposed_address="  ")
    assert no_address.value.problems == [
        ("proposed_address", "Give the proposed address: a curfew requirement is being considered")
    ]
    assert not PreSentenceReport.objects.exists()


def test_only_someone_who_works_the_case_may_open_a_stage(bendall, at, staff_actor):
    with pytest.raises(PermissionDeniedError):
        _open(staff_actor("STF0002"), at)  # another practitioner
    with pytest.raises(PermissionDeniedError):
        _open(staff_actor("STF0200", Role.POM), at)  # pre-sentence work is not custody work
    assert not CourtStage.objects.exists()


def test_dates_and_lengths_outside_what_keepsafe_holds_are_refused(bendall, at, staff_actor):
    """The try-out opened a court stage for 10 December 9999 (pre-sentence checks due in 9999) and recorded a
    99,999,999-month sentence: the bundle's ranges apply (core/ranges.py; length 0–1200 months)."""
    officer = staff_actor("STF0001")
    person = Person.objects.get(crn=CRN)
    with at("2027-01-04T10:00:00Z"), pytest.raises(ValidationError) as far:
        court_stage_open(actor=officer, person=person, court="X", court_date=date(9999, 12, 10), charges=["Y"])
    assert [f for f, _ in far.value.problems] == ["court_date"]
    assert not CourtStage.objects.exists()


def test_an_open_court_stage_travels_in_the_transfer_summary(bendall, at, staff_actor):
    """The try-out found the transfer summary silent on an open court stage: the hearing, the report's checks, the
    proposed address and who lives there (children, the victim) are what the receiving team needs first."""
    from keepsafe.cases.documents import compose_transfer_summary
    from keepsafe.core.actor import Actor, Channel
    from keepsafe.court.services import address_assessment_record

    officer = staff_actor("STF0001")
    stage = _open(officer, at)
    with at("2027-01-05T10:00:00Z"):
        psr_request(actor=officer, stage=stage, considering=["CURFEW"], proposed_address=ADDRESS)
        address_assessment_record(
            actor=officer,
            stage=stage,
            address=ADDRESS,
            children_ages=[4, 9],
            victim_lives_there=False,
            partner_lives_there=True,
            relied_on=[],
            conclusion="UNSUITABLE",
            conditions="",
            reasons="A partner and two children live there.",
        )
        composed = compose_transfer_summary(
            Person.objects.get(crn=CRN), Actor.system(Channel.SYSTEM), transfer_id="T1", reason="Moved area"
        )
    [section] = [s for s in composed.sections if s.heading == "Before sentence"]
    text = " | ".join(f"{f.label}: {f.text}" for f in section.fields)
    assert "Next hearing" in text
    assert "Domestic abuse check: not yet answered" in text
    assert "children aged 4, 9" in text
    assert "a partner" in text
