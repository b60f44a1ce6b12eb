"""Issue 12 §10: bundles carry enforcement decisions and release plan items, validated with their JSON paths,
exported losslessly, and an imported decision closes the action it satisfies."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from keepsafe.actions.models import Action, EnforcementDecisionRecord, ReleasePlanConfirmation
from keepsafe.actions.services.reconcile import reconcile_case
from keepsafe.bundles.exporter import bundle_export
from keepsafe.bundles.importer import bundle_import
from keepsafe.bundles.schema import EnforcementDecisionIn, ReleasePlanItemIn
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db

FTA = {"type": "APPOINTMENT", "staff": "STF0001", "outcome": "FAILED_TO_ATTEND", "notes": ""}
DECISION = {
    "contact": "C1",
    "decision": "WARNING",
    "at": "2022-06-17T09:00:00Z",
    "by": "STF0001",
    "notes": "First missed appointment; warning letter sent.",
}
ITEMS = [
    {"event": "1", "item": item, "at": "2022-05-20T09:00:00Z", "by": "STF0001", "notes": f"{item} confirmed."}
    for item in ("ACCOMMODATION", "LICENCE_CONDITIONS", "MULTI_AGENCY")
]


def person(**changes: Any) -> dict[str, Any]:
    return make_person(**({"enforcement_decisions": [DECISION], "release_plan": ITEMS} | changes))


def problems_of(*people: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        bundle_import(actor=SYSTEM, raw=raw(make_bundle(*people)))
    return dict(caught.value.problems)


def _export() -> dict:
    out = io.StringIO()
    bundle_export(viewer=SYSTEM, out=out)
    return json.loads(out.getvalue())


def test_decisions_and_release_plan_items_import_and_export_losslessly():
    # issue 15 ("allochist"): the export carries the allocation history (the fixture's holder since its sentence)
    held = [{"staff": "STF0001", "from": "2019-09-01", "to": None, "reason": "INITIAL_ALLOCATION"}]
    source = make_bundle(person(allocations=held, ap_referrals=[], victim_representations=[]))  # every key exported
    bundle_import(actor=SYSTEM, raw=raw(source))
    decision = EnforcementDecisionRecord.objects.get()
    assert (decision.contact.external_id, decision.decision, decision.by) == ("C1", "WARNING", "STF0001")
    assert ReleasePlanConfirmation.objects.count() == 3
    first = _export()
    assert first["people"][0]["enforcement_decisions"] == source["people"][0]["enforcement_decisions"]
    assert first["people"][0]["release_plan"] == source["people"][0]["release_plan"]
    assert first["people"][0] == source["people"][0]
    assert not bundle_import(actor=SYSTEM, raw=json.dumps(first)).changed_anything
    # A changed decision arriving again updates it (the bundle is the system of record for migrated history).
    changed = make_bundle(person(enforcement_decisions=[DECISION | {"decision": "BREACH"}]))
    summary = bundle_import(actor=SYSTEM, raw=raw(changed))
    assert summary.as_dict()["enforcement_decisions"] == {"created": 0, "updated": 1}
    assert EnforcementDecisionRecord.objects.get().decision == "BREACH"


def test_every_field_of_the_new_sections_is_checked_with_its_path():
    second = FTA | {"id": "C2", "at": "2022-07-01T10:00:00Z"}
    attended = FTA | {"id": "C3", "at": "2022-07-02T10:00:00Z", "outcome": "ATTENDED"}
    found = problems_of(
        make_person(
            contacts=[*make_person()["contacts"], second, attended],
            events=[
                *make_person()["events"],
                {
                    **make_person()["events"][0],
                    "id": "2",
                    "sentence": {"type": "COMMUNITY_ORDER", "date": "2019-09-01", "length_months": 12},
                    "dates": {},
                    "licence_conditions": [],
                },
            ],
            assessments=[],
            enforcement_decisions=[
                DECISION | {"contact": "NOPE"},
                DECISION | {"contact": "C3"},
                DECISION | {"contact": "C2", "at": "2022-07-02T09:00:00Z"},  # warning for a second absence
                DECISION | {"at": "2022-06-15T09:00:00Z", "by": "STF9999"},  # before the absence, unknown staff
                DECISION,  # a second decision for C1
            ],
            release_plan=[
                ITEMS[0] | {"event": "9"},
                ITEMS[0] | {"event": "2"},
                ITEMS[1],  # no completed assessment before it
                ITEMS[0] | {"by": "STF9999"},
                ITEMS[0],  # confirmed twice
            ],
        )
    )
    at = "people[0].enforcement_decisions"
    assert "no contact 'NOPE'" in found[f"{at}[0].contact"]
    assert "not a failure to attend" in found[f"{at}[1].contact"]
    assert "follows another failure to attend or comply" in found[f"{at}[2].decision"]
    assert "before the failure to attend" in found[f"{at}[3].at"]
    assert "STF9999" in found[f"{at}[3].by"]
    assert "more than one decision" in found[f"{at}[4].contact"]
    rp = "people[0].release_plan"
    assert "no event '9'" in found[f"{rp}[0].event"]
    assert "not a custodial sentence" in found[f"{rp}[1].event"]
    assert "risk assessment" in found[f"{rp}[2].at"]
    assert "STF9999" in found[f"{rp}[3].by"]
    assert "more than once" in found[f"{rp}[4].item"]
    # Shape errors carry their paths too, for every field of both sections.
    for section, model, good in (
        ("enforcement_decisions", EnforcementDecisionIn, DECISION),
        ("release_plan", ReleasePlanItemIn, ITEMS[0]),
    ):
        for name in model.model_fields:
            shape = problems_of(make_person(**{section: [good | {name: 12}]}))
            assert f"people[0].{section}[0].{name}" in shape
    assert Person.objects.count() == 0


def test_an_imported_decision_closes_the_action_it_satisfies():
    recent = make_person(
        contacts=[FTA | {"id": "C1", "at": "2026-03-02T10:00:00Z"}],
        records=[],
        registrations=[],
        events=[
            {
                **make_person()["events"][0],
                "dates": {
                    "release": "2026-06-01",
                    "conditional_release": "2026-06-01",
                    "parole_eligibility": None,
                    "licence_expiry": "2027-06-01",
                    "sentence_expiry": "2027-06-01",
                    "pss_end": None,
                },
                "requirements": [],
            }
        ],
        assessments=[{**make_person()["assessments"][0], "completed_at": "2026-04-01T10:00:00Z"}],
    )
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(recent)), reconcile=False)
    p = Person.objects.get()
    reconcile_case(p, datetime(2026, 5, 20, 9, tzinfo=UTC))
    enforcement = Action.objects.get(type="ENFORCEMENT_DECISION")
    plan = Action.objects.get(type="RELEASE_PLAN")
    assert enforcement.status == plan.status == "OPEN"
    # The history arrives: the decision and the release plan, made elsewhere.
    decision = DECISION | {"at": "2026-03-03T09:00:00Z"}
    items = [i | {"at": "2026-05-21T09:00:00Z"} for i in ITEMS]
    bundle_import(
        actor=SYSTEM,
        raw=raw(make_bundle(recent | {"enforcement_decisions": [decision], "release_plan": items})),
        reconcile=False,
    )
    reconcile_case(p, datetime(2026, 5, 22, 9, tzinfo=UTC))
    enforcement.refresh_from_db()
    plan.refresh_from_db()
    assert enforcement.status == "DONE"
    assert enforcement.evidence["summary"] == "enforcement decision: WARNING"
    assert plan.status == "DONE"
    assert plan.evidence["kind"] == "release-plan"


CHECK = {
    "id": "DA-1",
    "kind": "DOMESTIC_ABUSE",
    "requested_at": "2021-08-01T09:00:00Z",
    "response_record": "PRISON-INTEL-881",
    "acted_on_at": "2021-08-10T09:00:00Z",
    "acted_on_by": "STF0001",
    "acted_on_outcome": "REFERRAL",
    "acted_on_notes": "Police confirm call-outs to his former partner; MARAC referral made by the COM.",
}


def test_what_was_decided_on_a_check_answer_travels_and_noted_is_refused():
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person(checks=[CHECK]))))
    assert _export()["people"][0]["checks"] == [CHECK]
    found = problems_of(
        make_person(
            checks=[
                CHECK | {"acted_on_notes": "Noted."},
                CHECK | {"id": "DA-2", "acted_on_at": None, "acted_on_by": None},
            ]
        )
    )
    assert "is not a decision" in found["people[0].checks[0].acted_on_notes"]
    assert "needs the time" in found["people[0].checks[1].acted_on_at"]
    assert "answers one check only" in found["people[0].checks[1].response_record"]
    # One record answers one check: a clear error, not a database failure.
    taken = problems_of(make_person(checks=[CHECK | {"id": "DA-2"}]))
    assert "already the answer to check 'DA-1'" in taken["people[0].checks[0].response_record"]
    # History that does not say which decision it was is still accepted (docs/bundle-format.md).
    legacy = CHECK | {"acted_on_outcome": None, "acted_on_notes": None}
    assert bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person(checks=[legacy])))).changed_anything
