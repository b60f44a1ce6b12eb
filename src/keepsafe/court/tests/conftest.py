"""A Bendall-like case awaiting sentence, the police and children's services answering checks, and time control."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from keepsafe.sharing.services import api_key_issue
from keepsafe.testing.fixtures import SYSTEM, make_person, org_with_managers, partner_agreement

CRN = "X200001"
ADDRESS = "12 Acacia Avenue, Manchester M8 4QT"
CALL_OUTS = [
    {
        "id": f"GMP-CO-{n}",
        "source": "POLICE",
        "kind": "CALL_OUT",
        "occurred_at": at,
        "received_at": at,
        "author": "Greater Manchester Police",
        "text": text,
        "order": None,
    }
    for n, (at, text) in enumerate(
        [
            (
                "2026-05-03T23:10:00Z",
                "Domestic incident at 12 Acacia Avenue: partner reports being pushed and "
                "threatened; two children present in the house.",
            ),
            (
                "2026-09-14T01:20:00Z",
                "Call-out to 12 Acacia Avenue: shouting, partner injured, children aged 4 "
                "and 7 at the address. DASH risk assessed as high.",
            ),
        ],
        start=1,
    )
]


def awaiting_sentence() -> dict[str, Any]:
    """A person with police domestic abuse call-outs on record and no sentence yet (the Bendall pattern)."""
    return make_person(
        CRN,
        events=[],
        records=copy.deepcopy(CALL_OUTS),
        contacts=[],
        assessments=[],
        registrations=[],
    )


def load(tmp_path: Any, bundle: dict[str, Any], name: str = "bundle.json") -> None:
    path = tmp_path / name
    path.write_text(json.dumps(bundle))
    call_command("bundle_import", str(path), "--no-reconcile", stdout=io.StringIO())


def sweep(instant: str) -> dict[str, Any]:
    out = io.StringIO()
    with time_machine.travel(instant, tick=False):
        call_command("sweep", "--as-of", instant, "--json", stdout=out)
    return json.loads(out.getvalue())


def actions(crn: str, instant: str, *, closed: bool = False) -> list[dict[str, Any]]:
    out = io.StringIO()
    args = [crn, "--json", "--as-of", instant] + (["--all"] if closed else [])
    call_command("actions", *args, stdout=out)
    return json.loads(out.getvalue())["actions"]


@pytest.fixture
def at() -> Callable[[str], Any]:
    """`with at("2027-01-05T10:00:00Z"):` runs a service call at that instant."""

    def travel(instant: str) -> Any:
        return time_machine.travel(datetime.fromisoformat(instant), tick=False)

    return travel


@pytest.fixture
def bendall(db, tmp_path) -> Iterator[dict[str, str]]:
    """The organisation with managers, the case, and current agreements with the police and children's services."""
    with time_machine.travel("2027-01-04T09:00:00Z", tick=False):
        load(tmp_path, org_with_managers() | {"people": [awaiting_sentence()]})
        police = partner_agreement(send_kinds=("CALL_OUT",))
        council = partner_agreement(
            "MCC", kind="CHILDRENS_SERVICES", answers=("SAFEGUARDING",), send_kinds=("SAFEGUARDING_REPLY",)
        )
        _, police_key = api_key_issue(actor=SYSTEM, agreement=police, name="GMP")
        _, council_key = api_key_issue(actor=SYSTEM, agreement=council, name="MCC")
    return {"police_key": police_key, "council_key": council_key}
