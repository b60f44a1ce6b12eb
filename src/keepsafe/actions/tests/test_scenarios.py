"""Timelines from the seeds replayed through `keepsafe import`, `keepsafe sweep --as-of` and `keepsafe actions --json`:
each action appears, reminds, escalates and closes as issue 6 describes.

- A recall decided and not executed (Joseph McCann, seeds/003 rec. 5; Jordan McSweeney, seeds/001 concern 9, 004).
- Checks before release answered but not acted on (seeds/004: 55% / 59%; seeds/002).
- Failures to attend without enforcement (seeds/002: 27 of 70 cases).
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_person, org_with_managers

pytestmark = pytest.mark.django_db


def licence_case(**changes: Any) -> dict[str, Any]:
    person = make_person("X100001", contacts=[], records=[], assessments=[], registrations=[])
    person["events"][0].update(
        {
            "sentence": {"type": "DETERMINATE_CUSTODY", "date": "2024-01-10", "length_months": 36},
            "dates": {
                "release": "2025-06-02",
                "conditional_release": "2025-06-02",
                "parole_eligibility": None,
                "licence_expiry": "2027-01-10",
                "sentence_expiry": "2027-01-10",
                "pss_end": None,
            },
            "requirements": [],
        }
    )
    person.update(changes)
    return person


def load(tmp_path, *people: dict[str, Any], name: str = "bundle.json") -> None:
    bundle = org_with_managers() | {"people": list(people)}
    path = tmp_path / name
    path.write_text(json.dumps(bundle))
    call_command("bundle_import", str(path), "--no-reconcile", stdout=io.StringIO())


def sweep(instant: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("sweep", "--as-of", instant, "--json", stdout=out)
    return json.loads(out.getvalue())


def actions(crn: str, instant: str) -> dict[str, dict[str, Any]]:
    out = io.StringIO()
    call_command("actions", crn, "--json", "--as-of", instant, stdout=out)
    rows = json.loads(out.getvalue())["actions"]
    return {r["type"] + ("" if r["type"] != "ENFORCEMENT_DECISION" else ":" + r["key"]): r for r in rows}


RECALL = {
    "id": "R1",
    "event": "1",
    "considered_at": "2025-06-23T09:00:00Z",
    "decided_at": "2025-06-23T11:00:00Z",
    "decision": "RECALL",
    "type": "STANDARD",
    "emergency": True,
    "decided_by": "STF0100",
    "revoked_at": "2025-06-23T15:00:00Z",
    "executed_at": None,
    "cancelled_at": None,
    "cancelled_by": None,
}


def test_a_recall_decided_but_not_executed_keeps_reminding_escalates_to_the_aco_and_closes_on_custody(tmp_path):
    load(tmp_path, licence_case(recalls=[RECALL]))

    first = sweep("2025-06-23T12:00:00Z")
    assert first["created"] >= 2
    now = actions("X100001", "2025-06-23T12:00:00Z")
    recall = now["RECALL_EXECUTION"]
    assert recall["status"] == "OPEN"
    assert recall["owner"] == "STF0001"
    assert recall["escalation_level"] == 0
    assert recall["due"] == "2025-06-24T11:00:00Z"
    assert "custody" in recall["evidence_needed"]
    assert "RECALL_DECISION" not in now  # the SPO decided, so that step closed itself

    # Idempotent: the same instant again changes nothing.
    again = sweep("2025-06-23T12:00:00Z")
    assert (again["created"], again["closed"], again["reminded"], again["escalated"]) == (0, 0, 0, 0)

    # Emergency: reminded every 4 hours at any hour, to the owner and the line manager.
    mail.outbox.clear()
    sweep("2025-06-23T15:30:00Z")
    sweep("2025-06-23T23:10:00Z")  # the evening reminder: emergency recall is not an office-hours process
    execution = Action.objects.get(type="RECALL_EXECUTION")
    reminders = execution.log.filter(kind=ActionLog.Kind.REMINDED).order_by("at")
    assert [r.slot.isoformat() for r in reminders] == [
        "2025-06-23T11:00:00+00:00",
        "2025-06-23T15:00:00+00:00",
        "2025-06-23T23:00:00+00:00",
    ]
    assert set(reminders.last().to) == {"STF0001", "STF0100"}
    assert {m.to[0] for m in mail.outbox} >= {"ada.jones@example.org", "spo@example.org"}
    assert all("X100001" in m.subject and "Smith" not in m.body for m in mail.outbox)

    # Overdue: escalates to the ACO.
    sweep("2025-06-24T12:00:00Z")
    assert actions("X100001", "2025-06-24T12:00:00Z")["RECALL_EXECUTION"]["escalation_level"] == 1
    assert actions("X100001", "2025-06-24T12:00:00Z")["RECALL_EXECUTION"]["escalated_to"] == ["STF0900"]
    assert Notification.objects.filter(kind="ESCALATION", recipient__code="STF0900").count() == 1
    # Looking back, the service's view at an earlier instant is unchanged.
    assert actions("X100001", "2025-06-23T12:00:00Z")["RECALL_EXECUTION"]["escalation_level"] == 0

    # The police arrest him; the prison's notice arrives; the action closes with the evidence.
    load(tmp_path, licence_case(recalls=[RECALL | {"executed_at": "2025-06-25T08:00:00Z"}]), name="b2.json")
    sweep("2025-06-25T09:00:00Z")
    assert "RECALL_EXECUTION" not in actions("X100001", "2025-06-25T09:00:00Z")
    execution.refresh_from_db()
    assert execution.status == "DONE"
    assert execution.evidence["kind"] == "recall"
    assert execution.closed_at.isoformat() == "2025-06-25T08:00:00+00:00"
    # Still shown open at instants before the return to custody.
    assert actions("X100001", "2025-06-24T20:00:00Z")["RECALL_EXECUTION"]["status"] == "OPEN"
    assert Action.objects.filter(key__startswith="recall:R1:").count() == 2  # decision + execution, no duplicates


def test_checks_before_release_stay_open_until_the_answer_is_acted_on(tmp_path):
    person = licence_case()
    person["events"][0]["dates"].update({"release": "2025-09-01", "conditional_release": "2025-09-01"})
    answer = {
        "id": "CS-REPLY-1",
        "source": "POLICE",
        "kind": "DOMESTIC_ABUSE_CHECK",
        "occurred_at": "2025-07-10T09:00:00Z",
        "received_at": "2025-07-10T10:00:00Z",
        "author": "Police DA unit",
        "text": "Two call-outs in 2024 to a former partner.",
        "order": None,
    }
    check = {
        "id": "DA-1",
        "kind": "DOMESTIC_ABUSE",
        "requested_at": "2025-07-01T09:00:00Z",
        "response_record": None,
        "acted_on_at": None,
        "acted_on_by": None,
    }
    load(tmp_path, person | {"checks": [check]})

    sweep("2025-07-08T09:00:00Z")
    now = actions("X100001", "2025-07-08T09:00:00Z")
    assert now["DOMESTIC_ABUSE_CHECK"]["evidence_needed"].startswith("Requested")
    assert now["DOMESTIC_ABUSE_CHECK"]["due"] == "2025-08-04T23:00:00Z"  # end of 4 Aug (London), 28 days before
    assert now["SAFEGUARDING_CHECK"]["evidence_needed"].startswith("Request a safeguarding check")

    answered = check | {"response_record": "CS-REPLY-1"}
    load(tmp_path, person | {"records": [answer], "checks": [answered]}, name="b2.json")
    sweep("2025-07-15T09:00:00Z")
    da = actions("X100001", "2025-07-15T09:00:00Z")["DOMESTIC_ABUSE_CHECK"]
    assert da["status"] == "OPEN"
    assert "record what was done" in da["evidence_needed"]

    acted = answered | {"acted_on_at": "2025-07-20T09:00:00Z", "acted_on_by": "STF0001"}
    load(tmp_path, person | {"records": [answer], "checks": [acted]}, name="b3.json")
    sweep("2025-07-21T09:00:00Z")
    now = actions("X100001", "2025-07-21T09:00:00Z")
    assert "DOMESTIC_ABUSE_CHECK" not in now
    assert now["SAFEGUARDING_CHECK"]["status"] == "OPEN"

    # The safeguarding check is never done: overdue, to the SPO, then the head of PDU two days later.
    sweep("2025-08-05T09:00:00Z")
    assert actions("X100001", "2025-08-05T09:00:00Z")["SAFEGUARDING_CHECK"]["escalated_to"] == ["STF0100"]
    sweep("2025-08-07T09:00:00Z")
    assert actions("X100001", "2025-08-07T09:00:00Z")["SAFEGUARDING_CHECK"]["escalated_to"] == ["STF0100", "STF0800"]


def test_failures_to_attend_need_enforcement_and_a_second_needs_breach_or_recall(tmp_path):
    fta = {"type": "APPOINTMENT", "staff": "STF0001", "outcome": "FAILED_TO_ATTEND", "notes": ""}
    person = licence_case(contacts=[fta | {"id": "C1", "at": "2025-07-01T10:00:00Z"}])
    load(tmp_path, person)
    sweep("2025-07-01T12:00:00Z")
    first = actions("X100001", "2025-07-01T12:00:00Z")["ENFORCEMENT_DECISION:contact:C1:enforcement"]
    assert first["due"] == "2025-07-03T23:00:00Z"
    assert "warning" in first["evidence_needed"].lower()

    person["contacts"].append(fta | {"id": "C2", "at": "2025-08-01T10:00:00Z"})
    load(tmp_path, person, name="b2.json")
    sweep("2025-08-06T12:00:00Z")
    now = actions("X100001", "2025-08-06T12:00:00Z")
    second = now["ENFORCEMENT_DECISION:contact:C2:enforcement"]
    assert "breach action or a recall consideration" in second["evidence_needed"]
    assert second["escalated_to"] == ["STF0100"]  # due 5 Aug, so overdue and with the SPO
    assert now["ENFORCEMENT_DECISION:contact:C1:enforcement"]["escalated_to"] == ["STF0100", "STF0800"]


def _record(rid: str, source: str, kind: str, received: str, text: str) -> dict[str, Any]:
    return {
        "id": rid,
        "source": source,
        "kind": kind,
        "occurred_at": received,
        "received_at": received,
        "author": source.title(),
        "text": text,
        "order": None,
    }


def _oasys(aid: str, completed: str) -> dict[str, Any]:
    return {
        "id": aid,
        "completed_at": completed,
        "assessor": "STF0001",
        "status": "COMPLETE",
        "rosh": {
            "community": {"children": "LOW", "public": "HIGH", "known_adult": "HIGH", "staff": "MEDIUM"},
            "custody": None,
        },
        "predictors": {},
        "needs": {},
        "risk_to_self": {},
    }


def test_a_licence_case_replayed_risk_reviews_open_raise_and_close_and_a_charge_opens_a_recall_consideration(tmp_path):
    """Issue 12 §3 and §7 on a timeline like Jordan McSweeney's (seeds/001): released, absent from the hostel, prison
    intelligence of a knife and threats, missed appointments, a police call-out for threats to a former partner, an
    assessment, a charge, recall decided; then a Keepsafe assessment answers what came after the first."""
    from keepsafe.risk.models import Assessment

    fta = {"type": "APPOINTMENT", "staff": "STF0001", "outcome": "FAILED_TO_ATTEND", "notes": ""}
    hostel = _record(
        "AP-1",
        "OTHER",
        "HOSTEL_REPORT",
        "2025-06-04T10:00:00Z",
        "Hostel report: he failed to return to the approved premises last night; whereabouts unknown.",
    )
    intel = _record(
        "INTEL-7",
        "PRISON",
        "INTELLIGENCE_LOG",
        "2025-06-05T10:00:00Z",
        "Security intelligence: he has a knife hidden and has threatened to kill his former partner when released.",
    )
    call_out = _record(
        "POL-CO-1",
        "POLICE",
        "CALL_OUT",
        "2025-06-20T10:00:00Z",
        "Police called to the home of his former partner after he threatened to kill her.",
    )
    charge = _record(
        "POL-CH-1",
        "POLICE",
        "CHARGE",
        "2025-06-24T10:00:00Z",
        "Charged with possession of a bladed article in a public place.",
    )
    person = licence_case(assessments=[_oasys("OASYS-1", "2025-05-20T10:00:00Z")])
    review_1 = "risk-review:signal:RISK_REVIEW:OASYS-1"

    def reviews(instant: str) -> dict[str, dict[str, Any]]:
        out = io.StringIO()
        call_command("actions", "X100001", "--json", "--as-of", instant, "--all", stdout=out)
        return {r["key"]: r for r in json.loads(out.getvalue())["actions"] if r["type"] == "RISK_REVIEW"}

    # Released on 2 June after an assessment on 20 May: the release review is done by it.
    load(tmp_path, person, name="b0.json")
    sweep("2025-06-03T09:00:00Z")
    assert reviews("2025-06-03T09:00:00Z")["risk-review:event:1:release:2025-06-02"]["status"] == "DONE"

    # 4 June: absent from the hostel: a review opens, with the COM only.
    load(tmp_path, person | {"records": [hostel]}, name="b1.json")
    sweep("2025-06-04T12:00:00Z")
    review = reviews("2025-06-04T12:00:00Z")[review_1]
    assert (review["status"], review["escalation_level"]) == ("OPEN", 0)
    assert review["due"] == "2025-06-11T23:00:00Z"

    # 5 June: prison intelligence of a knife and threats on the open review: raised to the SPO at once, re-notified.
    load(tmp_path, person | {"records": [hostel, intel]}, name="b2.json")
    sweep("2025-06-05T12:00:00Z")
    review = reviews("2025-06-05T12:00:00Z")[review_1]
    assert review["status"] == "OPEN"
    assert review["escalated_to"] == ["STF0100"]
    action = Action.objects.get(key=review_1)
    assert "weapons or threats" in action.title
    assert action.detail["severity"] == "weapons or threats"
    assert action.log.filter(kind=ActionLog.Kind.REMINDED, slot__isnull=False).last().slot.isoformat() == (
        "2025-06-05T10:00:00+00:00"
    )
    # Looking back, the service's view before the intelligence is unchanged.
    assert reviews("2025-06-04T12:00:00Z")[review_1]["escalation_level"] == 0

    # Missed appointments and a police call-out for threats to his former partner: the same review, now overdue.
    contacts = [fta | {"id": "C1", "at": "2025-06-10T10:00:00Z"}, fta | {"id": "C2", "at": "2025-06-17T10:00:00Z"}]
    records = [hostel, intel, call_out]
    load(tmp_path, person | {"records": records, "contacts": contacts}, name="b3.json")
    sweep("2025-06-20T12:00:00Z")
    now = reviews("2025-06-20T12:00:00Z")
    assert list(now) == ["risk-review:event:1:release:2025-06-02", review_1]
    assert now[review_1]["escalated_to"] == ["STF0100", "STF0800"]
    assert Action.objects.get(pk=action.pk).detail["records"] == "AP-1,INTEL-7,POL-CO-1"

    # 23 June: an OASys assessment (imported) answers every record: the review closes with it as evidence.
    assessed = [*person["assessments"], _oasys("OASYS-2", "2025-06-23T15:00:00Z")]
    load(tmp_path, person | {"records": records, "contacts": contacts, "assessments": assessed}, name="b4.json")
    sweep("2025-06-23T16:00:00Z")
    action.refresh_from_db()
    assert action.status == "DONE"
    assert action.evidence["ref"] == "OASYS-2"
    assert action.closed_at.isoformat() == "2025-06-23T15:00:00+00:00"
    assert reviews("2025-06-23T14:00:00Z")[review_1]["status"] == "OPEN"  # still open just before

    # 24 June: charged while on licence: a recall consideration due within a day, and a new risk review.
    records = [*records, charge]
    load(tmp_path, person | {"records": records, "contacts": contacts, "assessments": assessed}, name="b5.json")
    sweep("2025-06-24T12:00:00Z")
    now = actions("X100001", "2025-06-24T12:00:00Z")
    consider = now["RECALL_CONSIDERATION"]
    assert consider["due"] == "2025-06-25T10:00:00Z"
    assert consider["key"] == "record:POL-CH-1:recall-consideration"
    review_2 = reviews("2025-06-24T12:00:00Z")["risk-review:signal:RISK_REVIEW:OASYS-2"]
    assert review_2["status"] == "OPEN"

    # 25 June: recall considered and decided: the consideration is done by it; the execution is chased.
    recall = RECALL | {
        "considered_at": "2025-06-25T09:00:00Z",
        "decided_at": "2025-06-25T11:00:00Z",
        "revoked_at": None,
    }
    load(
        tmp_path,
        person | {"records": records, "contacts": contacts, "assessments": assessed, "recalls": [recall]},
        name="b6.json",
    )
    sweep("2025-06-25T12:00:00Z")
    now = actions("X100001", "2025-06-25T12:00:00Z")
    assert "RECALL_CONSIDERATION" not in now
    assert now["RECALL_EXECUTION"]["status"] == "OPEN"
    done = Action.objects.get(key="record:POL-CH-1:recall-consideration")
    assert (done.status, done.evidence["kind"], done.evidence["ref"]) == ("DONE", "recall", "R1")

    # 26 June: a Keepsafe assessment completed after the charge answers the second review.
    p = Person.objects.get(crn="X100001")
    Assessment.objects.create(
        person=p,
        external_id="KS-1",
        source=Assessment.Source.KEEPSAFE,
        status=Assessment.Status.COMPLETE,
        assessor_code="STF0001",
        started_at=datetime(2025, 6, 26, 9, tzinfo=UTC),
        completed_at=datetime(2025, 6, 26, 10, tzinfo=UTC),
    )
    sweep("2025-06-26T12:00:00Z")
    second = Action.objects.get(key="risk-review:signal:RISK_REVIEW:OASYS-2")
    assert (second.status, second.evidence["ref"]) == ("DONE", "KS-1")
    # Nothing more to do for the reviews; sweeping again changes nothing.
    again = sweep("2025-06-26T12:00:00Z")
    assert (again["created"], again["closed"], again["reminded"], again["escalated"]) == (0, 0, 0, 0)


def test_a_flag_review_overdue_for_years_at_import_is_chased(tmp_path):
    """Issue 12 §9: a MAPPA registration imported with its review long overdue gets an open review action at once."""
    mappa = {
        "id": "M1",
        "type": "MAPP",
        "start": "2017-09-01",
        "end": None,
        "level": "M2",
        "category": "M1",
        "notes": "",
        "end_reason": "",
        "last_reviewed": None,
    }
    load(tmp_path, licence_case(registrations=[mappa]))
    review_day = Person.objects.get(crn="X100001").registrations.get().next_review
    assert review_day.year < 2019
    sweep("2026-12-01T09:00:00Z")
    (action,) = Action.objects.filter(type="REGISTRATION_REVIEW")
    assert action.status == "OPEN"
    assert action.key == f"registration:M1:{review_day.isoformat()}"
    assert action.escalation_level == 2  # overdue for years: the line manager and the head of PDU know
