"""Issue 16 §2 (helper "transfer"): case transfer between PDUs and regions — the service, its refusals, the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.services.manage import refresh
from keepsafe.audit.models import AuditEvent
from keepsafe.cases.models import CaseDocument
from keepsafe.cases.selectors import case_summary
from keepsafe.cases.tests.transfer_org import transfer_org
from keepsafe.cases.transfers import pending_transfers, transfer_decide, transfer_request
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.people.models import Person, PersonVersion, Transfer
from keepsafe.people.selectors import staff_may_see
from keepsafe.testing.fixtures import SYSTEM
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"  # a Monday
CRN = "X123456"

ROLES = {
    "STF0001": Role.PRACTITIONER,
    "STF0002": Role.PRACTITIONER,
    "STF0100": Role.SPO,
    "STF0800": Role.HEAD_OF_PDU,
    "STF3800": Role.HEAD_OF_PDU,
    "STF2800": Role.HEAD_OF_PDU,
    "STF2900": Role.REGIONAL_LEADER,
    "STF2100": Role.SPO,
    "STF2001": Role.PRACTITIONER,
    "STF0200": Role.POM,
}


def actor(code: str) -> Actor:
    staff = Staff.objects.get(code=code)
    return Actor(username=code.lower(), role=ROLES[code], staff_id=staff.pk, staff_code=code)


def build(imported, **person_changes: Any) -> Person:
    bundle = transfer_org()
    event = bundle["people"][0]["events"][0]
    event["dates"].update(
        {"release": "2026-10-01", "conditional_release": "2026-10-01", "licence_expiry": "2028-01-01"}
        | {"sentence_expiry": "2028-01-01"}
    )
    event["sentence"] = {"type": "DETERMINATE_CUSTODY", "date": "2024-09-01", "length_months": 40}
    bundle["people"][0].update(person_changes)
    with time_machine.travel("2026-11-01T09:00:00Z", tick=False):
        imported(bundle)
    person = Person.objects.get(crn=CRN)
    with time_machine.travel(NOW, tick=False):
        refresh(person.pk)
    return person


@pytest.fixture
def case(imported) -> Person:
    return build(imported)


def snapshot() -> dict[str, Any]:
    """Everything a refused request or decision must leave as it was."""
    return {
        "person": list(Person.objects.values("pdu_id", "practitioner_id")),
        "versions": PersonVersion.objects.count(),
        "transfers": list(Transfer.objects.values()),
        "actions": list(Action.objects.order_by("pk").values("pk", "status", "owner_id", "closed_at")),
        "documents": CaseDocument.objects.count(),
        "notifications": Notification.objects.count(),
    }


def request(code: str = "STF0001", to: str = "WMR-BH", reason: str = "Moving to live with his sister") -> Transfer:
    with time_machine.travel(NOW, tick=False):
        return transfer_request(actor=actor(code), person=Person.objects.get(crn=CRN), to_pdu_code=to, reason=reason)


def decide(code: str = "STF2800", accept: bool = True, practitioner: str | None = "STF2001", reason: str = ""):
    with time_machine.travel(datetime.fromisoformat(NOW) + timedelta(days=1), tick=False):
        return transfer_decide(
            actor=actor(code),
            person=Person.objects.get(crn=CRN),
            accept=accept,
            practitioner_code=practitioner,
            reason=reason,
        )


def test_a_request_opens_a_decision_for_the_receiving_head_and_leaves_the_case_with_its_holder(case):
    before = Person.objects.values("pdu__code", "practitioner__code").get(crn=CRN)
    transfer = request()
    assert transfer.status == Transfer.Status.PENDING
    assert Person.objects.values("pdu__code", "practitioner__code").get(crn=CRN) == before
    action = Action.objects.get(person=case, type=ActionType.TRANSFER_DECISION)
    assert action.owner.code == "STF2800"
    assert action.status == Action.Status.OPEN
    assert action.chain[0]["staff"] == "STF2900"  # the receiving head's line manager: escalation goes there
    # 5 working days from Monday 23 November 2026: the end of Monday 30 November, London time
    assert action.due.isoformat() == "2026-12-01T00:00:00+00:00"
    assert Notification.objects.filter(action=action, recipient__code="STF2800").exists()
    assert AuditEvent.objects.filter(action="TRANSFER_REQUEST", crn=CRN).exists()
    assert [p.transfer.pk for p in pending_transfers(viewer=actor("STF2800"))] == [transfer.pk]
    assert pending_transfers(viewer=actor("STF3800")) == []  # another PDU's head


@pytest.mark.parametrize(
    ("code", "to", "reason", "error", "says"),
    [
        ("STF0001", "GMR-MN", "x", ValidationError, "already held in GMR-MN"),
        ("STF0001", "NOPE", "x", ValidationError, "no PDU with code 'NOPE'"),
        ("STF0001", "WMR-BH", "  ", ValidationError, "give the reason"),
        ("STF0001", "WMR-CV", "x", ValidationError, "WMR-CV has no head of PDU"),
        ("STF0002", "WMR-BH", "x", PermissionDeniedError, None),  # a practitioner who does not work the case
        ("STF0200", "WMR-BH", "x", PermissionDeniedError, None),  # the POM does not move the case
    ],
)
def test_refused_requests_change_nothing(case, code, to, reason, error, says):
    before = snapshot()
    with pytest.raises(error, match=says):
        request(code, to, reason)
    assert snapshot() == before


def test_a_second_request_while_one_is_pending_is_refused(case):
    request()
    before = snapshot()
    with pytest.raises(ValidationError, match="a transfer to WMR-BH is already waiting"):
        request("STF0100", "GMR-MS")
    assert snapshot() == before


def test_a_case_the_requester_may_not_see_is_refused_like_a_missing_one(imported):
    build(imported, excluded=["STF0100"])
    with pytest.raises(PermissionDeniedError):
        request("STF0100")
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("code", "accept", "practitioner", "reason", "error", "says"),
    [
        ("STF0001", True, "STF2001", "", PermissionDeniedError, "Only the head"),  # a practitioner
        ("STF2100", True, "STF2001", "", PermissionDeniedError, "Only the head"),  # the receiving SPO
        ("STF3800", True, "STF2001", "", PermissionDeniedError, "Only the head of WMR-BH"),  # another PDU's head
        ("STF0800", True, "STF2001", "", PermissionDeniedError, "Only the head of WMR-BH"),  # the sending head
        ("STF2800", True, None, "", ValidationError, "name the receiving practitioner"),
        ("STF2800", True, "STF9999", "", ValidationError, "no member of staff with code 'STF9999'"),
        ("STF2800", True, "STF0002", "", ValidationError, "STF0002 is not in the receiving PDU WMR-BH"),
        ("STF2800", True, "STF4001", "", ValidationError, "STF4001 is not in the receiving PDU WMR-BH"),
        ("STF2800", True, "STF2100", "", ValidationError, "STF2100 is not a probation practitioner"),
        ("STF2800", False, None, " ", ValidationError, "give the reason the transfer is rejected"),
    ],
)
def test_refused_decisions_change_nothing(case, code, accept, practitioner, reason, error, says):
    request()
    before = snapshot()
    with pytest.raises(error, match=says):
        decide(code, accept, practitioner, reason)
    assert snapshot() == before


def test_a_receiving_practitioner_excluded_from_the_case_is_refused(imported):
    build(imported, excluded=["STF2002"])
    request()
    before = snapshot()
    with pytest.raises(ValidationError, match="STF2002 may not see this case"):
        decide(practitioner="STF2002")
    assert snapshot() == before


def test_deciding_with_nothing_pending_is_refused(case):
    with pytest.raises(ValidationError, match="no transfer of X123456 waiting"):
        decide()


def test_acceptance_moves_the_case_its_actions_and_keeps_the_history(case):
    open_before = set(
        Action.objects.filter(person=case, status="OPEN").exclude(type="TRANSFER_DECISION").values_list("pk", flat=True)
    )
    assert open_before, "the case should have open actions to move"
    transfer = request()
    requested = datetime.fromisoformat(NOW)
    transfer = decide()
    person = Person.objects.select_related("pdu", "practitioner").get(crn=CRN)
    assert (person.pdu.code, person.practitioner.code) == ("WMR-BH", "STF2001")
    assert transfer.status == Transfer.Status.ACCEPTED
    assert transfer.to_practitioner.code == "STF2001"
    # nothing closed by the move; every open action now held in the receiving PDU
    still_open = Action.objects.filter(person=case, status="OPEN")
    assert set(still_open.values_list("pk", flat=True)) == open_before
    for action in still_open.select_related("owner__team__pdu"):
        assert action.owner is not None, action.type
        assert action.owner.code in {"STF2001", "STF2100", "STF0200"}, action.type
    assert ActionLog.objects.filter(action__person=case, kind="REASSIGNED").exists()
    decision = Action.objects.get(person=case, type=ActionType.TRANSFER_DECISION)
    assert decision.status == Action.Status.DONE
    assert decision.evidence["ref"] == transfer.external_id
    # versioned: as of before the acceptance the sending practitioner held it; after, the receiving one
    before = case_summary(crn=CRN, viewer=SYSTEM, as_of=requested + timedelta(hours=1))
    after = case_summary(crn=CRN, viewer=SYSTEM, as_of=requested + timedelta(days=2))
    assert (before["pdu"]["code"], before["practitioner"]) == ("GMR-MN", "STF0001")
    assert (after["pdu"]["code"], after["practitioner"]) == ("WMR-BH", "STF2001")
    # the transfer summary, stored for the receiving team
    document = CaseDocument.objects.get(person=case, kind=CaseDocument.Kind.TRANSFER_SUMMARY)
    assert transfer.summary_document == document.public_id
    headings = [s["heading"] for s in document.composition["sections"]]
    for heading in ("Risk of serious harm", "Active flags", "Serious-harm indicators", "Open actions", "Recall"):
        assert heading in headings
    indicators = next(s for s in document.composition["sections"] if s["heading"] == "Serious-harm indicators")
    assert [f["text"] for f in indicators["fields"]] == ["1 record"]  # the blade found in the cell; not "record(s)"
    told = set(Notification.objects.filter(kind="TRANSFER").values_list("recipient__code", flat=True))
    assert told == {"STF0001", "STF2001", "STF0200"}
    assert AuditEvent.objects.filter(action="TRANSFER_ACCEPT", crn=CRN).exists()
    assert pending_transfers(viewer=actor("STF2800")) == []


def test_rejection_keeps_the_case_where_it_is(case):
    request()
    before = Person.objects.values("pdu_id", "practitioner_id").get(crn=CRN)
    transfer = decide(accept=False, practitioner=None, reason="No address confirmed in Birmingham")
    assert transfer.status == Transfer.Status.REJECTED
    assert Person.objects.values("pdu_id", "practitioner_id").get(crn=CRN) == before
    assert Action.objects.get(person=case, type="TRANSFER_DECISION").status == Action.Status.DONE
    assert set(Notification.objects.filter(kind="TRANSFER").values_list("recipient__code", flat=True)) == {"STF0001"}
    request("STF0001", "WMR-BH", "Address now confirmed")  # a new request may follow a rejection


def test_an_excluded_receiving_head_never_learns_of_the_case(imported):
    """The decision goes to the head's line manager; the head's list and inbox never name the case (the autouse
    fixture also checks every notification)."""
    person = build(imported, excluded=["STF2800"])
    request()
    action = Action.objects.get(person=person, type=ActionType.TRANSFER_DECISION)
    assert action.owner.code == "STF2900"
    assert "may not see" in action.detail.get("owner_note", "")
    assert pending_transfers(viewer=actor("STF2800")) == []
    assert not Notification.objects.filter(recipient__code="STF2800").exists()
    assert [p.transfer.person.crn for p in pending_transfers(viewer=actor("STF2900"))] == [CRN]
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        decide("STF2800")
    decide("STF2900")  # the holder of the decision decides
    assert Person.objects.get(crn=CRN).practitioner.code == "STF2001"


# --- the commands ----------------------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        with time_machine.travel(NOW, tick=False):
            call_command(*args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_the_commands_request_and_accept(case):
    code, out = run("transfer", CRN, "--to-pdu", "WMR-BH", "--reason", "Moving", "--as-user", "STF0001")
    assert code == 0
    assert '"status": "PENDING"' in out
    code, out = run("transfer_decide", CRN, "--accept", "--practitioner", "STF2001", "--as-user", "STF2800")
    assert code == 0
    assert '"status": "ACCEPTED"' in out
    assert '"practitioner": "STF2001"' in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("transfer", CRN, "--to-pdu", "GMR-MN", "--reason", "x", "--as-user", "STF0001"), "already held in GMR-MN"),
        (("transfer", CRN, "--to-pdu", "ZZZ", "--reason", "x", "--as-user", "STF0001"), "no PDU with code 'ZZZ'"),
        (("transfer", "X999999", "--to-pdu", "WMR-BH", "--reason", "x", "--as-user", "STF0001"), "No case found"),
        (("transfer_decide", CRN, "--accept", "--practitioner", "STF2001", "--as-user", "STF2800"), "no transfer"),
        (("transfer_decide", CRN, "--reject", "--as-user", "STF0001"), "Only the head"),
    ],
)
def test_refusals_exit_3_with_one_line(case, args, says):
    code, message = run(*args)
    assert code == 3
    assert says in message
    assert "\n" not in message.strip()


# --- invariants over any sequence of requests and decisions ----------------------------------------------------------
HEADS = {"GMR-MN": "STF0800", "GMR-MS": "STF3800", "WMR-BH": "STF2800"}
PRACTITIONERS = ("STF0001", "STF0002", "STF3001", "STF2001", "STF2002")
STEP = st.one_of(
    st.tuples(st.just("request"), st.sampled_from(["holder", "STF0100", "STF0002"]), st.sampled_from(sorted(HEADS))),
    st.tuples(st.just("decide"), st.sampled_from(sorted(HEADS.values())), st.sampled_from(PRACTITIONERS)),
    st.tuples(st.just("reject"), st.sampled_from(sorted(HEADS.values())), st.just("")),
)


@pytest.fixture
def excluded_case(imported) -> Person:
    return build(imported, excluded=["STF2002"])


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=7))
def test_any_sequence_keeps_one_pending_eligible_owners_and_a_true_history(excluded_case, steps):
    ROLES.update({"STF3001": Role.PRACTITIONER, "STF2002": Role.PRACTITIONER})
    with transaction.atomic():
        start = datetime.fromisoformat(NOW)
        held: list[tuple[datetime, str, str | None]] = []
        for i, (kind, who, what) in enumerate(steps):
            at = start + timedelta(hours=i + 1)
            person = Person.objects.select_related("pdu", "practitioner").get(crn=CRN)
            code = (person.practitioner.code if person.practitioner else "STF0100") if who == "holder" else who
            ROLES.setdefault(code, Role.PRACTITIONER)
            try:
                with time_machine.travel(at, tick=False), transaction.atomic():
                    if kind == "request":
                        transfer_request(actor=actor(code), person=person, to_pdu_code=what, reason="Moving")
                    else:
                        transfer_decide(
                            actor=actor(who),
                            person=person,
                            accept=kind == "decide",
                            practitioner_code=what or None,
                            reason="" if kind == "decide" else "No",
                        )
            except (ValidationError, PermissionDeniedError, NotFoundError):
                pass
            person = Person.objects.select_related("pdu", "practitioner").get(crn=CRN)
            held.append((at, person.pdu.code, person.practitioner.code if person.practitioner else None))
            assert Transfer.objects.filter(person=person, status="PENDING").count() <= 1
            for action in Action.objects.filter(person=person, status="OPEN"):
                assert action.owner_id is not None, action.key
                assert staff_may_see(action.owner_id, person), f"{action.key} held by one who may not see the case"
        for at, pdu, practitioner in held:
            known = case_summary(crn=CRN, viewer=SYSTEM, as_of=at + timedelta(minutes=30))
            assert (known["pdu"]["code"], known["practitioner"]) == (pdu, practitioner)
        transaction.set_rollback(True)
