"""Issue 16 §1: the bundle's `court_stage` (docs/bundle-format.md) — validated with the path of every problem,
imported, exported losslessly, and read by the action rules."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest

from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.core.errors import ValidationError
from keepsafe.court.models import CourtDate, CourtStage
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db

CHECKS = [
    {
        "id": "DA-1",
        "kind": "DOMESTIC_ABUSE",
        "requested_at": "2026-11-02T10:00:00Z",
        "response_record": "GMP-ANS-1",
        "acted_on_at": None,
        "acted_on_by": None,
        "acted_on_outcome": None,
        "acted_on_notes": None,
    },
    {
        "id": "SG-1",
        "kind": "SAFEGUARDING",
        "requested_at": "2026-11-02T10:00:00Z",
        "response_record": None,
        "acted_on_at": None,
        "acted_on_by": None,
        "acted_on_outcome": None,
        "acted_on_notes": None,
    },
]
ANSWER = {
    "id": "GMP-ANS-1",
    "source": "POLICE",
    "kind": "DOMESTIC_ABUSE_CHECK",
    "occurred_at": "2026-11-05T09:00:00Z",
    "received_at": "2026-11-05T10:00:00Z",
    "author": "GMP domestic abuse unit",
    "text": "Two call-outs to 12 Acacia Avenue in 2026; children aged 4 and 7 present.",
    "order": None,
}
STAGES: list[dict[str, Any]] = [
    {
        "id": "CS-1",
        "court": "Manchester Crown Court",
        "charges": ["Assault occasioning actual bodily harm (domestic)"],
        "opened_at": "2026-11-01T10:00:00Z",
        "opened_by": "STF0001",
        "dates": [
            {"date": "2026-11-23", "reason": "", "known_from": "2026-11-01T10:00:00Z", "by": "STF0001"},
            {
                "date": "2027-02-08",
                "reason": "Adjourned for the pre-sentence report",
                "known_from": "2026-11-20T15:00:00Z",
                "by": "STF0001",
            },
        ],
        "psr": {
            "requested_at": "2026-11-02T10:00:00Z",
            "requested_by": "STF0001",
            "domestic_abuse_check": "DA-1",
            "safeguarding_check": "SG-1",
            "considering": ["CURFEW"],
            "proposed_address": "12 Acacia Avenue, Manchester M8 4QT",
            "proposal": "COMMUNITY_ORDER",
            "proposal_requirements": ["CURFEW"],
            "proposal_address": "Flat 3, 40 Mill Lane, Salford M6 1AA",
            "proposal_relied_on": ["DA-1"],
            "proposal_warnings": ["The child safeguarding check is not answered yet"],
            "proposal_notes": "Curfew at the alternative address, away from the children's home.",
            "proposed_at": "2026-11-25T12:00:00Z",
            "proposed_by": "STF0001",
        },
        "address_assessments": [
            {
                "id": "AA-1",
                "address": "12 Acacia Avenue, Manchester M8 4QT",
                "children_ages": [4, 7],
                "victim_lives_there": True,
                "partner_lives_there": True,
                "relied_on": ["DA-1"],
                "conclusion": "UNSUITABLE",
                "conditions": "",
                "reasons": "The victim of the call-outs and two children live there.",
                "assessed_at": "2026-11-10T10:00:00Z",
                "assessed_by": "STF0001",
            },
            {
                "id": "AA-2",
                "address": "Flat 3, 40 Mill Lane, Salford M6 1AA",
                "children_ages": [],
                "victim_lives_there": False,
                "partner_lives_there": False,
                "relied_on": ["DA-1"],
                "conclusion": "SUITABLE_WITH_CONDITIONS",
                "conditions": "No visitors under 18",
                "reasons": "His brother's flat; nobody else lives there.",
                "assessed_at": "2026-11-24T10:00:00Z",
                "assessed_by": "STF0001",
            },
        ],
        "closed_at": None,
        "closed_by": "",
        "event": None,
    }
]


def _bundle(stages: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    person = make_person(events=[], contacts=[], assessments=[], registrations=[])
    person["records"] = [copy.deepcopy(ANSWER)]
    person["checks"] = copy.deepcopy(CHECKS)
    person["court_stage"] = copy.deepcopy(STAGES if stages is None else stages)
    return make_bundle(person)


def _export() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_court_stages_round_trip_losslessly_and_reimport_changes_nothing():
    summary = bundle_import(actor=SYSTEM, raw=raw(_bundle())).as_dict()
    assert summary["court_stages"] == {"created": 1, "updated": 0}
    assert summary["pre_sentence_reports"] == {"created": 1, "updated": 0}
    assert summary["address_assessments"] == {"created": 2, "updated": 0}
    assert CourtDate.objects.count() == 2
    exported = _export()
    assert exported["people"][0]["court_stage"] == STAGES
    again = bundle_import(actor=SYSTEM, raw=json.dumps(exported)).as_dict()
    for section in ("court_stages", "pre_sentence_reports", "address_assessments"):
        assert again.get(section, {"created": 0, "updated": 0}) == {"created": 0, "updated": 0}
    assert _export()["people"][0]["court_stage"] == STAGES
    assert CourtDate.objects.count() == 2


def test_a_changed_listing_history_is_replaced():
    bundle_import(actor=SYSTEM, raw=raw(_bundle()))
    changed = copy.deepcopy(STAGES)
    changed[0]["dates"][1]["date"] = "2027-02-15"
    bundle_import(actor=SYSTEM, raw=raw(_bundle(changed)))
    assert [d.date.isoformat() for d in CourtDate.objects.order_by("known_from")] == ["2026-11-23", "2027-02-15"]


def _with(path: str, value: Any) -> list[dict[str, Any]]:
    stages = copy.deepcopy(STAGES)
    target: Any = stages[0]
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return stages


@pytest.mark.parametrize(
    ("stages", "path", "words"),
    [
        (_with("psr.domestic_abuse_check", "SG-1"), "psr.domestic_abuse_check", "is a SAFEGUARDING check"),
        (_with("psr.safeguarding_check", "NOPE"), "psr.safeguarding_check", "no check 'NOPE'"),
        (_with("psr.proposal_relied_on", ["X"]), "psr.proposal_relied_on[0]", "no check 'X'"),
        (_with("address_assessments.1.assessed_at", "2026-11-26T10:00:00Z"), "psr.proposal_address", "assessed"),
        (_with("address_assessments.1.conclusion", "UNSUITABLE"), "psr.proposal_address", "unsuitable"),
        (_with("address_assessments.1.conditions", ""), "address_assessments[1].conditions", "which conditions"),
        # issue 16 try-out: a suitable finding rests on at least one check
        (
            _with("address_assessments.1.relied_on", []),
            "address_assessments[1].relied_on",
            "at least one answered check",
        ),
        # SG-1 has no answer: a suitable finding may not rest on it
        (_with("address_assessments.1.relied_on", ["DA-1", "SG-1"]), "address_assessments[1].relied_on", "no answer"),
        (_with("address_assessments.0.children_ages", [19]), "address_assessments[0].children_ages[0]", ""),
        (_with("address_assessments.0.relied_on", ["Z"]), "address_assessments[0].relied_on[0]", "no check 'Z'"),
        (_with("dates.1.reason", ""), "dates[1].reason", "says why"),
        (_with("dates.1.known_from", "2026-10-01T10:00:00Z"), "dates[1].known_from", "order"),
        (_with("closed_at", "2026-11-30T10:00:00Z"), "event", "names the event"),
        (_with("event", "E404"), "event", "names the event"),
        (_with("psr.proposed_at", None), "psr.proposed_at", "when it was made"),
        (_with("psr.requested_at", "2026-10-01T10:00:00Z"), "psr.requested_at", "before the stage opened"),
        (_with("dates", []), "dates", ""),
        (_with("charges", []), "charges", ""),
        (_with("colour", "blue"), "colour", ""),
    ],
)
def test_bad_court_stages_are_refused_with_their_path_and_nothing_is_written(stages, path, words):
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(_bundle(stages)))
    full = f"people[0].court_stage[0].{path}"
    found = [reason for p, reason in exc.value.problems if p == full]
    assert found, exc.value.problems
    assert any(words in reason for reason in found)
    assert not Person.objects.exists()
    assert not CourtStage.objects.exists()


def test_two_open_stages_are_refused():
    second = copy.deepcopy(STAGES[0]) | {"id": "CS-2", "psr": None, "address_assessments": []}
    with pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=raw(_bundle([*STAGES, second])))
    assert ("people[0].court_stage", "only one stage may be open; open: CS-1, CS-2") in exc.value.problems
