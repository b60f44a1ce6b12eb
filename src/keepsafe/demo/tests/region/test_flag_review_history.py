"""Issue 17 (helper "assure2"): the demo region has a history of flag reviews — some on time, some late, some not
done — recorded through the bundle import (`last_reviewed`, known from its day) and the sweep replayed weekly over
the past weeks, so "Flags reviewed on time" reads a real figure, worked out by the measure, not set by hand."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from keepsafe.actions.models import Action
from keepsafe.assurance.rules.measures import Measure
from keepsafe.assurance.rules.scope import Scope
from keepsafe.assurance.selectors import dashboard
from keepsafe.demo import generator
from keepsafe.people.models import Registration
from keepsafe.workforce.selectors import actor_for_staff_code

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_the_demo_flags_have_reviews_on_time_late_and_missing():
    org = generator.organisation(TODAY)
    region = [p for batch in generator.people(600, TODAY, org) for p in batch]
    reviewed = [r for p in region for r in p["registrations"] if r.get("last_reviewed")]
    assert reviewed, "some flags are reviewed"
    assert all(date.fromisoformat(r["last_reviewed"]) < TODAY for r in reviewed)
    assert all(r["start"] <= r["last_reviewed"] for r in reviewed)


def test_flags_reviewed_on_time_reads_a_realistic_share_on_the_demo_region(demo_region):
    with time_machine.travel(demo_region.now, tick=False):  # seeded and swept then
        leader = actor_for_staff_code(generator.ROLE_LOGINS["regional-leader"][0])
        assert leader is not None
        rows, _ = dashboard(leader, Scope.REGION, generator.REGION["code"], date(2026, 6, 1), date(2026, 11, 30))
    flags = next(r for r in rows if r.measure == Measure.FLAG_REVIEWS).figure
    assert flags.denominator > 0
    assert flags.rate is not None
    assert 0 < flags.rate < 1, (flags.numerator, flags.denominator)
    # The figure comes from the sweep's actions, closed by the recorded reviews at their own instants.
    done = Action.objects.filter(type="REGISTRATION_REVIEW", status="DONE")
    assert done.exists()
    assert Registration.objects.filter(last_reviewed__isnull=False).exists()
