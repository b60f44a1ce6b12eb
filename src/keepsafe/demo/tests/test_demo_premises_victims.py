"""Issue 16 §5, §7 (helper "demo4"): the default demo carries approved premises referrals (one awaiting the decision
close to release, one with a place and arrival, one refused with its reason) and victim representations on licence
cases, in the demo SPO's PDU; they validate and import through the bundle, and the sweep opens AP_REFERRAL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from keepsafe.actions.models import Action
from keepsafe.actions.services.reconcile import reconcile_many
from keepsafe.bundles.importer import ImportSummary, bundle_write
from keepsafe.bundles.validate import validate
from keepsafe.core.actor import Actor
from keepsafe.demo import premises_victims
from keepsafe.demo.tests.test_demo_capacity import _region
from keepsafe.people.models import Person
from keepsafe.premises.models import ApReferral
from keepsafe.victims.models import VictimRepresentation


def _chosen():
    org, people = _region()
    return org, [p for p in people if p.get("ap_referrals") or p.get("victim_representations")]


def test_each_kind_once_in_the_demo_spos_pdu():
    org, chosen = _chosen()
    team = {s["code"]: s["team"] for s in org["staff"]}
    assert all(team[p["practitioner"]].rsplit("-", 1)[0] == premises_victims.DEMO_PDU for p in chosen)
    referrals = [r for p in chosen for r in p.get("ap_referrals", [])]
    assert sorted(((r.get("decision"), r.get("arrival")) for r in referrals), key=str) == sorted(
        [(None, None), ("ACCEPTED", "ARRIVED"), ("REFUSED", None)], key=str
    )
    assert all(r["decision_reason"] for r in referrals if r.get("decision") == "REFUSED")
    reps = [r for p in chosen for r in p.get("victim_representations", [])]
    assert sorted(r.get("status", "REQUESTED") for r in reps) == ["DECLINED", "INCLUDED", "REQUESTED"]
    for p in chosen:
        if p.get("ap_referrals"):
            assert any(c["type"] == "APPROVED_PREMISES" for c in p["events"][0]["licence_conditions"])


@pytest.mark.django_db
def test_they_import_and_the_awaiting_referral_opens_its_action():
    org, chosen = _chosen()
    summary = ImportSummary()
    bundle_write(actor=Actor.system(), bundle=validate(json.dumps({**org, "people": chosen})), summary=summary)
    assert ApReferral.objects.count() == 3
    assert VictimRepresentation.objects.count() == 3
    awaiting = next(p["crn"] for p in chosen for r in p.get("ap_referrals", []) if r.get("decision") is None)
    reconcile_many(list(Person.objects.all()), datetime.now(UTC))
    open_ap = Action.objects.filter(type="AP_REFERRAL", status="OPEN")
    assert open_ap.filter(person__crn=awaiting).exists()
