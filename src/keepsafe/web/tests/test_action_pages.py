"""Action pages: my/team/PDU actions, a case's actions with the forms that satisfy them, and the recall workflow
from consideration to custody, with who may do what."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from django.test import Client

from keepsafe.actions.models import Action, Recall
from keepsafe.actions.services.manage import refresh
from keepsafe.audit.models import AuditEvent
from keepsafe.people.models import Person, Registration, RegistrationHistory
from keepsafe.people.services import flag_history
from keepsafe.records.services import record_add
from keepsafe.sharing.models import CheckRequest, Disclosure
from keepsafe.sharing.rules.disclosures import document_digest
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers
from keepsafe.workforce.models import Staff, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"


@pytest.fixture
def site(imported):
    person = make_person()
    event = person["events"][0]
    event["dates"].update(
        {
            "release": "2026-10-01",
            "conditional_release": "2026-10-01",
            "licence_expiry": "2028-01-01",
            "sentence_expiry": "2028-01-01",
        }
    )
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": "2024-09-01", "length_months": 40}
    person["contacts"] = [
        {
            "id": "C9",
            "type": "APPOINTMENT",
            "at": "2026-11-20T10:00:00Z",
            "staff": "STF0001",
            "outcome": "FAILED_TO_ATTEND",
            "notes": "",
        }
    ]
    imported(org_with_managers() | {"people": [person]})
    users = {}
    for username, code, role in (
        ("ada", "STF0001", "PRACTITIONER"),
        ("sara", "STF0100", "SPO"),
        ("hana", "STF0800", "HEAD_OF_PDU"),
        ("alex", "STF0900", "REGIONAL_LEADER"),
    ):
        users[username] = User.objects.create(username=username, staff=Staff.objects.get(code=code), role=role)
    with time_machine.travel(NOW, tick=False):
        refresh(Person.objects.get(crn="X123456").pk)
    return users


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_my_team_and_pdu_actions_list_overdue_first(site):
    mine = as_user(site["ada"]).get("/actions").content.decode()
    assert 'data-testid="actions-table"' in mine
    assert "ENFORCEMENT_DECISION" in mine
    assert mine.index("Overdue") < mine.index("Failure to attend")
    assert as_user(site["sara"]).get("/actions/team").status_code == 200
    assert as_user(site["hana"]).get("/actions/pdu").status_code == 200
    assert as_user(site["ada"]).get("/actions/team").status_code == 403
    header = as_user(site["ada"]).get("/case/X123456").content.decode()
    assert 'data-testid="case-actions-count"' in header
    assert "overdue" in header


@time_machine.travel(NOW, tick=False)
def test_an_enforcement_decision_closes_the_action_and_a_blank_reason_is_refused(site):
    action = Action.objects.get(type="ENFORCEMENT_DECISION")
    url = f"/case/X123456/actions/{action.pk}/enforcement"
    refused = as_user(site["ada"]).post(url, {f"decision-{action.pk}": "WARNING", f"notes-{action.pk}": ""})
    assert refused.status_code == 400
    assert "record the reasons" in refused.content.decode()
    done = as_user(site["ada"]).post(
        url, {f"decision-{action.pk}": "WARNING", f"notes-{action.pk}": "First absence; warned by letter"}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "DONE"
    assert action.evidence["kind"] == "decision"


@time_machine.travel(NOW, tick=False)
def test_only_managers_cancel_and_only_an_aco_cancels_a_recall(site):
    action = Action.objects.get(type="ENFORCEMENT_DECISION")
    assert as_user(site["ada"]).post(f"/case/X123456/actions/{action.pk}/cancel", {"reason": "x"}).status_code == 403
    assert as_user(site["sara"]).post(f"/case/X123456/actions/{action.pk}/cancel", {"reason": ""}).status_code == 400
    assert (
        as_user(site["sara"])
        .post(f"/case/X123456/actions/{action.pk}/cancel", {"reason": "Duplicate record"})
        .status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "CANCELLED"
    assert action.closed_by == "STF0100"


@time_machine.travel(NOW, tick=False)
def test_reassigning_keeps_the_history(site):
    action = Action.objects.get(type="ENFORCEMENT_DECISION")
    response = as_user(site["sara"]).post(
        f"/case/X123456/actions/{action.pk}/reassign", {"staff": "STF0002", "reason": "Ada on leave"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner.code == "STF0002"
    assert action.owner_set_by_hand
    assert action.log.filter(kind="REASSIGNED", to=["STF0002"]).exists()
    refresh(action.person_id)  # the reconciler keeps a hand-made assignment
    action.refresh_from_db()
    assert action.owner.code == "STF0002"


def test_the_recall_workflow_from_consideration_to_custody(site):
    ada, sara, alex = (as_user(site[u]) for u in ("ada", "sara", "alex"))
    with time_machine.travel("2026-11-23T10:00:00Z", tick=False):
        page = ada.get("/case/X123456/recall").content.decode()
        assert "including during normal working hours" in page
        assert "out of hours only" not in page
        assert (
            ada.post(
                "/case/X123456/recall/consider", {"event": "1", "reasons": ["RISK_INCREASED"], "concerns": ""}
            ).status_code
            == 400
        )
        assert (
            ada.post(
                "/case/X123456/recall/consider",
                {"event": "1", "reasons": ["RISK_INCREASED"], "concerns": "Threats to ex-partner"},
            ).status_code
            == 302
        )
        assert Action.objects.get(type="RECALL_DECISION").status == "OPEN"
        assert ada.post("/case/X123456/recall/decide", {"decision": "RECALL"}).status_code == 403
        bad = sara.post(
            "/case/X123456/recall/decide",
            {"decision": "RECALL", "type": "FIXED_TERM", "emergency": "yes", "rationale": "r"},
        )
        assert bad.status_code == 400
        assert "cannot be an emergency recall" in bad.content.decode()
        assert (
            sara.post(
                "/case/X123456/recall/decide",
                {"decision": "RECALL", "type": "STANDARD", "emergency": "yes", "rationale": "Escalating threats"},
            ).status_code
            == 302
        )
    execution = Action.objects.get(type="RECALL_EXECUTION")
    assert execution.status == "OPEN"
    assert Action.objects.get(type="RECALL_DECISION").status == "DONE"
    with time_machine.travel("2026-11-23T10:30:00Z", tick=False):
        ada, sara, hana, alex = (as_user(site[u]) for u in ("ada", "sara", "hana", "alex"))  # a new day's sign-in
        missing = ada.post("/case/X123456/recall/part-a", {"circumstances": "Threats"})
        assert missing.status_code == 400
        assert "locate and arrest" in missing.content.decode()
        fields = [
            "circumstances",
            "licence_conditions_breached",
            "alternatives_tried",
            "current_rosh",
            "mappa",
            "victim_contact_scheme",
            "last_known_address",
            "associates",
            "vehicles",
            "risk_to_officers",
        ]
        assert ada.post("/case/X123456/recall/part-a", {f: "Set out in full" for f in fields}).status_code == 302
        assert ada.post("/case/X123456/recall/countersign-spo").status_code == 403
        # Two-person rule (issue 11 §5): Sara decided the recall, so another manager countersigns as SPO.
        refused = sara.post("/case/X123456/recall/countersign-spo")
        assert refused.status_code == 403
        assert Recall.objects.get().spo_signed_at is None
        assert hana.post("/case/X123456/recall/countersign-spo").status_code == 302
        assert sara.post("/case/X123456/recall/countersign-aco").status_code == 403
        # The ACO countersigns only the Part A shown to them in full (issue 14 §5).
        assert alex.post("/case/X123456/recall/countersign-aco").status_code == 400
        shown = alex.get("/case/X123456/recall").content.decode()
        assert 'data-testid="part-a-in-full"' in shown
        assert "Set out in full" in shown
        seen = re.search(r'name="part_a_seen" value="([0-9a-f]{64})"', shown)
        assert seen is not None
        assert alex.post("/case/X123456/recall/countersign-aco", {"part_a_seen": "0" * 64}).status_code == 400
        assert alex.post("/case/X123456/recall/countersign-aco", {"part_a_seen": seen.group(1)}).status_code == 302
        assert ada.post("/case/X123456/recall/send").status_code == 302
        # Part A sent to PPCS is a logged disclosure, with the sending, and listed on the case (issue 16 §3).
        sent = Disclosure.objects.get(person__crn="X123456")
        recall = Recall.objects.get()
        assert (sent.kind, sent.partner_code, sent.agreement_reference, sent.made_by) == (
            "PART_A",
            "PPCS",
            "CJA 2003 s.254 (recall to prison)",
            recall.sent_to_ppcs_by,
        )
        assert sent.made_at == recall.sent_to_ppcs_at
        assert sent.sha256 == document_digest(sent.document)
        assert "Set out in full" in str(sent.document)
        assert AuditEvent.objects.filter(action="DISCLOSURE", crn="X123456").count() == 1
        listed = ada.get("/case/X123456/disclosures").content.decode()
        assert f"/case/X123456/disclosures/{sent.public_id}" in listed
        assert ada.post("/case/X123456/recall/send").status_code == 400  # already sent: nothing more logged
        assert Disclosure.objects.filter(person__crn="X123456").count() == 1
        assert ada.post("/case/X123456/recall/revoked", {"at": "2026-11-23T10:20"}).status_code == 302
        # Cancelling the execution: never the practitioner or SPO.
        assert sara.post(f"/case/X123456/actions/{execution.pk}/cancel", {"reason": "x"}).status_code == 403
    with time_machine.travel("2026-11-24T07:00:00Z", tick=False):
        ada = as_user(site["ada"])
        assert ada.post("/case/X123456/recall/executed", {"at": "2026-11-24T06:00", "notes": ""}).status_code == 400
        assert (
            ada.post(
                "/case/X123456/recall/executed", {"at": "2026-11-24T06:00", "notes": "Police custody record"}
            ).status_code
            == 302
        )
    execution.refresh_from_db()
    recall = Recall.objects.get()
    assert execution.status == "DONE"
    assert recall.executed_at is not None
    assert [e.kind for e in execution.log.all()][:1] == ["CREATED"]
    assert execution.log.filter(kind="REMINDED").exists()


def test_a_decision_not_to_recall_produces_a_letter(site):
    ada, sara = as_user(site["ada"]), as_user(site["sara"])
    with time_machine.travel(NOW, tick=False):
        ada.post(
            "/case/X123456/recall/consider",
            {"event": "1", "reasons": ["CONTACT_STOPPED"], "concerns": "Missed two appointments"},
        )
        sara.post(
            "/case/X123456/recall/decide", {"decision": "NO_RECALL", "rationale": "Re-engaged; new address verified"}
        )
        assert (
            ada.post(
                "/case/X123456/recall/letter",
                {"expectations": "Attend weekly", "next_appointment": "Monday 10:00, office"},
            ).status_code
            == 302
        )
        page = ada.get("/case/X123456/recall").content.decode()
    assert 'data-testid="no-recall-letter"' in page
    assert "Re-engaged; new address verified" in page
    assert not Action.objects.filter(type="RECALL_EXECUTION").exists()


# --- issue 12 ---------------------------------------------------------------------------------------------------------


def _in_custody(imported, sentence_type: str, dates: dict[str, str | None]) -> dict[str, User]:
    person = make_person(crn="Z100001", records=[], contacts=[], assessments=[])
    event = person["events"][0]
    event["sentence"] = {
        "type": sentence_type,
        "date": "2024-09-01",
        "length_months": 96 if sentence_type != "INDETERMINATE" else None,
    }
    event["dates"] = {
        "release": None,
        "conditional_release": None,
        "parole_eligibility": None,
        "licence_expiry": None,
        "sentence_expiry": None,
        "pss_end": None,
    } | dates
    event["licence_conditions"] = []
    imported(org_with_managers() | {"people": [person]})
    return {"ada": User.objects.create(username="ada2", staff=Staff.objects.get(code="STF0001"), role="PRACTITIONER")}


@pytest.mark.parametrize(
    ("sentence_type", "dates", "words"),
    [
        (
            "DETERMINATE_CUSTODY",
            {
                "release": "2029-03-01",
                "conditional_release": "2029-03-01",
                "licence_expiry": "2032-09-01",
                "sentence_expiry": "2032-09-01",
            },
            "in custody until release on 1 March 2029",
        ),
        ("INDETERMINATE", {"release": "2028-05-01", "parole_eligibility": "2028-05-01"}, "in custody until release"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_recall_is_not_offered_to_people_still_in_custody(imported, sentence_type, dates, words):
    users = _in_custody(imported, sentence_type, dates)
    ada = as_user(users["ada"])
    page = ada.get("/case/Z100001/recall").content.decode()
    assert "Ask the SPO for a decision" not in page
    assert 'data-testid="recall-not-on-licence"' in page
    assert words in page
    refused = ada.post("/case/Z100001/recall/consider", {"event": "1", "reasons": ["RISK_INCREASED"], "concerns": "x"})
    assert refused.status_code == 400
    assert "recall is possible only while on licence" in refused.content.decode()
    assert not Recall.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_weapons_or_threats_since_release_make_the_recall_form_suggest_emergency_recall(site):
    ada = as_user(site["ada"])
    assert 'data-testid="emergency-suggested"' not in ada.get("/case/X123456/recall").content.decode()
    person = Person.objects.get(crn="X123456")
    record_add(
        actor=SYSTEM,
        person=person,
        external_id="INTEL-12",
        source="PRISON",
        kind="INTELLIGENCE_LOG",
        occurred_at=_instant("2026-11-22T09:00:00Z"),
        received_at=_instant("2026-11-22T10:00:00Z"),
        author="Security department",
        text="Intelligence: he has a knife and has threatened to kill his former partner.",
    )
    page = ada.get("/case/X123456/recall").content.decode()
    assert 'data-testid="emergency-suggested"' in page
    assert "INTEL-12" in page
    assert "weapons" in page
    assert "threats" in page
    ada.post(
        "/case/X123456/recall/consider", {"event": "1", "reasons": ["RISK_INCREASED"], "concerns": "Knife, threats"}
    )
    decide = as_user(site["sara"]).get("/case/X123456/recall").content.decode()
    assert 'value="yes" checked' in decide  # the emergency radio is preselected


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


@time_machine.travel(NOW, tick=False)
def test_a_check_answer_cannot_be_closed_with_noted(site):
    person = Person.objects.get(crn="X123456")
    answer, _ = record_add(
        actor=SYSTEM,
        person=person,
        external_id="DA-REPLY-1",
        source="POLICE",
        kind="DOMESTIC_ABUSE_CHECK",
        occurred_at=_instant("2026-11-22T09:00:00Z"),
        received_at=_instant("2026-11-22T10:00:00Z"),
        author="Police DA unit",
        text="Two call-outs in 2024 to a former partner.",
    )
    check = CheckRequest.objects.create(
        person=person,
        kind="DOMESTIC_ABUSE",
        requested_at=_instant("2026-11-16T09:00:00Z"),
        requested_by="STF0001",
        response_record=answer,
    )
    url = f"/case/X123456/checks/{check.public_id}/acted-on"
    ada = as_user(site["ada"])
    for outcome, notes in (("REASON", "Noted."), ("REASON", "Seen, no action."), ("", "Noted."), ("FLAG", "Flag")):
        refused = ada.post(url, {"outcome-check-1": outcome, "notes-check-1": notes})
        assert refused.status_code == 400, (outcome, notes)
        check.refresh_from_db()
        assert check.acted_on_at is None
    assert (
        "is not a decision" in ada.post(url, {"outcome-check-1": "REASON", "notes-check-1": "Noted."}).content.decode()
    )
    # A flag reviewed since the answer arrived makes "flag" a recorded decision.
    flag_history(
        Registration.objects.get(person=person),
        RegistrationHistory.Action.REVIEWED,
        notes="",
        at=_instant("2026-11-23T09:00:00Z"),
        by="STF0001",
    ).save()
    done = ada.post(url, {"outcome-check-1": "FLAG", "notes-check-1": "Restraining order flag reviewed and kept."})
    assert done.status_code == 302
    check.refresh_from_db()
    assert (check.acted_on_outcome, check.acted_on_by) == ("FLAG", "STF0001")
