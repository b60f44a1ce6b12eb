"""Issue 15 §1 (helper "tierhist"): points follow tier changes as they happen — a workload before a tier change
weighs the old tier, after it the new one, with the published table's points (oversight/reference/workload.json)."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keepsafe.oversight.tests.test_workload_selectors import _case, _staff, team  # noqa: F401 (fixture)
from keepsafe.oversight.workload import potential_capacity, workload_many
from keepsafe.risk.models import CaseRisk, TierChange

pytestmark = pytest.mark.django_db
PUBLISHED = json.loads((Path(__file__).parents[1] / "reference" / "workload.json").read_text())["tier_points"]
CHANGED = datetime(2026, 5, 1, 9, tzinfo=UTC)
BEFORE, AFTER = CHANGED - timedelta(seconds=1), CHANGED + timedelta(days=30)


def _retier(person, at, previous, new, backfilled=False):
    TierChange.objects.create(person=person, at=at, previous_v2=previous, new_v2=new, backfilled=backfilled)
    CaseRisk.objects.filter(person=person).update(tier_v2=new)


@pytest.mark.parametrize(
    ("sentence", "release", "kind", "old", "new"),
    [
        ("COMMUNITY_ORDER", None, "COMMUNITY", "C1", "A3"),
        ("DETERMINATE_CUSTODY", date(2026, 1, 1), "LICENCE", "B2", "D1"),
        ("EXTENDED", None, "CUSTODY", "D3", "A2"),
    ],
)
def test_points_before_and_after_a_tier_change(team, sentence, release, kind, old, new):  # noqa: F811
    ada = _staff(team, "STF0001")
    person = _case(team, "X000001", ada, old, sentence, release=release)
    TierChange.objects.create(person=person, at=datetime(2024, 1, 1, tzinfo=UTC), previous_v2="", new_v2=old)
    _retier(person, CHANGED, old, new)
    assert workload_many([ada.pk], as_of=BEFORE)[ada.pk].points == PUBLISHED[kind][old]
    assert workload_many([ada.pk], as_of=CHANGED)[ada.pk].points == PUBLISHED[kind][new]
    assert workload_many([ada.pk], as_of=AFTER)[ada.pk].points == PUBLISHED[kind][new]
    # "X% → Y%" weighs the case with the tier in force at its instant too
    other = _staff(team, "STF0002")
    assert potential_capacity(other.pk, person.pk, as_of=BEFORE).case_points == PUBLISHED[kind][old]
    assert potential_capacity(other.pk, person.pk, as_of=AFTER).case_points == PUBLISHED[kind][new]


def test_before_the_history_the_tier_it_replaced_and_never_a_later_one(team):  # noqa: F811
    ada = _staff(team, "STF0001")
    person = _case(team, "X000001", ada, "A3")
    _retier(person, CHANGED, "C2", "A3")  # the first recorded change replaced C2
    assert workload_many([ada.pk], as_of=BEFORE)[ada.pk].points == PUBLISHED["COMMUNITY"]["C2"]
    later = _case(team, "X000002", ada, "D2")
    _retier(later, CHANGED, "", "D2", backfilled=True)  # the history began here: what it replaced is not known
    _retier(later, AFTER, "D2", "A1")
    load = workload_many([ada.pk], as_of=BEFORE)[ada.pk]
    # the history's first tier, never the later change's A1
    assert (load.cases, load.points) == (2, PUBLISHED["COMMUNITY"]["C2"] + PUBLISHED["COMMUNITY"]["D2"])
    # no history at all (a tier row written outside the services): the stored tier
    _case(team, "X000003", ada, "B1")
    assert workload_many([ada.pk], as_of=BEFORE)[ada.pk].points == (
        PUBLISHED["COMMUNITY"]["C2"] + PUBLISHED["COMMUNITY"]["D2"] + PUBLISHED["COMMUNITY"]["B1"]
    )


def test_fixed_number_of_queries_with_tier_histories(team):  # noqa: F811
    def count(n):
        staff = [_staff(team, f"S{n:02d}{i:03d}") for i in range(n)]
        for i, s in enumerate(staff):
            person = _case(team, f"Y{n:02d}{i:04d}", s, "B2")
            TierChange.objects.create(person=person, at=datetime(2024, 1, 1, tzinfo=UTC), new_v2="C1")
            _retier(person, CHANGED, "C1", "B2")
        with CaptureQueriesContext(connection) as queries:
            loads = workload_many([s.pk for s in staff], as_of=BEFORE)
        assert all(load.points == PUBLISHED["COMMUNITY"]["C1"] for load in loads.values())
        return len(queries)

    assert count(2) == count(40)
