"""The sweep's own inserts (issue 20 §1, docs/performance.md): values adapted once per instant must still tell apart
the two instants of autumn's repeated hour, which Python compares as equal when they share a zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from keepsafe.actions.services.reconcile import _once_per_instant

LONDON = ZoneInfo("Europe/London")


def test_the_two_instants_of_the_repeated_autumn_hour_are_adapted_apart():
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)  # 00:30 UTC, still summer time
    second = first.replace(fold=1)  # 01:30 UTC, the same wall time an hour later
    assert first == second  # same zone: compared by wall time, fold ignored
    adapt = _once_per_instant(lambda instant: instant.astimezone(UTC))
    assert adapt(first) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert adapt(second) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert adapt(first.astimezone(UTC)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_instant_is_adapted_once():
    calls: list[datetime] = []

    def adapt(instant: datetime) -> str:
        calls.append(instant)
        return instant.isoformat()

    once = _once_per_instant(adapt)
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert [once(at), once(at), once(at.replace())] == [at.isoformat()] * 3
    assert calls == [at]
