"""A person in custody whose licence requires residence at approved premises, release ahead; a premises partner."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import time_machine

from keepsafe.bundles.importer import bundle_import
from keepsafe.testing.fixtures import PERSON, SYSTEM, make_person, org_with_managers, partner_agreement, raw

CRN = "X300001"
RELEASE = "2027-05-03"


def ap_person(crn: str = CRN, **changes: Any) -> dict[str, Any]:
    event = copy.deepcopy(PERSON["events"][0])
    event["dates"] |= {
        "release": RELEASE,
        "conditional_release": RELEASE,
        "licence_expiry": "2028-05-03",
        "sentence_expiry": "2028-05-03",
    }
    event["licence_conditions"] = [
        {"id": "L1", "type": "NO_CONTACT", "text": "Not to contact Jane Doe directly or indirectly"},
        {"id": "L2", "type": "APPROVED_PREMISES", "text": "Reside at Bunyan House approved premises"},
    ]
    return make_person(crn, events=[event], contacts=[], records=[], **changes)


@pytest.fixture
def at() -> Callable[[str], Any]:
    def travel(instant: str) -> Any:
        return time_machine.travel(datetime.fromisoformat(instant), tick=False)

    return travel


@pytest.fixture
def ap_case(db) -> dict[str, Any]:
    with time_machine.travel("2027-03-01T09:00:00Z", tick=False):
        bundle = org_with_managers() | {"people": [ap_person()]}
        bundle_import(actor=SYSTEM, raw=raw(bundle))
        agreement = partner_agreement("APCRU", kind="OTHER", answers=(), send_kinds=(), pdus=("GMR-MN",))
    return {"bundle": bundle, "agreement": agreement}
