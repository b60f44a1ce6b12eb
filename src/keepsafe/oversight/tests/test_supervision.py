"""Issue 15 §6 (helper "overs"): the supervisor view's measures — met, near or far at every threshold, with why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keepsafe.oversight.rules.supervision import (
    CAPACITY_MET,
    CAPACITY_NEAR,
    OVERSIGHT_MET_DAYS,
    OVERSIGHT_NEAR_DAYS,
    PractitionerFacts,
    Standing,
    is_outlier,
    measures,
)
from keepsafe.oversight.supervision import _capacity_percent_many


def _facts(**changes):
    base = {
        "overdue_safety_actions": 0,
        "contact_met": 9,
        "contact_overdue": 1,
        "risk_reviews_overdue": 0,
        "days_since_oversight": 10,
        "capacity_percent": 95.0,
    }
    return PractitionerFacts(**(base | changes))


def _by_name(facts):
    return {m.name: m for m in measures(facts)}


@pytest.mark.parametrize(
    ("n", "standing"), [(0, Standing.MET), (1, Standing.NEAR), (2, Standing.NEAR), (3, Standing.FAR)]
)
def test_overdue_safety_actions(n, standing):
    assert _by_name(_facts(overdue_safety_actions=n))["Overdue safety actions"].standing is standing


@pytest.mark.parametrize(
    ("met", "late", "standing"),
    [(9, 1, Standing.MET), (3, 1, Standing.NEAR), (2, 1, Standing.FAR), (0, 0, Standing.UNKNOWN)],
)
def test_timely_contact(met, late, standing):
    m = _by_name(_facts(contact_met=met, contact_overdue=late))["Timely contact"]
    assert m.standing is standing
    if met + late:
        assert f"{met} of {met + late}" in m.reason


@pytest.mark.parametrize(("n", "standing"), [(0, Standing.MET), (1, Standing.NEAR), (2, Standing.FAR)])
def test_timely_risk_assessment(n, standing):
    assert _by_name(_facts(risk_reviews_overdue=n))["Timely risk assessment"].standing is standing


@pytest.mark.parametrize(
    ("days", "standing"),
    [
        (OVERSIGHT_MET_DAYS, Standing.MET),
        (OVERSIGHT_MET_DAYS + 1, Standing.NEAR),
        (OVERSIGHT_NEAR_DAYS, Standing.NEAR),
        (OVERSIGHT_NEAR_DAYS + 1, Standing.FAR),
        (None, Standing.FAR),
    ],
)
def test_days_since_oversight(days, standing):
    assert _by_name(_facts(days_since_oversight=days))["Last oversight note"].standing is standing


@pytest.mark.parametrize(
    ("cap", "standing"),
    [
        (CAPACITY_MET - 0.1, Standing.MET),
        (CAPACITY_MET, Standing.NEAR),  # 100 % exactly is over capacity, as on the workload page (issue 20 try-out)
        (CAPACITY_MET + 0.5, Standing.NEAR),
        (CAPACITY_NEAR, Standing.NEAR),
        (CAPACITY_NEAR + 1, Standing.FAR),
        (None, Standing.UNKNOWN),
    ],
)
def test_capacity(cap, standing):
    assert _by_name(_facts(capacity_percent=cap))["Capacity"].standing is standing


@given(
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 10),
    st.none() | st.integers(0, 400),
    st.none() | st.floats(0, 300),
)
def test_every_measure_has_a_reason_and_an_outlier_is_exactly_one_far_from_a_target(o, met, late, risk, days, cap):
    found = measures(PractitionerFacts(o, met, late, risk, days, cap))
    assert [m.name for m in found] == [
        "Overdue safety actions",
        "Timely contact",
        "Timely risk assessment",
        "Last oversight note",
        "Capacity",
    ]
    assert all(m.reason for m in found)
    assert is_outlier(found) == any(m.standing is Standing.FAR for m in found)


def test_capacity_comes_from_the_workload_measurement_and_an_unmeasurable_one_is_not_known(monkeypatch):
    """The supervisor view reads capacity % from oversight.workload.workload_many; a practitioner with no available
    points (capacity None) is left out, so the view says "not known" rather than 0."""
    from decimal import Decimal
    from types import SimpleNamespace

    from keepsafe.oversight import supervision

    asked: list[list[int]] = []

    def fake_workload_many(staff_ids, *, as_of):
        asked.append(list(staff_ids))
        return {1: SimpleNamespace(capacity_percent=Decimal("104.5")), 2: SimpleNamespace(capacity_percent=None)}

    monkeypatch.setattr(supervision, "workload_many", fake_workload_many)
    assert _capacity_percent_many([1, 2], None) == {1: 104.5}  # type: ignore[arg-type]
    assert asked == [[1, 2]]


@given(points=st.integers(0, 5_000), available=st.integers(1, 3_000))
def test_the_supervisor_view_and_the_workload_page_agree_on_over_capacity(points, available):
    """One rule (docs/workforce.md: ≥ 100 % is over capacity): the supervisor view's capacity is met exactly when the
    workload page does not say "Over capacity", and it shows the same figure."""
    from keepsafe.oversight.rules import workload as w

    percent = w.capacity_percent(points, available)
    assert percent is not None
    measure = _by_name(_facts(capacity_percent=float(percent)))["Capacity"]
    assert (measure.standing is Standing.MET) is (not w.is_over_capacity(percent, points))
    assert measure.value == w.format_percent(percent)
