"""Issue 16 §5: the bundle's `ap_referrals` (docs/bundle-format.md) — validated with the path and reason of every
problem (nothing written), imported, exported losslessly, re-imported without change, and read by the sweep's facts."""

from __future__ import annotations

import copy
import io
import json
from datetime import datetime
from typing import Any

import pytest
import time_machine

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.bundles.schema import ApReferralIn
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.premises.models import ApReferral
from keepsafe.premises.selectors import ap_facts_many
from keepsafe.premises.tests.conftest import ap_person
from keepsafe.sharing.rules.disclosures import document_digest
from keepsafe.testing.fixtures import SYSTEM, make_bundle, raw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2027():
    """The referrals below happened in February 2027: the tests run on 1 March 2027."""
    with time_machine.travel("2027-03-01T09:00:00Z", tick=False):
        yield


DOCUMENT = {"kind": "REFERRAL", "title": "Approved premises referral", "sections": [{"heading": "Risk", "fields": []}]}
DISCLOSURE = {
    "id": "DISC-AP-1",
    "kind": "REFERRAL",
    "service": "APPROVED_PREMISES",
    "partner": "APCRU",
    "recipient": "Approved premises central referral unit",
    "agreement": "ISA-APCRU-1",
    "reason": "Approved premises on release",
    "title": "Approved premises referral",
    "document": DOCUMENT,
    "sha256": document_digest(DOCUMENT),
    "made_at": "2027-02-01T09:00:00Z",
    "made_by": "STF0001",
}
REFERRALS: list[dict[str, Any]] = [
    {
        "id": "APR-1",
        "premises": "Bunyan House",
        "partner": "APCRU",
        "referred_at": "2027-02-01T09:00:00Z",
        "referred_by": "STF0001",
        "requested_arrival": "2027-05-03",
        "emergency": False,
        "reason": "High RoSH to a known adult",
        "disclosure": "DISC-AP-1",
        "decision": "REFUSED",
        "decided_at": "2027-02-03T15:00:00Z",
        "decided_by": "STF0001",
        "place_date": None,
        "decision_reason": "No bed: arson risk",
        "arrival": None,
        "arrival_on": None,
        "arrival_recorded_at": None,
        "arrival_by": "",
    },
    {
        "id": "APR-2",
        "premises": "Ashley House",
        "partner": None,
        "referred_at": "2027-02-04T22:30:00Z",
        "referred_by": "STF0001",
        "requested_arrival": "2027-02-05",
        "emergency": True,
        "reason": "",
        "disclosure": None,
        "decision": "ACCEPTED",
        "decided_at": "2027-02-05T01:00:00Z",
        "decided_by": "STF0001",
        "place_date": "2027-02-05",
        "decision_reason": "",
        "arrival": "ARRIVED",
        "arrival_on": "2027-02-05",
        "arrival_recorded_at": "2027-02-05T10:00:00Z",
        "arrival_by": "STF0001",
    },
]


def _bundle(referrals: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    person = ap_person(
        disclosures=[DISCLOSURE], ap_referrals=copy.deepcopy(REFERRALS if referrals is None else referrals)
    )
    return make_bundle(person)


def _export() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_the_exported_fields_are_the_schema_fields():
    assert set(REFERRALS[0]) == set(ApReferralIn.model_fields)


def test_ap_referrals_round_trip_losslessly_and_reimport_changes_nothing():
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle())).as_dict()
    assert summary["ap_referrals"] == {"created": 2, "updated": 0}
    exported = _export()
    assert exported["people"][0]["ap_referrals"] == REFERRALS
    again = bundle_import(actor=SYSTEM, raw=json.dumps(exported)).as_dict()
    assert again.get("ap_referrals", {"created": 0, "updated": 0}) == {"created": 0, "updated": 0}
    assert _export()["people"][0]["ap_referrals"] == REFERRALS
    assert ApReferral.objects.get(external_id="APR-1").disclosure.external_id == "DISC-AP-1"
    # The sweep's facts read the imported referrals: the emergency acceptance is the confirmed place.
    facts = ap_facts_many([Person.objects.get().pk], datetime.fromisoformat("2027-03-01T09:00:00Z"))
    [only] = facts.values()
    assert only.confirmed_place() is not None
    assert only.confirmed_place().id == "APR-2"
    assert [c.condition for c in only.conditions] == ["L2"]


def test_a_changed_decision_is_updated():
    bundle_import(actor=SYSTEM, raw=raw(_bundle()))
    changed = copy.deepcopy(REFERRALS)
    changed[0]["decision_reason"] = "No bed for twelve weeks"
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle(changed))).as_dict()
    assert summary["ap_referrals"] == {"created": 0, "updated": 1}
    assert ApReferral.objects.get(external_id="APR-1").decision_reason == "No bed for twelve weeks"


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    referrals = copy.deepcopy(REFERRALS)
    referrals[index] |= changes
    return referrals


@pytest.mark.parametrize(
    ("referrals", "path", "words"),
    [
        (_with(0, requested_arrival="2027-01-01"), "[0].requested_arrival", "on or after the referral date"),
        (_with(0, decided_at="2027-01-31T09:00:00Z"), "[0].decided_at", "before the referral"),
        (_with(0, decided_at=None), "[0].decided_at", "give both or neither"),
        (_with(0, decision_reason=""), "[0].reason", "reason for refusing"),
        (_with(0, place_date="2027-05-03"), "[0].place_date", "a refused referral has no place"),
        (_with(1, place_date=None), "[1].place_date", "the date the place is available"),
        (_with(0, decision=None, decided_at=None, place_date="2027-05-03"), "[0].place_date", "only with"),
        (
            _with(0, arrival="ARRIVED", arrival_on="2027-02-05", arrival_recorded_at="2027-02-05T10:00:00Z"),
            "[0].arrival",
            "no accepted place",
        ),
        (_with(1, arrival_on="2027-02-04"), "[1].arrival_on", "before the place is available"),
        (_with(1, arrival_on=None), "[1].arrival", "give all three or none"),
        (_with(0, disclosure="DISC-404"), "[0].disclosure", "not among this person's disclosures"),
        (_with(1, id="APR-1"), "[1].id", "appears more than once"),
        (_with(0, decision="MAYBE"), "[0].decision", ""),
        (_with(0, premises=""), "[0].premises", ""),
        (_with(0, colour="blue"), "[0].colour", ""),
    ],
)
def test_bad_ap_referrals_are_refused_with_their_path_and_nothing_is_written(referrals, path, words):
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(_bundle(referrals)))
    full = f"people[0].ap_referrals{path}"
    found = [reason for p, reason in exc.value.problems if p == full]
    assert found, exc.value.problems
    assert any(words in reason for reason in found)
    assert not Person.objects.exists()
    assert not ApReferral.objects.exists()
