"""Issue 11: nobody learns of a case they may not see (owners, escalations, reminders, the digest), nobody writes on
a case they do not work, and no one person signs a recall's Part A alone. Each test fails on the code before."""

from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from keepsafe.actions.models import Action, ActionLog, Notification, Recall
from keepsafe.actions.services import decisions, manage, recall
from keepsafe.actions.services.digest import digest_send
from keepsafe.actions.services.manage import refresh
from keepsafe.actions.services.notify import CLAIM_LEASE, WITHHELD, _waiting, claim, deliver
from keepsafe.actions.services.reconcile import reconcile_case
from keepsafe.audit.models import AuditEvent
from keepsafe.core import clock
from keepsafe.core.actor import Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.people.models import CaseAccess, Contact, Person
from keepsafe.testing.fixtures import make_person, org_with_managers
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"
SECOND_SPO = {
    "code": "STF0101",
    "forename": "Sam",
    "surname": "Second",
    "grade": "SPO",
    "team": "GMR-MN-1",
    "line_manager": "STF0800",
    "qualified_on": None,
    "contracted_hours": 37.0,
    "email": "sam@example.org",
}


def on_licence(crn: str = "X123456", **changes) -> dict:
    person = make_person(crn, **changes)
    event = person["events"][0]
    event["dates"].update(
        {"release": "2026-10-01", "conditional_release": "2026-10-01", "licence_expiry": "2028-01-01"}
        | {"sentence_expiry": "2028-01-01"}
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
    return person


@pytest.fixture
def region(imported):
    def _load(*people: dict, second_spo: bool = False) -> None:
        org = org_with_managers()
        if second_spo:
            org["staff"].append(copy.deepcopy(SECOND_SPO))
        imported(org | {"people": list(people) or [on_licence()]})

    return _load


def _consider(staff_actor, crn: str = "X123456") -> Recall:
    person = Person.objects.get(crn=crn)
    return recall.recall_consider(
        actor=staff_actor("STF0001"),
        person=person,
        event=person.events.get(),
        reasons=["RISK_INCREASED"],
        concerns="Threats to ex-partner",
    )


def _staff_to(*notes: Notification) -> set[str]:
    return {n.recipient.code for n in notes}


# --- item 1: owners, escalation steps, recipients ----------------------------------------------------------------


def test_a_recall_decision_on_a_case_excluding_the_spo_goes_to_another_spo_in_the_team_and_says_why(
    region, staff_actor
):
    region(on_licence(excluded=["STF0100"]), second_spo=True)
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
    action = Action.objects.get(type="RECALL_DECISION")
    assert action.owner.code == "STF0101"
    assert "STF0100 (line manager) may not see this case" in action.detail["owner_note"]
    created = action.log.get(kind=ActionLog.Kind.CREATED)
    assert "STF0100 (line manager) may not see this case: STF0101" in created.notes
    assert "STF0100" not in {link["staff"] for link in action.chain}


def test_without_another_spo_the_head_of_pdu_owns_it_and_nothing_ever_reaches_the_excluded_spo(region, staff_actor):
    region(on_licence(excluded=["STF0100"]))
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
    person = Person.objects.get()
    assert Action.objects.get(type="RECALL_DECISION").owner.code == "STF0800"
    # Days later: every action overdue, escalated and reminded; the excluded SPO is told of none of it.
    for instant in ("2026-11-25T10:00:00Z", "2026-12-05T10:00:00Z", "2027-01-10T10:00:00Z"):
        with time_machine.travel(instant, tick=False):
            reconcile_case(person, datetime.fromisoformat(instant))
    assert Notification.objects.exists()
    assert not Notification.objects.filter(recipient__code="STF0100").exists()
    assert all("STF0100" not in entry.to for entry in ActionLog.objects.all())
    for action in Action.objects.all():
        assert all(link["staff"] != "STF0100" for link in action.chain)
        assert action.owner is None or action.owner.code != "STF0100"


def test_a_restriction_added_later_moves_the_action_and_withholds_email_already_queued(region, staff_actor):
    region(on_licence())
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
    decision = Action.objects.get(type="RECALL_DECISION")
    assert decision.owner.code == "STF0100"
    queued = Notification.objects.filter(recipient__code="STF0100", sent_at__isnull=True)
    assert queued.exists()
    person = Person.objects.get()
    spo = Staff.objects.get(code="STF0100")
    CaseAccess.objects.create(person=person, staff=spo, kind=CaseAccess.Kind.EXCLUSION)
    mail.outbox.clear()
    deliver()
    assert all("X123456" not in m.body or "spo@example.org" not in m.to for m in mail.outbox)
    assert set(queued.model.objects.filter(recipient=spo).values_list("error", flat=True)) == {WITHHELD}
    with time_machine.travel("2026-11-23T11:00:00Z", tick=False):
        reconcile_case(person, datetime.fromisoformat("2026-11-23T11:00:00Z"))
    decision.refresh_from_db()
    assert decision.owner.code == "STF0800"
    assert decision.log.filter(kind="REASSIGNED", notes__contains="STF0100 may no longer see this case").exists()


def test_the_spo_digest_never_names_a_case_the_spo_may_not_see(region, staff_actor):
    region(on_licence("X000001"), on_licence("X000002", excluded=["STF0100"]), on_licence("X000003"))
    with time_machine.travel(NOW, tick=False):
        for person in Person.objects.all():
            refresh(person.pk)
    assert Action.objects.filter(person__crn="X000002", owner__code="STF0001").exists()
    as_of = datetime.fromisoformat("2026-11-24T08:00:00+00:00")
    assert digest_send(day=as_of.date(), as_of=as_of) >= 1
    digest = Notification.objects.get(kind="DIGEST", recipient__code="STF0100")
    assert "X000001" in digest.body
    assert "X000003" in digest.body
    assert "X000002" not in digest.body
    assert "X000002" not in digest.subject
    # A restriction added after the digest was queued: it goes without that case.
    CaseAccess.objects.create(
        person=Person.objects.get(crn="X000003"),
        staff=Staff.objects.get(code="STF0001"),
        kind=CaseAccess.Kind.RESTRICTION,
    )
    mail.outbox.clear()
    deliver()
    (sent,) = [m for m in mail.outbox if m.to == ["spo@example.org"] and "Team actions" in m.subject]
    assert "X000001" in sent.body
    assert "X000003" not in sent.body


# --- item 2: reassigning -----------------------------------------------------------------------------------------


def test_an_action_cannot_be_reassigned_to_someone_who_may_not_see_the_case(region, staff_actor):
    region(on_licence(excluded=["STF0002"]))
    with time_machine.travel(NOW, tick=False):
        refresh(Person.objects.get().pk)
        action = Action.objects.filter(status="OPEN").first()
        with pytest.raises(ValidationError, match="STF0002 may not see this case"):
            manage.action_reassign(
                actor=staff_actor("STF0100", Role.SPO), action=action, staff_code="STF0002", reason="cover"
            )
    action.refresh_from_db()
    assert action.owner.code == "STF0001"
    assert not action.owner_set_by_hand


# --- item 3 and 6: who may write ---------------------------------------------------------------------------------


def test_an_auditor_cannot_complete_cancel_or_reassign_an_action(region, staff_actor):
    region()
    with time_machine.travel(NOW, tick=False):
        refresh(Person.objects.get().pk)
    action = Action.objects.filter(status="OPEN").first()
    Action.objects.filter(pk=action.pk).update(type="TERMINATION")
    action.refresh_from_db()
    auditor = staff_actor("STF0100", Role.AUDITOR)  # even a manager's staff record, signed in as an auditor
    with pytest.raises(PermissionDeniedError, match="read-only"):
        manage.action_complete(actor=auditor, action=action, evidence_kind="contact", evidence_ref="C9", notes="done")
    with pytest.raises(PermissionDeniedError):
        manage.action_cancel(actor=auditor, action=action, reason="no")
    with pytest.raises(PermissionDeniedError):
        manage.action_reassign(actor=auditor, action=action, staff_code="STF0002", reason="no")
    action.refresh_from_db()
    assert action.status == "OPEN"


def test_document_evidence_must_be_something_stored_on_the_case(region, staff_actor):
    region()
    with time_machine.travel(NOW, tick=False):
        refresh(Person.objects.get().pk)
    action = Action.objects.filter(status="OPEN").first()
    Action.objects.filter(pk=action.pk).update(type="TERMINATION")
    action.refresh_from_db()
    ada = staff_actor("STF0001")
    with pytest.raises(ValidationError, match="no document 'signed off by phone'"):
        manage.action_complete(
            actor=ada, action=action, evidence_kind="document", evidence_ref="signed off by phone", notes="done"
        )
    manage.action_complete(
        actor=ada, action=action, evidence_kind="document", evidence_ref="PRISON-INTEL-881", notes="Closure report"
    )
    assert Action.objects.get(pk=action.pk).status == "DONE"


def test_only_staff_who_work_the_case_record_on_it_and_cover_says_for_whom(region, staff_actor):
    region()
    contact = Contact.objects.get(external_id="C9")
    with time_machine.travel(NOW, tick=False):
        refresh(contact.person_id)
        for outsider in (staff_actor("STF0002"), staff_actor("STF0200", Role.POM)):
            with pytest.raises(PermissionDeniedError, match="case holder"):
                decisions.enforcement_record(actor=outsider, contact=contact, decision="WARNING", notes="x")
        decisions.enforcement_record(
            actor=staff_actor("STF0100", Role.SPO), contact=contact, decision="WARNING", notes="Ada on leave"
        )
    event = AuditEvent.objects.get(action="ENFORCEMENT_DECISION")
    assert event.details["acting_for"] == "STF0001"
    assert event.details["basis"] == "management chain"


def test_a_recall_cannot_be_raised_by_a_practitioner_who_does_not_hold_the_case(region, staff_actor):
    region()
    person = Person.objects.get()
    with time_machine.travel(NOW, tick=False), pytest.raises(PermissionDeniedError):
        recall.recall_consider(
            actor=staff_actor("STF0002"),
            person=person,
            event=person.events.get(),
            reasons=["RISK_INCREASED"],
            concerns="x",
        )
    assert not Recall.objects.exists()


# --- item 5: Part A two-person rule ------------------------------------------------------------------------------

PART_A = {
    f: "Set out in full"
    for f in (
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
    )
}


def _decided(staff_actor, decider) -> Recall:
    with time_machine.travel(NOW, tick=False):
        r = _consider(staff_actor)
        recall.recall_decide(
            actor=decider, recall=r, decision="RECALL", recall_type="STANDARD", emergency=True, rationale="Threats"
        )
    return Recall.objects.get(pk=r.pk)


def test_the_spo_who_decided_cannot_countersign_part_a(region, staff_actor):
    region()
    sara = staff_actor("STF0100", Role.SPO)
    r = _decided(staff_actor, sara)
    with time_machine.travel(NOW, tick=False):
        recall.recall_part_a_save(actor=staff_actor("STF0001"), recall=r, part_a=PART_A)
        with pytest.raises(PermissionDeniedError, match="You decided this recall"):
            recall.recall_countersign(actor=sara, recall=Recall.objects.get(pk=r.pk), level="SPO")
    assert Recall.objects.get(pk=r.pk).spo_signed_at is None


def test_a_regional_leader_cannot_decide_write_and_sign_twice(region, staff_actor):
    region()
    alex = staff_actor("STF0900", Role.REGIONAL_LEADER)
    r = _decided(staff_actor, alex)
    hana = staff_actor("STF0800", Role.HEAD_OF_PDU)
    with time_machine.travel(NOW, tick=False):
        recall.recall_part_a_save(actor=hana, recall=r, part_a=PART_A)
        with pytest.raises(PermissionDeniedError, match="You decided"):
            recall.recall_countersign(actor=alex, recall=Recall.objects.get(pk=r.pk), level="SPO")
        with pytest.raises(PermissionDeniedError, match="You wrote part of this Part A"):
            recall.recall_countersign(actor=hana, recall=Recall.objects.get(pk=r.pk), level="SPO")
        recall.recall_countersign(
            actor=staff_actor("STF0100", Role.SPO), recall=Recall.objects.get(pk=r.pk), level="SPO"
        )
        with pytest.raises(PermissionDeniedError, match="You decided"):
            recall.recall_countersign(actor=alex, recall=Recall.objects.get(pk=r.pk), level="ACO")
    assert Recall.objects.get(pk=r.pk).aco_signed_at is None


def test_the_same_person_never_signs_as_spo_and_aco():
    from keepsafe.actions.rules.recall import signature_problem

    assert signature_problem(
        level="ACO", signer="A", considered_by="P", decided_by="S", part_a_by=["P"], spo_signed_by="A"
    ).startswith("You have already countersigned")
    assert (
        signature_problem(
            level="ACO", signer="B", considered_by="P", decided_by="S", part_a_by=["P"], spo_signed_by="A"
        )
        is None
    )


def test_the_revocation_cannot_be_recorded_twice(region, staff_actor):
    region()
    r = _decided(staff_actor, staff_actor("STF0100", Role.SPO))
    ada = staff_actor("STF0001")
    with time_machine.travel("2026-11-23T12:00:00Z", tick=False):
        recall.recall_revoked(actor=ada, recall=r, at=datetime.fromisoformat("2026-11-23T11:00:00+00:00"))
        with pytest.raises(ValidationError, match="already recorded"):
            recall.recall_revoked(
                actor=ada, recall=Recall.objects.get(pk=r.pk), at=datetime.fromisoformat("2026-11-23T11:30:00+00:00")
            )
    assert Recall.objects.get(pk=r.pk).revoked_at == datetime.fromisoformat("2026-11-23T11:00:00+00:00")


# --- item 11: each email once; a bad address fails once -----------------------------------------------------------


def test_two_workers_claim_disjoint_notifications_and_a_lost_claim_is_taken_over(region, staff_actor):
    region()
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
    waiting = list(Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    assert len(waiting) >= 2
    first, second = claim(1, "worker-a"), claim(100, "worker-b")
    assert len(first) == 1
    assert first[0] not in second
    assert sorted(first + second) == sorted(waiting)
    assert claim(100, "worker-c") == []
    # The claim is a conditional UPDATE: a worker that read the row before another claimed it wins nothing.
    assert Notification.objects.filter(_waiting(clock.now()), pk=first[0]).update(claimed_by="late") == 0
    # A worker lost after claiming: its claim lapses and another worker sends the email, once.
    with time_machine.travel(clock.now() + CLAIM_LEASE + timedelta(seconds=1), tick=False):
        mail.outbox.clear()
        sent, failed = deliver(worker="worker-d")
    assert (sent, failed) == (len(waiting), 0)
    assert len(mail.outbox) == Notification.objects.exclude(recipient__email="").count()
    assert deliver(worker="worker-e") == (0, 0)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQLite test database is shared-cache in memory (table locks, not file locks): SQLite's claim is "
    "the conditional UPDATE above, and test_sqlite_busy.py runs workers as processes on a real file",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_email_exactly_once(region, staff_actor):
    region()
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
        refresh(Person.objects.get().pk)
    person = Person.objects.get()
    recipients = list(Staff.objects.exclude(email=""))
    for n in range(40):  # plenty of rows to fight over
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=r, kind="REMINDER", subject=f"n{n}", body="b", created_at=clock.now(), cases=[person.pk]
                )
                for r in recipients
            ]
        )
    mail.outbox.clear()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            for _ in range(20):
                deliver(limit=7, worker=name)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(sent) == len(set(sent))
    assert Notification.objects.filter(sent_at__isnull=True, failed_at__isnull=True).count() == 0
    assert len(sent) == Notification.objects.exclude(recipient__email="").count()


def test_a_bad_address_fails_once_with_a_reason_and_is_not_retried(region, staff_actor, caplog):
    region()
    Staff.objects.filter(code="STF0001").update(email="ada@example.org\r\nBcc: everyone@example.org")
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
        refresh(Person.objects.get().pk)
    bad = Notification.objects.filter(recipient__code="STF0001")
    assert bad.exists()
    mail.outbox.clear()
    deliver()
    assert not any("everyone@example.org" in ",".join(m.to + m.bcc) for m in mail.outbox)
    assert all(n.failed_at is not None and "line break" in n.error for n in bad)
    assert "example.org" not in caplog.text
    assert "X123456" not in caplog.text
    attempts = {n.pk: n.attempts for n in bad}
    deliver()
    assert {n.pk: n.attempts for n in bad} == attempts  # not tried again


def test_the_check_run_after_every_test_finds_a_notification_naming_a_hidden_case(region):
    """The autouse fixture in testing/fixtures.py holds every test to the rule; it must see a breach."""
    from keepsafe.testing.fixtures import hidden_case_mentions

    region(on_licence(excluded=["STF0100"]))
    note = Notification.objects.create(
        recipient=Staff.objects.get(code="STF0100"),
        kind="REMINDER",
        subject="Overdue safety action (X123456)",
        body="Case: X123456",
        created_at=clock.now(),
    )
    assert hidden_case_mentions() == [
        f"notification {note.pk} (REMINDER) to staff {note.recipient_id} names case {Person.objects.get().pk}"
    ]
    note.delete()


def test_the_actions_tab_says_why_and_a_reassignment_to_an_excluded_spo_is_refused_on_the_page(region, staff_actor):
    from django.test import Client

    from keepsafe.workforce.models import User

    region(on_licence(excluded=["STF0100"]))
    with time_machine.travel(NOW, tick=False):
        _consider(staff_actor)
        hana = Client()
        hana.force_login(
            User.objects.create(username="hana", staff=Staff.objects.get(code="STF0800"), role="HEAD_OF_PDU")
        )
        page = hana.get("/case/X123456/actions").content.decode()
        assert "STF0100 (line manager) may not see this case: STF0800 (head of PDU) instead" in page
        action = Action.objects.get(type="RECALL_DECISION")
        refused = hana.post(f"/case/X123456/actions/{action.pk}/reassign", {"staff": "STF0100", "reason": "Cover"})
    assert refused.status_code == 400
    assert "STF0100 may not see this case" in refused.content.decode()
    assert Action.objects.get(pk=action.pk).owner.code == "STF0800"
