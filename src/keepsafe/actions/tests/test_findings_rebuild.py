"""The worker's housekeeping rebuilds indicator findings once when the store was built by another scanner (an upgrade
changed the lexicon or classifier), and not at all when it is current (records/services.findings_rebuild_if_stale)."""

from __future__ import annotations

import pytest

from keepsafe.actions.services.worker import housekeeping
from keepsafe.audit.models import AuditEvent
from keepsafe.records.models import IndicatorFinding, ScanState
from keepsafe.records.selectors import findings_staleness
from keepsafe.testing.fixtures import make_bundle, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(imported):
    imported(make_bundle(make_person("X123456"), make_person("X654321")))
    found = IndicatorFinding.objects.count()
    assert found
    IndicatorFinding.objects.all().delete()  # what an older scanner did not find
    return found


def rescans() -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(action="INDICATORS_RESCAN").values_list("actor_role", "channel"))


def test_the_worker_rebuilds_stale_findings_exactly_once(two_cases):
    ScanState.objects.filter(pk=1).update(lexicon="2026-01-01.1", model="2026-01-01.1+lr1000")
    beats: list[int] = []
    assert housekeeping(alive=lambda: beats.append(1))["rebuilt"] == 1
    assert IndicatorFinding.objects.count() == two_cases
    assert findings_staleness() is None
    assert beats  # the worker's heartbeat kept beating through the rebuild
    assert rescans() == [("SYSTEM", "SYSTEM")]
    assert housekeeping()["rebuilt"] == 0
    assert rescans() == [("SYSTEM", "SYSTEM")]


def test_the_worker_leaves_current_findings_alone(two_cases):
    assert findings_staleness() is None
    assert housekeeping()["rebuilt"] == 0
    assert not IndicatorFinding.objects.exists()
    assert rescans() == []
