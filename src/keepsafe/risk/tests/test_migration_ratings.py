"""Migration risk/0003: stored overalls that custody had overwritten are recomputed, and the case level raised."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.risk.models import Assessment, CaseRisk, RiskLevelChange
from keepsafe.testing.fixtures import make_bundle, make_person

pytestmark = pytest.mark.django_db
migration = importlib.import_module("keepsafe.risk.migrations.0003_risk_ratings_apart")
COMMUNITY = {"children": "LOW", "public": "VERY_HIGH", "known_adult": "LOW", "staff": "LOW"}


def test_a_stored_overall_from_the_old_merge_is_recomputed_and_the_level_raised(imported):
    imported(make_bundle(make_person(assessments=[])))
    person = Person.objects.get(crn="X123456")
    wrong = Assessment.objects.create(
        person=person,
        external_id="OASYS-OLD",
        source="IMPORTED",
        status="COMPLETE",
        assessor_code="STF0200",
        started_at=clock.now(),
        completed_at=clock.now(),
        rosh={"community": COMMUNITY, "custody": {**dict.fromkeys(COMMUNITY, "LOW"), "prisoners": "LOW"}},
        overall="LOW",  # what `overall({**community, **custody})` stored
    )
    empty = Assessment.objects.create(
        person=person,
        external_id="KS-OLD",
        status="COMPLETE",
        assessor_code="STF0001",
        started_at=clock.now(),
        completed_at=clock.now(),
        rosh={"community": dict.fromkeys(COMMUNITY, "MEDIUM"), "custody": {}},
        overall="MEDIUM",
    )
    CaseRisk.objects.update_or_create(person=person, defaults={"level": "LOW", "assessment": wrong})
    migration.forwards(apps, None)
    wrong.refresh_from_db()
    empty.refresh_from_db()
    assert wrong.overall == "VERY_HIGH"
    assert empty.rosh["custody"] is None
    assert empty.overall == "MEDIUM"
    assert CaseRisk.objects.get(person=person).level == "VERY_HIGH"
    change = RiskLevelChange.objects.get(person=person, by="migration")
    assert (change.previous, change.new, change.effective) == ("LOW", "VERY_HIGH", True)
