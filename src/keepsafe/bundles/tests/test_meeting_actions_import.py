"""Issue 16 §4 review (helper "share2"): a meeting imported from a bundle opens a MEETING_ACTION for each action
agreed, as a meeting recorded on the page does — once (re-importing opens nothing more), kept closed when the bundle
says it was closed, exported with how it was closed, and refused, naming the owner and why, when the owner rule says
no (sharing/rules/meetings.owner_problem)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from keepsafe.actions.models import Action, ActionLog, Notification
from keepsafe.actions.rules.calendar import end_of_day
from keepsafe.bundles.importer import bundle_import
from keepsafe.bundles.tests.test_share_bundle import MEETING, exported, person_with
from keepsafe.cases.tests.test_meetings import with_second_pdu
from keepsafe.core.errors import ValidationError
from keepsafe.sharing.models import Meeting
from keepsafe.testing.fixtures import SYSTEM, raw

pytestmark = pytest.mark.django_db

CLOSED = {"status": "DONE", "at": "2022-06-18T15:00:00Z", "by": "STF0001", "notes": "Visited with DC Brown"}


def meeting(*agreed: dict) -> dict:
    return MEETING | {"agreed_actions": list(agreed)}


def bundle_of(*meetings: dict, **person: object) -> dict:
    return with_second_pdu(person_with(meetings=list(meetings), **person))


def test_an_imported_meeting_opens_its_agreed_actions_once(imported):
    agreed = [
        {"text": "Joint home visit", "owner": "STF0001", "due": "2022-06-20"},
        {"text": "Ask children's services", "owner": "STF0100", "due": "2022-06-21"},
    ]
    bundle = bundle_of(meeting(*agreed))
    imported(bundle)
    actions = list(Action.objects.filter(type="MEETING_ACTION").order_by("key"))
    assert [(a.key, a.owner.code, a.status, a.title) for a in actions] == [
        ("meeting:MEETING-1:1", "STF0001", "OPEN", "Joint home visit"),
        ("meeting:MEETING-1:2", "STF0100", "OPEN", "Ask children's services"),
    ]
    assert actions[0].due == end_of_day(date(2022, 6, 20))
    assert all(a.owner_set_by_hand and a.detail["meeting"] == "MEETING-1" for a in actions)
    assert Notification.objects.filter(action__in=actions, recipient__code="STF0001").exists()
    # Re-importing the same bundle opens nothing more and tells nobody again.
    told = Notification.objects.count()
    bundle_import(actor=SYSTEM, raw=raw(bundle))
    assert Action.objects.filter(type="MEETING_ACTION").count() == 2
    assert Notification.objects.count() == told
    assert Meeting.objects.count() == 1


def test_an_action_closed_in_the_bundle_stays_closed_and_exports_as_closed(imported):
    done = {"text": "Joint home visit", "owner": "STF0001", "due": "2022-06-20", "closed": CLOSED}
    cancelled = {
        "text": "Refer to IDAP",
        "owner": "STF0001",
        "due": "2022-06-25",
        "closed": CLOSED | {"status": "CANCELLED", "notes": "Already on a programme"},
    }
    bundle = bundle_of(meeting(done, cancelled))
    imported(bundle)
    first, second = Action.objects.filter(type="MEETING_ACTION").order_by("key")
    assert (first.status, first.closed_by, first.evidence["summary"]) == ("DONE", "STF0001", "Visited with DC Brown")
    assert (second.status, second.cancel_reason) == ("CANCELLED", "Already on a programme")
    assert first.closed_at.isoformat().startswith("2022-06-18T15:00")
    assert [log.kind for log in ActionLog.objects.filter(action=first).order_by("id")] == ["CREATED", "DONE"]
    assert not Notification.objects.filter(action__in=[first, second]).exists()  # closed before it came: not news
    assert exported()["meetings"] == [meeting(done, cancelled)]
    # Re-imported (or imported elsewhere from the export), it stays closed; nothing reopens.
    bundle_import(actor=SYSTEM, raw=raw(bundle))
    assert set(Action.objects.filter(type="MEETING_ACTION").values_list("status", flat=True)) == {"DONE", "CANCELLED"}


def test_an_open_action_is_closed_when_a_later_bundle_says_it_was(imported):
    agreed = {"text": "Joint home visit", "owner": "STF0001", "due": "2022-06-20"}
    imported(bundle_of(meeting(agreed)))
    assert Action.objects.get(type="MEETING_ACTION").status == "OPEN"
    bundle_import(actor=SYSTEM, raw=raw(bundle_of(meeting(agreed | {"closed": CLOSED}))))
    action = Action.objects.get(type="MEETING_ACTION")
    assert (action.status, action.closed_by) == ("DONE", "STF0001")
    assert exported()["meetings"][0]["agreed_actions"][0]["closed"] == CLOSED


@pytest.mark.parametrize(
    ("owner", "says"),
    [
        ("STF0301", "Sam South (STF0301) works in GMR-MS, not GMR-MN"),
        ("STF0900", "Alex Chief (STF0900) is in no team of a PDU"),
        ("STF0002", "Ben Other (STF0002) may not see this case"),
        ("NOPE", "there is no member of staff 'NOPE'"),
    ],
)
def test_an_owner_the_owner_rule_refuses_refuses_the_import_by_name(imported, owner, says):
    imported(bundle_of(excluded=["STF0002"]))
    bundle = bundle_of(meeting({"text": "Visit", "owner": owner, "due": "2022-06-20"}), excluded=["STF0002"])
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(copy.deepcopy(bundle)))
    (path, reason), *_ = exc.value.problems
    assert "MEETING-1" in path
    assert path.endswith(".owner")
    assert says in reason
    assert not Meeting.objects.exists()  # the whole import is refused: nothing half-written
    assert not Action.objects.filter(type="MEETING_ACTION").exists()
