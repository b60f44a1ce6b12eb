"""The role matrix (issue 11): every route in web/urls.py (and every form verb the pages offer) × every role, plus
staff with a writer's role who do not work the case. Who may write is documented in docs/security.md; this test holds
the pages to it: the documented writers get past the gate (a 4xx for a bad form is fine, never a 403 or a 500), and
everyone else gets a 403 with nothing written."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse

from keepsafe.actions.models import Action
from keepsafe.actions.services import recall as recall_services
from keepsafe.actions.services.manage import refresh
from keepsafe.core.actor import Actor, Role
from keepsafe.people.appointment_services import appointment_book
from keepsafe.people.models import Person, Registration
from keepsafe.risk.services import assessment_start
from keepsafe.sharing.services import check_request_create
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers, partner_agreement
from keepsafe.victims.services import RepresentationInput, representation_record  # issue 16 §7
from keepsafe.web import urls
from keepsafe.workforce.models import Staff, Team, User

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
TEMPLATES = Path(urls.__file__).parent / "templates"

# Who may write through each route on a case held by a practitioner (the COM), with their line manager (SPO), head of
# PDU, ACO (regional leader) and POM: docs/security.md "Who may write on a case". Every other role, and staff with a
# writer's role who do not work the case, are refused.
COM, SPO, HEAD, ACO, POM = "com", "spo", "head", "aco", "pom"
CASE_WORK = {COM, SPO, HEAD, ACO}
ALLOWED: dict[str, set[str]] = {
    "check-new": {COM, SPO, HEAD, POM},
    "prison-information": {POM},
    "assessment-start": {COM, SPO, HEAD, POM},
    "assessment-analyse": {COM, SPO, HEAD, POM},
    "assessment-judge": {COM, SPO, HEAD, POM},
    "assessment-complete": {COM, SPO, HEAD, POM},
    "assessment-plan": {COM, SPO, HEAD, POM},
    "assessment-countersign": {SPO, HEAD, ACO},
    "action-post:complete": CASE_WORK,
    "action-post:cancel": {SPO, HEAD, ACO},
    "action-post:reassign": {SPO, HEAD, ACO},
    "action-post:enforcement": CASE_WORK,
    "action-post:release-plan": CASE_WORK | {POM},
    "action-post:requirement-start": CASE_WORK,
    "check-acted-on": CASE_WORK,
    "recall-post:consider": CASE_WORK,
    "recall-post:decide": {SPO, HEAD, ACO},
    "recall-post:part-a": CASE_WORK,
    "recall-post:countersign-spo": {SPO, HEAD, ACO},
    "recall-post:countersign-aco": {ACO},
    "recall-post:send": CASE_WORK,
    "recall-post:revoked": CASE_WORK,
    "recall-post:executed": CASE_WORK | {POM},
    "recall-post:letter": CASE_WORK,
    "document-new": CASE_WORK,  # issue 14 §5: generating (storing) a document is a write on the case
    # issue 14: appointments and contacts are case work
    "appointment-new": CASE_WORK,
    "appointment-reschedule": CASE_WORK,
    "appointment-outcome": CASE_WORK,
    "contact-new": CASE_WORK,
    # issue 14 §2 (helper "flags"): flags are custody-phase work too (people/services.py), so the POM may
    "flag-new": CASE_WORK | {POM},
    "flag-review": CASE_WORK | {POM},
    "flag-end": CASE_WORK | {POM},
    # issue 15 §2 (helper "alloc"): the allocating SPO and head of PDU, in the case's management chain (ACOs do not
    # allocate; oversight/allocation.py ALLOCATING_ROLES)
    "allocation-case": {SPO, HEAD, "another team's SPO"},  # any SPO of the case's PDU allocates it (hmpps.md §2d)
    "oversight-note": {SPO, HEAD, ACO},  # issue 15 §3 (helper "overs"): an SPO oversight note, managers only
    # issue 16 §2 (helper "transfer"): whoever works the case requests a transfer; a head of PDU (the receiving one,
    # checked by the service) or the decision's holder (an ACO when the head may not see the case) decides it
    "case-transfers": CASE_WORK,
    "case-transfer-decide": {HEAD, ACO},
    # issue 16 §1 (helper "court"): before sentence is case work (court/services.py), not custody work
    "court-post:open": CASE_WORK,
    "court-post:adjourn": CASE_WORK,
    "court-post:psr": CASE_WORK,
    "court-post:address": CASE_WORK,
    "court-post:propose": CASE_WORK,
    "court-post:outcome": CASE_WORK,
    "referral-new": CASE_WORK,  # issue 16 §3 (helper "share"): a referral is a disclosure made from the case
    "meeting-new": CASE_WORK,  # issue 16 §4 (helper "share")
    # issue 16 §7 (helper "victim"): a VLO's representation and its outcome are case work (victims/services.py)
    "victim-post:new": CASE_WORK,
    "victim-post:outcome": CASE_WORK,
    # issue 16 §5 (helper "ap"): approved premises referrals are case work (premises/services.py)
    "ap-post:refer": CASE_WORK,
    "ap-post:decision": CASE_WORK,
    "ap-post:arrival": CASE_WORK,
    "remand-new": CASE_WORK,  # issue 16 §6 (helper "share2"): recording a period on remand is case work
}
# Routes that write nothing on a case (signing in and out, reading); a POST there must change no case data either.
NOT_CASE_WRITES = {
    "home",
    "sign-in",
    "sign-out",
    "caseload",
    "team",
    "pdu",
    "search",
    "case",
    "case-chronology",
    "case-sentence",
    "case-flags",
    "case-personal",
    "case-risk",
    "assessment-gather",
    "audit",
    "actions-mine",
    "actions-team",
    "actions-pdu",
    "case-actions",
    "case-recall",
    # assurance (issue 17): figures, audits and second reviews; a disagreeing review opens an action only through
    # its own form (docs/security.md "Assurance")
    "assurance",
    "assurance-audits",
    "assurance-recall-sampling",
    "assurance-overrides",
    "assurance-equality",
    "region",  # issue 14 §4: a regional leader's landing page (reads only)
    "case-documents",  # issue 14 §5: reading documents
    "case-document",
    "case-document-pdf",
    "case-document-json",
    "case-appointments",  # issue 14
    "diary",  # issue 14
    "notifications",  # marks the user's own notifications read: not case data
    "accounts",  # sign-in accounts (administrators only): not case data
    "team-workload",  # issue 15 (helper "work"): a team's workload and training, counts only (reads only)
    "allocations",  # issue 15 §2 (helper "alloc"): the queue reads only
    "oversight",  # issue 15 §3 (helper "overs"): a manager's queues and span of control (reads only; GET only)
    "pdu-status",  # issue 15 §4 (helper "overs"): a head of PDU sets the PDU's RAG status: not case data
    "oversight-team",  # issue 15 §6 (helper "overs"): the supervisor view (reads only; GET only)
    "transfers",  # issue 16 §2 (helper "transfer"): the list of transfers waiting for a decision (reads only)
    "case-court",  # issue 16 §1: reading the court tab
    "case-disclosures",  # issue 16 §3 (helper "share"): reading the disclosure log
    "case-disclosure",
    "case-meetings",  # issue 16 §4 (helper "share"): reading meetings
    "case-ap",  # issue 16 §5 (helper "ap"): reading the approved premises tab
}
PAYLOADS: dict[str, dict[str, Any]] = {
    "check-new": {"kind": "DOMESTIC_ABUSE", "partner": "GMP", "question": "Call-outs?"},
    "prison-information": {},
    "assessment-countersign": {"decision": "agree", "comments": "Checked"},
    "action-post:complete": {"evidence_kind": "contact", "evidence_ref": "C9", "notes": "Done"},
    "action-post:cancel": {"reason": "Not needed"},
    "action-post:reassign": {"staff": "STF0002", "reason": "Cover"},
    "action-post:enforcement": {"decision": "WARNING", "notes": "Warning letter"},
    "action-post:release-plan": {"item": "ACCOMMODATION", "notes": "Confirmed"},
    "action-post:requirement-start": {"start": "2026-11-20"},
    "check-acted-on": {"notes": "Reviewed"},
    "recall-post:consider": {"event": "1", "reasons": ["RISK_INCREASED"], "concerns": "Threats"},
    "recall-post:decide": {"decision": "RECALL", "type": "STANDARD", "emergency": "yes", "rationale": "Threats"},
    "recall-post:part-a": {"circumstances": "Threats"},
    "recall-post:revoked": {"at": "2026-11-23T09:00"},
    "recall-post:executed": {"at": "2026-11-23T09:00", "notes": "Police"},
    "recall-post:letter": {"expectations": "Attend", "next_appointment": "Monday"},
    # issue 14
    "appointment-new": {"type": "PHONE", "at-day": "1", "at-month": "12", "at-year": "2026", "at-time": "10:00"},
    "appointment-reschedule": {"at-day": "2", "at-month": "12", "at-year": "2026", "at-time": "10:00", "reason": "x"},
    "appointment-outcome": {"outcome": "RESCHEDULED"},
    "contact-new": {"type": "PHONE", "at-day": "20", "at-month": "11", "at-year": "2026", "at-time": "10:00"}
    | {"notes": "Called"},
    "flag-new": {"type": "RSTO", "start-day": "20", "start-month": "11", "start-year": "2026", "notes": "Order"},
    "flag-review": {"decision": "KEEP", "notes": "Still needed", "reviewed_on-day": "23"}
    | {"reviewed_on-month": "11", "reviewed_on-year": "2026"},
    "flag-end": {"reason": "Order expired", "end-day": "23", "end-month": "11", "end-year": "2026"},
    # issue 15 §2 (helper "alloc"): reallocate the matrix case to the other practitioner
    "allocation-case": {"to": "STF0002", "reason": "CASELOAD_ADJUSTMENT", "notes": "Balance caseloads"},
    "oversight-note": {"notes": "Reviewed the risk management plan"},  # issue 15 ("overs")
    "case-transfers": {"to_pdu": "NOPE", "reason": "Moving"},  # issue 16 §2 (helper "transfer")
    "case-transfer-decide": {"decision": "reject", "reason": "No address"},  # issue 16 §2 (helper "transfer")
    # issue 16 §1 (helper "court")
    "court-post:open": {"court": "Manchester Crown Court", "charges": "Assault", "court_date-day": "25"}
    | {"court_date-month": "1", "court_date-year": "2027"},
    "court-post:adjourn": {"reason": "Report", "court_date-day": "1", "court_date-month": "2"}
    | {"court_date-year": "2027"},
    "court-post:psr": {"considering": "CURFEW", "proposed_address": "1 High Street"},
    "court-post:address": {"address": "1 High Street", "victim": "no", "partner": "no", "conclusion": "SUITABLE"}
    | {"reasons": "Lives alone"},
    "court-post:propose": {"sentence_type": "COMMUNITY_ORDER"},
    "court-post:outcome": {"sentence_type": "COMMUNITY_ORDER", "offence": "Assault", "offence_category": "violence"}
    | {"sentence_date-day": "23", "sentence_date-month": "11", "sentence_date-year": "2026"},
    "referral-new": {"partner": "GMP", "service": "MAPPA", "reason": "MAPPA level 2 meeting"},  # issue 16 §3
    "meeting-new": {"kind": "IOM", "held_on-day": "23", "held_on-month": "11", "held_on-year": "2026"}  # issue 16 §4
    | {"chair": "DI Smith", "attendees": "DI Smith", "invitations": "POM | Pat | accepted", "minutes": "Met"},
    # issue 16 §7 (helper "victim"): VR-MATRIX is made by the `case` fixture
    "victim-post:new": {"vlo_name": "Val", "kind": "NO_CONTACT", "no_contact_victim": "yes", "received_on-day": "20"}
    | {"received_on-month": "11", "received_on-year": "2026"},
    "victim-post:outcome": {"representation": "VR-MATRIX", "status": "INCLUDED", "decided_on-day": "23"}
    | {"decided_on-month": "11", "decided_on-year": "2026"},
    # issue 16 §5 (helper "ap"): the referral form (GMP is not an approved premises partner: refused by field)
    "ap-post:refer": {"partner": "GMP", "premises": "Bunyan House", "emergency": "no", "reason": "High RoSH"}
    | {"requested_arrival-day": "1", "requested_arrival-month": "12", "requested_arrival-year": "2026"},
    "ap-post:decision": {"referral": "APR-NONE", "decision": "REFUSED", "reason": "Full"},
    "ap-post:arrival": {"referral": "APR-NONE", "arrival": "ARRIVED"},
    "remand-new": {"start-day": "1", "start-month": "10", "start-year": "2026", "court": "Manchester Crown Court"}
    | {"matter": "Burglary"},  # issue 16 §6 (helper "share2")
}
# Who signs in: every role, and writers who do not work this case.
ACCOUNTS = {
    COM: ("STF0001", Role.PRACTITIONER),
    SPO: ("STF0100", Role.SPO),
    HEAD: ("STF0800", Role.HEAD_OF_PDU),
    ACO: ("STF0900", Role.REGIONAL_LEADER),
    POM: ("STF0200", Role.POM),
    "auditor": ("STF0700", Role.AUDITOR),
    "administrator": ("STF0701", Role.ADMINISTRATOR),
    "partner": ("STF0702", Role.PARTNER),
    "another practitioner": ("STF0002", Role.PRACTITIONER),
    "another team's SPO": ("STF0150", Role.SPO),
    "another POM": ("STF0201", Role.POM),
}


def _form_verbs(route: str) -> list[str]:
    """The verbs (or recall steps) the pages post to `route`, read from the templates: not a hand-made list."""
    pattern = re.compile(rf"url\('web:{route}', [^)]*'([a-z-]+)'\)")
    return sorted({m for t in TEMPLATES.rglob("*.html") for m in pattern.findall(t.read_text())})


def routes() -> list[tuple[str, str, str | None]]:
    """(key, url name, verb) for every pattern in web/urls.py; routes taking a verb, once per verb the pages use."""
    out: list[tuple[str, str, str | None]] = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = str(pattern.name)
        params = set(pattern.pattern.converters)
        if params & {"verb", "step"}:
            verbs = _form_verbs(name)
            assert verbs, f"no page posts to {name}"
            out += [(f"{name}:{v}", name, v) for v in verbs]
        else:
            out.append((name, name, None))
    return out


def test_every_route_is_in_the_documented_matrix():
    keys = {key for key, _, _ in routes()}
    assert keys == set(ALLOWED) | NOT_CASE_WRITES, "document who may write through a new route (docs/security.md)"
    assert not set(ALLOWED) & NOT_CASE_WRITES
    assert {v for _, r in ACCOUNTS.values() for v in [r]} >= {r for r in Role if r is not Role.SYSTEM}


@pytest.fixture
def case(imported, monkeypatch):
    person = make_person()
    event = person["events"][0]
    event["dates"].update(
        {"release": "2026-10-01", "conditional_release": "2026-10-01", "licence_expiry": "2028-01-01"}
        | {"sentence_expiry": "2028-01-01"}
    )
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": "2024-09-01", "length_months": 40}
    person["contacts"][0].update({"id": "C9", "at": "2026-11-20T10:00:00Z"})
    org = org_with_managers()
    org["teams"].append({"code": "GMR-MN-2", "name": "Manchester North Team 2", "pdu": "GMR-MN"})
    imported(org | {"people": [person]})
    team2 = Team.objects.get(code="GMR-MN-2")
    for code, grade, team in (
        ("STF0700", "ADMIN", None),
        ("STF0701", "ADMIN", None),
        ("STF0702", "ADMIN", None),
        ("STF0150", "SPO", team2),
        ("STF0201", "POM", None),
    ):
        Staff.objects.create(code=code, forename="X", surname=code, grade=grade, team=team)
    users = {
        who: User.objects.create(username=who.replace(" ", "-"), staff=Staff.objects.get(code=code), role=role)
        for who, (code, role) in ACCOUNTS.items()
    }
    partner_agreement("GMP", answers=("DOMESTIC_ABUSE",))
    subject = Person.objects.get(crn="X123456")
    with time_machine.travel(NOW, tick=False):
        check = check_request_create(
            actor=SYSTEM, person=subject, kind="DOMESTIC_ABUSE", partner_code="GMP", question="Any call-outs?"
        )
        refresh(subject.pk)
        assessment = assessment_start(actor=SYSTEM, person=subject)
        recall_services.recall_consider(
            actor=Actor(username="ada", role=Role.PRACTITIONER, staff_id=subject.practitioner_id, staff_code="STF0001"),
            person=subject,
            event=subject.events.get(),
            reasons=["CONTACT_STOPPED"],
            concerns="Absent",
        )
        representation_record(  # issue 16 §7 (helper "victim"): a representation awaiting its outcome
            actor=SYSTEM,
            person=subject,
            data=RepresentationInput(
                vlo_name="Val", received_on=date(2026, 11, 20), kind="OTHER", text="No posts", external_id="VR-MATRIX"
            ),
        )
    actions = {a.type: a for a in Action.objects.filter(person=subject, status="OPEN")}
    for kind, detail in (
        ("ENFORCEMENT_DECISION", {"contact": "C9"}),
        ("RELEASE_PLAN", {}),
        ("REQUIREMENT_START", {"requirement": "R1"}),
    ):
        if kind not in actions:
            actions[kind] = Action.objects.create(
                person=subject,
                event=subject.events.get(),
                type=kind,
                key=f"matrix:{kind}",
                title=kind,
                owner=Staff.objects.get(code="STF0001"),
                owner_role="COM",
                opens_at=datetime.fromisoformat(NOW),
                due=datetime.fromisoformat(NOW),
                created_at=datetime.fromisoformat(NOW),
                detail=detail,
            )
    by_verb = {
        "enforcement": "ENFORCEMENT_DECISION",
        "release-plan": "RELEASE_PLAN",
        "requirement-start": "REQUIREMENT_START",
    }
    values = {
        "crn": "X123456",
        "aid": assessment.external_id,
        "public_id": str(check.public_id),
        "code": "GMR-MN-1",
        "kind": "case-summary",
    }
    with time_machine.travel(NOW, tick=False):  # issue 14: an appointment to reschedule and record
        values["appointment"] = appointment_book(
            actor=SYSTEM,
            person=subject,
            type="OFFICE_VISIT",
            at=datetime.fromisoformat("2026-11-30T10:00:00Z"),
            location="Office",
            staff_id=subject.practitioner_id,
        ).external_id
    return users, values, actions, by_verb


CASE_APPS = ("people", "records", "risk", "sharing", "actions", "cases", "court", "victims", "premises")  # 16


def case_data() -> dict[str, list[dict[str, Any]]]:
    """Every row of every case-data table (the audit trail and sessions aside: reads and sign-ins write those)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in CASE_APPS
        for model in apps.get_app_config(label).get_models()
    }


def test_every_post_route_by_every_role_is_allowed_or_refused_as_documented(case):
    users, values, actions, by_verb = case
    failures = []
    with time_machine.travel(NOW, tick=False):
        before = case_data()
        for key, name, verb in routes():
            kwargs = {p: values.get(p, "") for p in (*KWARGS, "kind", "appointment") if p in _params(name)}
            if verb is not None:
                kwargs["verb" if "verb" in _params(name) else "step"] = verb
            if "registration_id" in _params(name):
                kwargs["registration_id"] = Registration.objects.filter(person__crn="X123456").values_list(
                    "pk", flat=True
                )[0]
            if "action_id" in _params(name):
                kwargs["action_id"] = actions[by_verb.get(verb or "", "ENFORCEMENT_DECISION")].pk
            url = reverse(f"web:{name}", kwargs=kwargs)
            for who, user in users.items():
                client = Client(raise_request_exception=False)
                client.force_login(user)
                allowed = who in ALLOWED.get(key, set())
                with transaction.atomic():
                    status = client.post(url, PAYLOADS.get(key, {})).status_code
                    changed = not allowed and case_data() != before  # what a documented writer writes is theirs
                    transaction.set_rollback(True)
                if status >= 500:
                    failures.append(f"{key} as {who}: {status}")
                elif key in NOT_CASE_WRITES and changed:
                    failures.append(f"{key} as {who}: wrote case data")
                elif key in ALLOWED and allowed and status == 403:
                    failures.append(f"{key} as {who}: refused, but documented as allowed")
                elif key in ALLOWED and not allowed and (status != 403 or changed):
                    failures.append(f"{key} as {who}: {status}{' and wrote' if changed else ''}, expected 403")
    assert not failures, "\n".join(failures)


KWARGS = ("crn", "aid", "public_id", "code")


def _params(name: str) -> set[str]:
    return next(set(p.pattern.converters) for p in urls.urlpatterns if isinstance(p, URLPattern) and p.name == name)
