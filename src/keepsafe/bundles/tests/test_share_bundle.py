"""Issue 16 §3-4 (helper "share"): the bundle's `disclosures` and `meetings` (docs/bundle-format.md) — validated with
the path of every problem, imported, exported losslessly, and immutable once stored."""

from __future__ import annotations

import copy
import io
import json
from datetime import timedelta

import pytest

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.meetings import AgreedAction, meeting_record
from keepsafe.cases.referrals import referral_make
from keepsafe.core import clock
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.sharing.models import Disclosure, Meeting
from keepsafe.sharing.rules.disclosures import document_digest
from keepsafe.sharing.rules.meetings import Invitation, InviteeRole, Response
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, org_with_managers, partner_agreement, raw

pytestmark = pytest.mark.django_db

DOCUMENT = {"kind": "REFERRAL", "title": "Housing referral", "sections": [{"heading": "Risk", "fields": []}]}
DISCLOSURE = {
    "id": "DISC-1",
    "kind": "REFERRAL",
    "service": "HOUSING",
    "partner": "MHOUSE",
    "recipient": "Manchester Housing",
    "agreement": "ISA-MHOUSE-1",
    "reason": "Housing on release",
    "title": "Housing referral",
    "document": DOCUMENT,
    "sha256": document_digest(DOCUMENT),
    "made_at": "2022-06-10T09:00:00Z",
    "made_by": "STF0001",
}
MEETING = {
    "id": "MEETING-1",
    "kind": "MAPPA_LEVEL_2",
    "held_on": "2022-06-01",
    "chair": "DI Smith",
    "attendees": ["DI Smith (GMP)"],
    "invitations": [{"name": "Pat Prison", "role": "POM", "response": "WRITTEN_UPDATE", "staff": "STF0200"}],
    "agreed_actions": [{"text": "Joint home visit", "owner": "STF0001", "due": "2022-06-20"}],
    "minutes": "MINUTES-1",
    "recorded_at": "2022-06-01T17:00:00Z",
    "recorded_by": "STF0001",
}
MINUTES = {
    "id": "MINUTES-1",
    "source": "PRACTITIONER",
    "kind": "MEETING_MINUTES",
    "occurred_at": "2022-06-01T16:00:00Z",
    "received_at": "2022-06-01T17:00:00Z",
    "author": "MAPPA level 2 meeting chaired by DI Smith",
    "text": "Agreed a joint home visit.",
    "order": None,
}


def person_with(**changes):
    person = make_person()
    person["records"] = [*person["records"], MINUTES]
    person.update(changes)
    return person


def exported(crn: str = "X123456") -> dict:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out, crns=[crn])
    return json.loads(out.getvalue())["people"][0]


def test_disclosures_and_meetings_import_and_export_losslessly(imported):
    person = person_with(disclosures=[DISCLOSURE], meetings=[MEETING])
    imported(make_bundle(person))
    again = exported()
    assert again["disclosures"] == [DISCLOSURE]
    assert again["meetings"] == [MEETING]
    # A second import of the same bundle changes nothing.
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(person)))
    assert Disclosure.objects.count() == 1
    assert Meeting.objects.count() == 1


def test_made_in_keepsafe_then_exported_and_imported_elsewhere_is_the_same(imported, staff_actor):
    bundle = make_bundle(make_person())
    bundle.update({k: v for k, v in org_with_managers().items() if k != "people"})
    imported(bundle)
    partner_agreement("MHOUSE", kind="HOUSING", answers=(), send_kinds=())
    com = staff_actor("STF0001")
    person = Person.objects.get(crn="X123456")
    referral_make(actor=com, person=person, partner_code="MHOUSE", service="HOUSING", reason="Housing on release")
    meeting_record(
        actor=com,
        person=person,
        kind="IOM",
        held_on=clock.today(),
        chair="DI Smith",
        attendees=["DI Smith"],
        invitations=[Invitation("DS Jones", InviteeRole.POLICE, Response.ACCEPTED)],
        actions=[AgreedAction("Visit", "STF0100", clock.today() + timedelta(days=3))],
        minutes="Met and agreed a visit.",
    )
    first = exported()
    assert len(first["disclosures"]) == 1
    assert len(first["meetings"]) == 1
    moved = copy.deepcopy(first) | {"crn": "X654321"}
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(moved)))
    second = exported("X654321")
    assert second["disclosures"] == first["disclosures"]
    assert second["meetings"] == first["meetings"]


@pytest.mark.parametrize(
    ("section", "changes", "path", "says"),
    [
        ("disclosures", {"sha256": "0" * 64}, "disclosures[0].sha256", "does not match the SHA-256"),
        ("disclosures", {"service": None}, "disclosures[0].service", "names the service"),
        ("disclosures", {"kind": "GOSSIP"}, "disclosures[0].kind", ""),
        ("disclosures", {"reason": ""}, "disclosures[0].reason", ""),
        ("meetings", {"minutes": "NOPE"}, "meetings[0].minutes", "no record 'NOPE'"),
        ("meetings", {"kind": "MAPPA_LEVEL_9"}, "meetings[0].kind", ""),
        (
            "meetings",
            {"invitations": [{"name": "X", "role": "MAYOR", "response": "ACCEPTED"}]},
            "meetings[0].invitations",
            "",
        ),
    ],
)
def test_bad_entries_are_refused_with_their_path(imported, section, changes, path, says):
    item = (DISCLOSURE if section == "disclosures" else MEETING) | changes
    with pytest.raises(ValidationError) as exc:
        imported(make_bundle(person_with(**{section: [item]})))
    found = [(f, r) for f, r in exc.value.problems if f.startswith(f"people[0].{path}")]
    assert found, exc.value.problems
    assert any(says in r for _, r in found)
    assert not Disclosure.objects.exists()
    assert not Meeting.objects.exists()


def test_a_stored_disclosure_or_meeting_cannot_be_changed_by_a_bundle(imported):
    imported(make_bundle(person_with(disclosures=[DISCLOSURE], meetings=[MEETING])))
    for section, item, path in (
        ("disclosures", DISCLOSURE | {"reason": "Another reason"}, "disclosures[0].id"),
        ("meetings", MEETING | {"chair": "Someone else"}, "meetings[0].id"),
    ):
        with pytest.raises(ValidationError) as exc:
            bundle_import(actor=SYSTEM, raw=raw(make_bundle(person_with(**{section: [item]}))))
        reasons = dict(exc.value.problems)
        assert "immutable" in reasons[f"people[0].{path}"]
    assert Disclosure.objects.get().reason == "Housing on release"
    assert Meeting.objects.get().chair == "DI Smith"


def test_an_id_twice_is_refused(imported):
    with pytest.raises(ValidationError) as exc:
        imported(make_bundle(person_with(disclosures=[DISCLOSURE, DISCLOSURE])))
    assert "appears more than once" in dict(exc.value.problems)["people[0].disclosures[1].id"]
