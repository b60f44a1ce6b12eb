from __future__ import annotations

import json
from datetime import date

import pytest

from keepsafe.bundles.validate import validate
from keepsafe.demo import caseloads, generator

TODAY = date(2026, 11, 23)


def test_generation_is_deterministic_and_valid():
    org = generator.organisation(TODAY)
    first = next(generator.people(300, TODAY, org))
    again = next(generator.people(300, TODAY, org))
    assert first == again
    crns = [p["crn"] for p in first]
    assert len(set(crns)) == 300
    grades = {s["grade"] for s in org["staff"]}
    assert grades == {"PSO", "PQIP", "PO", "SPO", "HEAD_OF_PDU", "ACO", "POM", "ADMIN"}
    # issue 15 (helper "demo4"): each team an SPO and ten practitioners (caseloads.MORE_GRADES added to five)
    for team in org["teams"]:
        members = [s for s in org["staff"] if s["team"] == team["code"] and s["grade"] in ("PO", "PQIP", "PSO")]
        assert len(members) == 5 + len(caseloads.MORE_GRADES)


@pytest.mark.django_db
def test_every_demo_person_passes_full_bundle_validation():
    org = generator.organisation(TODAY)
    for batch in generator.people(600, TODAY, org, chunk=300):
        bundle = validate(json.dumps({**org, "people": batch}))
        assert len(bundle.people) == 300
