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


def test_the_sweeps_inserts_adapt_each_instant_once_across_chunks(monkeypatch):
    """The connection's adapter is asked once per instant however many inserts (chunks) write it."""
    from django.db import connection

    from keepsafe.actions.services import reconcile

    calls: list[datetime] = []
    real = connection.ops.adapt_datetimefield_value

    def counted(value: datetime) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(reconcile, "_adapted", {})
    monkeypatch.setattr(connection.ops, "adapt_datetimefield_value", counted)
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    first = reconcile._once_per_instant(connection.ops.adapt_datetimefield_value, reconcile._connection_instants())
    second = reconcile._once_per_instant(connection.ops.adapt_datetimefield_value, reconcile._connection_instants())
    assert first(at) == second(at) == real(at)
    assert second(at.astimezone(LONDON)) == real(at)
    assert calls == [at, at.astimezone(LONDON)]  # another zone is another key (the repeated hour), asked once more


def test_json_columns_are_written_as_django_writes_them():
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection

    from keepsafe.actions.services.reconcile import _json_adapter

    values = [
        {"offsets_hours": [-24.0, 0.0], "also_at": ["2026-11-23T09:00:00+00:00"], "escalations": []},
        ["A01", None, "Zoë", "£5"],
        {"at": datetime(2026, 11, 23, 9, 0, tzinfo=UTC)},
    ]
    for encoder in (None, DjangoJSONEncoder):
        adapt = _json_adapter(encoder)
        for value in values[: 3 if encoder else 2]:
            assert adapt(value) == connection.ops.adapt_json_value(value, encoder)
            if connection.vendor == "sqlite":
                assert adapt(value) == json.dumps(value, cls=encoder)
