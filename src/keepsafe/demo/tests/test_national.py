"""Issue 20 §5: `keepsafe demo --national` grows the organisation with the people; the demo region is unchanged."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from keepsafe.bundles.validate import validate
from keepsafe.core.actor import Actor
from keepsafe.demo import generator
from keepsafe.demo.seed import seed
from keepsafe.people.models import Person
from keepsafe.workforce.models import Pdu, Staff

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("people", "pdus"), [(2000, 3), (20_000, 8), (250_000, 100)])
def test_one_pdu_per_2500_people_and_about_5500_staff_nationally(people, pdus):
    org = generator.organisation(TODAY, generator.national_pdus(people))
    assert len(org["pdus"]) == pdus
    practitioners = [s for s in org["staff"] if s["grade"] in ("PO", "PQIP", "PSO")]
    # A caseload of about 40 to 70 people per practitioner once the region is national.
    if pdus > 3:
        assert 35 <= people / len(practitioners) <= 75
    if people == 250_000:
        assert 5000 <= len(org["staff"]) <= 6000
    codes = [s["code"] for s in org["staff"]]
    assert len(codes) == len(set(codes))


def test_the_demo_region_is_the_first_three_pdus_of_a_national_one():
    small, national = generator.organisation(TODAY), generator.organisation(TODAY, 12)
    for section in ("teams", "staff"):
        kept = [item for item in national[section] if item["code"] in {i["code"] for i in small[section]}]
        assert len(kept) == len(small[section])
    assert national["pdus"][:3] == small["pdus"]


@pytest.mark.django_db
def test_a_national_organisation_and_its_people_are_a_valid_bundle_spread_over_every_pdu():
    org = generator.organisation(TODAY, 12)
    people = next(generator.people(600, TODAY, org, chunk=600))
    validate(json.dumps({**org, "people": people}))
    by_pdu = Counter(p["pdu"] for p in people)
    assert set(by_pdu) == {p["code"] for p in org["pdus"]}


@pytest.mark.django_db
def test_seed_national_writes_the_larger_organisation(monkeypatch):
    def replay(*args, **kwargs):
        raise AssertionError("a national region does not replay the flag reviews' weeks (hours at 20,000 people)")

    monkeypatch.setattr("keepsafe.demo.seed.demo_flag_review_replay", replay)
    seed(actor=Actor.system(), today=TODAY, people=50, national=True)  # below 2,500 people: the demo's three PDUs
    assert Pdu.objects.count() == 3
    assert Person.objects.count() == 50
    assert Staff.objects.filter(code="DEMO001").exists()
