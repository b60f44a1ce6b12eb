"""Issue 16 §7: the bundle's `victim_representations` (docs/bundle-format.md) — validated with the path of every
problem, imported, exported losslessly, and brought up to date when an outcome arrives."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw
from keepsafe.victims.models import VictimRepresentation

pytestmark = pytest.mark.django_db

REPS: list[dict[str, Any]] = [
    {
        "id": "VR-1",
        "vlo_name": "Val Lowe",
        "vlo_staff": "STF0002",
        "received_on": "2026-10-01",
        "kind": "NO_CONTACT",
        "no_contact_victim": True,
        "no_contact_named": ["Amy Doe (daughter)"],
        "zone": "",
        "text": "",
        "status": "INCLUDED",
        "decided_on": "2026-10-05",
        "decided_by": "STF0001",
        "decline_reason": "",
        "recorded_at": "2026-10-01T10:00:00Z",
        "recorded_by": "STF0001",
    },
    {
        "id": "VR-2",
        "vlo_name": "Val Lowe",
        "vlo_staff": None,
        "received_on": "2026-10-01",
        "kind": "EXCLUSION_ZONE",
        "no_contact_victim": False,
        "no_contact_named": [],
        "zone": "Acacia Avenue and the streets around it, Manchester M8 (map attached by the VLO)",
        "text": "",
        "status": "DECLINED",
        "decided_on": "2026-10-06",
        "decided_by": "STF0100",
        "decline_reason": "His only approved address is inside the zone",
        "recorded_at": "2026-10-01T10:05:00Z",
        "recorded_by": "STF0001",
    },
    {
        "id": "VR-3",
        "vlo_name": "Val Lowe",
        "vlo_staff": None,
        "received_on": "2026-10-02",
        "kind": "OTHER",
        "no_contact_victim": False,
        "no_contact_named": [],
        "zone": "",
        "text": "Not to post about the victim on social media",
        "status": "REQUESTED",
        "decided_on": None,
        "decided_by": "",
        "decline_reason": "",
        "recorded_at": "2026-10-02T09:00:00Z",
        "recorded_by": "STF0001",
    },
]


def _bundle(reps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    person = make_person()
    person["victim_representations"] = copy.deepcopy(REPS if reps is None else reps)
    return make_bundle(person)


def _export() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_representations_round_trip_losslessly_and_reimport_changes_nothing():
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle())).as_dict()
    assert summary["victim_representations"] == {"created": 3, "updated": 0}
    exported = _export()
    assert exported["people"][0]["victim_representations"] == REPS
    again = bundle_import(actor=SYSTEM, raw=json.dumps(exported)).as_dict()
    assert again.get("victim_representations", {"created": 0, "updated": 0}) == {"created": 0, "updated": 0}
    assert _export()["people"][0]["victim_representations"] == REPS


def test_an_outcome_arriving_later_updates_the_stored_representation():
    bundle_import(actor=SYSTEM, raw=raw(_bundle()))
    changed = copy.deepcopy(REPS)
    changed[2] |= {"status": "INCLUDED", "decided_on": "2026-10-03", "decided_by": "STF0001"}
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle(changed))).as_dict()
    assert summary["victim_representations"] == {"created": 0, "updated": 1}
    assert VictimRepresentation.objects.get(external_id="VR-3").status == "INCLUDED"


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    reps = copy.deepcopy(REPS)
    reps[index].update(changes)
    return reps


@pytest.mark.parametrize(
    ("reps", "path", "words"),
    [
        (_with(0, vlo_staff="NOPE"), "[0].vlo_staff", "no staff member"),
        (_with(0, no_contact_victim=False, no_contact_named=[]), "[0].no_contact_named", "whom"),
        (_with(1, zone=""), "[1].zone", "describe the area"),
        (_with(2, text=""), "[2].text", "what the victim asks"),
        (_with(2, zone="M8"), "[2].zone", "only an exclusion zone"),
        (_with(1, decline_reason=""), "[1].decline_reason", "gives the reason"),
        (_with(0, decline_reason="x"), "[0].decline_reason", "only a DECLINED"),
        (_with(0, decided_on=None), "[0].decided_on", "when it was decided"),
        (_with(0, decided_on="2026-09-01"), "[0].decided_on", "before it was received"),
        (_with(0, decided_by=""), "[0].decided_by", "who decided"),
        (_with(2, decided_by="STF0001"), "[2].decided_by", "no outcome yet"),
        (_with(2, id="VR-1"), "[2].id", "more than once"),
        (_with(0, kind="CURFEW"), "[0].kind", ""),
        (_with(0, status="MAYBE"), "[0].status", ""),
        (_with(0, colour="blue"), "[0].colour", ""),
    ],
)
def test_bad_representations_are_refused_with_their_path_and_nothing_is_written(reps, path, words):
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(_bundle(reps)))
    full = f"people[0].victim_representations{path}"
    found = [reason for p, reason in exc.value.problems if p == full]
    assert found, exc.value.problems
    assert any(words in reason for reason in found)
    assert not Person.objects.exists()
    assert not VictimRepresentation.objects.exists()
