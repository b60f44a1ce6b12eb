"""Issue 17 (helper "demo17"): the seeded demo region's overridden assessments, countersignatures and risk reviews
give the dashboards real figures."""

from __future__ import annotations

from datetime import date

import pytest

from keepsafe.actions.rules.calendar import start_of_day
from keepsafe.assurance.models import AuditSample
from keepsafe.audit.models import AuditEvent
from keepsafe.core.actor import Actor
from keepsafe.risk.models import Assessment

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_seed_completes_overridden_assessments_through_the_risk_services(demo_region):
    made = Assessment.objects.filter(source=Assessment.Source.KEEPSAFE, status=Assessment.Status.COMPLETE)
    assert made.exists()
    assert all(p["response"] for a in made for p in a.prompts)
    assert any(a.prompts for a in made)
    # Dated as they were done, over the past months (a review found every one dated the seeding day): each through
    # the services with their clock running from that day, so the assessment's steps and its audit are dated alike.
    months = {(a.completed_at.year, a.completed_at.month) for a in made}
    assert len(months) >= 4, months
    assert all(a.started_at <= a.completed_at < start_of_day(TODAY) for a in made)
    signed = made.filter(countersign_agreed=False)
    assert signed.exists()
    assert all(a.completed_at < a.countersigned_at < start_of_day(TODAY) for a in signed)
    audited = AuditEvent.objects.filter(action="ASSESSMENT_COMPLETE").values_list("at", flat=True)
    assert {(at.year, at.month) for at in audited} == months
    assert AuditSample.objects.exists()  # (seeding once only: test_demo.test_seeding_again_changes_nothing)


def test_a_swept_demo_shows_risk_assessments_and_reviews_partly_in_time(demo_region):
    from keepsafe.actions.rules.calendar import end_of_day
    from keepsafe.actions.services.sweep import sweep_everything
    from keepsafe.assurance.rules.measures import Measure
    from keepsafe.assurance.rules.scope import Scope
    from keepsafe.assurance.selectors import dashboard

    as_of = end_of_day(TODAY)
    sweep_everything(as_of=as_of)
    rows, _ = dashboard(Actor.system(), Scope.REGION, "N01", date(2026, 6, 1), TODAY, as_of=as_of)
    figure = {r.measure: r.figure for r in rows}
    reviews = figure[Measure.RISK_REVIEWS]
    assert reviews.denominator >= 30
    assert 0.4 <= reviews.numerator / reviews.denominator <= 0.95
    assert figure[Measure.RISK_ASSESSMENTS].numerator >= 1


def test_the_demo_countersigners_disagree_with_a_lowering_and_keep_the_higher_level(demo_region):
    disagreed = Assessment.objects.filter(source=Assessment.Source.KEEPSAFE, countersign_agreed=False)
    assert disagreed.exists()
    order = ["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]
    pairs = [(a.overall, a.previous_level) for a in disagreed]
    assert all(order.index(new) < order.index(old) for new, old in pairs), pairs
