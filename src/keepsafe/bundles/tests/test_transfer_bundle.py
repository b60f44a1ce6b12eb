"""Issue 16 §2, §6 (helper "transfer"): the bundle's `transfers` and `remand_periods` (docs/bundle-format.md) —
validated with the path of every problem, imported, exported losslessly; a pending one opens its decision action."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
import time_machine

from keepsafe.actions.models import Action
from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.cases.tests.transfer_org import transfer_org
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import RemandPeriod, Transfer
from keepsafe.testing.fixtures import SYSTEM

pytestmark = pytest.mark.django_db
NOW = "2026-11-23T10:00:00Z"

TRANSFERS: list[dict[str, Any]] = [
    {
        "id": "TR-1",
        "from_pdu": "WMR-BH",
        "to_pdu": "GMR-MN",
        "from_practitioner": "STF2001",
        "reason": "Moved to Manchester",
        "requested_at": "2025-03-01T10:00:00Z",
        "requested_by": "STF2001",
        "status": "ACCEPTED",
        "decided_at": "2025-03-03T10:00:00Z",
        "decided_by": "STF0800",
        "decision_reason": "",
        "to_practitioner": "STF0001",
        "summary_document": "0b6e3f5c-1b8e-4c4e-9a59-5d8f4b0b7a11",
    },
    {
        "id": "TR-2",
        "from_pdu": "GMR-MN",
        "to_pdu": "GMR-MS",
        "from_practitioner": "STF0001",
        "reason": "Wants to live nearer family",
        "requested_at": "2025-06-01T10:00:00Z",
        "requested_by": "STF0001",
        "status": "REJECTED",
        "decided_at": "2025-06-02T10:00:00Z",
        "decided_by": "STF3800",
        "decision_reason": "No suitable address",
        "to_practitioner": None,
        "summary_document": None,
    },
    {
        "id": "TR-3",
        "from_pdu": "GMR-MN",
        "to_pdu": "WMR-BH",
        "from_practitioner": "STF0001",
        "reason": "Moving back to Birmingham",
        "requested_at": "2026-11-20T10:00:00Z",
        "requested_by": "STF0100",
        "status": "PENDING",
        "decided_at": None,
        "decided_by": "",
        "decision_reason": "",
        "to_practitioner": None,
        "summary_document": None,
    },
]
REMAND: list[dict[str, Any]] = [
    {
        "id": "RM-1",
        "start": "2023-07-01",
        "end": None,
        "court": "Manchester Crown Court",
        "prison": "HMP Manchester",
        "matter": "Burglary (awaiting trial)",
    }
]


def bundle(transfers: list[dict[str, Any]] | None = None, remand: list[dict[str, Any]] | None = None) -> str:
    b = transfer_org()
    b["people"][0]["transfers"] = TRANSFERS if transfers is None else transfers
    b["people"][0]["remand_periods"] = REMAND if remand is None else remand
    return json.dumps(b)


def exported() -> dict[str, Any]:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_round_trip_is_lossless_and_reimport_changes_nothing():
    with time_machine.travel(NOW, tick=False):
        summary = bundle_import(actor=SYSTEM, raw=bundle()).as_dict()
        assert summary["transfers"] == {"created": 3, "updated": 0}
        assert summary["remand_periods"] == {"created": 1, "updated": 0}
        person = exported()["people"][0]
        assert person["transfers"] == TRANSFERS
        assert person["remand_periods"] == REMAND
        again = bundle_import(actor=SYSTEM, raw=json.dumps(exported())).as_dict()
        assert again.get("transfers", {"created": 0, "updated": 0}) == {"created": 0, "updated": 0}
        assert exported()["people"][0]["transfers"] == TRANSFERS


def test_a_pending_transfer_opens_its_decision_for_the_receiving_head_once():
    with time_machine.travel(NOW, tick=False):
        bundle_import(actor=SYSTEM, raw=bundle())
        bundle_import(actor=SYSTEM, raw=bundle())
    action = Action.objects.get(type="TRANSFER_DECISION")
    assert action.key == "transfer:TR-3"
    assert action.owner.code == "STF2800"


def test_a_pending_transfer_decided_in_a_later_bundle_while_another_is_requested():
    with time_machine.travel(NOW, tick=False):
        bundle_import(actor=SYSTEM, raw=bundle())
        later = copy.deepcopy(TRANSFERS)
        later[2] |= {"status": "REJECTED", "decided_at": "2026-11-21T10:00:00Z", "decided_by": "STF2800"}
        later[2]["decision_reason"] = "No place"
        later.append(TRANSFERS[2] | {"id": "TR-4", "requested_at": "2026-11-22T10:00:00Z"})
        bundle_import(actor=SYSTEM, raw=bundle(later))
    assert list(Transfer.objects.filter(status="PENDING").values_list("external_id", flat=True)) == ["TR-4"]


def _with(index: int, **changes: Any) -> list[dict[str, Any]]:
    rows = copy.deepcopy(TRANSFERS)
    rows[index].update(changes)
    return rows


@pytest.mark.parametrize(
    ("transfers", "remand", "path", "words"),
    [
        (_with(0, to_pdu="NOPE"), None, "transfers[0].to_pdu", "no PDU with code 'NOPE'"),
        (_with(0, to_pdu="WMR-BH"), None, "transfers[0].to_pdu", "to_pdu equals from_pdu"),
        (_with(0, to_practitioner="STF9999"), None, "transfers[0].to_practitioner", "no staff member"),
        (_with(0, to_practitioner=None), None, "transfers[0].to_practitioner", "names the receiving practitioner"),
        (_with(0, decided_at=None), None, "transfers[0].decided_at", "needs the instant it was decided"),
        (_with(0, decided_at="2025-02-01T10:00:00Z"), None, "transfers[0].decided_at", "decided before"),
        (_with(1, decision_reason=""), None, "transfers[1].decision_reason", "gives the reason"),
        (_with(2, decided_at="2026-11-21T10:00:00Z"), None, "transfers[2].decided_at", "must be null"),
        (_with(2, to_pdu="WMR-CV"), None, "transfers[2].to_pdu", "no head of PDU"),
        (_with(1, status="PENDING", decided_at=None, decided_by=""), None, "transfers[2].status", "only one"),
        (_with(1, id="TR-1"), None, "transfers[1].id", "appears more than once"),
        (_with(0, summary_document="not-a-uuid"), None, "transfers[0].summary_document", ""),
        (None, [REMAND[0] | {"end": "2023-06-01"}], "remand_periods[0].end", "before start"),
        (None, [REMAND[0] | {"court": ""}], "remand_periods[0].court", ""),
    ],
)
def test_bad_transfers_and_remand_are_refused_with_their_path_and_nothing_is_written(transfers, remand, path, words):
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError) as exc:
        bundle_import(actor=SYSTEM, raw=bundle(transfers, remand))
    found = [(p, r) for p, r in exc.value.problems if p == f"people[0].{path}"]
    assert found, exc.value.problems
    assert any(words in r for _, r in found), found
    assert not Transfer.objects.exists()
    assert not RemandPeriod.objects.exists()
