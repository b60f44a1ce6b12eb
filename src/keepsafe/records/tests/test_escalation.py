"""Escalating violence across records: more frequent lower-level violence in the latest six months."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from keepsafe.records.rules.escalation import WINDOW, Incident, violence_escalation

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def incidents(*days: int) -> list[Incident]:
    return [Incident(T0 + timedelta(days=d), f"record:R{i}") for i, d in enumerate(days)]


def test_three_recent_incidents_after_a_quiet_half_year_are_escalation():
    found = violence_escalation(incidents(0, 200, 260, 300), T0 + timedelta(days=400))
    assert found is not None
    assert [i.ref for i in found.recent] == ["record:R1", "record:R2", "record:R3"]
    assert [i.ref for i in found.previous] == ["record:R0"]
    assert found.why == "3 violent incidents in the six months to 2024-10-27, against 1 in the six months before"


def test_a_steady_rate_is_not_escalation():
    assert violence_escalation(incidents(10, 40, 70, 200, 230, 260), T0 + timedelta(days=300)) is None


def test_two_incidents_are_not_a_pattern():
    assert violence_escalation(incidents(300, 310), T0 + timedelta(days=400)) is None


def test_only_incidents_known_at_the_instant_count():
    seen = incidents(200, 260, 300)
    assert violence_escalation(seen, T0 + timedelta(days=299)) is None
    assert violence_escalation(seen, T0 + timedelta(days=300)) is not None


def test_the_same_record_counts_once():
    same = [Incident(T0, "record:R1")] * 3
    assert violence_escalation(same, T0) is None


@given(st.lists(st.integers(min_value=0, max_value=2000), max_size=20), st.integers(min_value=0, max_value=2500))
def test_escalation_always_rests_on_at_least_three_recent_incidents_and_twice_the_previous(days, as_of_day):
    as_of = T0 + timedelta(days=as_of_day)
    found = violence_escalation(incidents(*days), as_of)
    if found is not None:
        assert len(found.recent) >= 3
        assert len(found.recent) >= 2 * len(found.previous)
        assert all(i.at <= as_of for i in found.recent + found.previous)
        assert all(found.latest - i.at < WINDOW for i in found.recent)
