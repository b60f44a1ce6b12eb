"""Issue 15 (helper "work"): the demo's staff carry realistic reductions and training, valid bundle data."""

from __future__ import annotations

import json
from datetime import date

import pytest

from keepsafe.bundles.validate import validate
from keepsafe.demo import generator
from keepsafe.oversight.rules.training import Completion, TrainingState, published_training, training_status
from keepsafe.workforce.rules.grades import Grade

TODAY = date(2026, 11, 23)


def test_pqips_and_heavier_teams_carry_reductions_and_training_has_gaps():
    org = generator.organisation(TODAY)
    staff = org["staff"]
    pqips = [s for s in staff if s["grade"] == "PQIP"]
    assert pqips
    assert all(any(r["reason"].startswith("PQIP_") for r in s["reductions"]) for s in pqips)
    teams = {
        s["team"].rsplit("-", 1)[1] for s in staff if any(r["reason"] == "LONG_TERM_SICKNESS" for r in s["reductions"])
    }
    assert teams == {"3"}
    states = {
        st.state
        for s in staff
        if s["grade"] in ("PO", "PQIP", "PSO")
        for st in training_status(
            Grade(s["grade"]),
            [Completion(t["course"], date.fromisoformat(t["completed_on"])) for t in s["training"]],
            TODAY,
            published_training(),
        )
    }
    assert {TrainingState.CURRENT, TrainingState.OVERDUE, TrainingState.MISSING} <= states


@pytest.mark.django_db
def test_the_demo_organisation_with_staff_facts_is_a_valid_bundle():
    bundle = validate(json.dumps(generator.organisation(TODAY)))
    assert sum(len(s.reductions or []) for s in bundle.staff) > 10
