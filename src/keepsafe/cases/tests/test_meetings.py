"""MAPPA and IOM meetings (issue 16 §4): the POM rule, agreed actions as owned MEETING_ACTION safety actions, minutes
as an immutable scanned record; owners only among staff who may see the case."""

from __future__ import annotations

from datetime import timedelta

import pytest

from keepsafe.actions.models import Action, Notification
from keepsafe.actions.rules.calendar import end_of_day
from keepsafe.actions.rules.types import OPENED_BY_PEOPLE, ActionType
from keepsafe.audit.models import AuditEvent
from keepsafe.cases.meetings import AgreedAction, meeting_actions, meeting_record, owner_choices, parse_invitation
from keepsafe.core import clock
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.people.models import CaseAccess, Person
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.sharing.models import DisclosureChangeError, Meeting
from keepsafe.sharing.rules.meetings import Invitation, InviteeRole, Response
from keepsafe.testing.fixtures import make_bundle, make_person, org_with_managers
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db
POLICE = Invitation("DS Jones", InviteeRole.POLICE, Response.ACCEPTED)
POM = Invitation("Pat Prison", InviteeRole.POM, Response.WRITTEN_UPDATE, "STF0200")


def _bundle(person):
    bundle = make_bundle(person)
    bundle.update({k: v for k, v in org_with_managers().items() if k != "people"})
    return bundle


@pytest.fixture
def case(imported):
    imported(_bundle(make_person()))
    return Person.objects.get(crn="X123456")


@pytest.fixture
def released_last_month(imported):
    person = make_person()
    released = (clock.today() - timedelta(days=30)).isoformat()
    person["events"][0]["dates"].update(
        {"release": released, "conditional_release": released, "licence_expiry": "2029-01-01"}
        | {"sentence_expiry": "2029-01-01"}
    )
    person["events"][0]["sentence"]["date"] = "2024-01-01"
    imported(_bundle(person))
    return Person.objects.get(crn="X123456")


@pytest.fixture
def com(staff_actor):
    return staff_actor("STF0001")


def record(person, actor, *, invitations=(POLICE,), actions=(), minutes="Discussed the risk to the former partner."):
    return meeting_record(
        actor=actor,
        person=person,
        kind="MAPPA_LEVEL_2",
        held_on=clock.today(),
        chair="DI Smith",
        attendees=["DI Smith (GMP)", "Ann Officer (probation)"],
        invitations=list(invitations),
        actions=list(actions),
        minutes=minutes,
    )


def test_a_meeting_with_an_agreed_action_opens_an_owned_meeting_action(case, com):
    due = clock.today() + timedelta(days=14)
    meeting = record(case, com, actions=[AgreedAction("Home visit with police", "STF0100", due)])
    action = Action.objects.get(type="MEETING_ACTION")
    assert action.owner.code == "STF0100"
    assert action.owner_set_by_hand
    assert action.title == "Home visit with police"
    assert action.detail["meeting"] == meeting.external_id
    assert action.due == end_of_day(due)
    assert ActionType.MEETING_ACTION in OPENED_BY_PEOPLE
    assert meeting_actions(case) == {meeting.external_id: [action]}
    assert Notification.objects.filter(action=action).exists()
    assert AuditEvent.objects.filter(action="MEETING_RECORD", crn="X123456").count() == 1


def test_the_minutes_are_an_immutable_record_scanned_like_any_other(case, com):
    meeting = record(case, com, minutes="Police report he was seen carrying a knife near her address.")
    minutes = Record.objects.get(pk=meeting.minutes_id)
    assert minutes.kind == "MEETING_MINUTES"
    assert minutes.source == "PRACTITIONER"
    assert IndicatorFinding.objects.filter(record=minutes, indicator="weapons").exists()
    with pytest.raises(RuntimeError):
        minutes.save()
    with pytest.raises(DisclosureChangeError):
        meeting.save()


def test_within_six_months_of_release_a_meeting_without_the_pom_is_refused(released_last_month, com):
    with pytest.raises(ValidationError) as exc:
        record(released_last_month, com)
    assert "invite the prison offender manager" in dict(exc.value.problems)["invitations"]
    assert not Meeting.objects.exists()
    assert not Record.objects.filter(kind="MEETING_MINUTES").exists()
    meeting = record(released_last_month, com, invitations=(POLICE, POM))
    assert meeting.invitations[1] == {
        "name": "Pat Prison",
        "role": "POM",
        "response": "WRITTEN_UPDATE",
        "staff": "STF0200",
    }


def test_long_after_release_the_pom_need_not_be_invited(case, com):
    assert record(case, com).invitations == [
        {"name": "DS Jones", "role": "POLICE", "response": "ACCEPTED", "staff": ""}
    ]


def test_an_owner_who_may_not_see_the_case_is_refused_and_never_told(case, com):
    CaseAccess.objects.create(person=case, staff=Staff.objects.get(code="STF0002"), kind=CaseAccess.Kind.EXCLUSION)
    with pytest.raises(ValidationError) as exc:
        record(case, com, actions=[AgreedAction("Visit", "STF0002", clock.today())])
    assert "Ben Other (STF0002) may not see this case" in dict(exc.value.problems)["actions-0"]
    assert not Action.objects.filter(type="MEETING_ACTION").exists()
    assert not Notification.objects.filter(recipient__code="STF0002").exists()


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"kind": "MAPPA_LEVEL_9"}, "kind", "choose the type of meeting"),
        ({"held_on": None}, "held_on", "enter the date"),
        ({"chair": " "}, "chair", "enter who chaired"),
        ({"attendees": []}, "attendees", "enter who attended"),
        ({"minutes": ""}, "minutes", "enter the minutes"),
        ({"actions": [AgreedAction("", "STF0001", None)]}, "actions-0", "enter what action 1 is"),
        ({"actions": [AgreedAction("Visit", "NOPE", None)]}, "actions-0", "choose who owns action 1"),
        ({"invitations": [Invitation("", InviteeRole.POLICE, Response.ACCEPTED)]}, "invitations-0", "enter the name"),
    ],
)
def test_bad_input_is_refused_with_a_specific_reason(case, com, changes, field, says):
    values = {
        "kind": "IOM",
        "held_on": clock.today(),
        "chair": "DI Smith",
        "attendees": ["DI Smith"],
        "invitations": [POLICE],
        "actions": [],
        "minutes": "Minutes",
    } | changes
    with pytest.raises(ValidationError) as exc:
        meeting_record(actor=com, person=case, **values)
    assert says in "; ".join(reason for f, reason in exc.value.problems if f == field)
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_future_or_an_action_due_before_it_is_refused(case, com):
    with pytest.raises(ValidationError) as exc:
        meeting_record(
            actor=com,
            person=case,
            kind="IOM",
            held_on=clock.today() + timedelta(days=1),
            chair="DI Smith",
            attendees=["DI Smith"],
            invitations=[POLICE],
            actions=[AgreedAction("Visit", "STF0001", clock.today())],
            minutes="Minutes",
        )
    assert "today or in the past" in dict(exc.value.problems)["held_on"]
    assert any("cannot be due before the meeting" in r for f, r in exc.value.problems if f == "actions-0")


def test_only_those_who_work_the_case_record_a_meeting(case, staff_actor):
    with pytest.raises(PermissionDeniedError):
        record(case, staff_actor("STF0002"))


def test_invitation_lines():
    assert parse_invitation("pom | Pat Prison | written update | STF0200") == POM
    assert parse_invitation("POLICE | DS Jones | accepted") == POLICE
    assert parse_invitation("MAYOR | X | accepted") is None
    assert parse_invitation("POM | X | maybe") is None


def test_keepsafe_actions_json_lists_the_meeting_action(case, com):
    import io
    import json

    from django.core.management import call_command

    record(case, com, actions=[AgreedAction("Joint home visit", "STF0001", clock.today() + timedelta(days=2))])
    out = io.StringIO()
    call_command("actions", "X123456", "--json", stdout=out)
    rows = json.loads(out.getvalue())["actions"]
    assert [r["type"] for r in rows if r["title"] == "Joint home visit"] == ["MEETING_ACTION"]


# --- issue 16 §4 review (helper "share2"): owners only where the case is managed, and only who may see it ----------


def with_second_pdu(person: dict) -> dict:
    """The organisation with a second PDU (its own team, a PO and a head of PDU) and the given person."""
    bundle = _bundle(person)
    bundle["pdus"].append({"code": "GMR-MS", "name": "Manchester South", "region": "GMR"})
    bundle["teams"].append({"code": "GMR-MS-1", "name": "Manchester South Team 1", "pdu": "GMR-MS"})
    template = next(s for s in bundle["staff"] if s["code"] == "STF0002")
    bundle["staff"] += [
        template | {"code": "STF0301", "forename": "Sam", "surname": "South", "team": "GMR-MS-1", "line_manager": None},
        template
        | {"code": "STF0302", "forename": "Hal", "surname": "Head", "grade": "HEAD_OF_PDU", "team": "GMR-MS-1"}
        | {"line_manager": None},
    ]
    return bundle


@pytest.fixture
def case_and_a_second_pdu(imported):
    imported(with_second_pdu(make_person(prison_offender_manager="STF0200")))
    person = Person.objects.select_related("pdu").get(crn="X123456")
    CaseAccess.objects.create(person=person, staff=Staff.objects.get(code="STF0002"), kind=CaseAccess.Kind.EXCLUSION)
    return person


def test_every_member_of_staff_is_accepted_as_owner_iff_the_owner_rule_allows_and_refusals_name_them(
    case_and_a_second_pdu, com
):
    """Derived from the whole directory (every grade, both PDUs, the POM, an excluded PO): an owner is accepted iff
    they may see the case and are in a team of its PDU or are its POM — exactly the choices the form offers."""
    case = case_and_a_second_pdu
    expected = set()
    for staff in Staff.objects.select_related("team__pdu").order_by("code"):
        visible = Person.objects.visible_to(is_system=False, staff_id=staff.pk).filter(pk=case.pk).exists()
        in_pdu = staff.team is not None and staff.team.pdu.code == case.pdu.code
        if visible and (in_pdu or staff.pk == case.prison_offender_manager_id):
            expected.add(staff.code)
        due = clock.today() + timedelta(days=7)
        try:
            meeting = record(case, com, actions=[AgreedAction("Joint visit", staff.code, due)])
        except ValidationError as exc:
            assert staff.code not in expected
            reason = dict(exc.problems)["actions-0"]
            assert f"{staff.name} ({staff.code})" in reason
            assert ("may not see this case" in reason) == (not visible)
            assert ("GMR-MS" in reason or "no team" in reason) == (visible and not in_pdu)
        else:
            assert staff.code in expected
            assert Action.objects.get(detail__meeting=meeting.external_id).owner == staff
    assert {"STF0001", "STF0100", "STF0200", "STF0800"} <= expected
    assert not expected & {"STF0002", "STF0301", "STF0302", "STF0900"}
    assert {s.code for s in owner_choices(case)} == expected
    refused = set(Staff.objects.values_list("code", flat=True)) - expected
    assert not Action.objects.filter(type="MEETING_ACTION", owner__code__in=refused).exists()
    # The ACO is told as the line manager of the head of PDU who owns one; the others refused are never told.
    assert not Notification.objects.filter(recipient__code__in=refused - {"STF0900"}).exists()
