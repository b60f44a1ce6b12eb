"""Issue 16 "Done when": a Bendall-like replay (seeds/004, Key findings from Bendall and McSweeney cases).

Police call-outs of domestic abuse are on record, children live at the proposed curfew address, and a court date is
set. Replayed through the services, the partner API, `keepsafe sweep --as-of` and `keepsafe actions --json`: both
checks are due before the court date, escalate while unanswered, the curfew proposal is refused until the address
assessment is recorded, and the court outcome creates the event and closes what is left.
"""

from __future__ import annotations

from datetime import date

import pytest

from keepsafe.core.errors import ValidationError
from keepsafe.court.models import CourtStage
from keepsafe.court.services import (
    address_assessment_record,
    court_outcome_record,
    court_stage_open,
    psr_propose,
    psr_request,
)
from keepsafe.court.tests.conftest import ADDRESS, CRN, actions, sweep
from keepsafe.people.models import Event, Person

pytestmark = pytest.mark.django_db

ANSWER = {
    "external_id": "GMP-DA-77",
    "occurred_at": "2027-01-22T15:00:00Z",
    "author": "GMP domestic abuse unit",
    "text": "Two call-outs to 12 Acacia Avenue in 2026; partner injured; children aged 4 and 7 present. DASH high.",
}


def by_key(rows: list[dict]) -> dict[str, dict]:
    return {r["key"]: r for r in rows}


def test_bendall_like_replay_checks_due_before_court_escalate_and_the_curfew_waits_for_the_address(
    bendall, at, staff_actor, client
):
    officer = staff_actor("STF0001")
    person = Person.objects.get(crn=CRN)
    with at("2027-01-04T10:00:00Z"):
        stage = court_stage_open(
            actor=officer,
            person=person,
            court="Manchester Crown Court",
            court_date=date(2027, 1, 25),
            charges=["Assault occasioning actual bodily harm (domestic)"],
        )
    with at("2027-01-05T10:00:00Z"):
        report = psr_request(actor=officer, stage=stage, considering=["CURFEW"], proposed_address=ADDRESS)
    assert report.domestic_abuse_check.partner.code == "GMP"
    assert report.safeguarding_check.partner.code == "MCC"

    sweep("2027-01-05T12:00:00Z")
    rows = by_key(actions(CRN, "2027-01-05T12:00:00Z"))
    da = rows[f"court:{stage.external_id}:psr:DOMESTIC_ABUSE"]
    sg = rows[f"court:{stage.external_id}:psr:SAFEGUARDING"]
    (address,) = [r for r in rows.values() if r["type"] == "ADDRESS_SUITABILITY"]
    # Two working days before Monday 25 January: the end of Thursday 21 January (London, GMT in winter).
    for action in (da, sg, address):
        assert action["due"] == "2027-01-22T00:00:00Z"
        assert action["status"] == "OPEN"
        assert action["owner"] == "STF0001"
    assert da["type"] == sg["type"] == "PRE_SENTENCE_CHECK"
    assert "before court on 25 January 2027" in da["title"]

    # The curfew at the children's address is refused: the address has not been assessed.
    with at("2027-01-06T10:00:00Z"), pytest.raises(ValidationError) as refused:
        psr_propose(
            actor=officer,
            report=report,
            sentence_type="COMMUNITY_ORDER",
            requirements=["CURFEW"],
            address=ADDRESS,
            relied_on=[],
        )
    assert refused.value.problems[0][0] == "address"
    assert "cannot be proposed until the suitability of that address is assessed" in refused.value.problems[0][1]

    # Unanswered at the due instant: escalated to the SPO, then to the head of PDU two days later.
    sweep("2027-01-22T09:00:00Z")
    rows = by_key(actions(CRN, "2027-01-22T09:00:00Z"))
    assert rows[da["key"]]["overdue"]
    assert rows[da["key"]]["escalated_to"] == ["STF0100"]
    assert rows[sg["key"]]["escalated_to"] == ["STF0100"]

    # The police answer through the partner API; that check closes, the other stays escalated.
    with at("2027-01-23T09:00:00Z"):
        response = client.post(
            f"/api/v1/checks/{report.domestic_abuse_check.public_id}/answer",
            data=ANSWER,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {bendall['police_key']}",
        )
    assert response.status_code in (200, 201), response.content
    sweep("2027-01-24T09:00:00Z")
    rows = by_key(actions(CRN, "2027-01-24T09:00:00Z"))
    assert da["key"] not in rows
    assert rows[sg["key"]]["escalated_to"] == ["STF0100", "STF0800"]
    assert rows[address["key"]]["escalated_to"] == ["STF0100", "STF0800"]

    # The address is assessed: children of 4 and 7 and the partner live there; unsuitable.
    da_id = report.domestic_abuse_check.external_id
    with at("2027-01-24T10:00:00Z"):
        address_assessment_record(
            actor=officer,
            stage=stage,
            address="12 acacia avenue manchester M8 4QT",
            children_ages=[4, 7],
            victim_lives_there=True,
            partner_lives_there=True,
            relied_on=[da_id],
            conclusion="UNSUITABLE",
            conditions="",
            reasons="The partner (the victim of the call-outs) and two children live there; police DASH high.",
        )
    sweep("2027-01-24T11:00:00Z")
    assert address["key"] not in by_key(actions(CRN, "2027-01-24T11:00:00Z"))
    with at("2027-01-24T12:00:00Z"), pytest.raises(ValidationError) as unsuitable:
        psr_propose(
            actor=officer,
            report=report,
            sentence_type="COMMUNITY_ORDER",
            requirements=["CURFEW"],
            address=ADDRESS,
            relied_on=[da_id],
        )
    assert "assessed as unsuitable" in unsuitable.value.problems[0][1]

    # A proposal without the curfew is accepted, and says the safeguarding check is still unanswered.
    with at("2027-01-24T13:00:00Z"):
        proposal = psr_propose(
            actor=officer,
            report=report,
            sentence_type="COMMUNITY_ORDER",
            requirements=["ACCREDITED_PROGRAMME"],
            address="",
            relied_on=[da_id],
        )
    assert proposal.warnings == ["The child safeguarding check is not answered yet"]

    # Sentence: the event is created and the stage closed; the unanswered check closes as no longer needed.
    with at("2027-01-25T16:00:00Z"):
        event = court_outcome_record(
            actor=officer,
            stage=stage,
            sentence_type="COMMUNITY_ORDER",
            sentence_date=date(2027, 1, 25),
            offence="Assault occasioning actual bodily harm",
            offence_category="violence",
            length_months=24,
            requirements=[("ACCREDITED_PROGRAMME", "Building Better Relationships")],
        )
    assert Event.objects.get(person=person, external_id=stage.external_id) == event
    assert CourtStage.objects.get(pk=stage.pk).event == event
    sweep("2027-01-25T18:00:00Z")
    everything = by_key(actions(CRN, "2027-01-25T18:00:00Z", closed=True))
    assert everything[sg["key"]]["status"] == "CANCELLED"
    assert everything[da["key"]]["status"] == "DONE"
    from keepsafe.actions.models import Action

    cancelled = Action.objects.get(key=sg["key"])
    assert cancelled.cancel_reason == "No longer needed: the court outcome was recorded on 25 January 2027"
    # As of before sentence, the service showed the check open and escalated.
    before = by_key(actions(CRN, "2027-01-24T09:00:00Z"))
    assert before[sg["key"]]["status"] == "OPEN"
